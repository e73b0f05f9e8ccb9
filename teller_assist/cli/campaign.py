"""``teller-assist campaign ...``: group campaigns on the command line.

    campaign check FILE --scenario S [--refused-out FILE.xlsx] [--json]     check a roster, store nothing
    campaign create CODE --scenario S --group NAME [--uscc CODE] [--village-group NAME ...]
                    --branch B --from DATE --to DATE [--indicator N [--granted]] --user LOGIN
    campaign list [--status open|closed] [--json] --user LOGIN
    campaign show CODE [--as-of DATE] [--policy FILE] [--members] [--json] --user LOGIN
    campaign close CODE --user LOGIN
    campaign import CODE FILE [--as-of DATE] [--policy FILE] [--refused-out FILE.xlsx] [--json] --user LOGIN
    campaign till CODE FILE [--as-of DATE] [--json] --user LOGIN           a market's till records
    campaign survey CODE --member ID --survey FILE [--as-of DATE] [--policy FILE] [--json] --user LOGIN
    campaign submit CODE [--as-of DATE] [--policy FILE] [--json] --user LOGIN
    campaign batch show BATCH [--policy FILE] [--json] --user LOGIN
    campaign batch approve BATCH [--as-of DATE] [--policy FILE] [--json] --user LOGIN
    campaign batch reject BATCH (--member ID | --application N) --reason TEXT --user LOGIN
    campaign letters CODE --out DIR [--documents both|letter|agreement] [--printer QUEUE] [--as-of DATE]
        [--workers N] [--json] --user LOGIN
    campaign sign CODE (--id ID | --from-file FILE) [--as-of DATE] [--json] --user LOGIN

Every command but ``check`` is a signed-in operator's (``--user``, the password from the terminal or
``--password-stdin``), checked by the service against their role and branch and audited under them.
Each command parses, calls one service, prints. People appear masked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from teller_assist.campaigns.roster import SCENARIO_ZH, SCENARIOS
from teller_assist.cli.common import (
    ProgressBar,
    opened,
    settings_of,
    signed_in,
    today,
    writable_output,
    writing,
)
from teller_assist.cli.dates import parse_date
from teller_assist.cli.table import table
from teller_assist.money import yuan_text

if TYPE_CHECKING:
    from teller_assist.services.context import Context

EXIT_OK, EXIT_ROWS_REFUSED, EXIT_REFUSED = 0, 1, 3
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
        description="读取名单（.xlsx、.xls 或 .csv），逐行核对，并按政策测算每位成员的额度（不保存名单）。"
        " Reads a roster, checks every row and pre-qualifies every member (nothing is stored).",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="名单文件 the roster (.xlsx, .xls or .csv)")
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
    imp.add_argument("file", type=Path, metavar="FILE", help="名单文件 the roster (.xlsx, .xls or .csv)")
    _decided_on(imp)
    imp.add_argument(
        "--refused-out",
        type=Path,
        metavar="FILE.xlsx",
        help="未通过的行导出为Excel，交回更正 the refused rows as a workbook for the group",
    )
    imp.add_argument("--json", action="store_true")
    _user(imp)

    survey = camp_sub.add_parser(
        "survey",
        parents=[common],
        help="登记成员的调查表 keep a member's completed survey",
        description="为活动成员登记已完成的调查表（本活动场景的表单，两项同意均已勾选），"
        "提交时据此测算高于基础额度的额度。 Keeps a member's completed survey (the campaign's own "
        "form, both consents given): a submission then decides their line with it.",
    )
    survey.add_argument("code", metavar="CODE")
    survey.add_argument("--member", required=True, metavar="ID", help="成员身份证号 the member's resident ID")
    survey.add_argument("--survey", required=True, type=Path, metavar="FILE", help="调查表 JSON the survey")
    _decided_on(survey)
    survey.add_argument("--json", action="store_true")
    _user(survey)

    submit = camp_sub.add_parser(
        "submit",
        parents=[common],
        help="成员批量提交授信申请 submit the members as applications in one batch",
        description="把活动中符合条件的成员一次提交为授信申请（一个批次）：无调查表按基础额度，"
        "有完成的调查表可高于基础额度；已持有或在审预授信的不重复提交；负面清单拒绝。"
        " Submits the campaign's eligible members as applications in one batch.",
    )
    submit.add_argument("code", metavar="CODE")
    _decided_on(submit)
    submit.add_argument("--json", action="store_true")
    _user(submit)

    batch = camp_sub.add_parser(
        "batch", parents=[common], help="提交批次的审批 a submitted batch: show, approve, reject"
    )
    batch_sub = batch.add_subparsers(dest="batch_command", metavar="ACTION", required=True)
    b_show = batch_sub.add_parser(
        "show",
        parents=[common],
        help="批次概况：笔数、总额、额度段，例外在前 the batch: count, total, bands, exceptions first",
    )
    b_show.add_argument("batch", type=int, metavar="BATCH", help="批次号 the batch number")
    b_show.add_argument("--policy", type=Path, metavar="FILE", help="授信政策文件 a policy file")
    b_show.add_argument("--json", action="store_true")
    _user(b_show)
    b_approve = batch_sub.add_parser(
        "approve",
        parents=[common],
        help="一次审批权限内的全部申请 approve in one step those within your authority",
    )
    b_approve.add_argument("batch", type=int, metavar="BATCH")
    _decided_on(b_approve)
    b_approve.add_argument("--json", action="store_true")
    _user(b_approve)
    b_reject = batch_sub.add_parser(
        "reject", parents=[common], help="逐一拒绝并说明原因 reject one member's application with a reason"
    )
    b_reject.add_argument("batch", type=int, metavar="BATCH")
    which = b_reject.add_mutually_exclusive_group(required=True)
    which.add_argument("--member", metavar="ID", help="成员身份证号 the member's resident ID")
    which.add_argument("--application", type=int, metavar="N", help="申请编号 the application number")
    b_reject.add_argument("--reason", required=True, metavar="TEXT", help="拒绝原因（客户将看到）")
    b_reject.add_argument("--json", action="store_true")
    _user(b_reject)
    _add_letter_parsers(camp_sub, common)


# --- plumbing -----------------------------------------------------------------------------------------


# the command line's one way of each (cli/common.py), kept under this module's own names
_today, _settings, _signed_in = today, settings_of, signed_in


def _batch_context(ctx: Context, args: argparse.Namespace, *, policy: bool = True) -> Context:
    """The context a survey, a batch or the letters work in: the policy the command names (``--policy``,
    else the settings'), loaded once signed in; on the ``--as-of`` day when one is given."""
    import dataclasses

    if policy:
        from teller_assist.services.prequal import active_policy

        ctx = dataclasses.replace(ctx, policy=active_policy(ctx.settings, getattr(args, "policy", None)))
    as_of = getattr(args, "as_of", None)
    return ctx if as_of is None else ctx.dated(as_of)


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
    from teller_assist.services.prequal import active_policy

    settings = _settings(args)
    if args.refused_out is not None:
        writable_output(args.refused_out)
    policy = active_policy(settings, args.policy)
    as_of = args.as_of or _today()
    with opened(settings, policy) as ctx:
        ctx = ctx.dated(as_of)
        check = check_roster_file(ctx, args.file, args.scenario, operator=audit.os_actor())
    decision = check.decision
    written = None
    if args.refused_out is not None and decision.refused:
        with writing(args.refused_out):
            written = export_refused(ctx, check, args.refused_out)
    bands = [
        (label, decision.grantable[label].people, decision.grantable[label].exposure_fen,
         decision.potential[label].people, decision.potential[label].exposure_fen)
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
        label: {"grantable_people": gp, "grantable_fen": gy, "potential_people": pp, "potential_fen": py}
        for label, gp, gy, pp, py in bands
    }


def _print_bands(bands: list[tuple[str, int, int, int, int]]) -> None:
    headers = ("额度段 band", "可授人数", "可授额度(元)", "调查后人数", "调查后额度(元)")
    shown = [(label, gp, yuan_text(gy), pp, yuan_text(py)) for label, gp, gy, pp, py in bands]
    print("\n".join(table(headers, shown, "<>>>>")))


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
    with _signed_in(args) as (ctx, operator):
        made = create_campaign(ctx, operator, spec)
    if args.json:
        _print_json(_campaign_json(made))
    else:
        print("已新建 created: " + _campaign_line(made))
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import STATUS_ZH, list_campaigns

    with _signed_in(args) as (ctx, operator):
        rows = list_campaigns(ctx, operator, status=args.status)
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
    with _signed_in(args) as (ctx, operator):
        ctx = replace(ctx, policy=active_policy(ctx.settings, args.policy)).dated(as_of)
        shown = show_campaign(ctx, operator, args.code, members=args.members)
    pre = shown.prequalified
    bands = [
        (label, pre.grantable[label].people, pre.grantable[label].exposure_fen,
         pre.potential[label].people, pre.potential[label].exposure_fen)
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
                "holding_fen": pre.holding_fen,
                "bands": _bands_json(bands),
            },
            "progress": None if shown.progress is None else _progress_json(shown.progress),
            "indicator_progress": _indicator_json(shown.indicator),
            "batches": [_batch_json(b) for b in shown.batches],
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
        f"已持有或在审预授信 {pre.holding:,} 人，额度 {yuan_text(pre.holding_fen)} 元（不重复计入）"
    )
    _print_bands(bands)
    if shown.progress is not None:
        _print_progress(shown.progress)
    mark = shown.indicator
    if mark is not None and mark.indicator is not None and mark.completion is not None:
        word = "已签约" if str(mark.indicator.measure) == "signed" else "已授信"
        print(
            f"指标 indicator：{mark.indicator.label_zh}，{word} {mark.completion.numerator:,} 人，"
            f"完成 {mark.completion.text()}"
        )
    for b in shown.batches:
        print(
            f"批次 {b.id}：{b.submitted_by} 于 {_local(b.submitted_at)} 提交 {b.applications:,} 笔，"
            f"待审批 {b.waiting:,} 笔"
        )
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


