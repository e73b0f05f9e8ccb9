"""Typed settings, read once at start and passed down.

Sources, later ones winning: built-in defaults, the system-wide file the bank's IT puts on every
desktop (``/etc/teller-assist/settings.toml``; on Windows ``%ProgramData%\\TellerAssist\\settings.toml``),
the TOML file in the user's config folder (``settings.toml``; ``TELLER_ASSIST_CONFIG`` names another
file), environment variables (``TELLER_ASSIST_<KEY>``, e.g. ``TELLER_ASSIST_DB`` or
``TELLER_ASSIST_BRANCH_CODE``), then the command line (``--db``). The system file may lock keys
(``locked = [...]``): the later sources can then only narrow them (see :func:`read_system_layer`).
Every setting is declared once in :data:`FIELDS`, with its default and description.
Secrets are never settings: database keys and passwords live in the OS keyring.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import platformdirs

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking

APP_NAME = "teller-assist"
ENV_PREFIX = "TELLER_ASSIST_"

KEY_STORES = ("keyring", "demo-file")
LANGUAGES = ("zh_CN", "en")


class SettingsError(UserFacingError):
    pass


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    default: Any
    description: str
    env: str


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("bank_name", "句容农村商业银行", "bank name on screens and documents", "BANK_NAME"),
    FieldSpec("bank_short_name", "句容农商银行", "short name, used in SMS texts", "BANK_SHORT_NAME"),
    FieldSpec("branch_code", "", "this workstation's branch code (网点号)", "BRANCH_CODE"),
    FieldSpec("branch_name", "", "this workstation's branch name", "BRANCH_NAME"),
    FieldSpec(
        "database_url", "", "SQLAlchemy URL; empty = the encrypted SQLite file in the data folder", "DB"
    ),
    FieldSpec(
        "key_store", "keyring", "where the SQLite key lives: keyring, or demo-file (demo only)", "KEY_STORE"
    ),
    FieldSpec("printer", "", "printer name for agreements and letters; empty = ask", "PRINTER"),
    FieldSpec("policy_file", "", "credit policy file; empty = the bundled default policy", "POLICY_FILE"),
    FieldSpec(
        "app_download_url",
        "https://m.example-rcb.cn/app",
        "mobile-app URL for the printed QR code",
        "APP_DOWNLOAD_URL",
    ),
    FieldSpec("language", "zh_CN", "interface language: zh_CN or en", "LANGUAGE"),
    FieldSpec("idle_lock_minutes", 5, "lock the window after this many idle minutes", "IDLE_LOCK_MINUTES"),
    FieldSpec(
        "card_reader",
        "",
        "serial device of the ID card reader (/dev/ttyUSB0, COM3); empty = none",
        "CARD_READER",
    ),
    FieldSpec(
        "clipboard_watch",
        False,
        "pick up resident IDs copied in the teller system (opt-in)",
        "CLIPBOARD_WATCH",
    ),
    FieldSpec(
        "local_hook_port", 0, "loopback port where the teller system pushes IDs; 0 = off", "LOCAL_HOOK_PORT"
    ),
    FieldSpec("mask_id_head", 4, "characters of a resident ID shown before the mask", "MASK_ID_HEAD"),
    FieldSpec("mask_id_tail", 4, "characters of a resident ID shown after the mask", "MASK_ID_TAIL"),
    FieldSpec("mask_phone_head", 3, "digits of a phone number shown before the mask", "MASK_PHONE_HEAD"),
    FieldSpec("mask_phone_tail", 4, "digits of a phone number shown after the mask", "MASK_PHONE_TAIL"),
)
_BY_KEY = {f.key: f for f in FIELDS}


@dataclass(frozen=True, slots=True)
class Paths:
    config_file: Path
    data_dir: Path

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "teller-assist.db"

    @property
    def demo_key_file(self) -> Path:
        return self.data_dir / "DEMO-MODE-database.key"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"


@dataclass(frozen=True, slots=True)
class Settings:
    paths: Paths
    bank_name: str = "句容农村商业银行"
    bank_short_name: str = "句容农商银行"
    branch_code: str = ""
    branch_name: str = ""
    database_url: str = ""
    key_store: str = "keyring"
    printer: str = ""
    policy_file: str = ""
    app_download_url: str = "https://m.example-rcb.cn/app"
    language: str = "zh_CN"
    idle_lock_minutes: int = 5
    card_reader: str = ""
    clipboard_watch: bool = False
    local_hook_port: int = 0
    masking: Masking = field(default_factory=Masking)
    sources: Mapping[str, str] = field(default_factory=dict)  # key -> where its value came from
    locked: frozenset[str] = frozenset()  # keys the system file locks
    warnings: tuple[str, ...] = ()  # what the user's settings asked that a locked key refused

    @property
    def uses_embedded_sqlite(self) -> bool:
        return not self.database_url

    def public_view(self) -> dict[str, Any]:
        """The effective settings for ``config show``: never a secret (URL passwords are hidden)."""
        out: dict[str, Any] = {
            "config_file": str(self.paths.config_file),
            "data_dir": str(self.paths.data_dir),
        }
        for spec in FIELDS:
            value = _current(self, spec.key)
            source = self.sources.get(spec.key, "default")
            if spec.key == "database_url":
                value = redact_url(value) if value else f"(embedded SQLite: {self.paths.sqlite_file})"
            elif spec.key == "key_store" and self._demo_key_file_in_use():
                value, source = "demo-file", f"{self.paths.demo_key_file} (no usable keyring)"
            if spec.key in self.locked:
                held = source == "default" or source.startswith(SYSTEM_SOURCE)
                source += " (locked)" if held else " (narrower than the lock)"
            out[spec.key] = {"value": value, "source": source}
        return out

    def _demo_key_file_in_use(self) -> bool:
        """The embedded database opens with the demo key file although the setting says keyring (a data
        folder set up in demo mode, on a machine without a keyring; see store.engine)."""
        if self.key_store == "demo-file" or not self.uses_embedded_sqlite:
            return False
        if not self.paths.demo_key_file.exists():
            return False
        from teller_assist.security.keys import keyring_usable

        return not keyring_usable()[0]


def _current(settings: Settings, key: str) -> Any:
    if key.startswith("mask_"):
        return getattr(settings.masking, key.removeprefix("mask_"))
    return getattr(settings, key)


SECRET_QUERY_KEYS = ("password", "sslpassword")  # libpq parameters that carry a secret
_QUERY_SECRET = re.compile(r"(?i)(?P<head>(?:^|[?&;\s])(?:ssl)?password\s*=\s*)(?P<secret>[^&;\s]*)")


def redact_url(url: str) -> str:
    """A database URL fit to show: any password (``user:secret@``, ``?password=`` in any case or
    percent-encoding, ``sslpassword=``, ``password=`` in a libpq string or inside another parameter)
    replaced by ``***``. Over-redacts rather than leaks: the user part ends at the last ``@`` before the
    query, whatever characters the password holds."""
    scheme, sep, rest = url.partition("://")
    if not sep:  # a libpq "key=value ..." string, or not a URL at all
        return _QUERY_SECRET.sub(lambda m: f"{m['head']}***", url)
    cut = len(rest)
    for stop in ("?", "#"):
        if stop in rest:
            cut = min(cut, rest.index(stop))
    head, tail = rest[:cut], rest[cut:]
    at = head.rfind("@")
    if at >= 0 and ":" in head[:at]:
        head = f"{head[:at].split(':', 1)[0]}:***{head[at:]}"
    if re.search(r"(?i)password\s*=", unquote(head)):
        head = head[: head.find("/") + 1] + "***" if "/" in head else "***"
    if tail.startswith("?"):
        query, hash_, fragment = tail[1:].partition("#")
        pairs = []
        for pair in re.split(r"([&;])", query):
            key, eq, value = pair.partition("=")
            if eq and (
                unquote(key).strip().lower() in SECRET_QUERY_KEYS
                or re.search(r"(?i)password\s*=", unquote(value))
            ):
                value = "***"
            pairs.append(f"{key}{eq}{value}")
        tail = "?" + "".join(pairs) + hash_ + fragment
    return f"{scheme}{sep}{head}{tail}"


def password_in_url(url: str) -> bool:
    """Whether a database URL carries a password in any form libpq would use: the user part, a
    ``password``/``sslpassword`` query parameter (any case, percent-encoded or not), or a libpq
    ``password=`` hidden in the database name or another parameter's value."""
    return redact_url(url) != url


