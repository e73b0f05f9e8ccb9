"""Operators in the database: plain records in and out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from teller_assist.errors import UserFacingError
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

    def __repr__(self) -> str:  # never the hash in a log
        return f"OperatorRecord({self.login!r}, {self.role!r}, active={self.active})"


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
) -> OperatorRecord:
    try:
        with store.session() as s:
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
            )
            s.add(o)
            s.flush()
            return _record(o)
    except IntegrityError:
        raise UserFacingError(f"登录名 {login} 已存在", f"the login {login} already exists") from None


def get_operator(store: Store, login: str) -> OperatorRecord | None:
    with store.session() as s:
        o = s.scalar(select(Operator).where(Operator.login == login))
        return _record(o) if o else None


def list_operators(store: Store) -> list[OperatorRecord]:
    with store.session() as s:
        return [_record(o) for o in s.scalars(select(Operator).order_by(Operator.login))]


def count_admins(store: Store) -> int:
    with store.session() as s:
        return len(s.scalars(select(Operator.id).where(Operator.role == "hq_admin", Operator.active)).all())


def update_operator(store: Store, login: str, **values: object) -> None:
    with store.session() as s:
        o = s.scalar(select(Operator).where(Operator.login == login).with_for_update())
        if o is None:
            raise UserFacingError(f"没有登录名为 {login} 的操作员", f"no operator {login}")
        for key, value in values.items():
            setattr(o, key, value)
