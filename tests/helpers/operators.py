"""Operators for tests: made through the service (real Argon2 hashes) by a head-office administrator,
signed in for real."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from teller_assist.services.operators import add_first_admin, add_operator, authenticate
from teller_assist.store import operators as store_ops
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from tests.helpers.context import context_of

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

PASSWORD = "Counter2026"
ADMIN = "admin0"


def admin_of(store: Store, login: str = ADMIN) -> OperatorRecord:
    """An active head-office administrator of ``store``: the first one, made while there is nobody."""
    for record in store_ops.list_operators(store):
        if record.role == "hq_admin" and record.active and not record.must_change_password:
            return record
    return add_first_admin(
        context_of(store), login=login, name=f"测试{login}", password=PASSWORD, branch_code="0001"
    )


def make_operator(store: Store, login: str = "teller1", role: str = "teller") -> OperatorRecord:
    if role == "hq_admin" and not store_ops.any_operator(store):
        admin_of(store, login)
    else:
        add_operator(
            context_of(store),
            admin_of(store),
            login=login,
            name=f"测试{login}",
            role=role,
            password=PASSWORD,
            branch_code="0101",
        )
    return authenticate(context_of(store), login, PASSWORD, purpose="test")


class Checking(Protocol):
    task: object  # the password check under way on a worker thread, or None


def wait_checked(qtbot: QtBot, checking: Checking, timeout: int = 10_000) -> None:
    """A login, an unlock or a 主管授权 checks the password on a worker thread: wait for the answer."""
    qtbot.waitUntil(lambda: checking.task is None, timeout=timeout)