def _indicator_json(g: Any) -> dict[str, object] | None:
    """The campaign's indicator and how far it is, as ``kpi show --scope campaign:CODE`` counts it."""
    if g is None or g.indicator is None:
        return None
    c = g.completion
    return {
        "measure": str(g.indicator.measure),
        "people": g.indicator.people,
        "from": g.indicator.starts_on.isoformat(),
        "to": g.indicator.ends_on.isoformat(),
        "done": c.numerator,
        "completion_percent": None if c.percent() is None else str(c.percent()),
    }


def _progress_json(p: Any) -> dict[str, object]:
    fen = {"granted_fen": p.granted_fen, "signed_fen": p.signed_fen}
    return {**p.figures(), **fen, "as_of": p.day.isoformat()}


def _print_progress(p: Any) -> None:
    from teller_assist.campaigns.progress import FIGURE_ZH

    figures = "，".join(f"{FIGURE_ZH[k]} {v:,}" for k, v in p.figures().items())
    print(f"进度 progress（{p.day.isoformat()}，按人计）：{figures}")
    print(f"  持有授信 {yuan_text(p.granted_fen)} 元，其中已签约 {yuan_text(p.signed_fen)} 元")


def _batch_json(b: Any) -> dict[str, object]:
    return {
        "batch": b.id,
        "submitted_by": b.submitted_by,
        "submitted_at": _moment(b.submitted_at),
        "applications": b.applications,
        "waiting": b.waiting,
        "skipped": b.skipped,
    }


