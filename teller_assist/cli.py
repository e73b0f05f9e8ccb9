"""``teller-assist``: the command-line face. Argument parsing and printing only; the work is in services.

Every subcommand takes ``--db URL`` after its own arguments. With no subcommand the window opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from teller_assist import __version__
from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings, load_settings

EXIT_OK = 0
EXIT_USAGE = 2


def _date(text: str) -> dt.date:
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD 或 YYYYMMDD：{text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}")
    return value


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the output is not a terminal."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {elapsed:5.1f}s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", help="数据库地址 database URL (default: settings / TELLER_ASSIST_DB)"
    )

    parser = argparse.ArgumentParser(
        prog="teller-assist",
        description="柜面授信助手 Teller Assist: walk-in pre-credit for a county rural bank",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", parents=[common], help="打开窗口 open the window (the default)")

    db = sub.add_parser("db", parents=[common], help="数据库管理 database administration")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="升级数据库结构 upgrade the schema (backup first)")
    db_sub.add_parser("current", parents=[common], help="显示数据库结构版本 show the schema revision")

    config = sub.add_parser("config", parents=[common], help="设置 settings")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", parents=[common], help="显示生效的设置 show the effective settings")
    show.add_argument("--json", action="store_true")

    demo = sub.add_parser("demo-data", parents=[common], help="生成演示县数据 write a synthetic county")
    demo.add_argument("--people", type=_positive_int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--as-of", type=_date, default=None, metavar="DATE")
    demo.add_argument("--processes", type=_positive_int, default=None, help=argparse.SUPPRESS)
    demo.add_argument("--json", action="store_true")

    ident = sub.add_parser("id", parents=[common], help="证件号校验 check an identity code")
    id_sub = ident.add_subparsers(dest="id_command", metavar="ACTION", required=True)
    check = id_sub.add_parser("check", parents=[common], help="校验身份证号 check a resident ID")
    check.add_argument("id_no", metavar="ID")
    check.add_argument("--as-of", type=_date, default=None, metavar="DATE")
    check.add_argument("--json", action="store_true")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(database_url=args.db)


def cmd_config_show(args: argparse.Namespace) -> int:
    view = _settings(args).public_view()
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"config_file = {view.pop('config_file')}")
    print(f"data_dir    = {view.pop('data_dir')}")
    for key, item in view.items():
        print(f"{key:<18} = {item['value']!r:<40} # {item['source']}")
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    from teller_assist.store import migrate
    from teller_assist.store.engine import open_store

    settings = _settings(args)
    store = open_store(settings)
    try:
        if args.db_command == "current":
            current = migrate.current_revision(store)
            head = migrate.head_revision()
            state = "最新 up to date" if current == head else f"待升级 needs upgrade to {head}"
            print(f"{store.display}: {current or '(空 empty)'} — {state}")
            return EXIT_OK
        result = migrate.upgrade(store, backup_dir=settings.paths.backup_dir)
        if not result.changed:
            print(f"数据库已是最新结构 the schema is up to date ({result.after})")
        else:
            print(f"数据库已升级 upgraded: {result.before or '(empty)'} → {result.after}")
            if result.backup:
                print(f"升级前备份 backup: {result.backup}")
        return EXIT_OK
    finally:
        store.dispose()


def cmd_demo_data(args: argparse.Namespace) -> int:
    from teller_assist.demo.county import generate_county

    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    started = time.monotonic()
    summary = generate_county(
        args.out,
        people=args.people,
        seed=args.seed,
        as_of=as_of,
        processes=args.processes,
        progress=ProgressBar("生成 generating"),
    )
    elapsed = time.monotonic() - started
    if args.json:
        print(
            json.dumps(
                {
                    "people": summary.people,
                    "seed": summary.seed,
                    "as_of": summary.as_of.isoformat(),
                    "seconds": round(elapsed, 2),
                    "files": {k: {"path": str(p), "rows": summary.rows[k]} for k, p in summary.files.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    for kind, path in summary.files.items():
        print(f"{kind:<20} {summary.rows[kind]:>10,}  {path}")
    print(f"{summary.people:,} 人 people, {elapsed:.1f} s")
    return EXIT_OK


def cmd_id_check(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    settings = _settings(args)
    today = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    try:
        rid = parse_resident_id(args.id_no, today=today)
    except InvalidResidentId as exc:
        if args.json:
            print(
                json.dumps(
                    {"valid": False, "rule": exc.rule.name.lower(), "message": str(exc)}, ensure_ascii=False
                )
            )
        else:
            print(f"无效 invalid: {exc}", file=sys.stderr)
        return EXIT_USAGE
    region = rid.region
    out: dict[str, Any] = {
        "valid": True,
        "id_masked": settings.masking.resident_id(rid.value),
        "birth_date": rid.birth_date.isoformat(),
        "gender": rid.gender,
        "age": rid.age_on(today),
        "region_code": rid.region_code,
        "region": region.name,
        "region_historic": region.historic,
        "warnings": [w for w in (region.warning,) if w],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        gender = "男" if rid.gender == "M" else "女"
        print(
            f"有效 valid: {out['id_masked']} {gender} {out['birth_date']} {out['age']}岁 {region.name}"
            + ("（旧行政区划代码）" if region.historic else "")
        )
        for warning in out["warnings"]:
            print(f"提示 warning: {warning}", file=sys.stderr)
    return EXIT_OK


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
    return run(_settings(args))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "db": cmd_db,
    "config": cmd_config_show,
    "demo-data": cmd_demo_data,
    "id": cmd_id_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    try:
        return COMMANDS[command](args)
    except UserFacingError as exc:
        print(f"错误 error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消 cancelled", file=sys.stderr)
        return 130
