"""Operators for window tests: made through the service (real Argon2 hashes), signed in for real."""

from __future__ import annotations

from teller_assist.services.operators import add_operator, authenticate
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

PASSWORD = "Counter2026"


def make_operator(store: Store, login: str = "teller1", role: str = "teller") -> OperatorRecord:
    add_operator(store, login=login, name=f"测试{login}", role=role, password=PASSWORD, branch_code="0101")
    return authenticate(store, login, PASSWORD, purpose="test")