def _close(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import close_campaign

    with _signed_in(args) as (ctx, operator):
        closed = close_campaign(ctx, operator, args.code)
    print(
        f"已结束 closed: 活动 {closed.code}（{closed.closed_by} 于 {_local(closed.closed_at)}），"
        "不再接收名单"
    )
    return EXIT_OK


def _import_progress() -> Callable[[str, int, int], None] | None:
    """Each stage of a roster import as the command line's one-line bar on standard error, when it is a
    terminal (a stage finished keeps its line); nothing in a pipe or a log."""
    from teller_assist.services.campaigns import IMPORT_STAGE_ZH

    bar = ProgressBar("导入名单")
    if not bar.enabled:
        return None

    def show(stage: str, done: int, total: int) -> None:
        bar(done, total, f"导入名单 {IMPORT_STAGE_ZH[stage]}")

    return show


def _import(args: argparse.Namespace) -> int:
    from teller_assist.services.campaigns import import_roster
    from teller_assist.services.prequal import active_policy

    if args.refused_out is not None:
        writable_output(args.refused_out)
    as_of = args.as_of or _today()
    with _signed_in(args) as (ctx, operator):
        ctx = replace(ctx, policy=active_policy(ctx.settings, args.policy)).dated(as_of)
        done = import_roster(
            ctx, operator, args.code, args.file, refused_out=args.refused_out, progress=_import_progress()
        )
    plan, counts = done.plan, done.counts
    refused_rows = len(plan.refused)
    mask = ctx.settings.masking
    held = [(mask.resident_id(h.id_no), h.name, h.line_no) for h in done.held]
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
                "held": [{"id_masked": i, "name": n, "refused_line": line} for i, n, line in held],
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
        + (f"，可能是被拒行而未移除 {len(held):,}" if held else "")
    )
    for id_masked, name, line in held:
        print(f"  {id_masked} {name} 未移除：第 {line} 行被拒，请更正后重新导入")
    print(f"可授信 {plan.eligible:,}，已持有或在审预授信 {plan.holding:,}（额度按人只计一次，不重复授信）")
    for r in plan.refused:
        print(f"  第{r.line_no}行 未通过：{r.reason_zh}")
    if done.refused_written is not None:
        print(f"未通过的 {done.refused_written:,} 行已导出 → {args.refused_out}（交回更正后重新导入）")
    return EXIT_ROWS_REFUSED if refused_rows else EXIT_OK


