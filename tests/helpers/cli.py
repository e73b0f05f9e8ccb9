"""Run `python -m teller_assist ...` as an operator or a nightly job would: its own process, its own env.

Each command runs in a process of its own, forked from one that has already imported the package
(``tests.helpers.warm_cli``); ``fresh=True`` starts a new interpreter instead, for what only a fresh
interpreter shows (start-up, imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.operators import PASSWORD
from tests.helpers.warm_cli import run_warm


def run_cli(
    *args: str,
    env: dict[str, str],
    demo_key_file: bool = True,
    stdin: str | None = None,
    timeout: float = 120,
    fresh: bool = False,
) -> subprocess.CompletedProcess[str]:
    """The command with this test's folders (``env``) and none of the caller's TELLER_ASSIST_ settings;
    ``demo_key_file`` keeps the SQLite key in the demo key file (there is no keyring service here)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")}
    extra = {"TELLER_ASSIST_KEY_STORE": "demo-file"} if demo_key_file else {}
    if not fresh:
        return run_warm(list(args), {**clean, **env, **extra}, stdin, timeout)
    return subprocess.run(
        [sys.executable, "-m", "teller_assist", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **env, **extra},
        timeout=timeout,
        check=False,
    )


ADMIN = "admin0"


def ensure_admin(env: dict[str, str], password: str = PASSWORD) -> str:
    """The head-office administrator the command-line tests act as: made with ``users
    add-first-admin`` while the database has no operator. Returns its login."""
    listed = run_cli("users", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    if not any(u["login"] == ADMIN for u in json.loads(listed.stdout)):
        done = run_cli(
            "users",
            "add-first-admin",
            ADMIN,
            "--name",
            "总行管理员",
            "--branch",
            "0001",
            "--password-stdin",
            env=env,
            stdin=password + "\n",
        )
        assert done.returncode == 0, done.stderr
    return ADMIN


def add_users(env: dict[str, str], *people: tuple[str, str], password: str = PASSWORD) -> None:
    """Operators (login, role) added through the command line, as an administrator would (the admin's
    password, then the new operator's, on stdin)."""
    admin = ensure_admin(env, PASSWORD)
    for login, role in people:
        done = run_cli(
            "users",
            "add",
            login,
            "--name",
            login,
            "--role",
            role,
            "--branch",
            "0101",
            "--user",
            admin,
            "--password-stdin",
            env=env,
            stdin=f"{PASSWORD}\n{password}\n",
        )
        assert done.returncode == 0, done.stderr


def write_survey(path: Path, answers: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"scenario": "walk_in", "answers": answers}), encoding="utf-8")
    return path


def as_user(
    env: dict[str, str], *args: str, user: str, password: str = PASSWORD
) -> subprocess.CompletedProcess[str]:
    """A command that needs a login, with the password on stdin."""
    return run_cli(*args, "--user", user, "--password-stdin", env=env, stdin=password + "\n")
