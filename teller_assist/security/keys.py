"""The SQLite database key: generated on first run, kept in the OS keyring.

Where the machine has no keyring service (a headless server, a bare CI box), the program says so and
refuses, unless the operator chose the clearly labelled demo mode (``key_store = "demo-file"``), which
keeps the key in a file readable only by its owner beside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors

from teller_assist.errors import UserFacingError

KEYRING_SERVICE = "teller-assist"
KEY_HEX_LEN = 64  # 256-bit raw SQLCipher key


class KeyringUnavailable(UserFacingError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"本机没有可用的系统密钥环服务，无法安全保存数据库密钥（{detail}）",
            f"no OS keyring service is available to hold the database key ({detail})",
            hint_zh='请启用系统密钥环；仅演示时可用演示模式：设置 key_store = "demo-file" 或环境变量 '
            "TELLER_ASSIST_KEY_STORE=demo-file（密钥保存在仅本用户可读的文件中，不得用于真实客户数据）",
            hint_en='enable the OS keyring; for a demo only, set key_store = "demo-file" '
            "(TELLER_ASSIST_KEY_STORE=demo-file): the key then sits in a file only you can read; never "
            "use it for real customer data",
        )


class KeyMissing(UserFacingError):
    def __init__(self, where: str, db_file: Path) -> None:
        super().__init__(
            f"数据库 {db_file} 已存在，但在{where}中找不到它的密钥",
            f"the database {db_file} exists but its key is not in the {where}",
            hint_zh="请在原来的用户账户下运行，或从备份恢复密钥；不会创建新密钥以免数据无法读取",
            hint_en="run as the user who created it or restore the key; no new key is made, which would "
            "lock the data away",
        )


def keyring_usable() -> tuple[bool, str]:
    """Whether a real keyring backend is active, and its name."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    priority = getattr(backend, "priority", 0)
    if "fail" in type(backend).__module__ or "Plaintext" in type(backend).__name__:
        return False, name  # a plaintext file is not a keyring
    if priority is None or float(priority) <= 0:
        return False, name
    chained = getattr(backend, "backends", None)
    if chained is not None and not list(chained):
        return False, name
    return True, name


def _keyring_user(db_file: Path) -> str:
    return f"sqlite-key:{db_file.resolve()}"


def _new_key() -> str:
    return secrets.token_hex(KEY_HEX_LEN // 2)


def keyring_key(db_file: Path) -> str:
    """The key for ``db_file`` from the OS keyring, created if the database does not exist yet."""
    usable, name = keyring_usable()
    if not usable:
        raise KeyringUnavailable(name)
    user = _keyring_user(db_file)
    try:
        key = keyring.get_password(KEYRING_SERVICE, user)
        if key is None:
            if db_file.exists():
                raise KeyMissing("系统密钥环", db_file)
            key = _new_key()
            keyring.set_password(KEYRING_SERVICE, user, key)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"{name}: {exc}") from None
    return _checked(key, "keyring")


def demo_file_key(db_file: Path, key_file: Path) -> str:
    """Demo mode: the key in a file only its owner may read (mode 0600), refused if anyone else can."""
    if key_file.exists():
        mode = stat.S_IMODE(key_file.stat().st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UserFacingError(
                f"演示模式密钥文件 {key_file} 的权限过宽（{oct(mode)}），其他用户可以读取",
                f"the demo key file {key_file} is readable by others (mode {oct(mode)})",
                hint_zh=f"执行 chmod 600 {key_file} 后重试",
                hint_en=f"run chmod 600 {key_file} and retry",
            )
        return _checked(key_file.read_text(encoding="ascii").strip(), str(key_file))
    if db_file.exists():
        raise KeyMissing(f"演示密钥文件 {key_file} ", db_file)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = _new_key()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("# DEMO MODE ONLY - Teller Assist database key. Never use with real customer data.\n")
        out.write(key + "\n")
    return key


def _checked(key: str, where: str) -> str:
    lines = [line for line in key.splitlines() if line and not line.startswith("#")]
    value = lines[-1].strip() if lines else ""
    if len(value) != KEY_HEX_LEN or any(c not in "0123456789abcdef" for c in value):
        raise UserFacingError(
            f"数据库密钥格式损坏（{where}）",
            f"the database key is malformed ({where})",
            hint_zh="请从备份恢复密钥",
            hint_en="restore the key from a backup",
        )
    return value


HOOK_USER = "local-hook-token"


def stored_secret(user: str, demo_file: Path | None = None) -> str | None:
    """The secret kept under ``user`` in the keyring (in demo mode, in ``demo_file``), or None."""
    if demo_file is not None:
        return demo_file.read_text(encoding="ascii").strip() if demo_file.exists() else None
    usable, name = keyring_usable()
    if not usable:
        raise KeyringUnavailable(name)
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"{name}: {exc}") from None


