"""Fixtures shared by the workflow tests: a team of operators on the engine under test, the policy, and the
context a face makes for the services (on a day of the test's choosing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from tests.helpers.workflow import Team, make_team


@pytest.fixture
def team(store: Store) -> Team:
    return make_team(store)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(default_policy_path())


@pytest.fixture
def on(store: Store, settings: Settings, policy: Policy) -> Callable[[dt.date], Context]:
    """The context on ``day``: the store under test, the settings, the default policy, a clock on that day."""
    return lambda day: Context(store, settings, policy, Clock.on(day))
