"""Operators in the database: plain records in and out.

Every change an administrator makes is written together with its audit row, in one transaction. Changes
that could leave the bank without an administrator (the first one, disabling one, changing one's role)
serialise on the operator table (SQLite: the write lock taken at BEGIN; PostgreSQL: a table lock that
conflicts with itself), so two of them at once cannot both pass their check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teller_assist.errors import UserFacingError
from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import Operator


@dataclass(frozen=True)
class OperatorRecord:
    id: int
    login: str
    name: str
    role: str
    branch_code: str | None
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    password_hash: str
    created_at: dt.datetime
    password_changed_at: dt.datetime
    must_change_password: bool = False

    def __repr__(self) -> str:  # never the hash in a log
        return f"OperatorRecord({self.login!r}, {self.role!r}, active={self.active})"


class OperatorConflict(Exception):
    """A change the table's state refuses; ``reason`` says which (the service words it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _record(o: Operator) -> OperatorRecord:
    return OperatorRecord(
        o.id,
        o.login,
        o.name,
        o.role,
        o.branch_code,
        o.active,
        o.failed_logins,
        o.locked_until,
        o.password_hash,
        o.created_at,
        o.password_changed_at,
        bool(o.must_change_password),
    )


def _serialise(s: Session) -> None:
    """Hold every other change of operators back until this transaction ends (SQLite already holds its
    write lock from BEGIN IMMEDIATE)."""
    if s.get_bind().dialect.name == "postgresql":
        s.connection().exec_driver_sql('LOCK TABLE "operator" IN SHARE ROW EXCLUSIVE MODE')


def _active_admins(s: Session) -> int:
    return int(
        s.scalar(
            select(func.count()).select_from(Operator).where(Operator.role == "hq_admin", Operator.active)
        )
        or 0
    )


def insert_operator(
    store: Store,
    *,
    login: str,
    name: str,
    role: str,
    branch_code: str | None,
    password_hash: str,
    now: dt.datetime,
    entry: AuditEntry,
    only_if_empty: bool = False,
) -> OperatorRecord:
    """Add an operator and its audit row. ``only_if_empty``: only while no operator exists at all (the
    first administrator); :class:`OperatorConflict` ("not_empty") otherwise. Only the operator's own
    insert is read as a taken login: a refused audit row is reported as what it is."""
    with store.write_session() as s:
        if only_if_empty:
            _serialise(s)
            if s.scalar(select(func.count()).select_from(Operator)):
                raise OperatorConflict("not_empty")
        o = Operator(
            login=login,
            name=name,
            role=role,
            branch_code=branch_code,
            password_hash=password_hash,
            active=True,
            failed_logins=0,
            locked_until=None,
            created_at=now,
            password_changed_at=now,
            must_change_password=False,
        )
        s.add(o)
        try:
            s.flush()
        except IntegrityError:
            raise UserFacingError(f"登录名 {login} 已存在", f"the login {login} already exists") from None
        audit.append(s, entry, now)
        return _record(o)


def get_operator(store: Store, login: str) -> OperatorRecord | None:
    with store.session() as s:
        o = s.scalar(select(Operator).where(Operator.login == login))
        return _record(o) if o else None


def list_operators(store: Store) -> list[OperatorRecord]:
    with store.session() as s:
        return [_record(o) for o in s.scalars(select(Operator).order_by(Operator.login))]


def any_operator(store: Store) -> bool:
    with store.session() as s:
        return s.scalar(select(Operator.id).limit(1)) is not None


def count_admins(store: Store) -> int:
    with store.session() as s:
        return _active_admins(s)


def update_operator(
    store: Store,
    login: str,
    values: dict[str, object],
    entry: AuditEntry | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Lockout bookkeeping and re-hashing at login, with the login's audit row (``entry``) appended in
    the same transaction: a failure counted is a failure recorded, and the other way round."""
    with store.write_session() as s:
        o = s.scalar(select(Operator).where(Operator.login == login).with_for_update())
        if o is None:
            raise UserFacingError(f"没有登录名为 {login} 的操作员", f"no operator {login}")
        for key, value in values.items():
            setattr(o, key, value)
        if entry is not None:
            assert now is not None
            s.flush()
            audit.append(s, entry, now)


def change_operator(
    store: Store,
    login: str,
    values: dict[str, object],
    entry: AuditEntry,
    now: dt.datetime,
    *,
    keep_an_admin: bool = False,
    check: Callable[[OperatorRecord], None] = lambda _r: None,
) -> OperatorRecord:
    """Change one operator and append its audit row in one transaction. ``check`` sees the row as it
    is now and may refuse; ``keep_an_admin`` refuses ("last_admin") a change that would leave no active
    administrator. A role change the approval history refuses (the operator approved under their old
    role) is :class:`OperatorConflict` ("has_approvals"); a refused audit row is reported as what it is."""
    with store.write_session() as s:
        if keep_an_admin:
            _serialise(s)
        o = s.scalar(select(Operator).where(Operator.login == login).with_for_update())
        if o is None:
            raise UserFacingError(f"没有登录名为 {login} 的操作员", f"no operator {login}")
        check(_record(o))
        for key, value in values.items():
            setattr(o, key, value)
        try:
            s.flush()
        except IntegrityError:
            raise OperatorConflict("has_approvals") from None
        if keep_an_admin and _active_admins(s) == 0:
            raise OperatorConflict("last_admin")
        audit.append(s, entry, now)
        return _record(o)
