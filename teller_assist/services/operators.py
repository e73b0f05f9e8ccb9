"""Operators: the first administrator, adding, disabling, resetting passwords and changing roles (by an
authenticated head-office administrator only), changing one's own password, and logging in (with
lockout and re-hashing).

The administration functions take the acting operator's record, as :func:`authenticate` returned it,
and check it again against the database (still active, still an administrator, no password change
pending) before anything changes: the role is enforced here, whichever face calls. Each change is
audited under the administrator's login, in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking, mask_free_text
from teller_assist.security import passwords
from teller_assist.security.passwords import ROLE_ZH as ROLE_ZH  # the roles' words, for the faces
from teller_assist.security.passwords import ROLES as ROLES
from teller_assist.services import audit
from teller_assist.store import operators as store_ops
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorConflict
from teller_assist.store.operators import OperatorRecord as OperatorRecord  # the record the faces hold

if TYPE_CHECKING:
    from teller_assist.services.context import Context

log = logging.getLogger(__name__)

ADMIN_ROLE = "hq_admin"


class LoginFailed(UserFacingError):
    recorded = False  # True once the failure and its audit row are committed together


class NotAllowed(UserFacingError):
    """The acting operator may not do this (not an administrator, disabled, or acting on themselves)."""

    exit_code = 3


class PasswordChangeRequired(UserFacingError):
    """The operator's password was reset by an administrator: they must choose a new one first."""

    exit_code = 3

    def __init__(self, login: str) -> None:
        super().__init__(
            f"操作员 {login} 的密码已被管理员重置，须先设置新密码",
            f"the password of {login} was reset by an administrator: a new one must be set first",
            hint_zh=f"在窗口登录时设置，或运行 teller-assist users change-password --user {login}",
            hint_en=f"at the window's login, or: teller-assist users change-password --user {login}",
        )
        self.login = login


# A hash of a password nobody has, made with argon2-cffi's default parameters: a login name that does
# not exist is checked against it, so an unknown login costs one verification like a known one.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$bKHWYATkX2sAl50SHMssDg$"
    "PlCmK4VSgZAVGw7VAPDHvl1scg7sEI2/WDVPdcGlOwM"
)


@functools.cache
def _dummy_hash() -> str:
    """The hash an unknown login is checked against: made once per process, and only when the hasher's
    parameters are no longer those of the stored one (then its cost would differ from a real hash)."""
    if passwords.needs_rehash(_DUMMY_HASH):
        return passwords.hash_password("unknown-operator-timing")
    return _DUMMY_HASH


def _rules(password: str, login: str) -> None:
    try:
        passwords.check_new_password(password, login)
    except passwords.PasswordRejected as exc:
        raise UserFacingError(str(exc), "password rejected", hint_zh="请换一个密码") from None


def _checked_login(login: str) -> str:
    try:
        return passwords.check_login(login)
    except ValueError as exc:
        raise UserFacingError(str(exc), "invalid login name") from None


def _checked_role(role: str) -> str:
    if role not in passwords.ROLES:
        raise UserFacingError(
            f"未知角色 {role}",
            f"unknown role {role}",
            hint_zh="可用：" + "、".join(passwords.ROLES),
            hint_en=", ".join(passwords.ROLES),
        )
    return role


def _entry(ctx: Context, action: str, operator: str, subject: str, **detail: object) -> AuditEntry:
    return AuditEntry(action, operator, ctx.workstation, subject, None, dict(detail))


def require_admin(ctx: Context, actor: OperatorRecord) -> OperatorRecord:
    """The acting administrator as the database has them now; :class:`NotAllowed` unless they are an
    active head-office administrator with no password change pending."""
    current = store_ops.get_operator(ctx.store, actor.login)
    if current is None or current.id != actor.id or not current.active:
        raise NotAllowed(
            f"操作员 {actor.login} 不存在或已停用，不能管理操作员",
            f"{actor.login} does not exist or is disabled and may not manage operators",
        )
    if current.must_change_password:
        raise PasswordChangeRequired(current.login)
    if current.role != ADMIN_ROLE:
        raise NotAllowed(
            "只有总行管理员可以管理操作员",
            "only a head-office administrator (hq_admin) may manage operators",
            hint_zh="请由总行管理员登录后操作",
            hint_en="sign in as a head-office administrator",
        )
    return current


def _not_self(admin: OperatorRecord, login: str, what_zh: str, what_en: str) -> None:
    if login == admin.login:
        raise NotAllowed(
            f"不能{what_zh}自己的账户",
            f"an administrator may not {what_en} their own account",
            hint_zh="请由另一位总行管理员操作（修改自己的密码用 users change-password）",
            hint_en="ask another head-office administrator (your own password: users change-password)",
        )


