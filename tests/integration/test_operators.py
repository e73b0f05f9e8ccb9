"""Operators on both engines: Argon2id hashes, re-hash when parameters rise, five failures lock for 15
minutes; administration only by an authenticated head-office administrator, audited under them; the
first administrator only while there is nobody (also when two race); a reset forces a new password;
a known and an unknown login cost the same Argon2 work."""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import datetime as dt
import json
import subprocess
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.security import passwords
from teller_assist.services import applications as apps
from teller_assist.services.applications import Actor
from teller_assist.services.context import Context
from teller_assist.services.operators import (
    LoginFailed,
    NotAllowed,
    PasswordChangeRequired,
    add_first_admin,
    add_operator,
    authenticate,
    change_password,
    disable_operator,
    reset_password,
    set_role,
)
from teller_assist.store import audit as store_audit
from teller_assist.store import operators as store_ops
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from tests.helpers.cli import run_cli, write_survey
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN
from tests.helpers.operators import PASSWORD, admin_of
from tests.helpers.surveys import walk_in_answers

T0 = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def admin(store: Store) -> OperatorRecord:
    return admin_of(store)


def add(
    store: Store, admin: OperatorRecord, login: str, role: str = "teller", *, now: dt.datetime | None = None
) -> OperatorRecord:
    moment = now or dt.datetime.now(dt.UTC)
    return add_operator(
        context_of(store).at(moment), admin, login=login, name=login, role=role, password=PASSWORD
    )


def audit_rows(store: Store, action: str) -> list[store_audit.AuditRow]:
    return [r for r in store_audit.export_rows(store, None, None) if r.action == action]


def test_hash_is_argon2id_and_the_login_works(store: Store, admin: OperatorRecord) -> None:
    record = add_operator(
        context_of(store).at(T0),
        admin,
        login="Wang.Li",
        name="王丽",
        role="lobby_manager",
        password="Counter2026",
        branch_code="0101",
    )
    assert record.login == "wang.li" and not record.must_change_password
    assert record.password_hash.startswith("$argon2id$") and "Counter2026" not in record.password_hash
    assert "argon2" not in repr(record)
    assert authenticate(context_of(store).at(at(1)), "WANG.LI", "Counter2026").role == "lobby_manager"


def test_rules_for_new_operators(store: Store, admin: OperatorRecord) -> None:
    for login, password, role in (
        ("x", "Counter2026", "teller"),
        ("zhang", "short1", "teller"),
        ("zhang", "zhang2026x", "teller"),
        ("zhang", "12345678", "teller"),
        ("zhang", "Counter2026", "boss"),
    ):
        with pytest.raises(UserFacingError):
            add_operator(context_of(store), admin, login=login, name="张", role=role, password=password)
    add_operator(context_of(store), admin, login="zhang", name="张", role="teller", password="Counter2026")
    with pytest.raises(UserFacingError, match="已存在"):
        add_operator(
            context_of(store), admin, login="zhang", name="张", role="teller", password="Counter2026"
        )


def test_five_failures_lock_for_fifteen_minutes(store: Store, admin: OperatorRecord) -> None:
    add_operator(
        context_of(store).at(T0), admin, login="li", name="李", role="teller", password="Counter2026"
    )
    for i in range(4):
        with pytest.raises(LoginFailed, match="登录名或密码错误"):
            authenticate(context_of(store).at(at(i)), "li", "wrong")
    with pytest.raises(LoginFailed, match="已锁定15分钟"):
        authenticate(context_of(store).at(at(4)), "li", "wrong")
    with pytest.raises(LoginFailed, match="已锁定"):
        authenticate(context_of(store).at(at(18)), "li", "Counter2026")  # the right password, still locked
    assert authenticate(context_of(store).at(at(19.1)), "li", "Counter2026").failed_logins == 0
    with pytest.raises(LoginFailed, match="登录名或密码错误"):
        authenticate(context_of(store).at(at(20)), "nobody", "Counter2026")


