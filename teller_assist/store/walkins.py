"""Today's walk-ins at a branch, from what the counter already records: each lookup (audit), each
draft survey, each application."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from teller_assist.store.engine import Store
from teller_assist.store.models import Application, AuditEvent, Customer, Operator, SurveyDraft

COUNTER_SOURCES = ("typed", "reader", "clipboard", "hook")


@dataclass(frozen=True)
class WalkIn:
    id_no: str
    name: str | None
    first_seen: dt.datetime
    operator: str | None
    surveyed: bool  # a draft or an application exists
    application_id: int | None
    status: str | None  # the latest application's status, if any was made today
    submitted_at: dt.datetime | None
    line_fen: int | None

    def __repr__(self) -> str:
        return f"WalkIn({self.status or 'identified'}, app={self.application_id})"


def walkins(store: Store, start: dt.datetime, end: dt.datetime, branch_code: str | None) -> list[WalkIn]:
    """People identified at the counter between ``start`` and ``end``, by operators of ``branch_code``
    (all branches when None), oldest first, with how far each got."""
    with store.session() as s:
        seen = (
            select(AuditEvent.subject, func.min(AuditEvent.at).label("first"), func.min(AuditEvent.operator))
            .where(
                AuditEvent.action == "lookup",
                AuditEvent.purpose.in_(COUNTER_SOURCES),
                AuditEvent.at >= start,
                AuditEvent.at < end,
            )
            .group_by(AuditEvent.subject)
        )
        if branch_code is not None:
            seen = seen.where(
                AuditEvent.operator.in_(select(Operator.login).where(Operator.branch_code == branch_code))
            )
        rows = s.execute(seen.order_by("first")).all()
        ids = [r[0] for r in rows if r[0]]
        names = dict(s.execute(select(Customer.id_no, Customer.name).where(Customer.id_no.in_(ids))).all())
        drafts = set(s.scalars(select(SurveyDraft.id_no).where(SurveyDraft.id_no.in_(ids))).all())
        apps: dict[str, tuple[int, str, dt.datetime, int, str | None]] = {}
        for a in s.execute(
            select(
                Application.id,
                Application.id_no,
                Application.status,
                Application.submitted_at,
                Application.line_fen,
                Application.name,
            )
            .where(Application.id_no.in_(ids), Application.submitted_at >= start)
            .order_by(Application.id)
        ):
            apps[a.id_no] = (a.id, a.status, a.submitted_at, a.line_fen, a.name)  # the latest wins
    out = []
    for subject, first, operator in rows:
        if not subject:
            continue
        app = apps.get(subject)
        out.append(
            WalkIn(
                id_no=subject,
                name=names.get(subject) or (app[4] if app else None),
                first_seen=first,
                operator=operator,
                surveyed=subject in drafts or app is not None,
                application_id=app[0] if app else None,
                status=app[1] if app else None,
                submitted_at=app[2] if app else None,
                line_fen=app[3] if app else None,
            )
        )
    return out