# --- surveys, batches -----------------------------------------------------------------------------------


def _survey(args: argparse.Namespace) -> int:
    from teller_assist.prequal.survey import load_survey
    from teller_assist.services.campaign_batches import record_survey

    survey = load_survey(args.survey)  # a file that cannot be read fails before the password prompt
    with _signed_in(args) as (ctx, operator):
        done = record_survey(_batch_context(ctx, args), operator, args.code, args.member, survey)
    d = done.decision
    if args.json:
        _print_json(
            {
                "campaign": done.campaign.code,
                "line": done.line_no,
                "id_masked": ctx.settings.masking.resident_id(args.member.strip().upper()),
                "grantable_fen": d.grantable_fen,
                "potential_fen": d.potential_fen,
                "eligible": d.eligible,
            }
        )
        return EXIT_OK
    said = (
        f"可授信 {yuan_text(d.grantable_fen)} 元（下次提交时按此额度）"
        if d.eligible
        else "不可授信：" + "；".join(d.reasons)
    )
    print(f"已登记调查 surveyed: 活动 {done.campaign.code} 名单第{done.line_no}行，{said}")
    return EXIT_OK


def _submit(args: argparse.Namespace) -> int:
    from teller_assist.services.campaign_batches import SKIP_ZH, submit_campaign

    with _signed_in(args) as (ctx, operator):
        done = submit_campaign(_batch_context(ctx, args), operator, args.code)
    masking = ctx.settings.masking
    skipped = done.skipped
    listed = [
        {"line": s.line_no, "id_masked": masking.resident_id(s.id_no), "name": s.name, "reason": s.reason}
        for s in done.plan.skipped
    ] + [
        {"line": None, "id_masked": masking.resident_id(i), "name": None, "reason": "holding"}
        for i in done.passed_over
    ]
    survey_needed = [
        {"line": s.candidate.line_no, "id_masked": masking.resident_id(s.candidate.id_no),
         "name": s.candidate.name, "line_fen": s.line_fen, "potential_fen": s.decision.potential_fen}
        for s in done.plan.submit
        if s.survey_needed and s.candidate.id_no in done.made
    ]  # fmt: skip
    if args.json:
        _print_json(
            {
                "campaign": done.campaign.code,
                "batch": done.batch_id,
                "as_of": done.as_of.isoformat(),
                "policy": done.policy,
                "submitted": done.submitted,
                "submitted_fen": done.total,
                "with_survey": done.with_survey,
                "survey_needed": survey_needed,
                "skipped": skipped,
                "skipped_members": listed,
            }
        )
        return EXIT_OK
    if done.batch_id is None:
        print(f"活动 {done.campaign.code}：没有可提交的成员 nothing to submit")
    else:
        print(
            f"活动 {done.campaign.code} 提交批次 {done.batch_id}：{done.submitted:,} 笔申请，"
            f"合计 {yuan_text(done.total)} 元（其中按调查表测算 {done.with_survey:,} 笔，"
            f"按基础额度、完成调查可提高 {len(survey_needed):,} 笔）"
        )
        print(f"请由本网点另一位有审批权限的人员审批：teller-assist campaign batch show {done.batch_id}")
    reasons = "，".join(f"{SKIP_ZH[r][0]} {n:,}" for r, n in skipped.items() if n)
    print(f"未提交 skipped：{reasons or '无'}")
    for item in listed:
        if item["reason"] in ("no_consent", "negative_list", "ineligible", "refused"):
            print(f"  第{item['line']}行 {item['id_masked']}：{SKIP_ZH[str(item['reason'])][0]}")
    for item in survey_needed:
        print(
            f"  第{item['line']}行 {item['id_masked']}："
            f"需调查（按 {yuan_text(cast(int, item['line_fen']))} 元提交，"
            f"完成调查最高可达 {yuan_text(cast(int, item['potential_fen']))} 元）"
        )
    return EXIT_OK