def check_database_url(url: str, origin: str) -> None:
    """Refuse a database URL that holds a password, wherever it came from, without ever repeating it."""
    if url and password_in_url(url):
        raise SettingsError(
            f"数据库地址含有密码（来自 {origin}），拒绝使用：密码不能写在地址、设置文件、环境变量或命令行中",
            f"the database URL (from {origin}) holds a password; refused: never put a password in a URL, "
            "a settings file, an environment variable or the command line",
            hint_zh="请从地址中删除密码，改用 teller-assist db set-password（存入系统密钥环）、"
            "~/.pgpass 或 PGPASSFILE、客户端证书（sslcert/sslkey），或本机 peer 认证",
            hint_en="remove it, then use teller-assist db set-password (the OS keyring), ~/.pgpass or "
            "PGPASSFILE, a client certificate (sslcert/sslkey), or peer authentication",
        )


def default_paths(env: Mapping[str, str]) -> Paths:
    config = env.get(ENV_PREFIX + "CONFIG")
    data = env.get(ENV_PREFIX + "DATA_DIR")
    return Paths(
        config_file=Path(config)
        if config
        else Path(platformdirs.user_config_dir(APP_NAME)) / "settings.toml",
        data_dir=Path(data) if data else Path(platformdirs.user_data_dir(APP_NAME)),
    )


