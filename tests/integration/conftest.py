"""Fixtures shared by the workflow tests: a team of operators on the engine under test (the context, the
policy and the day come from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest

from teller_assist.store.engine import Store
from tests.helpers.workflow import Team, make_team


@pytest.fixture
def team(store: Store) -> Team:
    return make_team(store)
