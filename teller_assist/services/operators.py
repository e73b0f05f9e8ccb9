"""Operators: add, list, disable, reset passwords, and log in (with lockout and re-hashing)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking, mask_free_text
from teller_assist.security import passwords
from teller_assist.services import audit
from teller_assist.store import operators as store_ops
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

Now = Callable[[], dt.datetime]
log = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LoginFailed(UserFacingError):
    pass


@functools.cache
def _dummy_hash() -> str:
    return passwords.hash_password("unknown-operator-timing")


def add_operator(
    store: Store,
    *,
    login: str,
    name: str,
    role: str,
    password: str,
    branch_code: str | None = None,
    now: Now = _now,
    actor: str | None = None,
) -> OperatorRecord:
    """Add an operator; ``actor`` (who did it) goes into the audit trail, the OS account if None."""
    try:
        login = passwords.check_login(login)
    except ValueError as exc:
        raise UserFacingError(str(exc), "invalid login name") from None
    if role not in passwords.ROLES:
        raise UserFacingError(
            f"未知角色 {role}",
            f"unknown role {role}",
            hint_zh="可用：" + "、".join(passwords.ROLES),
            hint_en=", ".join(passwords.ROLES),
        )
    if not name.strip():
        raise UserFacingError("姓名不能为空", "a name is required")
    try:
        passwords.check_new_password(password, login)
    except passwords.PasswordRejected as exc:
        raise UserFacingError(str(exc), "password rejected") from None
    record = store_ops.insert_operator(
        store,
        login=login,
        name=name.strip(),
        role=role,
        branch_code=branch_code,
        password_hash=passwords.hash_password(password),
        now=now(),
    )
    audit.log(
        store, "user_add", operator=actor or audit.os_actor(), subject=login, detail={"role": role}, now=now()
    )
    return record


def list_operators(store: Store) -> list[OperatorRecord]:
    return store_ops.list_operators(store)


def disable_operator(store: Store, login: str, *, actor: str | None = None, now: Now = _now) -> None:
    store_ops.update_operator(store, login, active=False)
    audit.log(store, "user_disable", operator=actor or audit.os_actor(), subject=login, now=now())


def reset_password(
    store: Store, login: str, password: str, *, now: Now = _now, actor: str | None = None
) -> None:
    try:
        passwords.check_new_password(password, login)
    except passwords.PasswordRejected as exc:
        raise UserFacingError(str(exc), "password rejected") from None
    store_ops.update_operator(
        store,
        login,
        password_hash=passwords.hash_password(password),
        failed_logins=0,
        locked_until=None,
        password_changed_at=now(),
    )
    audit.log(store, "user_reset_password", operator=actor or audit.os_actor(), subject=login, now=now())


def authenticate(
    store: Store, login: str, password: str, *, now: Now = _now, purpose: str = "cli"
) -> OperatorRecord:
    """The operator when the password is right; five failures lock the account for 15 minutes.
    Every attempt is audited (``purpose``: where the login happened: cli, window, authorize, unlock)."""
    login = login.strip().lower()
    try:
        record = _authenticate(store, login, password, now)
    except LoginFailed as exc:
        shown = mask_free_text(login, Masking())[:64]  # a mistyped ID in the login box stays masked
        log.warning("login refused for %s (%s): %s", shown, purpose, exc.message_en)
        audit.log(
            store,
            "login_failed",
            operator=None,
            subject=shown,
            purpose=purpose,
            detail={"reason": exc.message_en},
            now=now(),
        )
        raise
    log.info("login %s (%s, %s)", record.login, record.role, purpose)
    audit.log(store, "login", operator=record.login, subject=record.login, purpose=purpose, now=now())
    return record


def _authenticate(store: Store, login: str, password: str, now: Now) -> OperatorRecord:
    record = store_ops.get_operator(store, login)
    wrong = LoginFailed("登录名或密码错误", "wrong login or password")
    if record is None:
        passwords.verify_password(
            passwords.hash_password("timing-equaliser"), password
        )  # same work either way
        raise wrong
    moment = now()
    if not record.active:
        raise LoginFailed("该账户已停用", "this account is disabled", hint_zh="请联系总行管理员")
    if passwords.locked(record.locked_until, moment):
        assert record.locked_until is not None
        minutes = max(1, int((record.locked_until - moment).total_seconds() // 60) + 1)
        raise LoginFailed(
            f"连续{passwords.MAX_FAILURES}次密码错误，账户已锁定，约{minutes}分钟后再试",
            f"locked after {passwords.MAX_FAILURES} failed logins; try again in about {minutes} min",
        )
    if not passwords.verify_password(record.password_hash, password):
        failures, lock = passwords.after_failure(record.failed_logins, moment)
        store_ops.update_operator(store, login, failed_logins=failures, locked_until=lock)
        if lock is not None:
            raise LoginFailed(
                f"连续{passwords.MAX_FAILURES}次密码错误，账户已锁定{passwords.LOCK_MINUTES}分钟",
                f"locked for {passwords.LOCK_MINUTES} minutes after {passwords.MAX_FAILURES} failures",
            )
        raise wrong
    updates: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if passwords.needs_rehash(record.password_hash):
        updates["password_hash"] = passwords.hash_password(password)
    store_ops.update_operator(store, login, **updates)
    return store_ops.get_operator(store, login) or record