def _bands_of(tallies: Any) -> dict[str, dict[str, int]]:
    return {label: {"people": t.people, "fen": t.exposure_fen} for label, t in tallies.items()}


def _batch_show(args: argparse.Namespace) -> int:
    from teller_assist.prequal.workflow import STATUS_ZH as APPLICATION_ZH
    from teller_assist.services.campaign_batches import EXCEPTION_ZH, show_batch

    with _signed_in(args) as (ctx, operator):
        view = show_batch(_batch_context(ctx, args), operator, args.batch)
    r, b = view.review, view.batch
    if args.json:
        _print_json(
            {
                "batch": b.id,
                "campaign": b.campaign_code,
                "branch": b.branch_code,
                "submitted_by": b.submitted_by,
                "submitted_at": _moment(b.submitted_at),
                "policy_version": b.policy_version,
                "skipped_at_submission": b.skipped,
                "approver": view.approver,
                "authority_fen": view.authority_fen,
                "count": r.count,
                "total_fen": r.total,
                "by_status": r.by_status(),
                "bands": _bands_of(r.bands()),
                "exceptions": r.exception_counts(),
                "approvable": len(r.approvable),
                "approvable_fen": r.approvable_total,
                "applications": [
                    {
                        "application": x.application_id,
                        "line": x.line_no,
                        "name": x.name,
                        "id_masked": x.id_masked,
                        "line_fen": x.line_fen,
                        "status": x.status,
                        "exceptions": list(x.exceptions),
                        "held": x.held,
                        "checker": x.checker,
                        "reject_reason": x.reject_reason,
                    }
                    for x in view.lines
                ],
            }
        )
        return EXIT_OK
    limit_fen = view.authority_fen
    authority = "无审批权限" if limit_fen is None else f"审批权限至 {yuan_text(limit_fen)} 元"
    print(
        f"批次 {b.id}：活动 {b.campaign_code}（网点 {b.branch_code}），{b.submitted_by} 于 "
        f"{_local(b.submitted_at)} 提交，{r.count:,} 笔，合计 {yuan_text(r.total)} 元"
    )
    status = "，".join(f"{APPLICATION_ZH[s]} {n:,}" for s, n in r.by_status().items() if n)
    print(f"状态：{status}；审批人 {view.approver}（{authority}）")
    exceptions = "，".join(f"{EXCEPTION_ZH[e][0]} {n:,}" for e, n in r.exception_counts().items() if n)
    print(f"例外 exceptions：{exceptions or '无'}")
    print(f"可一次审批 approvable: {len(r.approvable):,} 笔，{yuan_text(r.approvable_total)} 元")
    bands = [(label, t.people, yuan_text(t.exposure_fen)) for label, t in r.bands().items()]
    print("\n".join(table(("额度段 band", "笔数", "额度(元)"), bands, "<>>")))
    body = [
        (x.application_id, x.line_no, x.name, x.id_masked, yuan_text(x.line_fen), x.status_zh,
         "；".join(x.exceptions_zh))
        for x in view.lines
    ]
    head = ("申请编号", "行号", "姓名", "身份证号", "额度(元)", "状态", "例外")
    print("\n".join(table(head, body, ">><<><<")))
    return EXIT_OK


