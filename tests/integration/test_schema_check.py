"""The command line checks the schema and upgrades only on `db upgrade`; the window upgrades at start.

A nightly job's command must not upgrade a database that other desktops' older programs share, nor run
the migrations on every call: a schema behind the program is said in one line with what to do, and left
as it was; one ahead of the program (a newer desktop upgraded it) is refused the same way, by both faces.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from teller_assist.services.database import SchemaAhead, open_database
from teller_assist.settings import load_settings
from teller_assist.store import migrate
from teller_assist.store.engine import open_store
from tests.helpers.cli import run_cli
from tests.helpers.extracts import MAN

OLDER = "0010"


def revision(env: dict[str, str]) -> str | None:
    store = open_store(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        return migrate.current_revision(store)
    finally:
        store.dispose()


def set_up_at(env: dict[str, str], rev: str) -> None:
    """A database at revision ``rev``, as an older program left it."""
    from alembic import command

    store = open_store(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"}))
    try:
        with store.engine.begin() as conn:
            command.upgrade(migrate._config(conn), rev)
    finally:
        store.dispose()


def test_a_command_on_an_empty_database_makes_the_schema(env: dict[str, str]) -> None:
    listed = run_cli("users", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert revision(env) == migrate.HEAD


def test_a_command_on_a_schema_behind_says_so_and_leaves_it(env: dict[str, str]) -> None:
    set_up_at(env, OLDER)
    for command in (("users", "list"), ("lookup", MAN), ("db", "stats"), ("kpi", "refresh")):
        done = run_cli(*command, env=env)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert f"数据库结构版本 {OLDER} 落后于本程序（{migrate.HEAD}）" in lines[0], lines[0]
        assert "teller-assist db upgrade" in lines[0]
        assert revision(env) == OLDER  # not upgraded behind the operator's back
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0 and f"{OLDER} → {migrate.HEAD}" in upgraded.stdout, upgraded.stderr
    assert run_cli("users", "list", env=env).returncode == 0


def test_a_schema_ahead_of_the_program_is_refused_by_both_faces(env: dict[str, str]) -> None:
    assert run_cli("db", "upgrade", env=env).returncode == 0
    settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    store = open_store(settings)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    finally:
        store.dispose()
    for command in (("users", "list"), ("db", "upgrade")):
        done = run_cli(*command, env=env)
        assert done.returncode == 2 and "比本程序" in done.stderr and "Traceback" not in done.stderr, (
            done.stderr
        )
    with pytest.raises(SchemaAhead):
        open_database(settings)  # the window's open, which upgrades otherwise
    assert revision(env) == "9001"
