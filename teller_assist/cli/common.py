"""What every command does the same way: its settings, the database opened (checked, never upgraded: only
`db upgrade` upgrades a database other desktops' older programs may share), the operator signed in, the
bank's local date, the files it writes, and JSON and progress on the terminal."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from teller_assist.cli.passwords import read_login_password
from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings, load_settings

if TYPE_CHECKING:  # the data layer loads with the command that needs it
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.context import Context
    from teller_assist.services.operators import OperatorRecord

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REFUSED = 3  # a rule refused the action (maker = checker, authority, already decided, ...)


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings, with ``--db`` over the settings file and the environment."""
    return load_settings(database_url=args.db)


@contextlib.contextmanager
def opened(settings: Settings, policy: Policy | None = None) -> Iterator[Context]:
    """The context the services take: the database (its schema checked: behind or ahead is refused in
    words), the settings, ``policy`` (the commands that compute lines load it first), the system's clock
    and this workstation; the database closed after the block."""
    from teller_assist.services.context import Context
    from teller_assist.services.database import open_database

    done = open_database(settings, upgrade=False)
    try:
        yield Context(done.store, settings, policy)
    finally:
        done.store.dispose()


@contextlib.contextmanager
def signed_in(
    args: argparse.Namespace, login: str | None = None, policy: Policy | None = None
) -> Iterator[tuple[Context, OperatorRecord | None]]:
    """(context, operator): the password read first (``--password-stdin`` or a prompt), then the database
    opened (:func:`opened`) and the operator signed in. Without a login (``--user`` omitted where a
    command allows it: the night's job) the operator is None and the command acts as the OS account."""
    from teller_assist.services.operators import authenticate

    settings = settings_of(args)
    login = login or args.user
    password = read_login_password(args.password_stdin) if login else ""
    with opened(settings, policy) as ctx:
        yield ctx, authenticate(ctx, login, password) if login else None


def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - the bank's local date


def now() -> dt.datetime:
    """The moment, in UTC (against stored moments: a lock's end)."""
    return dt.datetime.now(dt.UTC)


def day_of(args: argparse.Namespace) -> dt.date:
    """The command's ``--as-of`` date, or today."""
    return getattr(args, "as_of", None) or today()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}")
    return value


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# --- files the commands write ----------------------------------------------------------------------------


def writable_output(path: Path) -> Path:
    """Refuse, before any work is done or audited, an output file the program could not write: a
    missing folder, a folder in place of the file, a place nobody may create files (``/proc``), a
    read-only file. One line, no traceback."""
    target = path.expanduser()
    refuse = _cannot_write(target)
    if target.is_dir():
        raise refuse("这是一个文件夹", "it is a folder")
    parent = target.parent
    if not parent.is_dir():
        raise refuse(f"文件夹 {parent} 不存在", f"the folder {parent} does not exist")
    try:  # the writers make a ".part" file beside the target, then rename it: try exactly that
        fd, probe = tempfile.mkstemp(prefix=".teller-assist-", suffix=".part", dir=parent)
    except OSError as exc:
        raise refuse(
            f"不能在 {parent} 中写文件（{exc.strerror}）", f"cannot create files in {parent} ({exc.strerror})"
        ) from None
    os.close(fd)
    os.unlink(probe)
    if target.exists() and (not target.is_file() or not os.access(target, os.W_OK)):
        raise refuse("该文件不可写", "the file is not writable")
    return target


def _cannot_write(target: Path) -> Callable[[str, str], UserFacingError]:
    def make(why_zh: str, why_en: str) -> UserFacingError:
        return UserFacingError(
            f"无法写入 {target}：{why_zh}",
            f"cannot write {target}: {why_en}",
            hint_zh="请换一个可写的位置",
            hint_en="choose a place you can write to",
        )

    return make


def writable_folder(folder: Path) -> None:
    """An output folder: made if missing, refused in one line when it cannot be (or cannot be written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserFacingError(
            f"无法创建文件夹 {folder}：{exc.strerror or exc}",
            f"cannot make the folder {folder}: {exc.strerror or exc}",
            hint_zh="请换一个可写的位置",
            hint_en="choose a place you can write to",
        ) from None
    writable_output(folder / "probe")


@contextlib.contextmanager
def writing(target: Path) -> Iterator[None]:
    """A file-system failure while writing ``target`` (disk full, removed folder) said in one line."""
    try:
        yield
    except OSError as exc:
        raise UserFacingError(
            f"无法写入 {target}：{exc.strerror or exc}",
            f"cannot write {target}: {exc.strerror or exc}",
            hint_zh="请检查磁盘空间和权限，或换一个位置",
            hint_en="check the disk space and permissions, or choose another place",
        ) from None


# --- the terminal ---------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the output is not a terminal."""

    def __init__(self, label: str, stream: TextIO = sys.stderr, *, unit: str = "") -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.unit = unit

    def _amount(self, value: int) -> str:
        return f"{value / 1e6:,.1f}" if self.unit == "MB" else f"{value:,}"

    def __call__(self, done: int, total: int, label: str | None = None) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{label or self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self._amount(done)}/{self._amount(total)}{self.unit} {elapsed:5.1f}s\x1b[K"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
