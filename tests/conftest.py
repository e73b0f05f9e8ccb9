"""Shared fixtures: isolated settings and folders, the in-memory keyring, the PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import hypothesis
import keyring
import pytest

from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import Settings, load_settings
from teller_assist.store.engine import Store
from tests.helpers import required
from tests.helpers.cups import CupsServer, CupsUnavailable, start_cups
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import PostgresServer, PostgresUnavailable, start_server

TODAY = dt.date(2026, 11, 28)

# A loaded CI machine must not turn a slow example into a failure: timings are never pass/fail here.
settings_profile = hypothesis.settings(deadline=None, derandomize=bool(os.environ.get("CI")))
hypothesis.settings.register_profile("teller-assist", settings_profile)
hypothesis.settings.load_profile("teller-assist")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in item.nodeid:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing config and data at a temporary folder."""
    return {
        "TELLER_ASSIST_CONFIG": str(tmp_path / "config" / "settings.toml"),
        "TELLER_ASSIST_DATA_DIR": str(tmp_path / "data"),
    }


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    return load_settings(env)


@pytest.fixture
def isolated_environ(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The same temporary folders in os.environ, for code that reads the real environment."""
    for key in [k for k in os.environ if k.startswith("TELLER_ASSIST_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


T = TypeVar("T")


def _required_in_ci(start: Callable[[], T], unavailable: type[Exception], what: str) -> T:
    """Start a throw-away server; where it cannot run, skip locally and fail in CI."""
    try:
        return start()
    except unavailable as exc:
        required.missing(what, str(exc))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = _required_in_ci(start_server, PostgresUnavailable, "PostgreSQL")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def cups_server() -> Iterator[CupsServer]:
    """A private CUPS scheduler with a cups-pdf queue (TA-PDF), a print-to-file queue (TA-FILE) and a
    disabled one (TA-OFF)."""
    server = _required_in_ci(start_cups, CupsUnavailable, "CUPS")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A server of the test's own, for tests that stop it (the session's server is shared)."""
    server = _required_in_ci(start_server, PostgresUnavailable, "PostgreSQL")
    try:
        yield server
    finally:
        server.stop()


_db_counter = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.create_database(f"t{os.getpid()}_{next(_db_counter)}")


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, env: dict[str, str]) -> Iterator[Store]:
    """A migrated, empty store on each engine: encrypted SQLite (demo key file) and PostgreSQL."""
    if request.param == "sqlite":
        settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    else:
        url = request.getfixturevalue("postgres_url")
        settings = load_settings(env, database_url=url)
    opened = open_database(settings)
    try:
        yield opened.store
    finally:
        opened.store.dispose()


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy(default_policy_path())


@pytest.fixture
def ctx(store: Store, settings: Settings, policy: Policy) -> Context:
    """The context a face makes for the services: the store under test, the settings, the default policy
    and the system clock. ``ctx.on(day)`` is the same on a test's day, ``ctx.at(moment)`` at one moment."""
    return Context(store, settings, policy)


@pytest.fixture
def on(ctx: Context) -> Callable[[dt.date], Context]:
    """The context on ``day``: as ``ctx``, with a clock on that day."""
    return ctx.on


@pytest.fixture
def sqlite_store(env: dict[str, str]) -> Iterator[Store]:
    opened = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        yield opened.store
    finally:
        opened.store.dispose()