def save_secret(user: str, value: str, demo_file: Path | None = None) -> None:
    """Keep ``value`` under ``user`` in the keyring (in demo mode, in ``demo_file``, mode 0600)."""
    if demo_file is not None:
        demo_file.parent.mkdir(parents=True, exist_ok=True)
        fresh = demo_file.with_name(demo_file.name + ".new")
        fresh.unlink(missing_ok=True)
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(value + "\n")
        fresh.replace(demo_file)
        return
    usable, name = keyring_usable()
    if not usable:
        raise KeyringUnavailable(name)
    try:
        keyring.set_password(KEYRING_SERVICE, user, value)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"{name}: {exc}") from None


def keyring_secret(user: str, demo_file: Path | None = None) -> str:
    """A random secret kept in the keyring under ``user``, generated on first use (or, in demo mode,
    in ``demo_file`` readable only by its owner)."""
    stored = stored_secret(user, demo_file)
    if stored is None:
        stored = secrets.token_urlsafe(32)
        save_secret(user, stored, demo_file)
    return stored


def fingerprint(secret: bytes) -> str:
    """What identifies a secret without giving it away: an HMAC of a fixed label under it."""
    return hmac.new(secret, b"teller-assist key fingerprint v1", hashlib.sha256).hexdigest()[:32]


def hook_token(demo_file: Path | None = None) -> str:
    """The local hook's bearer token."""
    return keyring_secret(HOOK_USER, demo_file)


DOCUMENT_USER = "document-verification-key"


def document_key(demo_file: Path | None = None) -> bytes | None:
    """The HMAC key behind the verification codes printed on documents, or None on a desktop that has
    none yet. Every desktop that prints or verifies must hold the same key: services.documents checks
    it against the fingerprint in the database, and ``teller-assist document-key`` copies it."""
    stored = stored_secret(DOCUMENT_USER, demo_file)
    return stored.encode("ascii") if stored is not None else None


def new_document_key(demo_file: Path | None = None) -> bytes:
    """A fresh key for the first desktop of a bank (kept in its keyring)."""
    key = secrets.token_urlsafe(32)
    save_secret(DOCUMENT_USER, key, demo_file)
    return key.encode("ascii")


def set_document_key(key: bytes, demo_file: Path | None = None) -> None:
    save_secret(DOCUMENT_USER, key.decode("ascii"), demo_file)


def _db_password_user(url: str) -> str:
    """The keyring entry for a PostgreSQL URL: user, host, port and database, never a password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"postgres:{parts.username or ''}@{parts.hostname or ''}:{parts.port or ''}{parts.path}"


def set_db_password(url: str, password: str) -> None:
    """Keep the PostgreSQL password for ``url`` in the OS keyring (refused without a real keyring)."""
    usable, name = keyring_usable()
    if not usable:
        raise KeyringUnavailable(name)
    try:
        keyring.set_password(KEYRING_SERVICE, _db_password_user(url), password)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(f"{name}: {exc}") from None


def db_password(url: str) -> str | None:
    """The stored PostgreSQL password for ``url``, or None (then libpq's .pgpass or trust applies)."""
    usable, _name = keyring_usable()
    if not usable:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _db_password_user(url))
    except keyring.errors.KeyringError:
        return None