def test_rehash_on_login_when_the_parameters_rise(store: Store, admin: OperatorRecord) -> None:
    add(store, admin, "zhao", "branch_head")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    store_ops.update_operator(store, "zhao", {"password_hash": weak})
    assert passwords.needs_rehash(weak)
    authenticate(context_of(store), "zhao", PASSWORD)
    stored = store_ops.get_operator(store, "zhao")
    assert (
        stored is not None
        and stored.password_hash != weak
        and not passwords.needs_rehash(stored.password_hash)
    )


# --- who may administer ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teller", "lobby_manager", "branch_head"])
def test_only_a_head_office_administrator_administers_operators(
    store: Store, admin: OperatorRecord, role: str
) -> None:
    """The insider's way to approve their own line: make a branch head. Refused in the service, for
    every role but hq_admin, whichever face asks."""
    add(store, admin, "insider", role)
    add(store, admin, "victim")
    insider = authenticate(context_of(store), "insider", PASSWORD)
    for attempt in (
        lambda: add(store, insider, "ghost", "branch_head"),
        lambda: disable_operator(context_of(store), insider, "victim"),
        lambda: reset_password(context_of(store), insider, "victim", "Another2027"),
        lambda: set_role(context_of(store), insider, "insider", "branch_head"),
        lambda: set_role(context_of(store), insider, "victim", "branch_head"),
    ):
        with pytest.raises(NotAllowed, match="总行管理员"):
            attempt()
    assert store_ops.get_operator(store, "ghost") is None
    victim = store_ops.get_operator(store, "victim")
    assert victim is not None and victim.active and victim.role == "teller"
    assert not victim.must_change_password


def test_administration_is_audited_under_the_administrator(store: Store, admin: OperatorRecord) -> None:
    add(store, admin, "sun", "teller")
    set_role(context_of(store), admin, "sun", "lobby_manager")
    reset_password(context_of(store), admin, "sun", "Another2027")
    disable_operator(context_of(store), admin, "sun")
    actions = ("user_add", "user_set_role", "user_reset_password", "user_disable")
    rows = [r for r in store_audit.export_rows(store, None, None) if r.action in actions]
    rows = [r for r in rows if r.subject == "sun"]
    assert [(r.action, r.operator) for r in rows] == [
        ("user_add", admin.login),
        ("user_set_role", admin.login),
        ("user_reset_password", admin.login),
        ("user_disable", admin.login),
    ]
    assert store_audit.verify(store).ok


def test_the_administrator_is_checked_again_against_the_database(store: Store, admin: OperatorRecord) -> None:
    """A record from an earlier login is not a pass: an administrator disabled or moved to another role
    since (in another window) can no longer act with it."""
    other = add(store, admin, "admin2", "hq_admin")
    set_role(context_of(store), admin, "admin2", "teller")
    with pytest.raises(NotAllowed):
        add(store, other, "ghost", "branch_head")
    back = add(store, admin, "admin3", "hq_admin")
    disable_operator(context_of(store), admin, "admin3")
    with pytest.raises(NotAllowed, match="停用"):
        add(store, back, "ghost", "branch_head")
    forged = OperatorRecord(**{**admin.__dict__, "login": "admin2"})  # another's login on the admin's id
    with pytest.raises(NotAllowed):
        add(store, forged, "ghost", "branch_head")


def test_no_administrator_acts_on_their_own_account_or_removes_the_last(
    store: Store, admin: OperatorRecord
) -> None:
    with pytest.raises(NotAllowed, match="自己"):
        disable_operator(context_of(store), admin, admin.login)
    with pytest.raises(NotAllowed, match="自己"):
        reset_password(context_of(store), admin, admin.login, "Another2027")
    with pytest.raises(NotAllowed, match="自己"):
        set_role(context_of(store), admin, admin.login, "branch_head")
    second = add(store, admin, "admin2", "hq_admin")
    disable_operator(context_of(store), second, admin.login)  # two administrators: one may disable the other
    with pytest.raises(NotAllowed, match="自己"):
        disable_operator(context_of(store), second, "admin2")
    assert store_ops.count_admins(store) == 1