def _coerce(spec: FieldSpec, value: Any, origin: str) -> Any:
    if isinstance(spec.default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        ):
            return value.strip().lower() in ("1", "true", "yes", "on")
        raise SettingsError(
            f"设置项 {spec.key} 应为 true 或 false（{origin}）",
            f"{spec.key} must be true or false ({origin})",
        )
    if isinstance(spec.default, int):
        if isinstance(value, bool):
            raise SettingsError(
                f"设置项 {spec.key} 应为整数（{origin}）", f"{spec.key} must be an integer ({origin})"
            )
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(
                f"设置项 {spec.key} 应为整数，实为 {value!r}（{origin}）",
                f"{spec.key} must be an integer, got {value!r} ({origin})",
            ) from None
    if not isinstance(value, str):
        raise SettingsError(
            f"设置项 {spec.key} 应为文本（{origin}）", f"{spec.key} must be a string ({origin})"
        )
    return value


def load_settings(env: Mapping[str, str] | None = None, *, database_url: str | None = None) -> Settings:
    """Read the settings file and the environment; ``database_url`` is the command line's ``--db``."""
    env = os.environ if env is None else env
    paths = default_paths(env)
    system = read_system_layer(env)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if paths.config_file.exists():
        try:
            data = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(
                f"设置文件格式错误：{paths.config_file}：{exc}",
                f"the settings file is not valid TOML: {paths.config_file}: {exc}",
                hint_zh="请修正或删除该文件后重试",
                hint_en="fix or remove the file and try again",
            ) from None
        flat = _flatten(data)
        for key, value in flat.items():
            spec = _BY_KEY.get(key)
            if spec is None:
                raise SettingsError(
                    f"设置文件中有未知设置项“{key}”：{paths.config_file}",
                    f"unknown setting {key!r} in {paths.config_file}",
                    hint_zh="可用的设置项见 teller-assist config show",
                    hint_en="see teller-assist config show",
                )
            values[key] = _coerce(spec, value, str(paths.config_file))
            sources[key] = str(paths.config_file)
    for spec in FIELDS:
        name = ENV_PREFIX + spec.env
        if name in env:
            values[spec.key] = _coerce(spec, env[name], name)
            sources[spec.key] = name
    if database_url:
        values["database_url"] = database_url
        sources["database_url"] = "--db"
    values, sources, warnings = system.apply(values, sources)
    settings = build_settings(paths, values, sources)
    return dataclasses.replace(settings, locked=system.locked, warnings=warnings)


