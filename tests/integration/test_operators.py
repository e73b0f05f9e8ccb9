"""Operators: Argon2id hashes, re-hash when parameters rise, five failures lock for 15 minutes, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from argon2 import PasswordHasher

from teller_assist.errors import UserFacingError
from teller_assist.security import passwords
from teller_assist.services.operators import (
    LoginFailed,
    add_operator,
    authenticate,
    disable_operator,
    reset_password,
)
from teller_assist.store import operators as store_ops
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli

T0 = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_hash_is_argon2id_and_the_login_works(store: Store) -> None:
    record = add_operator(
        store,
        login="Wang.Li",
        name="王丽",
        role="lobby_manager",
        password="Counter2026",
        branch_code="0101",
        now=lambda: T0,
    )
    assert record.login == "wang.li"
    assert record.password_hash.startswith("$argon2id$") and "Counter2026" not in record.password_hash
    assert "argon2" not in repr(record)
    assert authenticate(store, "WANG.LI", "Counter2026", now=lambda: at(1)).role == "lobby_manager"


def test_rules_for_new_operators(store: Store) -> None:
    for login, password, role in (
        ("x", "Counter2026", "teller"),
        ("zhang", "short1", "teller"),
        ("zhang", "zhang2026x", "teller"),
        ("zhang", "12345678", "teller"),
        ("zhang", "Counter2026", "boss"),
    ):
        with pytest.raises(UserFacingError):
            add_operator(store, login=login, name="张", role=role, password=password)
    add_operator(store, login="zhang", name="张", role="teller", password="Counter2026")
    with pytest.raises(UserFacingError, match="已存在"):
        add_operator(store, login="zhang", name="张", role="teller", password="Counter2026")


def test_five_failures_lock_for_fifteen_minutes(store: Store) -> None:
    add_operator(store, login="li", name="李", role="teller", password="Counter2026", now=lambda: T0)
    for i in range(4):
        with pytest.raises(LoginFailed, match="登录名或密码错误"):
            authenticate(store, "li", "wrong", now=lambda i=i: at(i))
    with pytest.raises(LoginFailed, match="已锁定15分钟"):
        authenticate(store, "li", "wrong", now=lambda: at(4))
    with pytest.raises(LoginFailed, match="已锁定"):
        authenticate(store, "li", "Counter2026", now=lambda: at(18))  # the right password, still locked
    assert authenticate(store, "li", "Counter2026", now=lambda: at(19.1)).failed_logins == 0
    with pytest.raises(LoginFailed, match="登录名或密码错误"):
        authenticate(store, "nobody", "Counter2026", now=lambda: at(20))


def test_rehash_on_login_when_the_parameters_rise(store: Store) -> None:
    add_operator(store, login="zhao", name="赵", role="branch_head", password="Counter2026")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("Counter2026")
    store_ops.update_operator(store, "zhao", password_hash=weak)
    assert passwords.needs_rehash(weak)
    authenticate(store, "zhao", "Counter2026")
    stored = store_ops.get_operator(store, "zhao")
    assert (
        stored is not None
        and stored.password_hash != weak
        and not passwords.needs_rehash(stored.password_hash)
    )


def test_disable_and_reset(store: Store) -> None:
    add_operator(store, login="sun", name="孙", role="teller", password="Counter2026")
    reset_password(store, "sun", "Another2027")
    with pytest.raises(LoginFailed):
        authenticate(store, "sun", "Counter2026")
    assert authenticate(store, "sun", "Another2027").login == "sun"
    disable_operator(store, "sun")
    with pytest.raises(LoginFailed, match="停用"):
        authenticate(store, "sun", "Another2027")


def test_users_command_takes_passwords_only_from_stdin_or_a_prompt(env: dict[str, str]) -> None:
    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_cli("users", *args, env=env, stdin=stdin, timeout=60)

    added = cli(
        "add",
        "qian",
        "--name",
        "钱",
        "--role",
        "hq_admin",
        "--branch",
        "0001",
        "--password-stdin",
        stdin="Counter2026\n",
    )
    assert added.returncode == 0, added.stderr
    assert cli("add", "qian2", "--name", "钱", "--role", "teller", "--password", "x").returncode == 2
    listed = json.loads(cli("list", "--json").stdout)
    assert listed == [
        {
            "login": "qian",
            "name": "钱",
            "role": "hq_admin",
            "branch_code": "0001",
            "active": True,
            "locked": False,
        }
    ]
    assert cli("reset-password", "qian", "--password-stdin", stdin="short\n").returncode == 2
    assert cli("reset-password", "qian", "--password-stdin", stdin="Renewed2027\n").returncode == 0
    assert cli("disable", "qian").returncode == 0
    assert json.loads(cli("list", "--json").stdout)[0]["active"] is False
    assert cli("disable", "nobody").returncode == 2
