"""``teller-assist campaign ...``: group campaigns on the command line.

    campaign check FILE --scenario S [--refused-out FILE.xlsx] [--json]     check a roster, store nothing
    campaign create CODE --scenario S --group NAME [--uscc CODE] [--village-group NAME ...]
                    --branch B --from DATE --to DATE [--indicator N [--granted]] --user LOGIN
    campaign list [--status open|closed] [--json] --user LOGIN
    campaign show CODE [--as-of DATE] [--policy FILE] [--members] [--json] --user LOGIN
    campaign close CODE --user LOGIN
    campaign import CODE FILE [--as-of DATE] [--policy FILE] [--refused-out FILE.xlsx] [--json] --user LOGIN

Every command but ``check`` is a signed-in operator's (``--user``, the password from the terminal or
``--password-stdin``), checked by the service against their role and branch and audited under them.
Each command parses, calls one service, prints. People appear masked.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from teller_assist.campaigns.roster import SCENARIO_ZH, SCENARIOS
from teller_assist.cli_table import table
from teller_assist.cli_workflow import parse_date, writable_output, writing
from teller_assist.settings import Settings, load_settings

EXIT_OK, EXIT_ROWS_REFUSED = 0, 1
SCENARIO_HELP = "场景 " + "、".join(f"{k}={v}" for k, v in SCENARIO_ZH.items())


def _user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", required=True, metavar="LOGIN", help="操作员登录名 the operator")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


def _decided_on(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="测算日（默认今天）")
    parser.add_argument("--policy", type=Path, metavar="FILE", help="授信政策文件 a policy file")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    camp = sub.add_parser("campaign", parents=[common], help="整村、整企等客群活动 group credit campaigns")
    camp_sub = camp.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    check = camp_sub.add_parser(
        "check",
        parents=[common],
        help="核对客群名单并批量测算 check a group's roster and pre-qualify every member",
        description="读取名单（.xlsx 或 .csv），逐行核对，并按政策测算每位成员的额度（不保存名单）。"
        " Reads a roster, checks every row and pre-qualifies every member (nothing is stored).",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="名单文件 the roster (.xlsx or .csv)")
    check.add_argument("--scenario", required=True, choices=SCENARIOS, help=SCENARIO_HELP)
    _decided_on(check)
    check.add_argument(
        "--refused-out",
        type=Path,
        metavar="FILE.xlsx",
        help="未通过的行导出为Excel，交回村委会/人事更正 the refused rows as a workbook for the group",
    )
    check.add_argument("--json", action="store_true")

    create = camp_sub.add_parser(
        "create",
        parents=[common],
        help="新建活动 make a campaign (head office, or a branch head for their branch)",
    )
    create.add_argument("code", metavar="CODE", help="活动代码，例如 village-后白镇-2026")
    create.add_argument("--scenario", required=True, choices=SCENARIOS, help=SCENARIO_HELP)
    create.add_argument(
        "--group", required=True, metavar="NAME", help="客群名称：村、企业、协会、机关、小区或市场的名称"
    )
    create.add_argument(
        "--uscc",
        metavar="CODE",
        help="统一社会信用代码（整企、整局必填）the group's unified social credit code",
    )
    create.add_argument(
        "--village-group",
        dest="village_groups",
        action="append",
        default=[],
        metavar="NAME",
        help="村民小组（可多次；整村）a village group, repeatable",
    )
    create.add_argument("--branch", required=True, metavar="CODE", help="负责网点 the owning branch")
    create.add_argument("--from", dest="starts_on", type=parse_date, required=True, metavar="DATE")
    create.add_argument("--to", dest="ends_on", type=parse_date, required=True, metavar="DATE")
    create.add_argument("--indicator", type=int, metavar="N", help="指标任务：签约人数 people to sign")
    create.add_argument(
        "--granted", action="store_true", help="指标按授信人数计 the indicator counts granted"
    )
    create.add_argument("--json", action="store_true")
    _user(create)

    listing = camp_sub.add_parser("list", parents=[common], help="活动列表 the campaigns")
    listing.add_argument("--status", choices=("open", "closed"), default=None)
    listing.add_argument("--json", action="store_true")
    _user(listing)

    show = camp_sub.add_parser(
        "show", parents=[common], help="活动详情：成员、状态与额度段 a campaign, its members counted"
    )
    show.add_argument("code", metavar="CODE")
    _decided_on(show)
    show.add_argument(
        "--members", action="store_true", help="逐一列出成员（部分隐藏）list every member, masked"
    )
    show.add_argument("--json", action="store_true")
    _user(show)

    close = camp_sub.add_parser("close", parents=[common], help="结束活动 close a campaign")
    close.add_argument("code", metavar="CODE")
    _user(close)

    imp = camp_sub.add_parser(
        "import",
        parents=[common],
        help="导入名单为活动成员 load a roster as the campaign's members",
        description="读取名单，逐行核对后在一个事务中保存为活动成员；重复导入更正后的名单只更新、不重复。"
        " Loads a roster as the campaign's members in one transaction; a corrected roster updates them.",
    )
    imp.add_argument("code", metavar="CODE")
    imp.add_argument("file", type=Path, metavar="FILE", help="名单文件 the roster (.xlsx or .csv)")
    _decided_on(imp)
    imp.add_argument(
        "--refused-out",
        type=Path,
        metavar="FILE.xlsx",
        help="未通过的行导出为Excel，交回更正 the refused rows as a workbook for the group",
    )
    imp.add_argument("--json", action="store_true")
    _user(imp)


# --- plumbing -----------------------------------------------------------------------------------------


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - the bank's local date


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(database_url=args.db)


@contextlib.contextmanager
def _signed_in(args: argparse.Namespace) -> Iterator[tuple[Any, Any, Settings]]:
    """(store, operator, settings): the password read first, the database opened, the operator signed in."""
    from teller_assist.cli_workflow import read_login_password
    from teller_assist.services.database import open_database
    from teller_assist.services.operators import authenticate

    settings = _settings(args)
    password = read_login_password(args.password_stdin)
    opened = open_database(settings, upgrade=False)
    try:
        yield opened.store, authenticate(opened.store, args.user, password), settings
    finally:
        opened.store.dispose()


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _moment(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _local(value: dt.datetime | None) -> str:
    return "—" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")


def _campaign_json(c: Any) -> dict[str, object]:
    return {
        "code": c.code,
        "scenario": c.scenario,
        "scenario_zh": SCENARIO_ZH[c.scenario],
        "group": {"name": c.group_name, "uscc": c.group_uscc, "village_groups": list(c.village_groups)},
        "branch": c.branch_code,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "indicator": None if c.indicator is None else {"people": c.indicator, "measure": c.indicator_measure},
        "status": c.status,
        "created_by": c.created_by,
        "created_at": _moment(c.created_at),
        "closed_by": c.closed_by,
        "closed_at": _moment(c.closed_at),
        "roster": None
        if c.roster_at is None
        else {
            "file": c.roster_file,
            "sha256": c.roster_sha256,
            "rows": c.roster_rows,
            "by": c.roster_by,
            "at": _moment(c.roster_at),
        },
    }


def _campaign_line(c: Any) -> str:
    from teller_assist.services.campaigns import STATUS_ZH

    group = c.group_name + (f"（{c.group_uscc}）" if c.group_uscc else "")
    indicator = (
        ""
        if c.indicator is None
        else f"，指标 {c.indicator:,} 人（{'授信' if c.indicator_measure == 'granted' else '签约'}）"
    )
    return (
        f"活动 {c.code}：{SCENARIO_ZH[c.scenario]} {group}，网点 {c.branch_code}，"
        f"{c.starts_on.isoformat()} 至 {c.ends_on.isoformat()}{indicator}，{STATUS_ZH[c.status]}"
    )


# --- check (nothing stored) ----------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.campaigns import check_roster_file, export_refused
    from teller_assist.services.database import open_database
    from teller_assist.services.prequal import active_policy

    settings = _settings(args)
    if args.refused_out is not None:
        writable_output(args.refused_out)
    policy = active_policy(settings, args.policy)
    as_of = args.as_of or _today()
    opened = open_database(settings, upgrade=False)
    try:
        check = check_roster_file(
            opened.store, args.file, args.scenario, policy, as_of=as_of, operator=audit.os_actor()
        )
    finally:
        opened.store.dispose()
    decision = check.decision
    written = None
    if args.refused_out is not None and decision.refused:
        with writing(args.refused_out):
            written = export_refused(check, args.refused_out, settings.masking)
    bands = [
        (label, decision.grantable[label].people, decision.grantable[label].exposure,
         decision.potential[label].people, decision.potential[label].exposure)
        for label in decision.grantable
    ]  # fmt: skip
    if args.json:
        _print_json(
            {
                "file": str(args.file),
                "scenario": args.scenario,
                "as_of": as_of.isoformat(),
                "policy": policy.identity,
                "rows": len(decision.decided) + len(decision.refused),
                "members": len(decision.decided),
                "known": decision.known,
                "new_to_bank": len(decision.decided) - decision.known,
                "eligible": decision.eligible,
                "holding_a_line": decision.holding,
                "refused": [
                    {"line": r.line_no, "reason_zh": r.reason_zh, "reason_en": r.reason_en}
                    for r in decision.refused
                ],
                "ineligible": [
                    {"line": d.member.line_no, "reasons": list(d.decision.reasons)}
                    for d in decision.ineligible
                ],
                "bands": _bands_json(bands),
                "refused_file": str(args.refused_out) if written is not None else None,
            }
        )
        return EXIT_ROWS_REFUSED if decision.refused else EXIT_OK
    rows = len(decision.decided) + len(decision.refused)
    print(
        f"{SCENARIO_ZH[args.scenario]}名单 {args.file.name}：{rows:,} 行，成员 {len(decision.decided):,}"
        f"（本行客户 {decision.known:,}，新客户 {len(decision.decided) - decision.known:,}），"
        f"可授信 {decision.eligible:,}，已持有预授信 {decision.holding:,}，未通过 {len(decision.refused):,}"
    )
    print(f"政策 policy {policy.identity}，测算日 as of {as_of.isoformat()}")
    _print_bands(bands)
    for d in decision.ineligible:
        print(f"  第{d.member.line_no}行 不可授信：{'；'.join(d.decision.reasons)}")
    for r in decision.refused:
        print(f"  第{r.line_no}行 未通过：{r.reason_zh}")
    if written is not None:
        print(f"未通过的 {written:,} 行已导出 → {args.refused_out}（交回更正后重新核对）")
    return EXIT_ROWS_REFUSED if decision.refused else EXIT_OK


def _bands_json(bands: list[tuple[str, int, int, int, int]]) -> dict[str, dict[str, int]]:
    return {
        label: {"grantable_people": gp, "grantable_yuan": gy, "potential_people": pp, "potential_yuan": py}
        for label, gp, gy, pp, py in bands
    }


def _print_bands(bands: list[tuple[str, int, int, int, int]]) -> None:
    headers = ("额度段 band", "可授人数", "可授额度(元)", "调查后人数", "调查后额度(元)")
    print("\n".join(table(headers, bands, "<>>>>")))


# --- the stored campaigns --------------------------------------------------------------------------------


def _create(args: argparse.Namespace) -> int:
    from teller_assist.campaigns.campaign import check_spec
    from teller_assist.services.campaigns import create_campaign

    spec = check_spec(  # what was typed is checked before the database opens
        code=args.code,
        scenario=args.scenario,
        group_name=args.group,
        branch_code=args.branch,
        starts_on=args.starts_on,
        ends_on=args.ends_on,
        today=_today(),
        group_uscc=args.uscc,
        village_groups=args.village_groups,
        indicator=args.indicator,
        indicator_measure="granted" if args.granted else "signed",
    )
    with _signed_in(args) as (store, operator, _s):
        made = create_campaign(store, operator, spec)
    if args.json:
        _print_json(_campaign_json(made))
    else:
        print("已新建 created: " + _campaign_line(made))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import STATUS_ZH, list_campaigns

    with _signed_in(args) as (store, operator, _s):
        rows = list_campaigns(store, operator, status=args.status)
    if args.json:
        _print_json([_campaign_json(c) for c in rows])
        return EXIT_OK
    body = [
        (
            c.code,
            SCENARIO_ZH[c.scenario],
            c.group_name,
            c.branch_code,
            f"{c.starts_on.isoformat()}–{c.ends_on.isoformat()}",
            c.indicator,
            STATUS_ZH[c.status],
            c.roster_rows,
        )
        for c in rows
    ]
    head = ("活动代码", "场景", "客群", "网点", "活动期", "指标", "状态", "名单行数")
    print("\n".join(table(head, body, "<<<<<><>")))
    print(f"共 {len(rows):,} 个活动 campaigns")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import MEMBER_STATUS_ZH, show_campaign
    from teller_assist.services.prequal import active_policy

    as_of = args.as_of or _today()
    with _signed_in(args) as (store, operator, settings):
        shown = show_campaign(
            store,
            operator,
            args.code,
            active_policy(settings, args.policy),
            as_of=as_of,
            members=settings.masking if args.members else None,
        )
    pre = shown.prequalified
    bands = [
        (label, pre.grantable[label].people, pre.grantable[label].exposure,
         pre.potential[label].people, pre.potential[label].exposure)
        for label in pre.grantable
    ]  # fmt: skip
    if args.json:
        out: dict[str, object] = {
            **_campaign_json(shown.campaign),
            "as_of": shown.as_of.isoformat(),
            "policy": shown.policy,
            "members": shown.members,
            "by_status": shown.counts,
            "on_other_campaigns": shown.on_other_campaigns,
            "prequalified": {
                "decided": pre.decided,
                "eligible": pre.eligible,
                "holding_a_line": pre.holding,
                "holding_yuan": pre.holding_yuan,
                "bands": _bands_json(bands),
            },
        }
        if shown.member_lines is not None:
            out["member_list"] = [
                {
                    "line": m.line_no,
                    "id_masked": m.id_masked,
                    "name": m.name,
                    "phone_masked": m.phone_masked,
                    "status": m.status,
                    "reason": m.reason,
                    "evaluation": m.evaluation_zh,
                    "evaluated_by": m.evaluated_by,
                    "key_household": m.key_household,
                    "permanent_staff": m.permanent_staff,
                    "columns": m.extras,
                }
                for m in shown.member_lines
            ]
        _print_json(out)
        return EXIT_OK
    c = shown.campaign
    print(_campaign_line(c))
    if c.village_groups:
        print(f"村民小组：{'、'.join(c.village_groups)}")
    if c.roster_at is not None:
        print(
            f"最近名单 roster: {c.roster_file}，{c.roster_rows:,} 行，"
            f"{c.roster_by} 于 {_local(c.roster_at)} 导入"
        )
    counts = "，".join(f"{MEMBER_STATUS_ZH[s]} {n:,}" for s, n in shown.counts.items())
    print(
        f"成员 members {shown.members:,}：{counts}；"
        f"同时在其他活动中 {shown.on_other_campaigns:,} 人（额度按人只计一次）"
    )
    print(
        f"测算 as of {shown.as_of.isoformat()}（政策 {shown.policy}）："
        f"待授信 {pre.decided - pre.holding:,} 人，其中可授信 {pre.eligible:,}；"
        f"已持有或在审预授信 {pre.holding:,} 人，额度 {pre.holding_yuan:,} 元（不重复计入）"
    )
    _print_bands(bands)
    if shown.member_lines is not None:
        body = [
            (
                m.line_no,
                m.name,
                m.id_masked,
                m.phone_masked,
                m.status_zh,
                m.evaluation_zh,
                "是" if m.key_household else "",
                m.reason,
            )
            for m in shown.member_lines
        ]
        head = ("行号", "姓名", "身份证号", "手机号", "状态", "评议", "重点户", "原因")
        print("\n".join(table(head, body, ">")))
    return EXIT_OK


def _close(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import close_campaign

    with _signed_in(args) as (store, operator, _s):
        closed = close_campaign(store, operator, args.code)
    print(
        f"已结束 closed: 活动 {closed.code}（{closed.closed_by} 于 {_local(closed.closed_at)}），"
        "不再接收名单"
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import import_roster
    from teller_assist.services.prequal import active_policy

    if args.refused_out is not None:
        writable_output(args.refused_out)
    as_of = args.as_of or _today()
    with _signed_in(args) as (store, operator, settings):
        done = import_roster(
            store,
            operator,
            args.code,
            args.file,
            active_policy(settings, args.policy),
            as_of=as_of,
            masking=settings.masking,
            refused_out=args.refused_out,
        )
    plan, counts = done.plan, done.counts
    refused_rows = len(plan.refused)
    if args.json:
        _print_json(
            {
                "campaign": done.campaign.code,
                "file": done.file_name,
                "sha256": done.sha256,
                "as_of": done.as_of.isoformat(),
                "policy": done.policy,
                "rows": plan.rows,
                "matched": plan.count("matched"),
                "new_to_bank": plan.count("new_to_bank"),
                "refused_members": plan.count("refused"),
                "refused_rows": refused_rows,
                "eligible": plan.eligible,
                "holding_a_line": plan.holding,
                "added": counts.added,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "removed": counts.removed,
                "refused": [
                    {"line": r.line_no, "reason_zh": r.reason_zh, "reason_en": r.reason_en}
                    for r in plan.refused
                ],
                "refused_file": None if done.refused_written is None else str(args.refused_out),
            }
        )
        return EXIT_ROWS_REFUSED if refused_rows else EXIT_OK
    print(
        f"活动 {done.campaign.code} 导入名单 {done.file_name}：{plan.rows:,} 行，"
        f"本行客户 {plan.count('matched'):,}，"
        f"新客户 {plan.count('new_to_bank'):,}，未通过 {refused_rows:,} 行"
        f"（其中 {plan.count('refused'):,} 人保留为未通过成员）"
    )
    print(
        f"成员 members：新增 {counts.added:,}，更新 {counts.updated:,}，未变 {counts.unchanged:,}，"
        f"不在新名单中（保留并标记为已移出）{counts.removed:,}"
    )
    print(f"可授信 {plan.eligible:,}，已持有或在审预授信 {plan.holding:,}（额度按人只计一次，不重复授信）")
    for r in plan.refused:
        print(f"  第{r.line_no}行 未通过：{r.reason_zh}")
    if done.refused_written is not None:
        print(f"未通过的 {done.refused_written:,} 行已导出 → {args.refused_out}（交回更正后重新导入）")
    return EXIT_ROWS_REFUSED if refused_rows else EXIT_OK


def cmd_campaign(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "check": _check,
        "create": _create,
        "list": _list,
        "show": _show,
        "close": _close,
        "import": _import,
    }
    return handlers[args.campaign_command](args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"campaign": cmd_campaign}
