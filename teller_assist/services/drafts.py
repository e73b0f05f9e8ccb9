"""Half-filled surveys survive a crash or a restart: saved as typed, offered back for the same person,
dropped once the application is submitted (and after 30 days). Consents are never kept in a draft:
the teller ticks them again once the customer has signed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from teller_assist.prequal.policy import CONSENTS
from teller_assist.prequal.survey import Survey
from teller_assist.services.context import Context
from teller_assist.store import drafts as store_drafts

KEEP_DAYS = 30


@dataclass(frozen=True)
class Draft:
    survey: Survey
    saved_at: dt.datetime
    operator: str


def save(ctx: Context, id_no: str, survey: Survey, operator: str) -> None:
    answers = {k: v for k, v in survey.answers.items() if k not in CONSENTS}
    store_drafts.save_draft(
        ctx.store,
        id_no=id_no,
        scenario=survey.scenario,
        answers=json.dumps(answers, ensure_ascii=False, default=str),
        operator=operator,
        now=ctx.now(),
    )


def load(ctx: Context, id_no: str) -> Draft | None:
    record = store_drafts.get_draft(ctx.store, id_no)
    if record is None:
        return None
    answers: dict[str, Any] = json.loads(record.answers)
    return Draft(Survey(record.scenario, answers), record.updated_at, record.operator)


def discard(ctx: Context, id_no: str) -> None:
    store_drafts.delete_draft(ctx.store, id_no)


def purge(ctx: Context) -> int:
    return store_drafts.purge_drafts(ctx.store, ctx.now() - dt.timedelta(days=KEEP_DAYS))
