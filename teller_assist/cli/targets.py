"""``teller-assist targets`` and ``teller-assist tasks``: head office's target lists and each officer's
daily tasks on the command line ("授信一户，剔除一户").

    targets region set REGION BRANCH | remove REGION | list           head office's region → branch table
    targets preview CODE --due D [--percent P] [--region R ...] [--branch B ...] [--tag T ...]
                    [--min-age N] [--max-age N] [--payroll-since D] [--date D] [--json]
    targets preview CODE --due D [--percent P] --from-file FILE.xlsx|.csv [--refused-out FILE.xlsx]
    targets issue CODE   (the same options)                            issue it: audited, once
    targets assign CODE (--officer LOGIN | --back) (--id ID ... | --unassigned N | --from-officer LOGIN)
    targets assign CODE --by village|address [--unassigned N] [--among LOGIN ...]   balanced by load
    targets reassign --from LOGIN (--to LOGIN | --balance [--by village|address] [--among LOGIN ...])
    targets progress CODE [--json]                                     each branch: targets, indicator, struck
    targets sweep [--date D]                                           keep the strikes the data shows
    tasks today (--officer LOGIN | --branch B) [--date D] [--json]     today's tasks, masked
    tasks record ID --outcome done|not_reached|declined|appointment [--reason TEXT] [--on D] [--for-good]
    tasks digest --branch B [--date D] --out FILE.xlsx|.pdf            the branch's morning digest, masked

Every command is a signed-in operator's (``--user``, the password from the terminal or
``--password-stdin``; ``tasks today --officer`` signs in as that officer unless ``--user`` says
otherwise), checked against their role and audited under them; ``targets sweep`` without ``--user`` is
the night's job, audited under the OS account. Each command parses, calls one service, prints. People
appear masked.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.cli.common import settings_of, signed_in
from teller_assist.cli.dates import parse_date
from teller_assist.cli.table import table
from teller_assist.errors import UserFacingError
from teller_assist.money import format_yuan

EXIT_OK = 0


def _user(parser: argparse.ArgumentParser, *, required: bool, note: str = "") -> None:
    parser.add_argument("--user", required=required, metavar="LOGIN", help="操作员登录名 the operator" + note)
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


def _list_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="名单代码（即活动代码）the list's code")
    parser.add_argument("--due", type=parse_date, required=True, metavar="DATE", help="签约截止日期 sign by")
    parser.add_argument(
        "--percent", default="100", metavar="P", help="各网点指标占其目标客户的百分比（默认100）indicator %%"
    )
    parser.add_argument("--region", action="append", default=[], metavar="CODE", help="社保区域（可多次）")
    parser.add_argument(
        "--branch", action="append", default=[], metavar="CODE", help="客户所属网点（可多次）"
    )
    parser.add_argument("--tag", action="append", default=[], metavar="TAG", help="群体标签（可多次）")
    parser.add_argument("--min-age", type=int, default=None, metavar="N")
    parser.add_argument("--max-age", type=int, default=None, metavar="N")
    parser.add_argument(
        "--payroll-since", type=parse_date, default=None, metavar="DATE", help="此日起有代发工资"
    )
    parser.add_argument("--date", type=parse_date, default=None, metavar="DATE", help="下达日（默认今天）")
    parser.add_argument(
        "--from-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="从文件（.xlsx/.csv，含身份证号列，可有姓名列）生成名单 the people from a file",
    )
    parser.add_argument(
        "--refused-out",
        type=Path,
        default=None,
        metavar="FILE.xlsx",
        help="把文件中未列入名单的行及原因写入此Excel文件 the rows left out, with the reason",
    )
    parser.add_argument("--json", action="store_true")
    _user(parser, required=True)


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    tg = sub.add_parser("targets", parents=[common], help="总行目标名单 head office's target lists")
    actions = tg.add_subparsers(dest="targets_command", metavar="ACTION", required=True)

    region = actions.add_parser("region", parents=[common], help="社保区域与网点对照表 the region table")
    r_actions = region.add_subparsers(dest="region_command", metavar="ACTION", required=True)
    r_set = r_actions.add_parser("set", parents=[common], help="设置区域对应的网点")
    r_set.add_argument("region", metavar="REGION")
    r_set.add_argument("branch", metavar="BRANCH")
    _user(r_set, required=True)
    r_rm = r_actions.add_parser("remove", parents=[common], help="删除区域")
    r_rm.add_argument("region", metavar="REGION")
    _user(r_rm, required=True)
    r_list = r_actions.add_parser("list", parents=[common], help="列出对照表")
    r_list.add_argument("--json", action="store_true")
    _user(r_list, required=True)

    _list_options(actions.add_parser("preview", parents=[common], help="预览各网点人数 counts per branch"))
    _list_options(actions.add_parser("issue", parents=[common], help="下达名单 issue the list"))

    assign = actions.add_parser("assign", parents=[common], help="分配给客户经理（网点负责人）assign")
    assign.add_argument("code", metavar="CODE")
    to = assign.add_mutually_exclusive_group(required=True)
    to.add_argument("--officer", metavar="LOGIN", help="分配给该客户经理")
    to.add_argument("--back", action="store_true", help="收回到网点（不指定客户经理）")
    to.add_argument(
        "--by",
        choices=("village", "address"),
        help="按村（组）或按住址在客户经理间均衡分配未分配的目标客户 balanced by village or address",
    )
    which = assign.add_mutually_exclusive_group()
    which.add_argument("--id", dest="ids", action="append", metavar="ID", help="身份证号（可多次）")
    which.add_argument("--unassigned", type=int, metavar="N", help="本网点尚未分配的前N人")
    which.add_argument("--from-officer", metavar="LOGIN", help="原客户经理的全部目标客户（如其离岗）")
    assign.add_argument(
        "--among",
        action="append",
        default=[],
        metavar="LOGIN",
        help="与 --by 同用：参与分配的客户经理（可多次）",
    )
    assign.add_argument("--date", type=parse_date, default=None, metavar="DATE")
    assign.add_argument("--json", action="store_true")
    _user(assign, required=True)

    re_ = actions.add_parser(
        "reassign", parents=[common], help="客户经理离岗时移交其全部目标客户 hand over a leaver's targets"
    )
    re_.add_argument("--from", dest="from_officer", required=True, metavar="LOGIN", help="离岗的客户经理")
    heir = re_.add_mutually_exclusive_group(required=True)
    heir.add_argument("--to", metavar="LOGIN", help="全部移交给该客户经理")
    heir.add_argument("--balance", action="store_true", help="在本网点其他客户经理间均衡分配")
    re_.add_argument(
        "--by", choices=("village", "address"), default="village", help="与 --balance 同用（默认 village）"
    )
    re_.add_argument("--among", action="append", default=[], metavar="LOGIN", help="参与接手的客户经理")
    re_.add_argument("--json", action="store_true")
    _user(re_, required=True)

    prog = actions.add_parser("progress", parents=[common], help="名单进度 each branch's progress")
    prog.add_argument("code", metavar="CODE")
    prog.add_argument("--json", action="store_true")
    _user(prog, required=True)

    sweep = actions.add_parser(
        "sweep", parents=[common], help="夜间导入后销号 keep the strikes after the import"
    )
    sweep.add_argument("--date", type=parse_date, default=None, metavar="DATE")
    _user(sweep, required=False, note="；不填为夜间作业，以系统账户审计 (omitted: the night's job)")

    tk = sub.add_parser("tasks", parents=[common], help="每日任务 each officer's daily tasks")
    t_actions = tk.add_subparsers(dest="tasks_command", metavar="ACTION", required=True)
    today = t_actions.add_parser("today", parents=[common], help="今日任务 today's tasks")
    who = today.add_mutually_exclusive_group(required=True)
    who.add_argument("--officer", metavar="LOGIN", help="客户经理")
    who.add_argument("--branch", metavar="CODE", help="网点")
    today.add_argument("--date", type=parse_date, default=None, metavar="DATE")
    today.add_argument("--json", action="store_true")
    today.add_argument(
        "--first",
        type=int,
        metavar="N",
        help="只列出前N项（合计仍为全部任务）only the first N tasks (the counts still the whole list's)",
    )
    _user(today, required=False, note="（默认为 --officer 本人）")
    rec = t_actions.add_parser("record", parents=[common], help="登记任务结果 record an outcome")
    rec.add_argument("id_no", metavar="ID", help="客户身份证号")
    rec.add_argument(
        "--outcome", required=True, choices=("done", "not_reached", "declined", "appointment"), help="结果"
    )
    rec.add_argument("--reason", metavar="TEXT", help="拒绝原因")
    rec.add_argument("--on", dest="appointment_on", type=parse_date, metavar="DATE", help="预约日期")
    rec.add_argument("--for-good", action="store_true", help="客户明确拒绝，不再跟进（销号）")
    rec.add_argument("--date", type=parse_date, default=None, metavar="DATE")
    rec.add_argument("--json", action="store_true")
    _user(rec, required=True)
    digest = t_actions.add_parser(
        "digest", parents=[common], help="网点晨会任务简报 the branch's morning digest (.xlsx/.pdf)"
    )
    digest.add_argument("--branch", required=True, metavar="CODE", help="网点")
    digest.add_argument("--date", type=parse_date, default=None, metavar="DATE", help="日期（默认今天）")
    digest.add_argument("--out", type=Path, required=True, metavar="FILE", help="输出文件 .xlsx 或 .pdf")
    _user(digest, required=True)


# --- plumbing -----------------------------------------------------------------------------------------


_settings, _signed_in = settings_of, signed_in  # the command line's one way of each


def _policy(args: argparse.Namespace) -> Any:
    """The policy in force, for the commands whose lists and tasks are by its age band."""
    from teller_assist.services.prequal import active_policy

    return active_policy(_settings(args))


def _on(ctx: Any, args: argparse.Namespace) -> Any:
    """The context on the command's ``--date`` (the day it acts as of), else as it is: today."""
    return ctx if args.date is None else ctx.dated(args.date)


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(fen)


