"""Survey drafts in the database: one per person, replaced as the teller types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from teller_assist.store.engine import Store
from teller_assist.store.models import SurveyDraft


@dataclass(frozen=True)
class DraftRecord:
    id_no: str
    scenario: str
    answers: str
    operator: str
    updated_at: dt.datetime

    def __repr__(self) -> str:  # answers hold income and the phone
        return f"DraftRecord({self.scenario!r}, by {self.operator}, {self.updated_at:%H:%M})"


def save_draft(
    store: Store, *, id_no: str, scenario: str, answers: str, operator: str, now: dt.datetime
) -> None:
    with store.write_session() as s:
        draft = s.get(SurveyDraft, id_no)
        if draft is None:
            s.add(
                SurveyDraft(
                    id_no=id_no, scenario=scenario, answers=answers, operator=operator, updated_at=now
                )
            )
        else:
            draft.scenario, draft.answers, draft.operator, draft.updated_at = scenario, answers, operator, now


def get_draft(store: Store, id_no: str) -> DraftRecord | None:
    """The draft kept for ``id_no``: read as plain columns, not an ORM object (the counter asks at every
    survey, the first one while the customer waits)."""
    query = select(SurveyDraft.scenario, SurveyDraft.answers, SurveyDraft.operator, SurveyDraft.updated_at)
    with store.session() as s:
        d = s.execute(query.where(SurveyDraft.id_no == id_no)).one_or_none()
        return DraftRecord(id_no, d.scenario, d.answers, d.operator, d.updated_at) if d else None


def delete_draft(store: Store, id_no: str) -> None:
    with store.write_session() as s:
        s.execute(delete(SurveyDraft).where(SurveyDraft.id_no == id_no))


def purge_drafts(store: Store, before: dt.datetime) -> int:
    with store.write_session() as s:
        old = s.scalars(select(SurveyDraft.id_no).where(SurveyDraft.updated_at < before)).all()
        s.execute(delete(SurveyDraft).where(SurveyDraft.id_no.in_(old)))
        return len(old)
