"""``teller-assist kpi``: the programme's KPIs on the command line, for the bank's own reporting.

    kpi show --user LOGIN [--date D] [--scope county|branch:0104|officer:LOGIN|campaign:CODE|scenario:NAME]
             [--grain day|week|month] [--json|--csv [--flows]] [--people LIST [--limit N]]
    kpi report --user LOGIN --month YYYY-MM --out FILE.xlsx|FILE.pdf
    kpi refresh [--date D] [--user LOGIN]  keep the daily sums after the night's import
    kpi indicator set branch:0104|campaign:CODE --people N [--granted] --from D --to D --user LOGIN
    kpi indicator list --user LOGIN [--date D] [--json]

Every command but the night's refresh is an operator's (``--user``, the password from the terminal or
``--password-stdin``), checked against their role (head office: everything; a branch head: their own
branch and its officers) and audited under them. Every output names its date, scope, policy version and
the data's freshness. People appear masked. Each command parses, calls one service, prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from teller_assist.cli.common import opened, settings_of, today
from teller_assist.cli.table import table as aligned
from teller_assist.errors import UserFacingError
from teller_assist.exports import SpreadsheetWriter

EXIT_OK = 0
CATEGORY_NAMES = ("granted", "signed", "used", "unsigned", "unused")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    from teller_assist.cli.dates import parse_date as _date  # the one date parser (YYYY-MM-DD or YYYYMMDD)

    kpi = sub.add_parser("kpi", parents=[common], help="考核指标 KPIs: coverage, signing and usage rates")
    actions = kpi.add_subparsers(dest="kpi_command", metavar="ACTION", required=True)

    show = actions.add_parser(
        "show", parents=[common], help="某日某范围的指标 the figures of a scope at a date"
    )
    show.add_argument("--date", type=_date, default=None, metavar="DATE", help="统计日（默认今天）")
    show.add_argument(
        "--scope",
        default="county",
        metavar="SCOPE",
        help="county | branch:网点号 | officer:登录名 | campaign:活动代码 | scenario:场景",
    )
    show.add_argument("--grain", choices=("day", "week", "month"), default="month", help="流量的期间")
    show.add_argument("--periods", type=int, default=12, metavar="N", help="流量的期数（默认12）")
    out = show.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    show.add_argument("--flows", action="store_true", help="CSV：输出流量而非存量 the flows, not the figures")
    show.add_argument(
        "--people",
        choices=CATEGORY_NAMES,
        help="列出数字背后的客户（脱敏，记入审计）the people behind a number",
    )
    show.add_argument("--limit", type=int, default=200, metavar="N")
    _user(show, required=True)

    report = actions.add_parser("report", parents=[common], help="月度考核报表 the monthly report")
    report.add_argument("--month", required=True, metavar="YYYY-MM")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|FILE.pdf")
    _user(report, required=True)

    refresh = actions.add_parser(
        "refresh", parents=[common], help="夜间导入后保存每日汇总 keep the daily sums after the import"
    )
    refresh.add_argument("--date", type=_date, default=None, metavar="DATE")
    _user(refresh, required=False)

    ind = actions.add_parser("indicator", parents=[common], help="考核指标任务 indicators")
    ind_actions = ind.add_subparsers(dest="indicator_command", metavar="ACTION", required=True)
    put = ind_actions.add_parser("set", parents=[common], help="下达指标（总行管理员）set an indicator")
    put.add_argument("scope", metavar="SCOPE", help="branch:网点号 | campaign:活动代码")
    put.add_argument("--people", type=int, required=True, metavar="N", help="指标人数")
    put.add_argument("--granted", action="store_true", help="按授信人数考核（默认按签约人数）")
    put.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE")
    put.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE")
    _user(put, required=True)
    lst = ind_actions.add_parser("list", parents=[common], help="列出指标 list indicators")
    lst.add_argument("--date", type=_date, default=None, metavar="DATE")
    lst.add_argument("--json", action="store_true")
    _user(lst, required=True)


def _user(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--user",
        required=required,
        metavar="LOGIN",
        help="操作员登录名（总行管理员或网点负责人）the operator"
        + (
            ""
            if required
            else "；不填为夜间作业，以系统账户审计 (omitted: the night's job, as the OS account)"
        ),
    )
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


def _password(args: argparse.Namespace) -> str:
    from teller_assist.cli.passwords import read_login_password

    return read_login_password(args.password_stdin) if args.user else ""


def _operator(ctx: Any, args: argparse.Namespace, password: str) -> Any:
    from teller_assist.services.operators import authenticate

    return authenticate(ctx, args.user, password)


_settings, _opened, _today = settings_of, opened, today  # the command line's one way of each


# --- printing -------------------------------------------------------------------------------------------


def table(head: Sequence[str], rows: Sequence[Sequence[str]], *, numeric_from: int = 1) -> list[str]:
    """The lines of a terminal table by display width (cli/table.py): the first ``numeric_from`` columns
    left-aligned, the figures after them right-aligned."""
    return aligned(head, rows, "<" * numeric_from + ">" * (len(head) - numeric_from))


def _yuan(fen: int) -> str:
    from teller_assist.money import format_yuan

    return format_yuan(fen)


def _line(fen: int) -> str:
    """A line as the documents write it: whole yuan without ``.00``."""
    from teller_assist.money import yuan_text

    return yuan_text(fen)


def _change(value: object) -> str:
    return "—" if value is None else f"{value:+}"


def _provenance_lines(p: Any) -> list[str]:
    snap = (
        f"；每日汇总 {p.snapshot_built_at.astimezone():%Y-%m-%d %H:%M}"
        if p.snapshot_built_at is not None
        else "；由原始记录直接计算"
    )
    return [
        f"统计日 date {p.as_of.isoformat()}  范围 scope {p.scope.label_zh}（{p.scope}）",
        f"授信政策 policy {p.policy_version}（SHA-256 {p.policy_sha256[:12]}…）",
        p.freshness_zh + snap,
    ]


def _stock_json(g: Any) -> dict[str, Any]:
    from teller_assist.kpi.definitions import HEADLINE, percent_change

    s, w = g.stock, g.week_ago
    out: dict[str, Any] = {
        "eligible": s.eligible,
        "granted": s.granted,
        "signed": s.signed,
        "used": s.used,
        "signed_line_fen": s.signed_line_fen,
        "drawn_fen": s.drawn_fen,
    }
    for kpi in HEADLINE:
        r = s.rate(kpi)
        pct = r.percent()
        change = percent_change(r, w.rate(kpi))
        out[kpi.name.lower()] = {
            "numerator": r.numerator,
            "denominator": r.denominator,
            "percent": None if pct is None else str(pct),
            "change_since_week_ago_pp": None if change is None else str(change),
        }
    if g.indicator is not None:
        c = g.completion
        out["indicator"] = {
            "measure": str(g.indicator.measure),
            "people": g.indicator.people,
            "from": g.indicator.starts_on.isoformat(),
            "to": g.indicator.ends_on.isoformat(),
            "done": c.numerator,
            "completion_percent": None if c.percent() is None else str(c.percent()),
        }
    else:
        out["indicator"] = None
    return out


def _flow_json(f: Any) -> dict[str, Any]:
    def one(flow: Any) -> dict[str, Any] | None:
        if flow is None:
            return None
        return {
            "granted": flow.granted,
            "signed": flow.signed,
            "first_drawn": flow.first_drawn,
            "first_loans": flow.first_loans,
            "struck": flow.struck,
        }

    return {
        "period": f.period.label,
        "from": f.period.start.isoformat(),
        "to": f.period.end.isoformat(),
        "people_view": one(f.people_view),
        "work_view": one(f.work_view),
    }


def _view_json(view: Any) -> dict[str, Any]:
    p = view.provenance
    return {
        "date": p.as_of.isoformat(),
        "scope": str(p.scope),
        "scope_zh": p.scope.label_zh,
        "policy": {"version": p.policy_version, "sha256": p.policy_sha256},
        "freshness": {
            **{
                f.kind: {
                    "extract_date": f.extract_date.isoformat() if f.extract_date else None,
                    "loaded_at": f.loaded_at.isoformat(timespec="seconds") if f.loaded_at else None,
                }
                for f in p.freshness
            },
            "applications": "live",
            "daily_sums_built_at": p.snapshot_built_at.isoformat(timespec="seconds")
            if p.snapshot_built_at
            else None,
        },
        "generated_at": p.generated_at.isoformat(timespec="seconds"),
        "views": {"figures": "people", "flows": ["people", "work"]},
        "figures": _stock_json(view.total),
        "groups": {
            "kind": view.children_kind,
            "rows": [{"key": g.key, **_stock_json(g)} for g in view.children],
        },
        "flows": {"grain": str(view.grain), "periods": [_flow_json(f) for f in view.flows]},
        "notes": list(view.notes),
    }


def _pct(ratio: Any) -> str:
    pct = ratio.percent()
    return "" if pct is None else str(pct)


def _csv_figures(view: Any) -> None:
    p = view.provenance
    w = SpreadsheetWriter(sys.stdout, lineterminator="\n")  # no cell a spreadsheet evaluates
    w.writerow(
        [
            "date",
            "scope",
            "policy_version",
            "oldest_extract",
            "group_kind",
            "group",
            "eligible",
            "granted",
            "signed",
            "used",
            "signed_line_yuan",
            "drawn_yuan",
            "coverage_pct",
            "signing_pct",
            "usage_pct",
            "drawn_pct",
            "indicator_people",
            "completion_pct",
        ]
    )
    oldest = p.oldest_extract.isoformat() if p.oldest_extract else ""
    for kind, g in [(view.total.kind, view.total), *((view.children_kind, c) for c in view.children)]:
        s = g.stock
        w.writerow(
            [
                p.as_of.isoformat(),
                str(p.scope),
                p.policy_version,
                oldest,
                kind,
                g.key,
                s.eligible,
                s.granted,
                s.signed,
                s.used,
                _yuan(s.signed_line_fen).replace(",", ""),
                _yuan(s.drawn_fen).replace(",", ""),
                _pct(s.coverage),
                _pct(s.signing),
                _pct(s.usage),
                _pct(s.drawn),
                g.indicator.people if g.indicator else "",
                _pct(g.completion) if g.completion else "",
            ]
        )


def _csv_flows(view: Any) -> None:
    p = view.provenance
    w = SpreadsheetWriter(sys.stdout, lineterminator="\n")  # no cell a spreadsheet evaluates
    w.writerow(
        [
            "date",
            "scope",
            "period",
            "from",
            "to",
            "view",
            "granted",
            "signed",
            "first_drawn",
            "first_loans",
            "struck",
        ]
    )
    for f in view.flows:
        for name, flow in (("people", f.people_view), ("work", f.work_view)):
            if flow is None:
                continue
            w.writerow(
                [
                    p.as_of.isoformat(),
                    str(p.scope),
                    f.period.label,
                    f.period.start.isoformat(),
                    f.period.end.isoformat(),
                    name,
                    flow.granted,
                    flow.signed,
                    flow.first_drawn,
                    flow.first_loans if name == "people" else "",
                    "" if flow.struck is None else flow.struck,  # the work done has no strikes
                ]
            )


def _print_view(view: Any) -> None:
    from teller_assist.kpi.definitions import HEADLINE, percent_change

    for line in _provenance_lines(view.provenance):
        print(line)
    print()
    total = view.total
    s, w = total.stock, total.week_ago
    rows = []
    for kpi in HEADLINE:
        r = s.rate(kpi)
        money = kpi.name == "DRAWN"
        behind = (
            f"{_yuan(r.numerator)} / {_yuan(r.denominator)} 元"
            if money
            else f"{r.numerator:,} / {r.denominator:,}"
        )
        rows.append([kpi.zh, r.text(), w.rate(kpi).text(), _change(percent_change(r, w.rate(kpi))), behind])
    if total.indicator is not None:
        c = total.completion
        rows.append(["指标完成率", c.text(), "", "", f"{c.numerator:,} / {total.indicator.label_zh}"])
    for line in table(["指标 KPI", "本期", "一周前", "变化(百分点)", "分子 / 分母"], rows):
        print(line)
    if view.children:
        print()
        names = {"branch": "网点", "officer": "客户经理", "campaign": "活动"}
        head = [names.get(view.children_kind, view.children_kind), "合格", "授信", "签约", "用信"]
        head += ["覆盖率", "签约率", "用信率", "金额比", "完成率"]
        body = [
            [
                g.label_zh,
                f"{g.stock.eligible:,}",
                f"{g.stock.granted:,}",
                f"{g.stock.signed:,}",
                f"{g.stock.used:,}",
                g.stock.coverage.text(),
                g.stock.signing.text(),
                g.stock.usage.text(),
                g.stock.drawn.text(),
                g.completion.text() if g.completion else "—",
            ]
            for g in view.children
        ]
        for line in table(head, body):
            print(line)
    print()
    head = [
        "期间",
        "授信",
        "签约",
        "首次用信",
        "首贷户",
        "授信(经办)",
        "签约(经办)",
        "首次用信(经办)",
        "销号",
    ]
    body = [
        [
            f.period.label,
            f"{f.people_view.granted:,}",
            f"{f.people_view.signed:,}",
            f"{f.people_view.first_drawn:,}",
            f"{f.people_view.first_loans:,}",
            *(
                (f"{f.work_view.granted:,}", f"{f.work_view.signed:,}", f"{f.work_view.first_drawn:,}")
                if f.work_view
                else ("—", "—", "—")
            ),
            "—" if f.people_view.struck is None else f"{f.people_view.struck:,}",
        ]
        for f in view.flows
    ]
    for line in table(head, body):
        print(line)
    print()
    for note in view.notes:
        print(f"注：{note}")


def _print_people(listing: Any, as_json: bool) -> None:
    from teller_assist.services.kpi import CATEGORIES

    rows = [
        {
            "id_masked": p.id_masked,
            "name": p.name,
            "group": p.group,
            "application": p.application_id,
            "line_fen": p.line_fen,
            "decided_on": p.decided_on.isoformat(),
            "signed_on": p.signed_on.isoformat() if p.signed_on else None,
            "first_drawn_on": p.first_drawn_on.isoformat() if p.first_drawn_on else None,
            "drawn_fen": p.drawn_fen,
        }
        for p in listing.people
    ]
    if as_json:
        prov = listing.provenance
        print(
            json.dumps(
                {
                    "date": prov.as_of.isoformat(),
                    "scope": str(prov.scope),
                    "policy_version": prov.policy_version,
                    "list": listing.category,
                    "total": listing.total,
                    "shown": len(rows),
                    "people": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for line in _provenance_lines(listing.provenance):
        print(line)
    zh = CATEGORIES[listing.category][0]
    print(f"{zh}：共 {listing.total:,} 人，显示 {len(rows):,} 人（身份证号已脱敏）")
    body = [
        [
            p.id_masked,
            p.name,
            p.group,
            _line(p.line_fen),
            p.decided_on.isoformat(),
            p.signed_on.isoformat() if p.signed_on else "—",
            p.first_drawn_on.isoformat() if p.first_drawn_on else "—",
            _yuan(p.drawn_fen),
        ]
        for p in listing.people
    ]
    for line in table(
        ["身份证号", "姓名", "归属", "额度(元)", "授信日", "签约日", "首次用信", "已用信(元)"],
        body,
        numeric_from=3,
    ):
        print(line)


# --- commands ---------------------------------------------------------------------------------------


def cmd_kpi(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "show": _show,
        "report": _report,
        "refresh": _refresh,
        "indicator": _indicator,
    }
    return handlers[args.kpi_command](args)


def _show(args: argparse.Namespace) -> int:
    from teller_assist.kpi.definitions import parse_scope
    from teller_assist.kpi.periods import Grain
    from teller_assist.services import kpi
    from teller_assist.services.prequal import active_policy

    scope = parse_scope(args.scope)  # a malformed scope fails before the database opens
    if not 1 <= args.periods <= 400 or not 1 <= args.limit <= 100_000:
        raise UserFacingError(
            "期数应在1至400之间，人数上限在1至100000之间", "--periods 1..400, --limit 1..100000"
        )
    settings = _settings(args)
    policy = active_policy(settings)
    day = args.date or _today()
    password = _password(args)
    with _opened(settings, policy) as ctx:
        operator = _operator(ctx, args, password)
        if args.people:
            listing = kpi.people_for(ctx, operator, scope, day, args.people, purpose="cli", limit=args.limit)
            _print_people(listing, args.json)
            return EXIT_OK
        view = kpi.view_for(
            ctx,
            operator,
            scope,
            day,
            purpose="cli",
            grain=Grain(args.grain),
            flow_periods=args.periods,
        )
    if args.json:
        print(json.dumps(_view_json(view), ensure_ascii=False, indent=2))
    elif args.csv:
        (_csv_flows if args.flows else _csv_figures)(view)
    else:
        _print_view(view)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from teller_assist.cli.common import writable_output
    from teller_assist.services.kpi_reports import write_monthly
    from teller_assist.services.prequal import active_policy

    settings = _settings(args)
    policy = active_policy(settings)
    out = writable_output(args.out)
    password = _password(args)
    with _opened(settings, policy) as ctx:
        report = write_monthly(ctx, args.month, out, operator=_operator(ctx, args, password))
    print(
        f"已写出 wrote {args.out}：{report.month.label} 月报，统计日 {report.as_of.isoformat()}，"
        f"政策 {report.provenance.policy_version}"
    )
    return EXIT_OK


def _refresh(args: argparse.Namespace) -> int:
    from teller_assist.services import kpi
    from teller_assist.services.prequal import active_policy

    settings = _settings(args)
    policy = active_policy(settings)
    password = _password(args)
    with _opened(settings, policy) as ctx:
        if args.user:  # a head-office administrator by hand
            by = kpi.require_head_office(
                _operator(ctx, args, password), "保存每日汇总", "keep the daily sums"
            ).login
        else:  # the unattended night's job, as the OS account that holds the database's key
            from teller_assist.services.audit import os_actor

            by = os_actor()
        info = kpi.refresh_by(ctx, args.date or _today(), by=by)
    print(
        f"已保存每日汇总 kept the daily sums: {info.rows:,} 行 rows, "
        f"up to {info.live_from.isoformat()}（不含 excluded）, {info.seconds:.1f} s"
    )
    return EXIT_OK


def _indicator(args: argparse.Namespace) -> int:
    from teller_assist.kpi.definitions import parse_scope
    from teller_assist.services import kpi

    settings = _settings(args)
    password = _password(args)
    if args.indicator_command == "list":
        with _opened(settings) as ctx:
            rows = kpi.indicators_for(ctx, _operator(ctx, args, password), args.date)
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "scope": f"{r.scope_kind}:{r.scope_key}",
                            "measure": r.measure,
                            "people": r.people,
                            "from": r.starts_on.isoformat(),
                            "to": r.ends_on.isoformat(),
                            "set_by": r.set_by,
                        }
                        for r in rows
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return EXIT_OK
        body = [
            [
                f"{r.scope_kind}:{r.scope_key}",
                "签约" if r.measure == "signed" else "授信",
                f"{r.people:,}",
                r.starts_on.isoformat(),
                r.ends_on.isoformat(),
                r.set_by,
            ]
            for r in rows
        ]
        for line in table(["范围", "考核", "人数", "自", "至", "下达人"], body, numeric_from=2):
            print(line)
        return EXIT_OK
    scope = parse_scope(args.scope)
    with _opened(settings) as ctx:
        operator = _operator(ctx, args, password)
        row = kpi.set_indicator(
            ctx,
            operator,
            scope,
            people=args.people,
            granted=args.granted,
            starts_on=args.start,
            ends_on=args.end,
        )
    word = "授信" if row.measure == "granted" else "签约"
    print(f"已下达 set: {scope.label_zh} {word}{row.people:,}人（{row.starts_on}至{row.ends_on}）")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"kpi": cmd_kpi}