def _batch_approve(args: argparse.Namespace) -> int:
    from teller_assist.services.campaign_batches import EXCEPTION_ZH, approve_batch

    with _signed_in(args) as (ctx, operator):
        done = approve_batch(
            _batch_context(ctx, args), operator, args.batch, sms_sender=ctx.settings.bank_short_name
        )
    if args.json:
        _print_json(
            {
                "batch": done.batch.id,
                "campaign": done.batch.campaign_code,
                "approved": len(done.approved),
                "approved_fen": done.total,
                "authority_fen": done.authority_fen,
                "left": done.left,
                "applications": [r.id for r in done.approved],
            }
        )
        return EXIT_OK
    print(
        f"批次 {done.batch.id}：已批准 approved {len(done.approved):,} 笔，合计 {yuan_text(done.total)} 元"
        f"（审批权限至 {yuan_text(done.authority_fen)} 元）"
    )
    words = {**{e: z for e, (z, _en) in EXCEPTION_ZH.items()}, "already": "已被他人处理"}
    left = "，".join(f"{words[e]} {n:,}" for e, n in done.left.items() if n)
    print(f"未审批 left: {left or '无'}")
    return EXIT_OK


def _batch_reject(args: argparse.Namespace) -> int:
    from teller_assist.services.applications import WorkflowRefused
    from teller_assist.services.campaign_batches import reject_in_batch

    with _signed_in(args) as (ctx, operator):
        try:
            record = reject_in_batch(
                _batch_context(ctx, args),
                operator,
                args.batch,
                args.reason,
                member=args.member,
                application_id=args.application,
            )
        except WorkflowRefused as exc:
            print(f"拒绝 refused: {exc.describe()}", file=sys.stderr)
            return EXIT_REFUSED
    if args.json:
        _print_json({"batch": args.batch, "application": record.id, "status": record.status})
        return EXIT_OK
    print(
        f"批次 {args.batch}：申请 {record.id}（{ctx.settings.masking.resident_id(record.id_no)}）已拒绝，"
        f"原因：{record.reject_reason}"
    )
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "show": _batch_show,
        "approve": _batch_approve,
        "reject": _batch_reject,
    }
    return handlers[args.batch_command](args)


def cmd_campaign(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "check": _check,
        "create": _create,
        "list": _list,
        "show": _show,
        "close": _close,
        "import": _import,
        "survey": _survey,
        "submit": _submit,
        "batch": _batch,
        "letters": _letters,
        "sign": _sign,
        "till": _till,
    }
    return handlers[args.campaign_command](args)


# --- notification for the whole group, signatures ---------------------------------------------------------


DOCUMENTS = {"both": ("agreement", "letter"), "letter": ("letter",), "agreement": ("agreement",)}