# --- targets -------------------------------------------------------------------------------------------


def _spec(args: argparse.Namespace) -> Any:
    from teller_assist.services.targets import ListSpec
    from teller_assist.targets.lists import check_list_code, parse_percent

    return ListSpec(
        check_list_code(args.code),
        args.due,
        parse_percent(args.percent),
        tuple(args.region),
        tuple(args.branch),
        tuple(args.tag),
        args.min_age,
        args.max_age,
        args.payroll_since,
        args.from_file,
    )


def _preview_json(p: Any) -> dict[str, object]:
    return {
        "list": p.code,
        "date": p.day.isoformat(),
        "due_on": p.due_on.isoformat(),
        "percent": str(p.percent),
        "people": p.people,
        "indicator": p.indicator,
        "branches": [
            {"branch": s.branch_code, "people": s.people, "indicator": s.indicator} for s in p.shares
        ],
        "unrouted": [{"region": r or None, "people": n} for r, n in p.unrouted.items()],
        "negative_list_removed": p.negative_removed,
        "holding_a_line_removed": p.holding_removed,
        **({} if p.file is None else {"file": _file_json(p.file)}),
    }


def _file_json(f: Any) -> dict[str, object]:
    return {"rows": f.rows, "listed": f.listed, "not_listed": f.counts, "sha256": f.sha256}


