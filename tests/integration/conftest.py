"""Fixtures shared by the workflow tests: a team of operators on the engine under test, the policy."""

from __future__ import annotations

import pytest

from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.store.engine import Store
from tests.helpers.workflow import Team, make_team


@pytest.fixture
def team(store: Store) -> Team:
    return make_team(store)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(default_policy_path())