def _add_letter_parsers(camp_sub: Any, common: argparse.ArgumentParser) -> None:
    letters = camp_sub.add_parser(
        "letters",
        parents=[common],
        help="为已授信成员出具协议和告知函，按送达顺序合并打印 letters for the granted members",
        description="为活动中已获授信的每位成员出具预授信协议和授信告知函（每人每份保存一份PDF，同柜面），"
        "并按送达顺序（村民小组、户；部门；商铺；姓名）合并为打印文件；有手机号的成员加入短信待发。"
        "中断（Ctrl-C）后再次运行即从中断处继续，重复出具的标注副本。"
        " Issues the agreement and the letter of every granted member, kept one PDF each, merged in "
        "delivery order; Ctrl-C stops it and running it again goes on where it stopped.",
    )
    letters.add_argument("code", metavar="CODE")
    letters.add_argument("--out", type=Path, required=True, metavar="DIR", help="合并打印文件的目录")
    letters.add_argument(
        "--documents",
        choices=tuple(DOCUMENTS),
        default="both",
        help="出具哪些文书：both 协议和告知函（默认），letter 仅告知函，agreement 仅协议",
    )
    letters.add_argument("--printer", metavar="QUEUE", help="送打印机（CUPS 队列名）send to a printer")
    letters.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="出具日（默认今天）")
    letters.add_argument(
        "--workers", type=int, metavar="N", help="渲染进程数（默认每核一个，0 为不另起进程）render processes"
    )
    letters.add_argument("--json", action="store_true")
    _user(letters)
    sign = camp_sub.add_parser(
        "sign",
        parents=[common],
        help="登记成员已签约（逐人或按名单文件） record members' signatures, one or from a list",
        description="登记成员已在送达的预授信协议上签字，与柜面签约相同（销号、考核计数）。"
        "名单文件每行一个身份证号（可为 CSV 的第一列，UTF-8 或 GB18030）。"
        " Records that members signed the agreement delivered to them, as the counter records it.",
    )
    sign.add_argument("code", metavar="CODE")
    who = sign.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", metavar="ID", help="成员身份证号 a member's resident ID")
    who.add_argument("--from-file", type=Path, metavar="FILE", help="名单文件，每行一个身份证号")
    sign.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="签约日（默认今天）")
    sign.add_argument("--json", action="store_true")
    _user(sign)
    till = camp_sub.add_parser(
        "till",
        parents=[common],
        help="导入市场商户的收银记录 load a market's till records (merchant, month, sales)",
        description="读取收银记录（.xlsx、.xls 或 .csv：商户身份证号或商铺统一社会信用代码、月份、销售额，"
        "按整月），在一个事务中记到整市场活动的成员上；测算时政策据此给出收银额度。"
        " Loads a market's till records onto the campaign's merchants in one transaction.",
    )
    till.add_argument("code", metavar="CODE")
    till.add_argument("file", type=Path, metavar="FILE", help="收银记录文件 (.xlsx, .xls or .csv)")
    till.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="核对日（默认今天）")
    till.add_argument("--json", action="store_true")
    _user(till)


def _letters(args: argparse.Namespace) -> int:
    import signal

    from teller_assist.services.campaign_letters import CHOICES, LettersCancelled, issue_letters

    stop: list[bool] = []
    previous = signal.signal(signal.SIGINT, lambda _sig, _frame: stop.append(True))
    stages = {"issue": "出具 issuing", "merge": "合并 merging"}

    def progress(stage: str, done: int, of: int) -> None:
        if done == of or done % 50 == 0:
            print(f"{stages.get(stage, stage)} {done:,}/{of:,}", file=sys.stderr, flush=True)

    try:
        with _signed_in(args) as (ctx, operator):
            run = issue_letters(
                _batch_context(ctx, args, policy=False), operator, args.code, args.out, printer=args.printer,
                progress=progress, cancelled=lambda: bool(stop), workers=args.workers,
                kinds=DOCUMENTS[args.documents],
            )  # fmt: skip
    except LettersCancelled as cancelled:
        print(cancelled.describe(), file=sys.stderr)
        return cancelled.exit_code
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        _print_json(
            {
                "campaign": run.campaign, "documents": list(run.kinds), "people": run.people,
                "originals": run.originals,
                "copies": run.copies, "kept_before": run.kept_before, "texts": run.texts,
                "rendered_ahead": run.rendered_ahead,
                "files": [str(f) for f in run.files], "printed": run.printed,
                "problem": None if run.problem is None else run.problem.describe(),
                "refused": [
                    {"application": r.application_id, "id_masked": r.id_masked, "name": r.name,
                     "line": r.line_no, "paper": r.paper, "reason_zh": r.reason_zh, "reason_en": r.reason_en}
                    for r in run.refused
                ],
            }
        )  # fmt: skip
    else:
        print(
            f"活动 {run.campaign}（{CHOICES[run.kinds][0]}）：已授信 {run.people:,} 人，"
            f"本次出具原件 {run.originals:,} 份、"
            f"副本 {run.copies:,} 份，沿用已出具 {run.kept_before:,} 份；短信入队 {run.texts:,} 条"
        )
        for f in run.files:
            job = run.printed.get(f.stem)
            print(f"  {f}" + (f"  已送打印机 任务 {job}" if job else ""))
        paper = [r for r in run.refused if r.paper]
        if paper:
            print(f"未出具 {len(paper):,} 人（不在打印文件中，更正后再次运行即补出）：")
        for r in paper:
            print(f"  第{r.line_no}行 {r.id_masked} {r.name} 未出具：{r.reason_zh}")
        for r in run.refused:
            if not r.paper:
                print(f"  第{r.line_no}行 {r.id_masked} {r.name} 未发短信：{r.reason_zh}")
    if run.problem is not None:
        print(f"未打印 not printed: {run.problem.describe()}", file=sys.stderr)
        return run.problem.exit_code
    return EXIT_ROWS_REFUSED if run.refused else EXIT_OK