def _print_preview(p: Any) -> None:
    print(
        f"名单 list {p.code}：{p.people:,} 人，指标 {p.indicator:,} 人（{p.percent}%，"
        f"{p.due_on.isoformat()} 前签约），下达日 {p.day.isoformat()}"
    )
    print(f"已剔除 removed：负面清单 {p.negative_removed:,} 人，已持有或在审额度 {p.holding_removed:,} 人")
    if p.file is not None:
        from teller_assist.targets.file_list import REASON_ZH

        f = p.file
        reasons = "，".join(f"{REASON_ZH[r]} {n:,}" for r, n in f.counts.items() if n) or "无"
        print(f"文件 file：共 {f.rows:,} 行，列入 listed {f.listed:,} 人；未列入 not listed：{reasons}")
    rows = [(s.branch_code, s.people, s.indicator) for s in p.shares]
    print("\n".join(table(("网点 branch", "目标客户 targets", "指标 indicator"), rows, "<>>")))
    if p.unrouted:
        print(f"没有对应网点的社保区域 regions with no branch（{p.unrouted_people:,} 人）：")
        for region, n in p.unrouted.items():
            print(f"  {region or '无区域代码'}：{n:,} 人")


def _region(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    with _signed_in(args) as (ctx, operator):
        if args.region_command == "list":
            rows = targets.regions(ctx, operator)
            if args.json:
                _print_json([{"region": r, "branch": b} for r, b in sorted(rows.items())])
            else:
                print("\n".join(table(("社保区域 region", "网点 branch"), sorted(rows.items()))))
            return EXIT_OK
        branch = args.branch if args.region_command == "set" else None
        before = targets.set_region(ctx, operator, args.region, branch)
    if branch is None:
        print(f"已删除 removed: {args.region}（原网点 was {before or '—'}）")
    else:
        print(f"已设置 set: {args.region} → {branch}（原网点 was {before or '—'}）")
    return EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    spec = _spec(args)  # a bad code or percentage fails before the database opens
    _check_refused_out(args)
    with _signed_in(args, policy=_policy(args)) as (ctx, operator):
        p = targets.preview(_on(ctx, args), operator, spec)
        written = _refused_out(args, ctx, operator, p)
    if args.json:
        _print_json({**_preview_json(p), **written})
    else:
        _print_preview(p)
        _print_refused_out(written)
    return EXIT_OK


def _check_refused_out(args: argparse.Namespace) -> None:
    from teller_assist.services.report_files import check_suffix
    from teller_assist.services.targets import TargetsRefused

    if args.refused_out is None:
        return
    if args.from_file is None:
        raise TargetsRefused(
            "--refused-out 只用于从文件生成的名单（--from-file）", "--refused-out goes with --from-file"
        )
    check_suffix(args.refused_out, (".xlsx",))


def _refused_out(args: argparse.Namespace, ctx: Any, operator: Any, p: Any) -> dict[str, Any]:
    from teller_assist.services import targets

    if args.refused_out is None or p.file is None:
        return {}
    rows = targets.export_not_listed(ctx, operator, p, args.refused_out)
    return {"refused_out": {"file": str(args.refused_out), "rows": rows}}


def _print_refused_out(written: dict[str, Any]) -> None:
    if written:
        out = written["refused_out"]
        print(f"未列入的行 rows left out：{out['rows']:,} 行已写入 {out['file']}")


def _issue(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    spec = _spec(args)
    _check_refused_out(args)
    with _signed_in(args, policy=_policy(args)) as (ctx, operator):
        done = targets.issue(_on(ctx, args), operator, spec)
        try:
            written = _refused_out(args, ctx, operator, done.preview)
        except UserFacingError as exc:
            raise UserFacingError(
                f"名单 {done.preview.code} 已下达；但未列入的行未能写出：{exc.message_zh}",
                f"the list {done.preview.code} was issued, but the rows left out were not written: "
                f"{exc.message_en}",
                hint_zh="请用 targets preview（同样的选项）加 --refused-out 另写一份",
                hint_en="write them with targets preview (the same options) and --refused-out",
            ) from None
    if args.json:
        issued = {"issued_by": done.issued_by, "issued_at": done.issued_at.isoformat(timespec="seconds")}
        _print_json({**_preview_json(done.preview), **issued, **written})
    else:
        _print_preview(done.preview)
        print(f"已下达 issued by {done.issued_by}")
        _print_refused_out(written)
    return EXIT_OK


def _balanced_json(done: Any) -> dict[str, object]:
    return {
        "mode": done.mode,
        "moved": done.moved,
        "officers": [{"officer": o, "before": b, "added": a, "after": b + a} for o, b, a in done.officers],
        "groups": done.groups,
        "split": done.split,
    }


def _print_balanced(done: Any, head: str) -> None:
    from teller_assist.targets.assignment import MODE_ZH

    how = MODE_ZH.get(done.mode, "")
    print(f"{head}：{done.moved:,} 位目标客户{('，' + how) if how else ''}")
    rows = [(o, b, a, b + a) for o, b, a in done.officers]
    print("\n".join(table(("客户经理", "原有", "新分配", "合计"), rows, "<>>>")))
    if done.mode == "village":
        print(f"村（组）{done.groups:,} 个，其中 {done.split:,} 个因人数较多分给了不止一位客户经理")


def _assign(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.services.targets import TargetsRefused

    if args.by is not None:
        if args.ids or args.from_officer:
            raise TargetsRefused(
                "--by 只分配本网点尚未分配的目标客户，可用 --unassigned N 限定人数",
                "--by gives out unassigned targets only (--unassigned N for the first N)",
                hint_zh="离岗移交请用 targets reassign --from 登录名 --balance",
            )
        with _signed_in(args) as (ctx, operator):
            done = targets.assign_balanced(
                ctx, operator, args.code, args.by, among=args.among, limit=args.unassigned
            )
        if args.json:
            _print_json({"list": args.code, **_balanced_json(done)})
        else:
            _print_balanced(done, f"已分配 assigned（名单 {args.code}）")
        return EXIT_OK
    if args.among:
        raise TargetsRefused("--among 只与 --by 同用", "--among goes with --by")
    with _signed_in(args) as (ctx, operator):
        moved = targets.assign(
            _on(ctx, args),
            operator,
            args.code,
            None if args.back else args.officer,
            id_nos=tuple(args.ids or ()),
            unassigned=args.unassigned,
            from_officer=args.from_officer,
        )
    to = "网点 the branch" if args.back else args.officer
    if args.json:
        _print_json({"list": args.code, "moved": moved, "officer": None if args.back else args.officer})
    else:
        print(f"已分配 assigned: {moved:,} 位目标客户 → {to}（名单 {args.code}）")
    return EXIT_OK


def _reassign(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    with _signed_in(args) as (ctx, operator):
        done = targets.reassign(
            ctx,
            operator,
            args.from_officer,
            to=args.to,
            mode=args.by if args.balance else None,
            among=args.among,
        )
    if args.json:
        _print_json({"from": args.from_officer, **_balanced_json(done)})
    else:
        _print_balanced(done, f"已移交 handed over（原客户经理 {args.from_officer}）")
    return EXIT_OK


def _progress(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.targets.tasks import STRIKE_REASONS

    with _signed_in(args) as (ctx, operator):
        rows = targets.list_progress(ctx, operator, args.code)
    if args.json:
        _print_json(
            [
                {
                    "branch": p.branch_code,
                    "people": p.people,
                    "indicator": p.indicator,
                    "assigned": p.assigned,
                    "struck": {r: p.struck.get(r, 0) for r in STRIKE_REASONS},
                }
                for p in rows
            ]
        )
        return EXIT_OK
    body = [
        (p.branch_code, p.people, p.indicator, p.assigned, *(p.struck.get(r, 0) for r in STRIKE_REASONS))
        for p in rows
    ]
    head = ("网点", "目标客户", "指标", "已分配", "销号:签约", "销号:不符", "销号:拒绝")
    print("\n".join(table(head, body, "<>>>>>>")))
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.services.audit import os_actor

    with _signed_in(args, policy=_policy(args)) as (ctx, operator):
        by = targets.sweeper(operator) if args.user else os_actor()
        swept = targets.sweep(_on(ctx, args), by=by)
    day = swept.day
    print(
        f"销号 struck on {day.isoformat()}: 签约 signed {swept.struck['signed']:,}，"
        f"不再符合 ineligible {swept.struck['ineligible']:,}，拒绝 declined {swept.struck['declined']:,}"
    )
    kinds = "  ".join(f"{targets.KIND_ZH[k]} {n:,}" for k, n in swept.tasks.items())
    print(f"目标客户 {swept.targets:,} 位；当日任务 tasks {sum(swept.tasks.values()):,} 项：{kinds}")
    return EXIT_OK


# --- tasks ---------------------------------------------------------------------------------------------


def _task_json(t: Any) -> dict[str, object]:
    return {
        "kind": t.kind,
        "kind_zh": t.kind_zh,
        "list": t.campaign,
        "id_masked": t.id_masked,
        "name": t.name,
        "officer": t.officer,
        "due_on": None if t.due_on is None else t.due_on.isoformat(),
        "overdue": t.overdue,
        "value_fen": t.value_fen,
        "value_yuan": None if t.value_fen is None else format_yuan(t.value_fen, grouping=False),
        "application": t.application_id,
        "appointment": t.appointment,
    }


def _today_tasks(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    if args.first is not None and args.first < 1:
        raise targets.TargetsRefused("--first 须为正整数", "--first must be a positive number")
    with _signed_in(args, args.user or args.officer, _policy(args)) as (ctx, operator):
        listing = targets.listed_today(
            _on(ctx, args),
            operator,
            officer=args.officer,
            branch=args.branch,
            first=args.first,
        ).shown
    total = sum(listing.counts.values())  # the whole list's, also with --first
    if args.json:
        out: dict[str, object] = {
            "date": listing.day.isoformat(),
            "scope": listing.scope,
            "total": total,
            "counts": listing.counts,
            "notes": list(listing.notes),
            "tasks": [_task_json(t) for t in listing.tasks],
        }
        if args.first is not None:
            out["shown"] = len(listing.tasks)  # the first lines only
        _print_json(out)
        return EXIT_OK
    shown = "" if len(listing.tasks) == total else f"（列出前 {len(listing.tasks):,} 项）"
    print(f"今日任务 tasks {listing.day.isoformat()}  {listing.scope}：共 {total:,} 项{shown}")
    print("  ".join(f"{targets.KIND_ZH[k]} {n:,}" for k, n in listing.counts.items()))
    body = [
        (
            i,
            t.kind_zh + ("（预约）" if t.appointment else ""),
            t.id_masked,
            t.name or "",
            "—" if t.due_on is None else t.due_on.isoformat() + ("（逾期）" if t.overdue else ""),
            _yuan(t.value_fen),
            t.officer or "未分配",
            t.campaign,
        )
        for i, t in enumerate(listing.tasks, 1)
    ]
    head = ("#", "任务", "身份证号", "姓名", "截止", "额度(元)", "客户经理", "名单")
    print("\n".join(table(head, body, ">")))
    for note in listing.notes:
        print(f"注：{note}")
    return EXIT_OK


def _record(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    with _signed_in(args, policy=_policy(args)) as (ctx, operator):
        done = targets.record_outcome(
            _on(ctx, args),
            operator,
            args.id_no,
            args.outcome,
            reason=args.reason,
            appointment_on=args.appointment_on,
            for_good=args.for_good,
        )
    if args.json:
        _print_json(
            {
                "kind": done.kind,
                "outcome": done.outcome,
                "list": done.campaign,
                "id_masked": done.id_masked,
                "struck": done.struck,
            }
        )
    else:
        print(
            f"已登记 recorded: {done.id_masked} {targets.KIND_ZH[done.kind]} → {done.outcome}"
            f"（名单 {done.campaign}）"
        )
    return EXIT_OK


def _digest(args: argparse.Namespace) -> int:
    from teller_assist.services import targets_digest
    from teller_assist.services.report_files import check_suffix

    check_suffix(args.out, targets_digest.FORMATS)  # before the password is asked
    with _signed_in(args, policy=_policy(args)) as (ctx, operator):
        done = targets_digest.write(_on(ctx, args), operator, args.branch, args.out)
    print(
        f"晨会任务简报 digest {done.branch} {done.day.isoformat()}：{len(done.tasks):,} 项任务，"
        f"客户经理 {len(done.officers):,} 行，名单 {len(done.lists):,} 份 → {args.out}"
    )
    return EXIT_OK


def cmd_targets(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "region": _region,
        "preview": _preview,
        "issue": _issue,
        "assign": _assign,
        "reassign": _reassign,
        "progress": _progress,
        "sweep": _sweep,
    }
    return handlers[args.targets_command](args)


def cmd_tasks(args: argparse.Namespace) -> int:
    return {"today": _today_tasks, "record": _record, "digest": _digest}[args.tasks_command](args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"targets": cmd_targets, "tasks": cmd_tasks}
