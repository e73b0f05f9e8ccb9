"""``teller-assist apply|approve|reject|sign|cancel|applications|sms``: the application workflow on the
command line (scripted and batch use): submission, the four-eyes decision, signing, the list, the texts.

Passwords come from a prompt or from one line on stdin (``--password-stdin``), never from the command
line. A refusal exits non-zero with its reason in one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    day_of,
    opened,
    settings_of,
    writable_output,
    writing,
)
from teller_assist.cli.dates import parse_date
from teller_assist.cli.passwords import read_login_password
from teller_assist.cli.table import table
from teller_assist.money import yuan_text
from teller_assist.prequal.workflow import Status
from teller_assist.settings import Settings

STATUSES = tuple(Status)  # the values `--status` takes


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    def login_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--user", required=True, metavar="LOGIN", help="操作员登录名 the operator's login")
        p.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读取密码 read the password from stdin"
        )
        p.add_argument("--json", action="store_true")

    apply = sub.add_parser("apply", parents=[common], help="提交预授信申请 submit an application")
    apply.add_argument("id_no", metavar="ID")
    apply.add_argument("--survey", type=Path, required=True, metavar="FILE", help="调查表JSON the survey")
    apply.add_argument("--name", help="客户姓名（非本行客户时）the name, for someone the bank has not seen")
    apply.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=argparse.SUPPRESS)
    login_options(apply)

    for verb, help_text in (
        ("approve", "批准申请 approve"),
        ("reject", "拒绝申请 reject"),
        ("sign", "签约 signed"),
    ):
        p = sub.add_parser(verb, parents=[common], help=help_text)
        p.add_argument("app_id", type=int, metavar="APP")
        if verb == "reject":
            p.add_argument("--reason", required=True, help="拒绝原因 the reason")
        p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=argparse.SUPPRESS)
        login_options(p)

    cancel = sub.add_parser("cancel", parents=[common], help="撤销申请 withdraw a submitted application")
    cancel.add_argument("app_id", type=int, metavar="APP")
    login_options(cancel)

    lst = sub.add_parser("applications", parents=[common], help="申请列表 list applications")
    lst.add_argument("--status", choices=STATUSES)
    lst.add_argument("--json", action="store_true")
    lst.add_argument(
        "--expire", action="store_true", help="先关闭已到期的额度 close lines past validity first"
    )

    sms = sub.add_parser("sms", parents=[common], help="短信 the SMS outbox")
    sms_sub = sms.add_subparsers(dest="sms_command", metavar="ACTION", required=True)
    sms_exp = sms_sub.add_parser("export", parents=[common], help="导出待发短信 export queued texts (once)")
    sms_exp.add_argument("--out", type=Path, required=True, metavar="FILE.csv")


def _print_application(record: Any, settings: Settings, as_json: bool) -> None:
    from teller_assist.prequal.workflow import STATUS_ZH, rate_text
    from teller_assist.services.applications import application_to_json

    if as_json:
        data = application_to_json(record, settings.masking.resident_id(record.id_no))
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    parts = [
        f"申请 {record.id}",
        STATUS_ZH[record.status],
        settings.masking.resident_id(record.id_no),
        record.name or "",
        f"额度 {yuan_text(record.line_fen)} 元",
        f"年利率 {rate_text(record.annual_rate_bp)}%",
    ]
    if record.agreement_no:
        parts.append(f"协议号 {record.agreement_no}")
    if record.valid_until:
        parts.append(f"有效期至 {record.valid_until}")
    if record.reject_reason:
        parts.append(f"原因：{record.reject_reason}")
    print("  ".join(p for p in parts if p))


def cmd_workflow(args: argparse.Namespace) -> int:
    from teller_assist.services import applications as apps
    from teller_assist.services.applications import Actor, WorkflowRefused
    from teller_assist.services.operators import authenticate
    from teller_assist.services.prequal import active_policy

    settings = settings_of(args)
    policy = active_policy(settings)
    survey = None
    if args.command == "apply":
        from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
        from teller_assist.prequal.survey import load_survey

        try:  # a bad ID fails before any password prompt
            parse_resident_id(args.id_no, today=day_of(args))
        except InvalidResidentId as exc:
            print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
            return EXIT_USAGE
        survey = load_survey(args.survey)
    password = read_login_password(args.password_stdin)
    with opened(settings, policy) as ctx:
        if getattr(args, "as_of", None) is not None:
            ctx = ctx.dated(args.as_of)  # a test's day (the option is hidden)
        actor = Actor(authenticate(ctx, args.user, password), ctx.workstation)
        try:
            if args.command == "apply":
                assert survey is not None
                record = apps.submit(ctx, args.id_no, survey, actor, name=args.name)
            elif args.command == "approve":
                record = apps.approve(ctx, args.app_id, actor, sms_sender=settings.bank_short_name)
            elif args.command == "reject":
                record = apps.reject(ctx, args.app_id, actor, args.reason)
            elif args.command == "sign":
                record = apps.sign(ctx, args.app_id, actor)
            else:
                record = apps.cancel(ctx, args.app_id, actor)
        except WorkflowRefused as exc:
            print(f"拒绝 refused: {exc.describe()}", file=sys.stderr)
            return EXIT_REFUSED
        _print_application(record, settings, args.json)
    return EXIT_OK


def cmd_applications(args: argparse.Namespace) -> int:
    from teller_assist.prequal.workflow import STATUS_ZH, rate_text
    from teller_assist.services import applications as apps

    settings = settings_of(args)
    with opened(settings) as ctx:
        if args.expire:
            closed = apps.expire_due(ctx)
            print(f"已关闭到期额度 {closed} 笔 closed {closed} past validity", file=sys.stderr)
        rows = apps.listing(ctx, status=args.status)
    if args.json:
        data = [apps.application_to_json(r, settings.masking.resident_id(r.id_no)) for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("没有申请 no applications")
    listed = [
        (
            str(r.id), STATUS_ZH[r.status], settings.masking.resident_id(r.id_no), r.name or "—",
            yuan_text(r.line_fen),
            f"{rate_text(r.annual_rate_bp)}%", r.agreement_no or "",
            f"{r.submitted_at.astimezone():%Y-%m-%d %H:%M}", f"{r.maker_login}→{r.checker_login or '…'}",
        )
        for r in rows
    ]  # fmt: skip
    if listed:
        headers = (
            "申请 id",
            "状态",
            "身份证号 ID",
            "姓名 name",
            "额度(元)",
            "年利率",
            "协议号",
            "提交 at",
            "经办→审批",
        )
        print("\n".join(table(headers, listed, ">>><>>")))
    return EXIT_OK


def cmd_sms(args: argparse.Namespace) -> int:
    from teller_assist.services import audit, sms

    settings = settings_of(args)
    writable_output(args.out)
    with opened(settings) as ctx, writing(args.out):
        count = sms.export(ctx, args.out, operator=audit.os_actor())
    if count:
        print(f"已导出 {count} 条短信 exported {count} texts → {args.out}")
    else:
        print("没有待发短信 nothing queued; no file written")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "apply": cmd_workflow,
    "approve": cmd_workflow,
    "reject": cmd_workflow,
    "sign": cmd_workflow,
    "cancel": cmd_workflow,
    "applications": cmd_applications,
    "sms": cmd_sms,
}