def _sign(args: argparse.Namespace) -> int:
    from teller_assist.services.campaign_desk import read_id_list
    from teller_assist.services.campaign_letters import sign_members

    ids = [args.id] if args.id is not None else read_id_list(args.from_file)
    with _signed_in(args) as (ctx, operator):
        done = sign_members(_batch_context(ctx, args, policy=False), operator, args.code, ids)
    refused = [s for s in done if not s.signed]
    if args.json:
        _print_json(
            [
                {"id_masked": s.given, "name": s.name, "application": s.application_id, "signed": s.signed,
                 "reason_zh": s.reason_zh, "reason_en": s.reason_en}
                for s in done
            ]
        )  # fmt: skip
        return EXIT_ROWS_REFUSED if refused else EXIT_OK
    print(f"活动 {args.code}：登记签约 {len(done) - len(refused):,} 人，未登记 {len(refused):,} 人")
    for s in done:
        if s.signed:
            print(f"  {s.given} {s.name or ''} 已签约（申请 {s.application_id}）")
        else:
            print(f"  {s.given} {s.name or ''} 未登记：{s.reason_zh}")
    return EXIT_ROWS_REFUSED if refused else EXIT_OK


def _till(args: argparse.Namespace) -> int:
    from teller_assist.services.campaign_desk import masked_refusals
    from teller_assist.services.campaigns import import_till

    with _signed_in(args) as (ctx, operator):
        done = import_till(ctx.dated(args.as_of or _today()), operator, args.code, args.file)
        refused = masked_refusals(done.refused, ctx.settings.masking)
    if args.json:
        _print_json(
            {
                "campaign": done.campaign.code, "file": done.file_name, "sha256": done.sha256,
                "rows": done.rows, "months": done.months, "merchants": done.merchants,
                "changed": done.changed, "refused_rows": len(refused),
                "refused": [
                    {"line": r.line_no, "given": r.id_masked, "reason_zh": r.reason_zh,
                     "reason_en": r.reason_en}
                    for r in refused
                ],
            }
        )  # fmt: skip
        return EXIT_ROWS_REFUSED if refused else EXIT_OK
    print(
        f"活动 {done.campaign.code} 导入收银记录 {done.file_name}：{done.rows:,} 行，"
        f"商户 {done.merchants:,} 户共 {done.months:,} 个月，记录有变化的商户 {done.changed:,} 户，"
        f"未通过 {len(refused):,} 行"
    )
    for r in refused:
        print(f"  第{r.line_no}行 {r.id_masked} 未通过：{r.reason_zh}")
    return EXIT_ROWS_REFUSED if refused else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"campaign": cmd_campaign}
