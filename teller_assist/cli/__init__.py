"""``teller-assist``: the command-line face. Argument parsing and printing only; the work is in services.

``--db URL`` may come before the subcommand or after its own arguments (after wins). With no
subcommand the window opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from teller_assist import __version__
from teller_assist.cli import campaign as cli_campaign
from teller_assist.cli import kpi as cli_kpi
from teller_assist.cli import targets as cli_targets
from teller_assist.cli import workflow as cli_workflow
from teller_assist.cli.table import table
from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings, load_settings
from teller_assist.vocabulary import EXTRACT_KINDS

ROLES = ("teller", "lobby_manager", "branch_head", "hq_admin")

if TYPE_CHECKING:  # the data layer loads with the command that needs it
    from teller_assist.services.database import Store

log = logging.getLogger("teller_assist.cli")

EXIT_OK = 0
EXIT_USAGE = 2


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


DB_HELP = "数据库地址，不含密码 database URL, without a password (default: settings / TELLER_ASSIST_DB)"

USERS_HELP = """\
Operator administration needs a head-office administrator (hq_admin): --user ADMIN names them and
their password is asked first. With --password-stdin the passwords come from standard input, one a
line, in this order:
  add, reset-password      line 1: ADMIN's password, line 2: the new operator's (one-time) password
  disable, set-role        line 1: ADMIN's password
  change-password          line 1: the current (or one-time) password, line 2: the new password
  add-first-admin          line 1: the new administrator's password
