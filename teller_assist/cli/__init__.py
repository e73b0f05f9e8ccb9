"""``teller-assist``: the command-line face. Argument parsing and printing only; the work is in services.

One module per area, each adding its subcommands (``add_parsers``) and their handlers (``COMMANDS``):
``data`` (db, import, demo-data), ``counter`` (lookup, prequal, id check), ``workflow`` (apply, approve,
reject, sign, cancel, applications, sms), ``documents`` (document, print, verify), ``admin`` (users,
audit, document-key, config, policy, simulate), ``campaign``, ``kpi``, ``targets`` (targets, tasks). What
they share is in ``common`` (settings, the database opened, the operator signed in, today, output files),
``dates`` (the one date parser), ``passwords`` (the one password reader) and ``table`` (terminal tables
by display width). This module assembles the parser and runs a command.

``--db URL`` may come before the subcommand or after its own arguments (after wins). With no
subcommand the window opens.
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from teller_assist import __version__
from teller_assist.cli.common import EXIT_USAGE, settings_of
from teller_assist.errors import UserFacingError

log = logging.getLogger("teller_assist.cli")

DB_HELP = "数据库地址，不含密码 database URL, without a password (default: settings / TELLER_ASSIST_DB)"

def areas() -> tuple[ModuleType, ...]:
    """The command line's areas, in the order ``--help`` lists their commands. Loaded when a command is
    parsed, not before: the desktop shortcut (no arguments) opens the window without them (about 45 ms
    of a cold start)."""
    from teller_assist.cli import admin, campaign, counter, data, documents, kpi, targets, workflow

    return (data, counter, workflow, documents, admin, campaign, kpi, targets)


def build_parser() -> argparse.ArgumentParser:
    # --db before the subcommand (the main parser) or after it (every subparser); the subparsers' copy
    # has no default, so that it leaves a value given before the subcommand alone
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--db", metavar="URL", default=None, help=DB_HELP)

    parser = argparse.ArgumentParser(
        prog="teller-assist",
        description="柜面授信助手 Teller Assist: walk-in pre-credit for a county rural bank",
        parents=[top],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help="打开窗口 open the window (the default)")
    gui.add_argument(
        "--demo-if-empty",
        action="store_true",
        help="数据库为空时直接载入演示县数据 load the demo county when the database is empty",
    )
    for area in areas():
        area.add_parsers(sub, common)
    return parser


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from teller_assist.ui.app import run
    except ImportError as exc:  # a missing system library is the usual cause on a fresh machine
        raise UserFacingError(
            f"无法加载图形界面库：{exc}",
            f"cannot load the Qt libraries: {exc}",
            hint_zh="请运行 make run 安装所需的系统软件包",
            hint_en="run make run to install the system packages",
        ) from None
    return run(settings_of(args), demo_if_empty=getattr(args, "demo_if_empty", False))


@functools.cache
def commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    """Every command's function by name (the areas loaded: see :func:`areas`)."""
    commands: dict[str, Callable[[argparse.Namespace], int]] = {"gui": cmd_gui}
    for area in areas():
        twice = commands.keys() & area.COMMANDS.keys()
        if twice:
            raise RuntimeError(f"{area.__name__} adds commands another area has: {sorted(twice)}")
        commands |= area.COMMANDS
    return commands


def _start_logging(args: argparse.Namespace) -> None:
    """The private log and crash reports in the data folder (settings errors surface later, plainly)."""
    from teller_assist.logs import install_crash_handler, setup_logging

    try:
        settings = settings_of(args)
    except UserFacingError:  # said once on stderr by main, not twice through logging's last resort
        logging.getLogger("teller_assist").addHandler(logging.NullHandler())
        return
    from teller_assist.files import ensure_private_dir

    warning = ensure_private_dir(settings.paths.data_dir)  # made private before anything is written there
    if warning:
        print(f"警告 warning: {warning}", file=sys.stderr)
    setup_logging(settings.paths.data_dir, settings.masking)
    install_crash_handler(settings.paths.data_dir, settings.masking)
    if warning:
        log.warning("%s", warning)
    for locked in settings.warnings:  # the user's settings asked to change a key the bank locked
        log.warning("%s", locked)
        print(f"警告 warning: {locked}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # the desktop shortcut: straight to the window, without building every subcommand
        args = argparse.Namespace(command=None, db=None)
    else:
        if argv[:2] == ["import", "rejects"]:
            argv = ["import-rejects", *argv[2:]]
        args = build_parser().parse_args(argv)
    command = args.command or "gui"
    _start_logging(args)
    log.info("teller-assist %s: %s", __version__, command)
    try:
        code = cmd_gui(args) if command == "gui" else commands()[command](args)
        if sys.stdout is not None:  # (a windowed build has none)
            sys.stdout.flush()  # a reader that went away is found here, not at the interpreter's exit
        return code
    except UserFacingError as exc:
        log.warning("%s refused: %s", command, exc.describe())
        print(f"错误 error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader stopped reading (config show | head): no traceback for that
        # (before OSError, of which it is one)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at the final flush
        return 1
    except OSError as exc:
        if exc.filename is None:  # not a file the person named: a bug, for the crash handler
            raise
        # a file the person named (an input to read, an output to write): their words, one line
        said = f"文件 {exc.filename}：{exc.strerror or exc} (file {exc.filename}: {exc.strerror or exc})"
        log.warning("%s refused: %s", command, said)
        print(f"错误 error: {said}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已取消 cancelled", file=sys.stderr)
        return 130
