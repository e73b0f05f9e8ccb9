"""The lobby manager's picture of today: who came to the counter and how far each got."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.prequal.workflow import Status
from teller_assist.services.context import Context
from teller_assist.store import walkins as store_walkins
from teller_assist.store.walkins import WalkIn

STAGES = ("identified", "surveyed", "submitted", "approved", "signed")
STAGE_ZH = vocabulary.WALKIN_STAGE_ZH  # the words live in teller_assist.vocabulary


def stage(w: WalkIn) -> str:
    """How far a walk-in got today: the furthest of identified → surveyed → submitted → approved → signed."""
    if w.status in (Status.SIGNED,):
        return "signed"
    if w.status == Status.APPROVED:
        return "approved"
    if w.status is not None:  # submitted, rejected, cancelled, expired: it was submitted
        return "submitted"
    return "surveyed" if w.surveyed else "identified"


@dataclass(frozen=True)
class Today:
    rows: list[WalkIn]
    counts: dict[str, int]  # how many reached each stage (a signed walk-in counts at every stage)
    waiting: list[WalkIn]  # submitted and not yet decided, oldest first


def today(ctx: Context, branch_code: str | None) -> Today:
    """Who came to the counters of ``branch_code`` on the context's day (its clock's local day)."""
    now = ctx.now().astimezone()
    start = dt.datetime.combine(now.date(), dt.time(), tzinfo=now.tzinfo)
    rows = store_walkins.walkins(ctx.store, start, start + dt.timedelta(days=1), branch_code)
    reached: Counter[str] = Counter()
    for w in rows:
        for s in STAGES[: STAGES.index(stage(w)) + 1]:
            reached[s] += 1
    waiting = sorted(
        (w for w in rows if w.status == Status.SUBMITTED), key=lambda w: w.submitted_at or w.first_seen
    )
    return Today(rows, {s: reached[s] for s in STAGES}, waiting)