def test_two_administrators_removing_each_other_at_once_leave_one(
    store: Store, admin: OperatorRecord
) -> None:
    second = add(store, admin, "admin2", "hq_admin")
    barrier = threading.Barrier(2)

    def remove(actor: OperatorRecord, target: str) -> str:
        barrier.wait()
        try:
            disable_operator(context_of(store), actor, target)
        except NotAllowed as exc:
            return exc.message_en
        return "done"

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(remove, (admin, second), ("admin2", admin.login)))
    assert sorted(r == "done" for r in results) == [False, True], results
    assert store_ops.count_admins(store) == 1


def test_a_role_the_approval_history_names_stays(
    store: Store, admin: OperatorRecord, policy: Policy, ctx: Context
) -> None:
    teller, head = add(store, admin, "teller1"), add(store, admin, "head1", "branch_head")
    app = apps.submit(ctx.on(T0.date()), MAN, Survey("walk_in", walk_in_answers()), Actor(teller, "ws"))
    apps.approve(ctx.on(T0.date()), app.id, Actor(head, "ws"))
    with pytest.raises(NotAllowed, match="已按现有角色审批"):
        set_role(context_of(store), admin, "head1", "lobby_manager")
    assert set_role(context_of(store), admin, "teller1", "lobby_manager").role == "lobby_manager"


# --- the first administrator ----------------------------------------------------------------------


def test_the_first_administrator_only_while_there_is_nobody(store: Store) -> None:
    first = add_first_admin(context_of(store), login="root1", name="首位", password=PASSWORD)
    assert first.role == "hq_admin"
    with pytest.raises(NotAllowed, match="已有操作员"):
        add_first_admin(context_of(store), login="root2", name="第二位", password=PASSWORD)
    (row,) = audit_rows(store, "user_add")
    assert row.operator == "root1" and row.subject == "root1" and '"first":true' in row.detail


def test_racing_first_administrators_one_wins(store: Store) -> None:
    """Several set-ups at once on an empty database (two windows, a script): exactly one administrator."""
    n = 6
    barrier = threading.Barrier(n)

    def create(i: int) -> bool:
        barrier.wait()
        try:
            add_first_admin(context_of(store), login=f"racer{i}", name=f"racer{i}", password=PASSWORD)
        except NotAllowed:
            return False
        return True

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        won = list(pool.map(create, range(n)))
    assert won.count(True) == 1, won
    assert len(store_ops.list_operators(store)) == 1
    assert store_audit.verify(store).ok


# --- reset and change ---------------------------------------------------------------------------


def test_a_reset_forces_a_new_password_before_anything_else(
    store: Store, admin: OperatorRecord, policy: Policy, ctx: Context
) -> None:
    add(store, admin, "sun")
    for i in range(5):  # locked out
        with pytest.raises(LoginFailed):
            authenticate(context_of(store).at(at(i)), "sun", "wrong")
    reset_password(context_of(store), admin, "sun", "OneTime2027")
    with pytest.raises(LoginFailed):
        authenticate(context_of(store), "sun", PASSWORD)  # the old password no longer works
    record = authenticate(context_of(store), "sun", "OneTime2027")  # the lock is lifted...
    assert record.must_change_password  # ...and the login says a new password comes first
    (login_row,) = [r for r in audit_rows(store, "login") if r.subject == "sun"]
    assert "must_change_password" in login_row.detail
    with pytest.raises(PasswordChangeRequired):  # nothing opens with the one-time password
        Actor.here(record)
    survey = Survey("walk_in", walk_in_answers())
    with pytest.raises(PasswordChangeRequired):
        apps.submit(ctx.on(T0.date()), MAN, survey, Actor(record, "ws"))
    with pytest.raises(UserFacingError, match="不能与当前密码相同"):
        change_password(context_of(store), "sun", "OneTime2027", "OneTime2027")
    with pytest.raises(LoginFailed):
        change_password(context_of(store), "sun", "Guessed2027", "Mine2028x")
    changed = change_password(context_of(store), "sun", "OneTime2027", "Mine2028x")
    assert not changed.must_change_password
    assert Actor.here(authenticate(context_of(store), "sun", "Mine2028x")).operator.login == "sun"
    with pytest.raises(LoginFailed):
        authenticate(context_of(store), "sun", "OneTime2027")  # the one-time password is spent
    assert [r.operator for r in audit_rows(store, "password_change")] == ["sun"]