def _flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """Accept both ``mask_id_head = 4`` and a ``[masking]`` table with ``id_head = 4``."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key == "masking" and isinstance(value, Mapping):
            for sub, subvalue in value.items():
                flat[f"mask_{sub}"] = subvalue
        else:
            flat[key] = value
    return flat


def build_settings(
    paths: Paths, values: Mapping[str, Any], sources: Mapping[str, str] | None = None
) -> Settings:
    masks = {k.removeprefix("mask_"): v for k, v in values.items() if k.startswith("mask_")}
    plain = {k: v for k, v in values.items() if not k.startswith("mask_")}
    try:
        masking = dataclasses.replace(Masking(), **masks)
    except ValueError as exc:
        raise SettingsError(f"遮蔽设置无效：{exc}", f"invalid masking settings: {exc}") from None
    settings = Settings(paths=paths, masking=masking, sources=dict(sources or {}), **plain)
    check_database_url(settings.database_url, settings.sources.get("database_url", "database_url"))
    if settings.key_store not in KEY_STORES:
        raise SettingsError(
            f"key_store 只能是 {' 或 '.join(KEY_STORES)}，实为 {settings.key_store!r}",
            f"key_store must be one of {', '.join(KEY_STORES)}, got {settings.key_store!r}",
        )
    if settings.language not in LANGUAGES:
        raise SettingsError(
            f"language 只能是 {' 或 '.join(LANGUAGES)}", f"language must be one of {', '.join(LANGUAGES)}"
        )
    if not 0 <= settings.local_hook_port <= 65535:
        raise SettingsError("local_hook_port 应在0到65535之间", "local_hook_port must be 0-65535")
    if settings.idle_lock_minutes < 1:
        raise SettingsError("idle_lock_minutes 至少为1分钟", "idle_lock_minutes must be at least 1")
    return settings


# --- the system-wide layer: the bank's own settings for every desktop, some of them locked ----------------

SYSTEM_CONFIG_ENV = ENV_PREFIX + "SYSTEM_CONFIG"
SYSTEM_SOURCE = "system"


def _le(user: Any, system: Any) -> bool:
    return bool(user <= system)


# A locked key a user may still narrow: a shorter idle lock, fewer characters left unmasked, an
# identification source switched off. Every other locked key takes the bank's value only.
_NARROWER: dict[str, Callable[[Any, Any], bool]] = {
    "idle_lock_minutes": _le,
    "mask_id_head": _le,
    "mask_id_tail": _le,
    "mask_phone_head": _le,
    "mask_phone_tail": _le,
    "clipboard_watch": lambda user, system: not user or system,
    "local_hook_port": lambda user, system: user in (0, system),
}
_MASKING_KEYS = ("mask_id_head", "mask_id_tail", "mask_phone_head", "mask_phone_tail")


def standard_system_config() -> Path:
    """Where the bank's IT puts the system-wide file: ``/etc/teller-assist/settings.toml``, or on Windows
    ``settings.toml`` in ``TellerAssist`` under the common application data folder (``C:\\ProgramData``)."""
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(260)
        csidl_common_appdata = 35  # the folder itself, not the %ProgramData% a user may change
        if ctypes.windll.shell32.SHGetFolderPathW(None, csidl_common_appdata, None, 0, buffer) == 0:
            return Path(buffer.value) / "TellerAssist" / "settings.toml"
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "TellerAssist" / "settings.toml"
    return Path("/etc/teller-assist/settings.toml")


def system_config_file(env: Mapping[str, str], standard: Path | None = None) -> Path:
    """The system-wide settings file. ``TELLER_ASSIST_SYSTEM_CONFIG`` names another one only where the bank
    has not installed one at the standard place: a user cannot point the program away from the bank's."""
    standard = standard_system_config() if standard is None else standard
    override = env.get(SYSTEM_CONFIG_ENV)
    if override and not standard.exists():
        return Path(override)
    return standard


