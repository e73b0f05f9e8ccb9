"""``teller-assist users|audit|document-key|config|policy|simulate``: head office's administration on the
command line: operators (a head-office administrator signs in first), the audit trail, the documents'
verification key, the settings in force, and the credit policy checked and run over the customer base."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teller_assist.cli.common import (
    EXIT_OK,
    ProgressBar,
    now,
    opened,
    settings_of,
    today,
    writable_output,
    writing,
)
from teller_assist.cli.dates import parse_date
from teller_assist.cli.passwords import PasswordReader
from teller_assist.cli.table import pad, table
from teller_assist.errors import UserFacingError
from teller_assist.money import signed_yuan_text, yuan_text

if TYPE_CHECKING:  # the data layer loads with the command that needs it
    from teller_assist.services.context import Context

ROLES = ("teller", "lobby_manager", "branch_head", "hq_admin")
EXIT_TAMPERED = 4  # audit verify found a broken chain

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


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
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

    config = sub.add_parser("config", parents=[common], help="设置 settings")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", parents=[common], help="显示生效的设置 show the effective settings")
    show.add_argument("--json", action="store_true")

    pol = sub.add_parser("policy", parents=[common], help="授信政策 the credit policy")
    pol_sub = pol.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    pcheck = pol_sub.add_parser("check", parents=[common], help="校验政策文件 validate a policy file")
    pcheck.add_argument("file", type=Path, metavar="FILE")

    sim = sub.add_parser(
        "simulate", parents=[common], help="全量模拟测算 run a policy over the customer base"
    )
    sim.add_argument(
        "--policy", type=Path, metavar="FILE", help="授信政策文件 (default: the policy in force)"
    )
    sim.add_argument("--against", type=Path, metavar="FILE", help="对比的政策文件 a policy to compare with")
    sim.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    out_format = sim.add_mutually_exclusive_group()
    out_format.add_argument("--json", action="store_true")
    out_format.add_argument("--csv", action="store_true")

    dk = sub.add_parser("document-key", parents=[common], help="文书验证密钥 the documents' verification key")
    dk_sub = dk.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    dk_exp = dk_sub.add_parser(
        "export", parents=[common], help="写入文件，供另一台电脑导入 write it to a file for another desktop"
    )
    dk_exp.add_argument("--out", type=Path, required=True, metavar="FILE")
    dk_imp = dk_sub.add_parser("import", parents=[common], help="从文件导入本机 keep the key in a file here")
    dk_imp.add_argument("file", type=Path, metavar="FILE")

    aud = sub.add_parser("audit", parents=[common], help="审计记录 the audit trail")
    aud_sub = aud.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    averify = aud_sub.add_parser("verify", parents=[common], help="校验审计链 check the chain")
    averify.add_argument(
        "--anchors",
        type=Path,
        metavar="FILE",
        help="同时核对总行保存的锚点文件（发现重算与截断）also check head office's anchor file "
        "(finds a recomputed or truncated chain)",
    )
    anchor = aud_sub.add_parser(
        "anchor",
        parents=[common],
        help="把审计链头（序号与哈希）追加到总行保存的锚点文件 append the chain's head to head "
        "office's anchor file (mode 0600; at least daily)",
    )
    anchor.add_argument("--out", type=Path, required=True, metavar="FILE")
    exp = aud_sub.add_parser("export", parents=[common], help="导出审计记录 export rows as CSV")
    exp.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    exp.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    exp.add_argument("--out", type=Path, required=True, metavar="FILE.csv")


def cmd_users(args: argparse.Namespace) -> int:
    from teller_assist.services import operators
    from teller_assist.vocabulary import ROLE_ZH

    settings = settings_of(args)
    command = args.users_command
    reader = PasswordReader(getattr(args, "password_stdin", False))
    with opened(settings) as ctx:
        if command == "list":
            _list_users(ctx, args.json)
            return EXIT_OK
        if command == "add-first-admin":
            password = reader.new(f"新管理员 {args.login} 的密码", f"password for {args.login}")
            record = operators.add_first_admin(
                ctx, login=args.login, name=args.name, password=password, branch_code=args.branch
            )
            print(f"已创建首个总行管理员 first administrator added: {record.login}（{record.name}）")
            return EXIT_OK
        if command == "change-password":
            current = reader.existing(
                f"{args.user} 的当前密码（或一次性密码）", f"current password of {args.user}"
            )
            new = reader.new("新密码", "new password")
            operators.change_password(ctx, args.user, current, new)
            print(f"已修改密码 password changed for {args.user.strip().lower()}")
            return EXIT_OK
        admin = operators.authenticate(
            ctx, args.user, reader.existing(f"管理员 {args.user} 的密码", f"password of {args.user}")
        )
        operators.require_admin(ctx, admin)  # before a new password is asked for
        if command == "add":
            password = reader.new(f"新操作员 {args.login} 的密码", f"password for {args.login}")
            record = operators.add_operator(
                ctx,
                admin,
                login=args.login,
                name=args.name,
                role=args.role,
                password=password,
                branch_code=args.branch,
            )
            print(f"已新增操作员 added {record.login}（{record.name}，{ROLE_ZH[record.role]}）")
        elif command == "disable":
            record = operators.disable_operator(ctx, admin, args.login)
            print(f"已停用 disabled {record.login}")
        elif command == "set-role":
            record = operators.set_role(ctx, admin, args.login, args.role)
            print(f"已修改角色 role changed: {record.login} → {ROLE_ZH[record.role]} {record.role}")
        else:
            password = reader.new(f"{args.login} 的一次性密码", f"one-time password for {args.login}")
            record = operators.reset_password(ctx, admin, args.login, password)
            print(
                f"已重置 {record.login} 的密码：旧密码已失效，下次登录须先设置新密码 "
                f"(password reset: the old one no longer works; {record.login} must set a new one "
                "at the next login)"
            )
    return EXIT_OK


def _list_users(ctx: Context, as_json: bool) -> None:
    from teller_assist.services import operators
    from teller_assist.vocabulary import ROLE_ZH

    at = now()
    rows = operators.list_operators(ctx)
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
                        "locked": bool(r.locked_until and r.locked_until > at),
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
        state = "停用" if not r.active else ("锁定" if r.locked_until and r.locked_until > at else "正常")
        if r.must_change_password:
            state += "（待改密码）"
        listed.append((r.login, r.name, ROLE_ZH[r.role], r.branch_code or "—", state))
    print("\n".join(table(("登录名 login", "姓名 name", "角色 role", "网点 branch", "状态 state"), listed)))


def cmd_audit(args: argparse.Namespace) -> int:
    from teller_assist.services import audit

    settings = settings_of(args)
    anchors = audit.read_anchors(args.anchors) if getattr(args, "anchors", None) else []
    if args.audit_command in ("export", "anchor"):
        writable_output(args.out)
    if args.audit_command == "export" and args.start and args.end and args.start > args.end:
        raise UserFacingError("起始日期晚于结束日期", "--from is after --to")
    with opened(settings) as ctx:
        if args.audit_command == "verify":
            result = audit.verify(ctx, anchors)
            against = f"，与 {len(anchors)} 个锚点相符 matches {len(anchors)} anchors" if anchors else ""
            if result.ok:
                print(
                    f"审计链完整 the chain is intact: {result.rows} 条 rows, head {result.head_seq}{against}"
                )
                return EXIT_OK
            for f in result.findings:
                print(f"第 {f.seq} 条 row {f.seq}: {f.problem_zh} ({f.problem_en})")
            print(f"审计链已被破坏 the chain is broken: {len(result.findings)} 处 findings", file=sys.stderr)
            return EXIT_TAMPERED
        if args.audit_command == "anchor":
            with writing(args.out):
                made = audit.anchor(ctx, args.out, operator=audit.os_actor())
            print(f"已记录锚点 anchored: 第 {made.seq} 条 row {made.seq}  {made.hash}  → {args.out}")
            return EXIT_OK
        with writing(args.out):
            count = audit.export_csv(ctx, args.out, start=args.start, end=args.end, operator=audit.os_actor())
        print(f"已导出 {count} 条 exported {count} rows to {args.out}")
    return EXIT_OK


def cmd_document_key(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.documents import export_key, import_key

    settings = settings_of(args)
    if args.key_command == "export":
        writable_output(args.out)
    with opened(settings) as ctx:
        if args.key_command == "export":
            mark = export_key(ctx, args.out, operator=audit.os_actor())
            print(
                f"已写出 wrote {args.out}（指纹 fingerprint {mark}）。"
                "请只用于在本行另一台电脑上导入，导入后立即删除该文件 "
                "(import it on another desktop of the bank, then delete the file)"
            )
        else:
            mark = import_key(ctx, args.file, operator=audit.os_actor())
            print(f"已导入 imported（指纹 fingerprint {mark}）。请删除文件 now delete {args.file}")
    return EXIT_OK


def cmd_config_show(args: argparse.Namespace) -> int:
    view = settings_of(args).public_view()
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"config_file = {view.pop('config_file')}")
    print(f"data_dir    = {view.pop('data_dir')}")
    for key, item in view.items():
        print(f"{pad(key, 18)} = {pad(repr(item['value']), 40)} # {item['source']}")
    return EXIT_OK


def cmd_policy(args: argparse.Namespace) -> int:
    from teller_assist.prequal.policy import load_policy

    policy = load_policy(args.file)
    print(f"有效 valid: {policy.name} 版本 {policy.version} sha256 {policy.sha256}")
    print(
        f"  基础额度 {yuan_text(policy.base_fen)} 元，上限 {yuan_text(policy.cap_fen)} 元，"
        f"调查表 {len(policy.forms)} 个场景："
        + "、".join(f.label_zh for f in policy.forms.values())
    )
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from teller_assist.exports import SpreadsheetWriter
    from teller_assist.prequal.policy import load_policy
    from teller_assist.services.database import current_overview
    from teller_assist.services.prequal import active_policy
    from teller_assist.services.simulate import simulate

    settings = settings_of(args)
    as_of = args.as_of or today()
    policies = [active_policy(settings, args.policy)]
    if args.against:
        policies.append(load_policy(args.against))
    with opened(settings) as ctx:
        started = time.monotonic()
        bar = ProgressBar("模拟 simulating")
        total = current_overview(ctx).customers
        result = simulate(ctx, policies, as_of=as_of, progress=lambda n: bar(n, total))
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
                            "exposure_fen": tally.exposure_fen,
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
                    "exposure_fen": column.total.exposure_fen,
                }
            )
    if args.csv:  # a sheet for people: the exposure in yuan, as they read it
        sheet = [
            {k: v for k, v in row.items() if k != "exposure_fen"}
            | {"exposure": yuan_text(row["exposure_fen"]).replace(",", "")}
            for row in rows
        ]
        columns = list(sheet[0]) if sheet else ["policy"]
        writer = SpreadsheetWriter(sys.stdout)
        writer.writerow(columns)
        writer.writerows([row[c] for c in columns] for row in sheet)
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
            "exposure_as_is_fen": run.now.total.exposure_fen,
            "exposure_evidence_confirmed_fen": run.confirmed.total.exposure_fen,
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
        as_is, confirmed = yuan_text(s["exposure_as_is_fen"]), yuan_text(s["exposure_evidence_confirmed_fen"])
        print(f"  现状总敞口 {as_is} 元；证据确认后 {confirmed} 元")
    first = result.runs[0]
    bands = [
        (key, a.people, yuan_text(a.exposure_fen), b.people, yuan_text(b.exposure_fen))
        for key in first.now.by_band
        for a, b in [(first.now.by_band[key], first.confirmed.by_band[key])]
    ]
    headers = ("额度段 band", "现状人数", "现状敞口(元)", "确认后人数", "确认后敞口(元)")
    print("\n".join(table(headers, bands, "<>>>>")))
    evidence = sorted(first.confirmed.by_evidence.items(), key=lambda kv: -kv[1].exposure_fen)
    by_evidence = [(key, tally.people, yuan_text(tally.exposure_fen)) for key, tally in evidence]
    print("\n".join(table(("依据 evidence", "确认后人数", "确认后敞口(元)"), by_evidence, "<>>")))
    if len(result.runs) == 2:
        other = result.runs[1]
        gap_fen = first.confirmed.total.exposure_fen - other.confirmed.total.exposure_fen
        print(
            f"对比 {other.policy_version}：证据确认后敞口差额 {signed_yuan_text(gap_fen)} 元；"
            f"现状差额 {signed_yuan_text(first.now.total.exposure_fen - other.now.total.exposure_fen)} 元"
        )
    print(f"用时 {result.seconds:.1f} s")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "users": cmd_users,
    "audit": cmd_audit,
    "document-key": cmd_document_key,
    "config": cmd_config_show,
    "policy": cmd_policy,
    "simulate": cmd_simulate,
}