def test_an_administrator_whose_password_was_reset_must_change_it_first(
    store: Store, admin: OperatorRecord
) -> None:
    add(store, admin, "admin2", "hq_admin")
    reset_password(context_of(store), admin, "admin2", "OneTime2027")
    second = authenticate(context_of(store), "admin2", "OneTime2027")
    with pytest.raises(PasswordChangeRequired):
        add(store, second, "ghost", "branch_head")
    second = change_password(context_of(store), "admin2", "OneTime2027", "Mine2028x")
    assert add(store, second, "ghost", "teller").login == "ghost"


def test_disabled_operators_cannot_log_in(store: Store, admin: OperatorRecord) -> None:
    add(store, admin, "sun")
    disable_operator(context_of(store), admin, "sun")
    with pytest.raises(LoginFailed, match="停用"):
        authenticate(context_of(store), "sun", PASSWORD)


# --- the login's cost -----------------------------------------------------------------------------


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the Argon2 computations (hashes and verifications) the password module makes."""
    calls = {"hash": 0, "verify": 0}
    real_hash, real_verify = passwords.hash_password, passwords.verify_password

    def counted_hash(*args: object, **kw: object) -> str:
        calls["hash"] += 1
        return real_hash(*args, **kw)  # type: ignore[arg-type]

    def counted_verify(*args: object, **kw: object) -> bool:
        calls["verify"] += 1
        return real_verify(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(passwords, "hash_password", counted_hash)
    monkeypatch.setattr(passwords, "verify_password", counted_verify)
    return calls


def test_known_and_unknown_logins_cost_the_same_argon2_work(
    store: Store, admin: OperatorRecord, argon2_calls: dict[str, int]
) -> None:
    """One verification and no hash for every outcome, the first unknown login of the process
    included: the time a login takes does not tell whether the login name exists."""
    add(store, admin, "known", now=T0)
    add(store, admin, "gone")
    disable_operator(context_of(store), admin, "gone")
    add(store, admin, "shut")
    for i in range(5):
        with pytest.raises(LoginFailed):
            authenticate(context_of(store).at(at(i)), "shut", "wrong")
    from teller_assist.services import operators

    operators._dummy_hash.cache_clear()  # as in a fresh process
    cost: dict[str, tuple[int, int]] = {}
    for case, login, password in (
        ("unknown", "nobody", PASSWORD),
        ("unknown again", "nobody2", "whatever1"),
        ("known, wrong password", "known", "wrong-one1"),
        ("known, right password", "known", PASSWORD),
        ("disabled", "gone", PASSWORD),
        ("locked", "shut", PASSWORD),
    ):
        argon2_calls.update(hash=0, verify=0)
        with contextlib.suppress(LoginFailed):
            authenticate(context_of(store).at(at(6)), login, password)
        cost[case] = (argon2_calls["hash"], argon2_calls["verify"])
    assert set(cost.values()) == {(0, 1)}, cost


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.long
def test_the_command_line_administers_only_as_a_signed_in_administrator(
    env: dict[str, str], tmp_path: Path
) -> None:
    def users(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_cli("users", *args, env=env, stdin=stdin, timeout=60)

    def one_line(done: subprocess.CompletedProcess[str]) -> bool:
        return len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr

    # the attack, word for word: no login asked, a branch head made, then an approval
    attack = users(
        "add", "ghost", "--name", "g", "--role", "branch_head", "--password-stdin", stdin="Ghost2026x\n"
    )
    assert attack.returncode == 2 and "--user" in attack.stderr
    first = users("add-first-admin", "boss", "--name", "总行", "--password-stdin", stdin=PASSWORD + "\n")
    assert first.returncode == 0, first.stderr
    again = users("add-first-admin", "boss2", "--name", "又一个", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.returncode == 3 and "已有操作员" in again.stderr and one_line(again)

    two = f"{PASSWORD}\n{PASSWORD}\n"
    added = users(
        "add",
        "teller1",
        "--name",
        "柜员",
        "--role",
        "teller",
        "--user",
        "boss",
        "--password-stdin",
        stdin=two,
    )
    assert added.returncode == 0, added.stderr
    ghost = users(
        "add",
        "ghost",
        "--name",
        "g",
        "--role",
        "branch_head",
        "--user",
        "teller1",
        "--password-stdin",
        stdin=two,
    )
    assert ghost.returncode == 3 and "总行管理员" in ghost.stderr and one_line(ghost)
    wrong = users("disable", "teller1", "--user", "boss", "--password-stdin", stdin="not-his-1\n")
    assert wrong.returncode == 2 and "密码错误" in wrong.stderr
    short = users(
        "add", "x1", "--name", "x", "--role", "teller", "--user", "boss", "--password-stdin", stdin=PASSWORD
    )
    assert (
        short.returncode == 2 and "第2行" in short.stderr and one_line(short)
    )  # the new password is missing

    reset = users(
        "reset-password", "teller1", "--user", "boss", "--password-stdin", stdin=f"{PASSWORD}\nOneTime2027\n"
    )
    assert reset.returncode == 0 and "下次登录" in reset.stdout, reset.stderr
    listed = {u["login"]: u for u in json.loads(users("list", "--json").stdout)}
    assert listed["teller1"]["must_change_password"] is True
    survey = write_survey(tmp_path / "survey.json", walk_in_answers())
    blocked = run_cli(
        "apply",
        MAN,
        "--survey",
        str(survey),
        "--user",
        "teller1",
        "--password-stdin",
        env=env,
        stdin="OneTime2027\n",
    )
    assert blocked.returncode == 3 and "change-password" in blocked.stderr and one_line(blocked)
    changed = users(
        "change-password", "--user", "teller1", "--password-stdin", stdin="OneTime2027\nMine2028x\n"
    )
    assert changed.returncode == 0, changed.stderr

    role = users(
        "set-role", "teller1", "--role", "lobby_manager", "--user", "boss", "--password-stdin", stdin=PASSWORD
    )
    assert role.returncode == 0, role.stderr
    assert users("disable", "teller1", "--user", "boss", "--password-stdin", stdin=PASSWORD).returncode == 0
    assert users("disable", "nobody", "--user", "boss", "--password-stdin", stdin=PASSWORD).returncode == 2
    listed = {u["login"]: u for u in json.loads(users("list", "--json").stdout)}
    assert listed["teller1"] == {
        "login": "teller1",
        "name": "柜员",
        "role": "lobby_manager",
        "branch_code": None,
        "active": False,
        "locked": False,
        "must_change_password": False,
    }
    assert set(listed) == {"boss", "teller1"}

    out = tmp_path / "audit.csv"
    assert run_cli("audit", "export", "--out", str(out), env=env).returncode == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    admin_rows = [(r["action"], r["operator"], r["subject"]) for r in rows if r["action"].startswith("user_")]
    assert admin_rows == [
        ("user_add", "boss", "boss"),
        ("user_add", "boss", "teller1"),
        ("user_reset_password", "boss", "teller1"),
        ("user_set_role", "boss", "teller1"),
        ("user_disable", "boss", "teller1"),
    ]
    assert [(r["operator"], r["subject"]) for r in rows if r["action"] == "password_change"] == [
        ("teller1", "teller1")
    ]
    assert not any(r["operator"].startswith("os:") for r in rows if r["action"].startswith("user_"))


def test_the_users_help_says_the_order_of_the_passwords(env: dict[str, str]) -> None:
    said = run_cli("users", "--help", env=env).stdout
    assert "line 1: ADMIN's password, line 2" in said and "add-first-admin" in said and "one-time" in said
