"""Secrets: no password in a database URL from any source (refused on the command line too, never
repeated); and a connection that fails says why in plain words: the login refused (wrong or missing
password), the database missing, or the server unreachable, not "try again later" for all three."""

from __future__ import annotations

import itertools
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.postgres import PostgresServer

SECRET = "Pg-Secret-4411"
_roles = itertools.count(1)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


@pytest.mark.parametrize(
    "where",
    ["TELLER_ASSIST_DB", "--db", "--db before", "settings.conf", "settings.toml"],
)
def test_a_url_with_a_password_is_refused_by_every_command(env: dict[str, str], where: str) -> None:
    url = f"postgresql://teller@db.branch/ta?sslmode=require&password={SECRET}"
    args: list[str] = ["config", "show"]
    if where == "TELLER_ASSIST_DB":
        env = {**env, "TELLER_ASSIST_DB": url}
    elif where == "--db":
        args += ["--db", url]
    elif where == "--db before":
        args = ["--db", url, *args]
    else:
        config = Path(env["TELLER_ASSIST_CONFIG"]).with_name(where)
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(f'database_url = "{url}"\n', encoding="utf-8")
        env = {**env, "TELLER_ASSIST_CONFIG": str(config)}
    done = run_cli(*args, env=env)
    said = one_line(done)
    assert done.returncode == 2 and "密码" in said and "db set-password" in said
    assert SECRET not in done.stdout + done.stderr


@pytest.fixture
def guarded(postgres_server: PostgresServer) -> tuple[PostgresServer, str]:
    """A role that must give its password, and its database."""
    role = f"ta_pw_{os.getpid()}_{next(_roles)}"
    database = postgres_server.create_owned_database(role, SECRET)
    postgres_server.require_password(role)
    return postgres_server, f"postgresql+psycopg://{role}@/{database}?host={postgres_server.socket_dir}"


def pgpass(tmp_path: Path, password: str) -> dict[str, str]:
    path = tmp_path / "pgpass"
    path.write_text(f"*:*:*:*:{password}\n", encoding="utf-8")
    path.chmod(0o600)
    return {"PGPASSFILE": str(path)}


def test_a_wrong_password_is_said_as_such(
    guarded: tuple[PostgresServer, str], env: dict[str, str], tmp_path: Path
) -> None:
    _server, url = guarded
    done = run_cli("db", "current", "--db", url, env={**env, **pgpass(tmp_path, "Not-It-0000")})
    said = one_line(done)
    assert done.returncode == 2 and "拒绝登录" in said and "password authentication failed" in said
    assert "暂时无法访问" not in said and "db set-password" in said and SECRET not in said


def test_a_missing_password_is_said_as_such(guarded: tuple[PostgresServer, str], env: dict[str, str]) -> None:
    _server, url = guarded
    done = run_cli("db", "current", "--db", url, env={**env, "PGPASSFILE": "/nonexistent"})
    said = one_line(done)
    assert done.returncode == 2 and "拒绝登录" in said and "暂时无法访问" not in said


def test_the_right_password_from_pgpass_opens_it(
    guarded: tuple[PostgresServer, str], env: dict[str, str], tmp_path: Path
) -> None:
    _server, url = guarded
    done = run_cli("db", "current", "--db", url, env={**env, **pgpass(tmp_path, SECRET)})
    assert done.returncode == 0 and SECRET not in done.stdout, done.stderr


def test_a_missing_database_is_said_as_such(postgres_server: PostgresServer, env: dict[str, str]) -> None:
    url = postgres_server.url("no_such_database")
    done = run_cli("lookup", "11010519491231002X", "--db", url, env=env)
    said = one_line(done)
    assert done.returncode == 2 and "数据库不存在" in said and "no_such_database" in said
    assert "暂时无法访问" not in said


def test_an_unreachable_server_is_said_as_such(env: dict[str, str], tmp_path: Path) -> None:
    url = f"postgresql+psycopg://teller@/ta?host={tmp_path / 'no-server-here'}"
    done = run_cli("db", "current", "--db", url, env=env)
    said = one_line(done)
    assert done.returncode == 2 and "暂时无法访问" in said and "拒绝登录" not in said