@dataclass(frozen=True, slots=True)
class SystemLayer:
    """The system file's values, read before the user's, and the keys it locks."""

    path: Path
    values: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        return f"{SYSTEM_SOURCE} {self.path}"

    def apply(
        self, values: Mapping[str, Any], sources: Mapping[str, str]
    ) -> tuple[dict[str, Any], dict[str, str], tuple[str, ...]]:
        """Put the system values under the user's, then hold each locked key to the bank's value unless the
        user's is narrower. A refused file or environment value is dropped with a warning; a refused
        ``--db`` (an explicit command asking for another database) is an error."""
        merged = {**self.values, **values}
        merged_sources = {**{key: self.source for key in self.values}, **sources}
        warnings: list[str] = []
        for key in sorted(self.locked):
            if key not in values:
                continue
            user, origin = values[key], sources.get(key, "?")
            system = self.values.get(key, _BY_KEY[key].default)
            narrower = _NARROWER.get(key)
            if user == system or (narrower is not None and narrower(user, system)):
                if user == system:
                    merged_sources[key] = self.source
                continue
            if origin == "--db":
                raise SettingsError(
                    f"数据库地址已由系统设置锁定（{self.path}），不能用 --db 改用其他数据库",
                    f"the database URL is locked by the system settings ({self.path}); --db cannot "
                    "choose another database",
                    hint_zh="请去掉 --db，或请行内科技部门修改系统设置",
                    hint_en="leave out --db, or ask the bank's IT to change the system settings",
                )
            merged[key] = system
            merged_sources[key] = f"{self.source} (ignored {origin})"
            warnings.append(
                f"设置项 {key} 已由系统设置锁定（{self.path}），忽略 {origin} 中的值 / "
                f"{key} is locked by the system settings ({self.path}); the value from {origin} is ignored"
            )
        return merged, merged_sources, tuple(warnings)


def read_system_layer(env: Mapping[str, str], standard: Path | None = None) -> SystemLayer:
    """Read the system-wide file (missing: an empty layer). Its keys are the user file's, plus
    ``locked = ["database_url", ...]`` (``"masking"`` locks the four masking keys)."""
    path = system_config_file(env, standard)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return SystemLayer(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(
            f"无法读取系统设置文件：{path}：{exc}",
            f"cannot read the system settings file: {path}: {exc}",
            hint_zh="请联系行内科技部门",
            hint_en="ask the bank's IT",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"系统设置文件格式错误：{path}：{exc}",
            f"the system settings file is not valid TOML: {path}: {exc}",
            hint_zh="请联系行内科技部门修正该文件",
            hint_en="ask the bank's IT to fix the file",
        ) from None
    locked_raw = data.pop("locked", [])
    if not isinstance(locked_raw, list) or not all(isinstance(k, str) for k in locked_raw):
        raise SettingsError(
            f"系统设置文件中的 locked 应为设置项名称的列表：{path}",
            f"locked must be a list of setting names in {path}",
        )
    locked: set[str] = set()
    for key in locked_raw:
        if key == "masking":
            locked.update(_MASKING_KEYS)
        elif key in _BY_KEY:
            locked.add(key)
        else:
            raise SettingsError(
                f"系统设置文件锁定了未知设置项“{key}”：{path}",
                f"{path} locks an unknown setting {key!r}",
                hint_zh="可用的设置项见 teller-assist config show",
                hint_en="see teller-assist config show",
            )
    values: dict[str, Any] = {}
    for key, value in _flatten(data).items():
        spec = _BY_KEY.get(key)
        if spec is None:
            raise SettingsError(
                f"系统设置文件中有未知设置项“{key}”：{path}",
                f"unknown setting {key!r} in {path}",
                hint_zh="可用的设置项见 teller-assist config show",
                hint_en="see teller-assist config show",
            )
        values[key] = _coerce(spec, value, str(path))
    return SystemLayer(path, values, frozenset(locked))
