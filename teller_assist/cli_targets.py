"""``teller-assist targets`` and ``teller-assist tasks``: head office's target lists and each officer's
daily tasks on the command line ("授信一户，剔除一户").

    targets region set REGION BRANCH | remove REGION | list           head office's region → branch table
    targets preview CODE --due D [--percent P] [--region R ...] [--branch B ...] [--tag T ...]
                    [--min-age N] [--max-age N] [--payroll-since D] [--date D] [--json]
    targets issue CODE   (the same options)                            issue it: audited, once
    targets assign CODE (--officer LOGIN | --back) (--id ID ... | --unassigned N | --from-officer LOGIN)
    targets progress CODE [--json]                                     each branch: targets, indicator, struck
    targets sweep [--date D]                                           keep the strikes the data shows
    tasks today (--officer LOGIN | --branch B) [--date D] [--json]     today's tasks, masked
    tasks record ID --outcome done|not_reached|declined|appointment [--reason TEXT] [--on D] [--for-good]

Every command is a signed-in operator's (``--user``, the password from the terminal or
``--password-stdin``; ``tasks today --officer`` signs in as that officer unless ``--user`` says
otherwise), checked against their role and audited under them; ``targets sweep`` without ``--user`` is
the night's job, audited under the OS account. Each command parses, calls one service, prints. People
appear masked.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

from teller_assist.cli_table import table
from teller_assist.cli_workflow import parse_date
from teller_assist.money import format_yuan
from teller_assist.settings import Settings, load_settings

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
    which = assign.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", dest="ids", action="append", metavar="ID", help="身份证号（可多次）")
    which.add_argument("--unassigned", type=int, metavar="N", help="本网点尚未分配的前N人")
    which.add_argument("--from-officer", metavar="LOGIN", help="原客户经理的全部目标客户（如其离岗）")
    assign.add_argument("--date", type=parse_date, default=None, metavar="DATE")
    _user(assign, required=True)

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


# --- plumbing -----------------------------------------------------------------------------------------


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - the bank's local date


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(database_url=args.db)


@contextlib.contextmanager
def _signed_in(args: argparse.Namespace, login: str | None = None) -> Iterator[tuple[Any, Any, Settings]]:
    """(store, operator, settings): the password read first, the database opened, the operator signed in."""
    from teller_assist.cli_workflow import read_login_password
    from teller_assist.services.database import open_database
    from teller_assist.services.operators import authenticate

    settings = _settings(args)
    login = login or args.user
    password = read_login_password(args.password_stdin) if login else ""
    opened = open_database(settings)
    try:
        operator = authenticate(opened.store, login, password) if login else None
        yield opened.store, operator, settings
    finally:
        opened.store.dispose()


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
    }


def _print_preview(p: Any) -> None:
    print(
        f"名单 list {p.code}：{p.people:,} 人，指标 {p.indicator:,} 人（{p.percent}%，"
        f"{p.due_on.isoformat()} 前签约），下达日 {p.day.isoformat()}"
    )
    print(f"已剔除 removed：负面清单 {p.negative_removed:,} 人，已持有或在审额度 {p.holding_removed:,} 人")
    rows = [(s.branch_code, s.people, s.indicator) for s in p.shares]
    print("\n".join(table(("网点 branch", "目标客户 targets", "指标 indicator"), rows, "<>>")))
    if p.unrouted:
        print(f"没有对应网点的社保区域 regions with no branch（{p.unrouted_people:,} 人）：")
        for region, n in p.unrouted.items():
            print(f"  {region or '无区域代码'}：{n:,} 人")


def _region(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    with _signed_in(args) as (store, operator, _s):
        if args.region_command == "list":
            rows = targets.regions(store, operator)
            if args.json:
                _print_json([{"region": r, "branch": b} for r, b in sorted(rows.items())])
            else:
                print("\n".join(table(("社保区域 region", "网点 branch"), sorted(rows.items()))))
            return EXIT_OK
        branch = args.branch if args.region_command == "set" else None
        before = targets.set_region(store, operator, args.region, branch)
    if branch is None:
        print(f"已删除 removed: {args.region}（原网点 was {before or '—'}）")
    else:
        print(f"已设置 set: {args.region} → {branch}（原网点 was {before or '—'}）")
    return EXIT_OK


def _preview(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.services.prequal import active_policy

    spec = _spec(args)  # a bad code or percentage fails before the database opens
    day = args.date or _today()
    with _signed_in(args) as (store, operator, settings):
        p = targets.preview(store, active_policy(settings), operator, spec, day)
    if args.json:
        _print_json(_preview_json(p))
    else:
        _print_preview(p)
    return EXIT_OK


def _issue(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.services.prequal import active_policy

    spec = _spec(args)
    day = args.date or _today()
    with _signed_in(args) as (store, operator, settings):
        done = targets.issue(store, active_policy(settings), operator, spec, day)
    if args.json:
        issued = {"issued_by": done.issued_by, "issued_at": done.issued_at.isoformat(timespec="seconds")}
        _print_json({**_preview_json(done.preview), **issued})
    else:
        _print_preview(done.preview)
        print(f"已下达 issued by {done.issued_by}")
    return EXIT_OK


def _assign(args: argparse.Namespace) -> int:
    from teller_assist.services import targets

    day = args.date or _today()
    with _signed_in(args) as (store, operator, _s):
        moved = targets.assign(
            store,
            operator,
            args.code,
            None if args.back else args.officer,
            day=day,
            id_nos=tuple(args.ids or ()),
            unassigned=args.unassigned,
            from_officer=args.from_officer,
        )
    to = "网点 the branch" if args.back else args.officer
    print(f"已分配 assigned: {moved:,} 位目标客户 → {to}（名单 {args.code}）")
    return EXIT_OK


def _progress(args: argparse.Namespace) -> int:
    from teller_assist.services import targets
    from teller_assist.targets.tasks import STRIKE_REASONS

    with _signed_in(args) as (store, operator, _s):
        rows = targets.list_progress(store, operator, args.code)
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
    from teller_assist.services.prequal import active_policy

    day = args.date or _today()
    with _signed_in(args) as (store, operator, settings):
        by = targets.sweeper(operator) if args.user else os_actor()
        swept = targets.sweep(store, active_policy(settings), day, by=by)
    print(
        f"销号 struck on {day.isoformat()}: 签约 signed {swept.struck['signed']:,}，"
        f"不再符合 ineligible {swept.struck['ineligible']:,}，拒绝 declined {swept.struck['declined']:,}"
    )
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
    from teller_assist.services.prequal import active_policy

    day = args.date or _today()
    with _signed_in(args, args.user or args.officer) as (store, operator, settings):
        listing = targets.tasks_today(
            store,
            active_policy(settings),
            operator,
            day,
            settings.masking,
            officer=args.officer,
            branch=args.branch,
        )
    if args.json:
        _print_json(
            {
                "date": listing.day.isoformat(),
                "scope": listing.scope,
                "total": len(listing.tasks),
                "counts": listing.counts,
                "notes": list(listing.notes),
                "tasks": [_task_json(t) for t in listing.tasks],
            }
        )
        return EXIT_OK
    print(f"今日任务 tasks {listing.day.isoformat()}  {listing.scope}：共 {len(listing.tasks):,} 项")
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
    from teller_assist.services.prequal import active_policy

    day = args.date or _today()
    with _signed_in(args) as (store, operator, settings):
        done = targets.record_outcome(
            store,
            active_policy(settings),
            operator,
            args.id_no,
            args.outcome,
            day=day,
            masking=settings.masking,
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


def cmd_targets(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "region": _region,
        "preview": _preview,
        "issue": _issue,
        "assign": _assign,
        "progress": _progress,
        "sweep": _sweep,
    }
    return handlers[args.targets_command](args)


def cmd_tasks(args: argparse.Namespace) -> int:
    return {"today": _today_tasks, "record": _record}[args.tasks_command](args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"targets": cmd_targets, "tasks": cmd_tasks}
