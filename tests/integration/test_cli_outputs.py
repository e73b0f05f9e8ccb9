"""The command line says a bad output path in one line, before it does (or audits) anything, for every
command that writes a file; an over-long lookup purpose is refused up front on both engines; and
``--db`` is honoured before the subcommand as after it."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cli import add_users, as_user, run_cli, write_survey
from tests.helpers.extracts import MAN
from tests.helpers.postgres import PostgresServer
from tests.helpers.surveys import walk_in_answers

OUTPUT_COMMANDS = (
    ("audit", "export", "--out"),
    ("audit", "anchor", "--out"),
    ("document", "agreement", "1", "--out"),
    ("document", "letter", "1", "--out"),
    ("import", "rejects", "--out"),
    ("sms", "export", "--out"),
    ("document-key", "export", "--out"),
    ("demo-data", "--people", "10", "--out"),
)
UNWRITABLE = ("/nonexistent/a.csv", "/proc/version", "/proc/sys/nowhere/a.csv", "{folder}")


def said_in_one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and len(lines) == 1, done.stderr
    return lines[0]


CASES = [
    pytest.param(command, target, id=f"{' '.join(command[:2])}-{target}")
    for command in OUTPUT_COMMANDS
    for target in UNWRITABLE
    # demo-data makes its folder (with its parents) when it can: those two are not refusals for it
    if not (command[0] == "demo-data" and target in ("{folder}", "/nonexistent/a.csv"))
]


@pytest.mark.parametrize(("command", "target"), CASES)
def test_every_output_command_refuses_an_unwritable_path_in_one_line(
    env: dict[str, str], tmp_path: Path, command: tuple[str, ...], target: str
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    path = target.format(folder=folder)
    done = run_cli(*command, path, env=env)
    line = said_in_one_line(done)
    assert done.returncode == 2 and ("无法写入" in line or "无法创建" in line), line
    assert not Path("/nonexistent").exists() and list(folder.iterdir()) == []


@pytest.mark.long
def test_a_refused_output_spends_nothing(env: dict[str, str], tmp_path: Path) -> None:
    """A document whose file could not be written is not recorded as issued (the next one is still the
    original), and texts whose export could not be written stay queued."""
    add_users(env, ("teller1", "teller"), ("head1", "branch_head"))
    survey = write_survey(tmp_path / "survey.json", walk_in_answers())
    applied = as_user(env, "apply", MAN, "--survey", str(survey), "--name", "王五", "--json", user="teller1")
    assert applied.returncode == 0, applied.stderr
    app_id = str(json.loads(applied.stdout)["id"])
    assert as_user(env, "approve", app_id, user="head1").returncode == 0

    assert run_cli("document", "agreement", app_id, "--out", "/nonexistent/a.pdf", env=env).returncode == 2
    assert run_cli("sms", "export", "--out", "/proc/version", env=env).returncode == 2
    assert run_cli("audit", "export", "--out", "/nonexistent/a.csv", env=env).returncode == 2

    written = run_cli("document", "agreement", app_id, "--out", str(tmp_path / "a.pdf"), env=env)
    assert written.returncode == 0 and "原件" in written.stdout, written.stderr
    texts = run_cli("sms", "export", "--out", str(tmp_path / "sms.csv"), env=env)
    assert texts.returncode == 0 and "1 条" in texts.stdout, texts.stderr
    audit_csv = tmp_path / "audit.csv"
    assert run_cli("audit", "export", "--out", str(audit_csv), env=env).returncode == 0
    rows = list(csv.DictReader(audit_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["subject"] for r in rows if r["action"] == "export"] == ["sms"]  # the refused ones left no row


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_an_overlong_lookup_purpose_is_refused_up_front(
    env: dict[str, str], request: pytest.FixtureRequest, engine: str
) -> None:
    db = ["--db", request.getfixturevalue("postgres_url")] if engine == "postgres" else []
    done = run_cli("lookup", MAN, "--purpose", "目" * 80, *db, env=env)
    line = said_in_one_line(done)
    assert done.returncode == 2 and "查询目的过长" in line and "80" in line and "64" in line
    fits = run_cli("lookup", MAN, "--purpose", "目" * 64, *db, env=env)
    assert fits.returncode == 0, fits.stderr


def test_db_before_the_subcommand_is_honoured(
    env: dict[str, str], postgres_server: PostgresServer, postgres_url: str
) -> None:
    database = postgres_url.split("/")[-1].split("?")[0]
    for args in (
        ["--db", postgres_url, "db", "current"],
        ["db", "current", "--db", postgres_url],
        ["db", "--db", postgres_url, "current"],
    ):
        done = run_cli(*args, env=env)
        assert done.returncode == 0, done.stderr
        assert database in done.stdout and "teller-assist.db" not in done.stdout, (args, done.stdout)
    shown = run_cli("--db", postgres_url, "config", "show", "--json", env=env)
    view = json.loads(shown.stdout)["database_url"]
    assert view == {"value": postgres_url, "source": "--db"}
    after_wins = run_cli(
        "--db", "postgresql://a@h/one", "config", "show", "--db", postgres_url, "--json", env=env
    )
    assert json.loads(after_wins.stdout)["database_url"]["value"] == postgres_url
    embedded = run_cli("config", "show", "--json", env=env)
    assert json.loads(embedded.stdout)["database_url"]["source"] == "default"