add-first-admin works only while the database has no operator at all. A reset gives a one-time
password: the old one stops working, a lock is lifted, and at the next login the operator must set
a new password before anything else."""


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
    rej.add_argument("batch", nargs="?", type=_positive_int, metavar="BATCH")
    rej.add_argument("--out", type=Path, required=True, metavar="FILE.csv")

    config = sub.add_parser("config", parents=[common], help="设置 settings")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", parents=[common], help="显示生效的设置 show the effective settings")
    show.add_argument("--json", action="store_true")

    demo = sub.add_parser("demo-data", parents=[common], help="生成演示县数据 write a synthetic county")
    demo.add_argument("--people", type=_positive_int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--as-of", type=cli_workflow.parse_date, default=None, metavar="DATE")
    demo.add_argument("--processes", type=_positive_int, default=None, help=argparse.SUPPRESS)
    demo.add_argument("--json", action="store_true")

    look = sub.add_parser("lookup", parents=[common], help="查询客户 the customer card for a resident ID")
    look.add_argument("id_no", metavar="ID")
    look.add_argument("--as-of", type=cli_workflow.parse_date, default=None, metavar="DATE")
    look.add_argument("--json", action="store_true")
    look.add_argument("--purpose", default="cli", help="查询目的（记入审计）the purpose, for the audit trail")
    look.add_argument(
        "--reveal", action="store_true", help="显示工资金额（记入审计）show the payroll figures (audited)"
    )

    pq = sub.add_parser("prequal", parents=[common], help="预授信测算 pre-qualify a resident ID")
    pq.add_argument("id_no", metavar="ID")
    pq.add_argument("--survey", type=Path, metavar="FILE", help="调查表JSON the survey as JSON")
    pq.add_argument("--as-of", type=cli_workflow.parse_date, default=None, metavar="DATE")
    pq.add_argument("--policy", type=Path, metavar="FILE", help="授信政策文件 a policy file")
    pq.add_argument("--json", action="store_true")
    pq.add_argument(
        "--reveal", action="store_true", help="显示收入与负债金额（记入审计）show incomes and debts (audited)"
    )

    sim = sub.add_parser(
        "simulate", parents=[common], help="全量模拟测算 run a policy over the customer base"
    )
    sim.add_argument(
        "--policy", type=Path, metavar="FILE", help="授信政策文件 (default: the policy in force)"
    )
    sim.add_argument("--against", type=Path, metavar="FILE", help="对比的政策文件 a policy to compare with")
    sim.add_argument("--as-of", type=cli_workflow.parse_date, default=None, metavar="DATE")
    out_format = sim.add_mutually_exclusive_group()
    out_format.add_argument("--json", action="store_true")
    out_format.add_argument("--csv", action="store_true")

    users = sub.add_parser(
        "users",
        parents=[common],
        help="操作员管理（须总行管理员登录）operators (administration needs a head-office administrator)",
        description=USERS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    def admin_login(p: argparse.ArgumentParser, stdin_help: str) -> None:
        p.add_argument("--user", required=True, metavar="ADMIN", help="总行管理员登录名 the administrator")
        p.add_argument("--password-stdin", action="store_true", help=stdin_help)

    two_lines = "从标准输入读取：第1行管理员密码，第2行新密码 stdin: line 1 ADMIN's, line 2 the new one"
    one_line = "从标准输入读取管理员密码（一行）stdin: ADMIN's password (one line)"
    first = users_sub.add_parser(
        "add-first-admin",
        parents=[common],
        help="创建首个总行管理员（仅当还没有任何操作员时）the first administrator, while there are none",
    )
    first.add_argument("login")
    first.add_argument("--name", required=True)
    first.add_argument("--branch", default=None)
    first.add_argument(
        "--password-stdin", action="store_true", help="从标准输入读取新管理员的密码 stdin: the password"
    )
    uadd = users_sub.add_parser("add", parents=[common], help="新增操作员 add an operator")
    uadd.add_argument("login")
    uadd.add_argument("--name", required=True)
    uadd.add_argument("--role", required=True, choices=ROLES)
    uadd.add_argument("--branch", default=None)
    admin_login(uadd, two_lines)
    ulist = users_sub.add_parser("list", parents=[common], help="列出操作员 list operators")
    ulist.add_argument("--json", action="store_true")
    udis = users_sub.add_parser("disable", parents=[common], help="停用操作员 disable an operator")
    udis.add_argument("login")
    admin_login(udis, one_line)
    ureset = users_sub.add_parser(
        "reset-password",
        parents=[common],
        help="重置密码（一次性密码，下次登录须改）reset: a one-time password, changed at the next login",
    )
    ureset.add_argument("login")
    admin_login(ureset, two_lines)
    urole = users_sub.add_parser("set-role", parents=[common], help="修改角色 change an operator's role")
    urole.add_argument("login")
    urole.add_argument("--role", required=True, choices=ROLES)
    admin_login(urole, one_line)
    uchange = users_sub.add_parser(
        "change-password", parents=[common], help="修改自己的密码 change your own password"
    )
    uchange.add_argument("--user", required=True, metavar="LOGIN", help="你的登录名 your login")
    uchange.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取：第1行当前（或一次性）密码，第2行新密码 stdin: line 1 the current password, "
        "line 2 the new one",
    )

    pol = sub.add_parser("policy", parents=[common], help="授信政策 the credit policy")
    pol_sub = pol.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    pcheck = pol_sub.add_parser("check", parents=[common], help="校验政策文件 validate a policy file")
    pcheck.add_argument("file", type=Path, metavar="FILE")

    cli_workflow.add_parsers(sub, common)
    cli_campaign.add_parsers(sub, common)
    cli_kpi.add_parsers(sub, common)
    cli_targets.add_parsers(sub, common)

    ident = sub.add_parser("id", parents=[common], help="证件号校验 check an identity code")
    id_sub = ident.add_subparsers(dest="id_command", metavar="ACTION", required=True)
    check = id_sub.add_parser("check", parents=[common], help="校验身份证号 check a resident ID")
    check.add_argument("id_no", metavar="ID")
    check.add_argument("--as-of", type=cli_workflow.parse_date, default=None, metavar="DATE")
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
    from teller_assist.services import database

    settings = _settings(args)
    if args.db_command == "stats":
        return cmd_db_stats(args, settings)
    if args.db_command == "set-password":
        return cli_workflow.cmd_db_set_password(args)
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


def cmd_import(args: argparse.Namespace) -> int:
    from teller_assist.services.database import open_database
    from teller_assist.services.imports import Importer, run_import
    from teller_assist.services.operators import authenticate

    settings = _settings(args)
    password = cli_workflow.read_login_password(args.password_stdin) if args.user else ""
    opened = open_database(settings, upgrade=False)
    bar = ProgressBar("导入 importing", unit="MB")
    try:  # audited under the administrator, or (the unattended nightly job) the OS account
        by = Importer.operator(authenticate(opened.store, args.user, password)) if args.user else None
        report = run_import(
            opened.store,
            args.paths,
            by=by or Importer.os_account(),
            purpose="cli",
            kind=args.kind,
            encoding=args.encoding,
            today=dt.date.today(),  # noqa: DTZ011 - the bank's local date
            progress=lambda name, done, total: bar(done, total, name[:24]),
        )
    finally:
        opened.store.dispose()
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
    from teller_assist.services.database import open_database
    from teller_assist.services.imports import Importer, export_rejects

    settings = _settings(args)
    cli_workflow.writable_output(args.out)
    opened = open_database(settings, upgrade=False)
    try:
        with cli_workflow.writing(args.out):
            batches = None if args.batch is None else [args.batch]
            by = Importer.os_account()
            count = export_rejects(opened.store, args.out, settings.masking, batches, by=by)
    finally:
        opened.store.dispose()
    print(f"已导出 {count:,} 行拒绝记录 exported {count:,} refused rows → {args.out}")
    return EXIT_OK


def _writable_folder(folder: Path) -> None:
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
    cli_workflow.writable_output(folder / "probe")


def cmd_demo_data(args: argparse.Namespace) -> int:
    from teller_assist.demo.county import generate_county

    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    _writable_folder(args.out)
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


def cmd_lookup(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    try:
        rid = parse_resident_id(args.id_no, today=as_of)
    except InvalidResidentId as exc:  # before any database work: one line, exit 2
        print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from teller_assist.services import audit
    from teller_assist.services.database import open_database
    from teller_assist.services.lookup import card_to_json, lookup

    audit.check_purpose(args.purpose)  # before the database: the audit row's column holds 64
    settings = _settings(args)
    opened = open_database(settings, upgrade=False)
    try:
        card = lookup(opened.store, rid, as_of=as_of)
        audit.log(opened.store, "lookup", operator=audit.os_actor(), subject=rid.value, purpose=args.purpose)
        if args.reveal:
            _audit_reveal(opened.store, rid.value, args.purpose)
    finally:
        opened.store.dispose()
    data = card_to_json(card, settings.masking, reveal_income=args.reveal)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(render_card(data))
    return EXIT_OK


def render_card(d: dict[str, Any]) -> str:
    from teller_assist.prequal.workflow import STATUS_ZH

    gender = "男" if d["gender"] == "M" else "女"
    who = d["name"] or ("（非本行客户）" if not d["seen"] else "（无客户信息）")
    lines = [
        f"{who}  {d['id_masked']}  {gender} {d['age']}岁  {d['region']}",
        f"手机 {d['phone_masked'] or '—'}  网点 {d['branch_code'] or '—'}  "
        f"{'本行客户' if d['customer'] else '尚非本行客户（可获基础授信）'}",
    ]
    p = d["payroll"]
    if p["months"]:
        regularity = {"regular": "规律", "irregular": "不规律"}.get(p["regularity"], "")
        lines.append(
            f"代发工资：近12个月{p['months']}个月，月均{p['average_monthly']}元，{p['employer']}"
            f"（{p['employer_kind']}），最近{p['last_pay_date']}，{regularity}"
        )
    else:
        lines.append("代发工资：无")
    w = d["withholding"]
    lines.append(
        f"代扣：有效协议{w['active_agreements']}个，近12个月成功{w['ok_debits']}次、失败{w['failed_debits']}次"
        f"{'，稳定户' if w['settled'] else ''}"
    )
    n = d["negative"]
    lines.append(f"负面清单：{'在列（' + str(n['category']) + '）' if n['listed'] else '不在列'}")
    if d["tags"]:
        lines.append(
            "标签："
            + "、".join(
                f"{t['tag']}{t['grade'] or ''}{'' if t['valid'] else '（已过期）'}" for t in d["tags"]
            )
        )
    for t in d["targets"]:
        lines.append(f"目标名单：{t['campaign']} 客户经理 {t['officer'] or '—'} 截止 {t['due_on'] or '—'}")
    for a in d["applications"][:1]:
        lines.append(
            f"{'预授信' if a['open'] else '上次申请'}：{STATUS_ZH[a['status']]} {a['limit']:,}元 "
            f"年利率{a['annual_rate']}%"
            + (f" 有效期至{a['valid_until']}" if a["valid_until"] else "")
            + (f" 协议号{a['agreement_no']}" if a["agreement_no"] else "")
        )
    if d["stale"]:
        lines.append("提示：以下数据超过2天未更新：" + "、".join(d["stale"]))
    return "\n".join(lines)


def _audit_reveal(store: Store, subject: str, purpose: str) -> None:
    """An income shown in full on the command line is an audited reveal, as in the window."""
    from teller_assist.services import audit

    fields = {"fields": ["income"]}
    audit.log(store, "reveal", operator=audit.os_actor(), subject=subject, purpose=purpose, detail=fields)


def cmd_prequal(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    try:
        rid = parse_resident_id(args.id_no, today=as_of)
    except InvalidResidentId as exc:
        print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from teller_assist.prequal.survey import load_survey
    from teller_assist.services.database import open_database
    from teller_assist.services.prequal import active_policy, decision_to_json, prequalify

    settings = _settings(args)
    policy = active_policy(settings, args.policy)
    survey = load_survey(args.survey) if args.survey else None
    opened = open_database(settings, upgrade=False)
    try:
        card, decision = prequalify(opened.store, rid, survey=survey, policy=policy, as_of=as_of)
        from teller_assist.services import audit

        audit.log(opened.store, "lookup", operator=audit.os_actor(), subject=rid.value, purpose="prequal")
        if args.reveal:
            _audit_reveal(opened.store, rid.value, "prequal")
    finally:
        opened.store.dispose()
    shown = None if args.reveal else settings.masking
    data = decision_to_json(decision, shown)
    if args.json:
        print(
            json.dumps(
                {"id_masked": settings.masking.resident_id(rid.value), **data}, ensure_ascii=False, indent=2
            )
        )
        return EXIT_OK
    print(
        f"{card.name or '（非本行客户）'} {settings.masking.resident_id(rid.value)}  政策 {policy.identity}"
    )
    if not decision.eligible:
        print("不可授信：" + "；".join(decision.reasons))
        return EXIT_OK
    print(
        f"可授信 {decision.grantable_limit:,} 元，年利率 {decision.annual_rate}%，"
        f"有效期至 {decision.valid_until}"
    )
    if decision.potential_limit > decision.grantable_limit:
        print(f"完成调查最高可达 {decision.potential_limit:,} 元")
    for f in decision.factors:
        mark = "✓" if f.applies else "·"
        print(f"  {mark} {f.evidence if shown is None else shown.amounts(f.evidence)}")
    if decision.missing:
        print("调查尚缺：" + "、".join(decision.missing))
    for problem in decision.problems.values():
        print("调查有误：" + problem)
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from teller_assist.exports import SpreadsheetWriter
    from teller_assist.prequal.policy import load_policy
    from teller_assist.services.database import open_database
    from teller_assist.services.prequal import active_policy
    from teller_assist.services.simulate import simulate

    settings = _settings(args)
    as_of = args.as_of or dt.date.today()  # noqa: DTZ011 - the bank's local date
    policies = [active_policy(settings, args.policy)]
    if args.against:
        policies.append(load_policy(args.against))
    opened = open_database(settings, upgrade=False)
    started = time.monotonic()
    bar = ProgressBar("模拟 simulating")
    total = opened.overview.customers
    try:
        result = simulate(opened.store, policies, as_of=as_of, progress=lambda n: bar(n, total))
    finally:
        opened.store.dispose()
    result.seconds = time.monotonic() - started
    rows: list[dict[str, Any]] = []
    for label, run in zip(("policy", "against"), result.runs, strict=False):
        for measure, column in (("as_is", run.now), ("evidence_confirmed", run.confirmed)):
            for group, tallies in (("band", column.by_band), ("evidence", column.by_evidence)):
                for key, tally in tallies.items():
                    rows.append(
                        {
                            "policy": label,
                            "version": run.policy_version,
                            "measure": measure,
                            "group": group,
                            "key": key,
                            "people": tally.people,
                            "exposure": tally.exposure,
                        }
                    )
            rows.append(
                {
                    "policy": label,
                    "version": run.policy_version,
                    "measure": measure,
                    "group": "total",
                    "key": "all",
                    "people": column.total.people,
                    "exposure": column.total.exposure,
                }
            )
    if args.csv:
        columns = list(rows[0]) if rows else ["policy"]
        writer = SpreadsheetWriter(sys.stdout)
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in rows)
        return EXIT_OK
    summary: list[dict[str, Any]] = [
        {
            "policy": label,
            "version": run.policy_version,
            "sha256": run.policy_sha256,
            "people": run.people,
            "eligible": run.eligible,
            "with_line": run.with_line,
            "coverage": round(run.coverage, 6),
            "ineligible": run.ineligible_reasons,
            "exposure_as_is": run.now.total.exposure,
            "exposure_evidence_confirmed": run.confirmed.total.exposure,
        }
        for label, run in zip(("policy", "against"), result.runs, strict=False)
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "as_of": as_of.isoformat(),
                    "seconds": round(result.seconds, 1),
                    "runs": summary,
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    for s in summary:
        print(
            f"政策 {s['version']} ({s['sha256'][:12]}): {s['people']:,} 人，可授信 {s['eligible']:,} 人，"
            f"覆盖率 {s['coverage']:.2%}，不可授信 {s['ineligible']}"
        )
        print(f"  现状总敞口 {s['exposure_as_is']:,} 元；证据确认后 {s['exposure_evidence_confirmed']:,} 元")
    first = result.runs[0]
    bands = [
        (key, a.people, a.exposure, b.people, b.exposure)
        for key in first.now.by_band
        for a, b in [(first.now.by_band[key], first.confirmed.by_band[key])]
    ]
    headers = ("额度段 band", "现状人数", "现状敞口(元)", "确认后人数", "确认后敞口(元)")
    print("\n".join(table(headers, bands, "<>>>>")))
    evidence = sorted(first.confirmed.by_evidence.items(), key=lambda kv: -kv[1].exposure)
    by_evidence = [(key, tally.people, tally.exposure) for key, tally in evidence]
    print("\n".join(table(("依据 evidence", "确认后人数", "确认后敞口(元)"), by_evidence, "<>>")))
    if len(result.runs) == 2:
        other = result.runs[1]
        print(
            f"对比 {other.policy_version}：证据确认后敞口差额 "
            f"{first.confirmed.total.exposure - other.confirmed.total.exposure:+,} 元；"
            f"现状差额 {first.now.total.exposure - other.now.total.exposure:+,} 元"
        )
    print(f"用时 {result.seconds:.1f} s")
    return EXIT_OK


def cmd_users(args: argparse.Namespace) -> int:
    from teller_assist.services import operators
    from teller_assist.services.database import open_database
    from teller_assist.vocabulary import ROLE_ZH

    settings = _settings(args)
    command = args.users_command
    reader = cli_workflow.PasswordReader(getattr(args, "password_stdin", False))
    opened = open_database(settings, upgrade=False)
    store = opened.store
    try:
        if command == "list":
            _list_users(store, args.json)
            return EXIT_OK
        if command == "add-first-admin":
            password = reader.new(f"新管理员 {args.login} 的密码", f"password for {args.login}")
            record = operators.add_first_admin(
                store, login=args.login, name=args.name, password=password, branch_code=args.branch
            )
            print(f"已创建首个总行管理员 first administrator added: {record.login}（{record.name}）")
            return EXIT_OK
        if command == "change-password":
            current = reader.existing(
                f"{args.user} 的当前密码（或一次性密码）", f"current password of {args.user}"
            )
            new = reader.new("新密码", "new password")
            operators.change_password(store, args.user, current, new)
            print(f"已修改密码 password changed for {args.user.strip().lower()}")
            return EXIT_OK
        admin = operators.authenticate(
            store, args.user, reader.existing(f"管理员 {args.user} 的密码", f"password of {args.user}")
        )
        operators.require_admin(store, admin)  # before a new password is asked for
        if command == "add":
            password = reader.new(f"新操作员 {args.login} 的密码", f"password for {args.login}")
            record = operators.add_operator(
                store,
                admin,
                login=args.login,
                name=args.name,
                role=args.role,
                password=password,
                branch_code=args.branch,
            )
            print(f"已新增操作员 added {record.login}（{record.name}，{ROLE_ZH[record.role]}）")
        elif command == "disable":
            record = operators.disable_operator(store, admin, args.login)
            print(f"已停用 disabled {record.login}")
        elif command == "set-role":
            record = operators.set_role(store, admin, args.login, args.role)
            print(f"已修改角色 role changed: {record.login} → {ROLE_ZH[record.role]} {record.role}")
        else:
            password = reader.new(f"{args.login} 的一次性密码", f"one-time password for {args.login}")
            record = operators.reset_password(store, admin, args.login, password)
            print(
                f"已重置 {record.login} 的密码：旧密码已失效，下次登录须先设置新密码 "
                f"(password reset: the old one no longer works; {record.login} must set a new one "
                "at the next login)"
            )
    finally:
        store.dispose()
    return EXIT_OK


def _list_users(store: Store, as_json: bool) -> None:
    from teller_assist.services import operators
    from teller_assist.vocabulary import ROLE_ZH

    now = dt.datetime.now(dt.UTC)
    rows = operators.list_operators(store)
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "login": r.login,
                        "name": r.name,
                        "role": r.role,
                        "branch_code": r.branch_code,
                        "active": r.active,
                        "locked": bool(r.locked_until and r.locked_until > now),
                        "must_change_password": r.must_change_password,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    listed = []
    for r in rows:
        state = "停用" if not r.active else ("锁定" if r.locked_until and r.locked_until > now else "正常")
        if r.must_change_password:
            state += "（待改密码）"
        listed.append((r.login, r.name, ROLE_ZH[r.role], r.branch_code or "—", state))
    print("\n".join(table(("登录名 login", "姓名 name", "角色 role", "网点 branch", "状态 state"), listed)))


def cmd_policy(args: argparse.Namespace) -> int:
    from teller_assist.prequal.policy import load_policy

    policy = load_policy(args.file)
    print(f"有效 valid: {policy.name} 版本 {policy.version} sha256 {policy.sha256}")
    print(
        f"  基础额度 {policy.base:,} 元，上限 {policy.cap:,} 元，调查表 {len(policy.forms)} 个场景："
        + "、".join(f.label_zh for f in policy.forms.values())
    )
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
    return run(_settings(args), demo_if_empty=getattr(args, "demo_if_empty", False))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "db": cmd_db,
    "config": cmd_config_show,
    "demo-data": cmd_demo_data,
    "id": cmd_id_check,
    "lookup": cmd_lookup,
    "prequal": cmd_prequal,
    "policy": cmd_policy,
    "simulate": cmd_simulate,
    "users": cmd_users,
    "import": cmd_import,
    "import-rejects": cmd_import_rejects,
    **cli_workflow.COMMANDS,
    **cli_campaign.COMMANDS,
    **cli_kpi.COMMANDS,
    **cli_targets.COMMANDS,
}


def _start_logging(args: argparse.Namespace) -> None:
    """The private log and crash reports in the data folder (settings errors surface later, plainly)."""
    from teller_assist.logs import install_crash_handler, setup_logging

    try:
        settings = load_settings(database_url=getattr(args, "db", None))
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
        code = COMMANDS[command](args)
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
