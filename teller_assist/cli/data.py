"""``teller-assist db|import|demo-data``: the data on the command line: the database's schema (only
``db upgrade`` upgrades it), its counts, its password and PostgreSQL roles; the night's import of the core
system's extracts and their refused rows; the synthetic demo county."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.cli.common import (
    EXIT_OK,
    ProgressBar,
    opened,
    positive_int,
    settings_of,
    today,
    writable_folder,
    writable_output,
    writing,
)
from teller_assist.cli.dates import parse_date
from teller_assist.cli.passwords import read_login_password
from teller_assist.cli.table import table
from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings
from teller_assist.vocabulary import EXTRACT_KINDS


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="数据库管理 database administration")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="升级数据库结构 upgrade the schema (backup first)")
    db_sub.add_parser("current", parents=[common], help="显示数据库结构版本 show the schema revision")
    setpw = db_sub.add_parser(
        "set-password",
        parents=[common],
        help="把 PostgreSQL 密码存入系统密钥环 keep the password in the keyring",
    )
    setpw.add_argument("--password-stdin", action="store_true")
    stats = db_sub.add_parser(
        "stats", parents=[common], help="各类数据统计 counts per kind, latest batches, size"
    )
    stats.add_argument("--json", action="store_true")
    roles = db_sub.add_parser(
        "setup-roles",
        parents=[common],
        help="PostgreSQL 两角色设置（数据库管理员以超级用户运行）the two-role set-up: tables owned by "
        "OWNER, the program runs as APP and may only read and append audit rows (run by a DBA as a "
        "superuser; also upgrades the schema as OWNER)",
    )
    roles.add_argument("--owner", required=True, metavar="OWNER", help="拥有表的角色 the tables' owner")
    roles.add_argument("--app", required=True, metavar="APP", help="程序运行所用的角色 the program's role")

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="导入核心系统数据文件 import extract files or folders "
        "(teller-assist import rejects [BATCH] --out FILE.csv exports refused rows)",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--kind", choices=sorted(EXTRACT_KINDS), help="数据类型 the kind, when the file name does not say"
    )
    imp.add_argument("--encoding", help="文件编码 encoding (default: detect UTF-8 / GB18030)")
    imp.add_argument("--json", action="store_true")
    imp.add_argument(
        "--user", metavar="LOGIN", help="以总行管理员身份导入并审计 import as this head-office administrator"
    )
    imp.add_argument("--password-stdin", action="store_true")

    rej = sub.add_parser("import-rejects", parents=[common], help=argparse.SUPPRESS)
    rej.add_argument("batch", nargs="?", type=positive_int, metavar="BATCH")
    rej.add_argument("--out", type=Path, required=True, metavar="FILE.csv")

    demo = sub.add_parser("demo-data", parents=[common], help="生成演示县数据 write a synthetic county")
    demo.add_argument("--people", type=positive_int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    demo.add_argument("--processes", type=positive_int, default=None, help=argparse.SUPPRESS)
    demo.add_argument("--json", action="store_true")


def cmd_db(args: argparse.Namespace) -> int:
    from teller_assist.services import database

    settings = settings_of(args)
    if args.db_command == "stats":
        return cmd_db_stats(args, settings)
    if args.db_command == "set-password":
        return cmd_db_set_password(args)
    if args.db_command == "setup-roles":
        return cmd_db_setup_roles(args, settings)
    if args.db_command == "current":
        state = database.schema_state(settings)
        said = "最新 up to date" if state.up_to_date else f"待升级 needs upgrade to {state.head}"
        print(f"{state.display}: {state.current or '(空 empty)'} — {said}")
        return EXIT_OK
    _display, result = database.upgrade_schema(settings)
    if not result.changed:
        print(f"数据库已是最新结构 the schema is up to date ({result.after})")
    else:
        print(f"数据库已升级 upgraded: {result.before or '(empty)'} → {result.after}")
        if result.backup:
            print(f"升级前备份 backup: {result.backup}")
    return EXIT_OK


def cmd_db_setup_roles(args: argparse.Namespace, settings: Settings) -> int:
    from teller_assist.services.database import setup_roles

    report = setup_roles(settings, owner=args.owner, app=args.app)
    made = f"；新建角色 created {', '.join(report.created)}" if report.created else ""
    print(
        f"已完成两角色设置 two-role set-up done: 数据库 {report.database}（模式 {report.schema}）"
        f"归 {report.owner} 所有 owned by {report.owner}；程序以 {report.app} 运行 the program runs as "
        f"{report.app}{made}"
    )
    print(
        f"数据库结构 schema: {report.revision_before or '(空 empty)'} → {report.revision_after}；"
        f"{report.app} 对审计表只可读取，只能经 teller_assist_audit_append 追加 "
        f"may only read the audit tables and append through teller_assist_audit_append"
    )
    print(
        f"请让程序使用 set the program's URL: postgresql://{report.app}@主机host/{report.database}"
        "（密码用 db set-password、.pgpass 或证书 password via db set-password, .pgpass or a certificate）"
    )
    return EXIT_OK


def cmd_db_stats(args: argparse.Namespace, settings: Settings) -> int:
    from teller_assist.services.database import database_stats

    display, stats = database_stats(settings)
    if args.json:
        print(
            json.dumps(
                {
                    "database": display,
                    "size_bytes": stats.size_bytes,
                    "batches": stats.batches,
                    "rejects": stats.rejects,
                    "negative_list_active": stats.negative_active,
                    "kinds": {
                        k.kind: {
                            "rows": k.rows,
                            "latest_batch": k.latest_batch,
                            "latest_file": k.latest_file,
                            "latest_extract": k.latest_extract.isoformat() if k.latest_extract else None,
                            "latest_loaded_at": k.latest_loaded_at.isoformat()
                            if k.latest_loaded_at
                            else None,
                        }
                        for k in stats.kinds
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    print(f"数据库 database: {display}  ({stats.size_bytes / 1e6:,.1f} MB)")
    kinds = [
        (k.kind, k.rows, f"#{k.latest_batch} {k.latest_file} ({k.latest_extract})" if k.latest_batch else "—")
        for k in stats.kinds
    ]
    print("\n".join(table(("类型 kind", "行数 rows", "最新批次 latest batch"), kinds, "<>")))
    print(
        f"负面清单在列 negative list (active): {stats.negative_active:,}; "
        f"批次 batches: {stats.batches:,}; 拒绝行 refused rows: {stats.rejects:,}"
    )
    return EXIT_OK


def cmd_db_set_password(args: argparse.Namespace) -> int:
    from teller_assist.services.database import set_db_password

    settings = settings_of(args)
    if not settings.database_url:
        raise UserFacingError(
            "未设置 PostgreSQL 数据库地址",
            "no PostgreSQL database URL is set",
            hint_zh="用 --db 或设置 database_url",
        )
    set_db_password(settings.database_url, read_login_password(args.password_stdin))
    print("已保存到系统密钥环 saved in the OS keyring")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from teller_assist.services.imports import Importer, run_import
    from teller_assist.services.operators import authenticate

    settings = settings_of(args)
    password = read_login_password(args.password_stdin) if args.user else ""
    with opened(settings) as ctx:  # audited under the administrator, or (the nightly job) the OS account
        bar = ProgressBar("导入 importing", unit="MB")
        by = Importer.operator(authenticate(ctx, args.user, password)) if args.user else None
        report = run_import(
            ctx,
            args.paths,
            by=by or Importer.os_account(),
            purpose="cli",
            kind=args.kind,
            encoding=args.encoding,
            progress=lambda name, done, total: bar(done, total, name[:24]),
        )
    if bar.enabled:
        sys.stderr.write("\n")
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return report.exit_code
    status_zh = {"loaded": "已导入", "skipped": "已跳过", "refused": "已拒绝"}
    headers = ("文件 file", "类型 kind", "状态 status", "行 rows", "导入 loaded", "拒绝 refused")
    rows = [
        (Path(f.path).name, f.kind or "?", f"{status_zh[f.status]} {f.status}", f.rows, f.loaded, f.rejected)
        for f in report.files
    ]
    lines = table(headers, rows, "<<<>>>")
    print(lines[0])
    for f, line in zip(report.files, lines[1:], strict=True):
        print(line)
        for warning in f.warnings:
            print(f"    提示 {warning}")
        if f.error:
            print(f"    错误 {f.error}")
    if any(f.rejected for f in report.files):
        print("拒绝的行可导出：teller-assist import rejects [批次号] --out 文件.csv")
    return report.exit_code


def cmd_import_rejects(args: argparse.Namespace) -> int:
    from teller_assist.services.imports import Importer, export_rejects

    settings = settings_of(args)
    writable_output(args.out)
    with opened(settings) as ctx, writing(args.out):
        batches = None if args.batch is None else [args.batch]
        by = Importer.os_account()
        count = export_rejects(ctx, args.out, batches, by=by)
    print(f"已导出 {count:,} 行拒绝记录 exported {count:,} refused rows → {args.out}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from teller_assist.demo.county import generate_county

    as_of = args.as_of or today()
    writable_folder(args.out)
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
    print(
        "\n".join(
            table(
                ("类型 kind", "行数 rows", "文件 file"),
                [(kind, summary.rows[kind], str(path)) for kind, path in summary.files.items()],
                "<>",
            )[1:]
        )
    )
    print(f"{summary.people:,} 人 people, {elapsed:.1f} s")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "db": cmd_db,
    "import": cmd_import,
    "import-rejects": cmd_import_rejects,
    "demo-data": cmd_demo_data,
}