def _words(conflict: OperatorConflict) -> UserFacingError:
    if conflict.reason == "last_admin":
        return NotAllowed(
            "这是最后一位在用的总行管理员，不能停用或改为其他角色",
            "this is the last active head-office administrator: it cannot be disabled or change role",
            hint_zh="请先新增另一位总行管理员",
            hint_en="add another head-office administrator first",
        )
    if conflict.reason == "has_approvals":
        return NotAllowed(
            "该操作员已按现有角色审批过申请，角色不能修改（审批记录须保留审批时的角色）",
            "this operator has approved applications under their role, which the records keep",
            hint_zh="请停用该账户，再以新角色新建一个账户",
            hint_en="disable the account and add a new one with the new role",
        )
    if conflict.reason == "not_empty":
        return NotAllowed(
            "已有操作员：首个管理员只能在没有任何操作员时创建",
            "operators exist already: the first administrator can only be made while there are none",
            hint_zh="请由总行管理员添加：teller-assist users add 登录名 --role hq_admin --user 管理员",
            hint_en="an administrator adds one: teller-assist users add LOGIN --role hq_admin --user ADMIN",
        )
    return NotAllowed(conflict.reason, conflict.reason)


def add_first_admin(
    ctx: Context,
    *,
    login: str,
    name: str,
    password: str,
    branch_code: str | None = None,
) -> OperatorRecord:
    """The first head-office administrator, only while no operator exists at all (of two made at once,
    exactly one succeeds). Audited under the new administrator's own login."""
    login = _checked_login(login)
    if not name.strip():
        raise UserFacingError("姓名不能为空", "a name is required")
    _rules(password, login)
    moment = ctx.now()
    try:
        record = store_ops.insert_operator(
            ctx.store,
            login=login,
            name=name.strip(),
            role=ADMIN_ROLE,
            branch_code=branch_code,
            password_hash=passwords.hash_password(password),
            now=moment,
            entry=_entry(ctx, "user_add", login, login, role=ADMIN_ROLE, first=True),
            only_if_empty=True,
        )
    except OperatorConflict as exc:
        raise _words(exc) from None
    log.info("first administrator %s added", login)
    return record


def add_operator(
    ctx: Context,
    actor: OperatorRecord,
    *,
    login: str,
    name: str,
    role: str,
    password: str,
    branch_code: str | None = None,
) -> OperatorRecord:
    """Add an operator (``actor``: the signed-in administrator), audited under the administrator."""
    admin = require_admin(ctx, actor)
    login = _checked_login(login)
    _checked_role(role)
    if not name.strip():
        raise UserFacingError("姓名不能为空", "a name is required")
    _rules(password, login)
    moment = ctx.now()
    record = store_ops.insert_operator(
        ctx.store,
        login=login,
        name=name.strip(),
        role=role,
        branch_code=branch_code,
        password_hash=passwords.hash_password(password),
        now=moment,
        entry=_entry(ctx, "user_add", admin.login, login, role=role),
    )
    log.info("operator %s (%s) added by %s", login, role, admin.login)
    return record


def list_operators(ctx: Context) -> list[OperatorRecord]:
    return store_ops.list_operators(ctx.store)


def any_operator(ctx: Context) -> bool:
    return store_ops.any_operator(ctx.store)


def disable_operator(ctx: Context, actor: OperatorRecord, login: str) -> OperatorRecord:
    admin = require_admin(ctx, actor)
    login = login.strip().lower()
    _not_self(admin, login, "停用", "disable")
    try:
        return store_ops.change_operator(
            ctx.store,
            login,
            {"active": False},
            _entry(ctx, "user_disable", admin.login, login),
            ctx.now(),
            keep_an_admin=True,
        )
    except OperatorConflict as exc:
        raise _words(exc) from None


def reset_password(ctx: Context, actor: OperatorRecord, login: str, password: str) -> OperatorRecord:
    """Give ``login`` a one-time password: their old one stops working, a lock is lifted, and at the
    next login they must choose a new password before anything else (so whoever knows the one-time
    password cannot go on using the account unnoticed: the owner finds their password changed)."""
    admin = require_admin(ctx, actor)
    login = login.strip().lower()
    _not_self(admin, login, "重置", "reset")
    _rules(password, login)
    moment = ctx.now()
    return store_ops.change_operator(
        ctx.store,
        login,
        {
            "password_hash": passwords.hash_password(password),
            "failed_logins": 0,
            "locked_until": None,
            "password_changed_at": moment,
            "must_change_password": True,
        },
        _entry(ctx, "user_reset_password", admin.login, login),
        moment,
    )


