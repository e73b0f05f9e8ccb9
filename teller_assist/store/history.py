"""Applications in bulk: a year of history (the demo county's programme) in one transaction.

Rows go through the same table and its constraints as the counter's (maker is not checker, the checker's
authority covers the line and was granted to the role, one open application per person), but not one
ORM object each: SQLite takes an ``executemany``, PostgreSQL a ``COPY``. The load is audited once, in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text

from teller_assist.store import audit
from teller_assist.store.applications import ensure_grant
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import Application, Operator

__all__ = ["HistoricApplication", "StaffMember", "ensure_staff", "insert_applications"]

A = cast(Table, Application.__table__)
OP = cast(Table, Operator.__table__)


@dataclass(frozen=True, slots=True)
class StaffMember:
    login: str
    name: str
    role: str
    branch_code: str


def ensure_staff(
    store: Store, staff: Sequence[StaffMember], *, password_hash: str, active: bool, now: dt.datetime
) -> dict[str, tuple[int, str]]:
    """Add the operators missing (all with the one ``password_hash``); returns login -> (id, role)."""
    with store.write_session() as s:
        existing = {
            str(login): (int(i), str(role))
            for login, i, role in s.execute(select(OP.c.login, OP.c.id, OP.c.role))
        }
        missing = [m for m in staff if m.login not in existing]
        if missing:
            s.execute(
                insert(OP),
                [
                    {
                        "login": m.login,
                        "name": m.name,
                        "role": m.role,
                        "branch_code": m.branch_code,
                        "password_hash": password_hash,
                        "active": active,
                        "failed_logins": 0,
                        "locked_until": None,
                        "created_at": now,
                        "password_changed_at": now,
                    }
                    for m in missing
                ],
            )
            existing = {
                str(login): (int(i), str(role))
                for login, i, role in s.execute(select(OP.c.login, OP.c.id, OP.c.role))
            }
    return existing


@dataclass(frozen=True, slots=True)
class HistoricApplication:
    """An application as it stands after its history; ``agreement_no`` is made from the id it gets."""

    id_no: str
    name: str | None
    scenario: str
    status: str
    survey: str
    consents: str
    decision: str
    policy_version: str
    policy_sha256: str
    line_fen: int
    annual_rate_bp: int
    branch_code: str | None
    workstation: str
    maker_id: int
    checker_id: int | None
    checker_role: str | None
    checker_authority_fen: int | None
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    reject_reason: str | None
    valid_until: dt.date | None
    signed_at: dt.datetime | None
    signed_by: int | None
    closed_at: dt.datetime | None
    submitted_on: dt.date
    decided_on: dt.date | None
    signed_on: dt.date | None

    def __repr__(self) -> str:
        return f"HistoricApplication({self.status!r}, line_fen={self.line_fen})"


_FIELDS = tuple(f.name for f in fields(HistoricApplication))
COLUMNS = ("id", *_FIELDS, "version", "agreement_no")


def _agreement(app_id: int, decided_on: dt.date) -> str:
    return f"YSX{decided_on:%Y%m%d}{app_id:06d}"


def insert_applications(
    store: Store,
    rows: Sequence[HistoricApplication],
    *,
    grants: Sequence[tuple[str, int, str]],
    entry: Callable[[int], AuditEntry],
    now: dt.datetime,
    chunk: int = 20_000,
) -> int:
    """Insert ``rows`` (ids after the highest there is) in one transaction, with the authority grants
    their checkers use and one audit row; returns how many were inserted."""
    with store.write_session() as s:
        for role, max_line_fen, version in grants:
            ensure_grant(s, role, max_line_fen, version, now)
        first = int(s.execute(select(func.coalesce(func.max(A.c.id), 0))).scalar_one()) + 1

        def values(i: int, r: HistoricApplication) -> tuple[Any, ...]:
            app_id = first + i
            agreement = (
                _agreement(app_id, r.decided_on)
                if r.status in ("approved", "signed", "expired") and r.decided_on
                else None
            )
            return (app_id, *(getattr(r, f) for f in _FIELDS), 1, agreement)

        if store.is_sqlite:
            for start in range(0, len(rows), chunk):
                part = rows[start : start + chunk]
                s.execute(
                    insert(A),
                    [dict(zip(COLUMNS, values(start + i, r), strict=True)) for i, r in enumerate(part)],
                )
        else:
            raw: Any = s.connection().connection.driver_connection
            with raw.cursor() as cur, cur.copy(f"COPY application ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for i, r in enumerate(rows):
                    copy.write_row(values(i, r))
            if rows:
                s.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('application', 'id'), {first + len(rows) - 1})"
                    )
                )
        audit.append(s, entry(len(rows)), now)
    return len(rows)
