"""The context a face would make, for tests that hold only a store (a helper making operators, a second
store opened as another role): the store, settings that name no file, the default policy, a clock."""

from __future__ import annotations

import datetime as dt
import functools

from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services.clock import SYSTEM_CLOCK, Clock
from teller_assist.services.context import Context
from teller_assist.settings import Settings, load_settings
from teller_assist.store.engine import Store


@functools.cache
def _settings() -> Settings:
    return load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent/settings.toml"})


@functools.cache
def _policy() -> Policy:
    return load_policy(default_policy_path())


def context_of(store: Store, day: dt.date | None = None) -> Context:
    """The context over ``store``: on ``day`` (its clock running) when given, else the system clock."""
    return Context(store, _settings(), _policy(), SYSTEM_CLOCK if day is None else Clock.on(day))