def set_role(ctx: Context, actor: OperatorRecord, login: str, role: str) -> OperatorRecord:
    admin = require_admin(ctx, actor)
    login = login.strip().lower()
    _checked_role(role)
    _not_self(admin, login, "修改角色：", "change the role of")

    def unchanged(current: OperatorRecord) -> None:
        if current.role == role:
            raise UserFacingError(
                f"{login} 已是该角色", f"{login} already has the role {role}", hint_zh="无需修改"
            )

    try:
        return store_ops.change_operator(
            ctx.store,
            login,
            {"role": role},
            _entry(ctx, "user_set_role", admin.login, login, role=role),
            ctx.now(),
            keep_an_admin=True,
            check=unchanged,
        )
    except OperatorConflict as exc:
        raise _words(exc) from None


def change_password(
    ctx: Context, login: str, current: str, new: str, *, purpose: str = "cli"
) -> OperatorRecord:
    """The operator sets their own new password, proving the current one (or the one-time password an
    administrator gave). Clears a pending change; audited under the operator."""
    record = authenticate(ctx, login, current, purpose=purpose)
    _rules(new, record.login)
    if new == current:
        raise UserFacingError("新密码不能与当前密码相同", "the new password must differ from the current one")
    moment = ctx.now()
    return store_ops.change_operator(
        ctx.store,
        record.login,
        {
            "password_hash": passwords.hash_password(new),
            "password_changed_at": moment,
            "must_change_password": False,
        },
        _entry(ctx, "password_change", record.login, record.login),
        moment,
    )


def authenticate(ctx: Context, login: str, password: str, *, purpose: str = "cli") -> OperatorRecord:
    """The operator when the password is right; five failures lock the account for 15 minutes.
    Every attempt is audited (``purpose``: where the login happened: cli, window, authorize, unlock),
    the row in the same transaction as the failure count or its reset.

    The record says when the operator must change their password first
    (``must_change_password``): the faces then ask for a new one, and :class:`Actor` and the
    administration functions refuse to act for them until they have."""
    audit.check_purpose(purpose)
    login = login.strip().lower()
    moment, store, station = ctx.now(), ctx.store, ctx.workstation
    shown = mask_free_text(login, Masking())[:64]  # a mistyped ID in the login box stays masked

    def refused(exc: LoginFailed) -> AuditEntry:
        log.warning("login refused for %s (%s): %s", shown, purpose, exc.message_en)
        return AuditEntry("login_failed", None, station, shown, purpose, {"reason": exc.message_en})

    try:
        record = _authenticate(store, login, password, moment, station, refused, purpose)
    except LoginFailed as exc:
        if not exc.recorded:  # an unknown, disabled or locked login: nothing of the operator changes
            audit.log(
                store,
                "login_failed",
                operator=None,
                subject=shown,
                purpose=purpose,
                detail={"reason": exc.message_en},
                now=moment,
                station=station,
            )
        raise
    log.info("login %s (%s, %s)", record.login, record.role, purpose)
    return record


def _authenticate(
    store: Store,
    login: str,
    password: str,
    moment: dt.datetime,
    station: str,
    refused: Callable[[LoginFailed], AuditEntry],
    purpose: str,
) -> OperatorRecord:
    """Exactly one Argon2 verification whatever the outcome (unknown login, disabled, locked, wrong or
    right password), so the time taken does not tell which logins exist."""
    record = store_ops.get_operator(store, login)
    wrong = LoginFailed("登录名或密码错误", "wrong login or password")
    if record is None:
        passwords.verify_password(_dummy_hash(), password)  # the same work as a known login
        raise wrong
    right = passwords.verify_password(record.password_hash, password)
    if not record.active:
        raise LoginFailed("该账户已停用", "this account is disabled", hint_zh="请联系总行管理员")
    if passwords.locked(record.locked_until, moment):
        assert record.locked_until is not None
        minutes = max(1, int((record.locked_until - moment).total_seconds() // 60) + 1)
        raise LoginFailed(
            f"连续{passwords.MAX_FAILURES}次密码错误，账户已锁定，约{minutes}分钟后再试",
            f"locked after {passwords.MAX_FAILURES} failed logins; try again in about {minutes} min",
        )
    if not right:
        failures, lock = passwords.after_failure(record.failed_logins, moment)
        failed = wrong
        if lock is not None:
            failed = LoginFailed(
                f"连续{passwords.MAX_FAILURES}次密码错误，账户已锁定{passwords.LOCK_MINUTES}分钟",
                f"locked for {passwords.LOCK_MINUTES} minutes after {passwords.MAX_FAILURES} failures",
            )
        store_ops.update_operator(
            store, login, {"failed_logins": failures, "locked_until": lock}, refused(failed), moment
        )
        failed.recorded = True
        raise failed
    updates: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if passwords.needs_rehash(record.password_hash):
        updates["password_hash"] = passwords.hash_password(password)
    detail = {"must_change_password": True} if record.must_change_password else {}
    entry = AuditEntry("login", record.login, station, record.login, purpose, detail)
    store_ops.update_operator(store, login, updates, entry, moment)
    return store_ops.get_operator(store, login) or record
