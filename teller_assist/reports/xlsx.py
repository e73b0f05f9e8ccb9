"""The monthly KPI report as a workbook: one sheet per view, numbers as numbers (percentages formatted,
money in yuan with two decimals), every text cell written as text and neutralised against formulas,
the provenance on every sheet, native charts where the dashboard has them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from teller_assist.kpi.definitions import (
    DEFINITION_ZH,
    EXACT_ZH,
    FIRST_LOANS_ZH,
    HEADLINE,
    Kpi,
    percent_change,
)
from teller_assist.kpi.records import FlowRow, GroupFigures, MonthlyReport, Provenance
from teller_assist.reports.cells import ratio_value, safe_text, yuan

__all__ = ["monthly_xlsx"]

GROUP_COLUMNS = (
    ("合格人数", "eligible", "int"),
    ("授信人数", "granted", "int"),
    ("签约人数", "signed", "int"),
    ("用信人数", "used", "int"),
    ("签约额度（元）", "signed_line", "yuan"),
    ("用信金额（元）", "drawn", "yuan"),
    ("授信覆盖率", "coverage", "pct"),
    ("签约率", "signing", "pct"),
    ("用信率", "usage", "pct"),
    ("用信金额比", "drawn_ratio", "pct"),
    ("指标（人）", "indicator", "int"),
    ("指标完成率", "completion", "pct"),
    ("签约率变化（百分点）", "signing_change", "num"),
    ("用信率变化（百分点）", "usage_change", "num"),
)


class _Book:
    def __init__(self, buffer: io.BytesIO, provenance: Provenance) -> None:
        self.book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        self.book.set_properties(
            {"title": "授信考核月报", "subject": str(provenance.scope), "author": "柜面授信助手"}
        )
        base = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.provenance = provenance
        self.f = {
            "title": self.book.add_format({**base, "bold": True, "font_size": 14}),
            "note": self.book.add_format({**base, "font_color": "#555555", "text_wrap": False}),
            "head": self.book.add_format(
                {
                    **base,
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "text": self.book.add_format({**base, "border": 1}),
            "int": self.book.add_format({**base, "border": 1, "num_format": "#,##0"}),
            "yuan": self.book.add_format({**base, "border": 1, "num_format": "#,##0.00"}),
            "pct": self.book.add_format({**base, "border": 1, "num_format": "0.00%"}),
            "num": self.book.add_format({**base, "border": 1, "num_format": "+0.00;-0.00;0.00"}),
            "date": self.book.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd"}),
            "bold": self.book.add_format({**base, "bold": True, "border": 1}),
        }

    def sheet(self, name: str, title: str) -> tuple[Any, int]:
        """A sheet with its title and the provenance lines; returns it and the first free row."""
        ws = self.book.add_worksheet(name)
        p = self.provenance
        ws.write_string(0, 0, safe_text(title), self.f["title"])
        lines = [
            f"日期：{p.as_of.isoformat()}    范围：{p.scope.label_zh}    "
            f"授信政策：{p.policy_version}（SHA-256 {p.policy_sha256[:12]}…）",
            p.freshness_zh,
            "存量按客户归属统计；流量分“按客户归属”与“按经办”两种口径，见各表列名。",
        ]
        for i, line in enumerate(lines, start=1):
            ws.write_string(i, 0, safe_text(line), self.f["note"])
        return ws, len(lines) + 2

    def cell(self, ws: Any, row: int, col: int, value: object, kind: str) -> None:
        if value is None:
            ws.write_blank(row, col, None, self.f["text" if kind == "text" else kind])
        elif kind == "text":
            ws.write_string(row, col, safe_text(value), self.f["text"])
        elif kind == "date":
            ws.write_datetime(row, col, value, self.f["date"])
        else:
            ws.write_number(row, col, float(value), self.f[kind])  # type: ignore[arg-type]

    def header(self, ws: Any, row: int, names: Sequence[str]) -> None:
        ws.set_row(row, 30)
        for col, name in enumerate(names):
            ws.write_string(row, col, name, self.f["head"])


def _values(g: GroupFigures) -> dict[str, object]:
    s, w = g.stock, g.week_ago
    completion = g.completion
    return {
        "eligible": s.eligible,
        "granted": s.granted,
        "signed": s.signed,
        "used": s.used,
        "signed_line": yuan(s.signed_line_fen),
        "drawn": yuan(s.drawn_fen),
        "coverage": ratio_value(s.coverage),
        "signing": ratio_value(s.signing),
        "usage": ratio_value(s.usage),
        "drawn_ratio": ratio_value(s.drawn),
        "indicator": g.indicator.people if g.indicator else None,
        "completion": ratio_value(completion),
        "signing_change": percent_change(s.signing, w.signing),
        "usage_change": percent_change(s.usage, w.usage),
    }


def _group_sheet(
    b: _Book,
    name: str,
    title: str,
    key_columns: Sequence[str],
    rows: Sequence[tuple[Sequence[str], GroupFigures]],
    *,
    since_label: str,
) -> tuple[Any, int, int]:
    ws, top = b.sheet(name, title)
    names = [*key_columns, *(c[0] for c in GROUP_COLUMNS)]
    names = [n.replace("变化（百分点）", f"较{since_label}（百分点）") for n in names]
    b.header(ws, top, names)
    for r, (keys, g) in enumerate(rows, start=top + 1):
        for c, key in enumerate(keys):
            b.cell(ws, r, c, key, "text")
        values = _values(g)
        for c, (_label, field, kind) in enumerate(GROUP_COLUMNS, start=len(keys)):
            b.cell(ws, r, c, values[field], kind)
    ws.freeze_panes(top + 1, len(key_columns))
    ws.autofilter(top, 0, top + max(len(rows), 1), len(names) - 1)
    ws.set_column(0, len(key_columns) - 1, 16)
    ws.set_column(len(key_columns), len(names) - 1, 12)
    return ws, top, top + len(rows)


def _flow_sheet(b: _Book, name: str, title: str, flows: Sequence[FlowRow]) -> tuple[Any, int, int]:
    ws, top = b.sheet(name, title)
    names = [
        "期间",
        "起",
        "止",
        "授信（按客户归属）",
        "签约（按客户归属）",
        "首次用信（按客户归属）",
        "首贷户",
        "授信（按经办）",
        "签约（按经办）",
        "首次用信（按经办）",
        "销号",
    ]
    b.header(ws, top, names)
    for r, f in enumerate(flows, start=top + 1):
        work = f.work_view
        values: list[tuple[object, str]] = [
            (f.period.label, "text"),
            (f.period.start, "date"),
            (f.period.end, "date"),
            (f.people_view.granted, "int"),
            (f.people_view.signed, "int"),
            (f.people_view.first_drawn, "int"),
            (f.people_view.first_loans, "int"),
            (work.granted if work else None, "int"),
            (work.signed if work else None, "int"),
            (work.first_drawn if work else None, "int"),
            (f.people_view.struck, "int"),
        ]
        for c, (value, kind) in enumerate(values):
            b.cell(ws, r, c, value, kind)
    ws.freeze_panes(top + 1, 1)
    ws.set_column(0, 2, 12)
    ws.set_column(3, len(names) - 1, 13)
    return ws, top, top + len(flows)


def monthly_xlsx(report: MonthlyReport) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    b = _Book(buffer, report.provenance)
    county = report.county

    # 1. summary
    ws, top = b.sheet("概览", f"授信考核月报 {report.month.label}（截至 {report.as_of.isoformat()}）")
    b.header(ws, top, ["指标", "本期", "上月末", "变化（百分点）", "分子", "分母", "口径"])
    stock, before = county.total.stock, report.previous
    explain = DEFINITION_ZH
    for r, kpi in enumerate(HEADLINE, start=top + 1):
        now, then = stock.rate(kpi), before.rate(kpi)
        money = kpi is Kpi.DRAWN
        b.cell(ws, r, 0, kpi.zh, "text")
        b.cell(ws, r, 1, ratio_value(now), "pct")
        b.cell(ws, r, 2, ratio_value(then), "pct")
        b.cell(ws, r, 3, percent_change(now, then), "num")
        b.cell(ws, r, 4, yuan(now.numerator) if money else now.numerator, "yuan" if money else "int")
        b.cell(ws, r, 5, yuan(now.denominator) if money else now.denominator, "yuan" if money else "int")
        b.cell(ws, r, 6, explain[kpi], "text")
    row = top + len(HEADLINE) + 2
    month_flow = county.flows[-1]
    b.header(ws, row, ["本月流量", "按客户归属", "按经办"])
    for r, (label, mine, work) in enumerate(
        (
            (
                "新增授信（人）",
                month_flow.people_view.granted,
                month_flow.work_view.granted if month_flow.work_view else None,
            ),
            (
                "新增签约（人）",
                month_flow.people_view.signed,
                month_flow.work_view.signed if month_flow.work_view else None,
            ),
            (
                "首次用信（人）",
                month_flow.people_view.first_drawn,
                month_flow.work_view.first_drawn if month_flow.work_view else None,
            ),
            ("首贷户（人）", month_flow.people_view.first_loans, None),
        ),
        start=row + 1,
    ):
        b.cell(ws, r, 0, label, "text")
        b.cell(ws, r, 1, mine, "int")
        b.cell(ws, r, 2, work, "int")
    b.cell(ws, row + 5, 0, "销号（人）", "text")
    b.cell(ws, row + 5, 1, month_flow.people_view.struck, "int")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 5, 14)
    ws.set_column(6, 6, 70)

    # 2. branches: the league table, with a chart
    branch_rows = sorted(
        county.children,
        key=lambda g: (
            -(g.completion.value or 0) if g.completion else 1,
            -(g.stock.signing.value or 0),
            g.key,
        ),
    )
    ws, top, last = _group_sheet(
        b,
        "网点",
        "网点考核排名（按指标完成率）",
        ["网点"],
        [([g.label_zh], g) for g in branch_rows],
        since_label="一周前",
    )
    if branch_rows:
        chart = b.book.add_chart({"type": "column"})
        for col, label in ((8, "签约率"), (9, "用信率")):  # after the branch and the counts
            chart.add_series(
                {
                    "name": label,
                    "categories": ["网点", top + 1, 0, last, 0],
                    "values": ["网点", top + 1, col, last, col],
                }
            )
        chart.set_title({"name": "各网点签约率与用信率"})
        chart.set_y_axis({"num_format": "0%"})
        ws.insert_chart(last + 2, 1, chart, {"x_scale": 1.6, "y_scale": 1.2})

    # 3.-5. officers, campaigns, scenarios
    _group_sheet(
        b,
        "客户经理",
        "客户经理（目标名单上分配给各客户经理的客户）",
        ["网点", "客户经理"],
        [([branch, g.key], g) for branch, g in report.officers],
        since_label="上月末",
    )
    _group_sheet(
        b,
        "活动",
        "活动（目标名单）",
        ["活动"],
        [([g.key], g) for g in report.campaigns],
        since_label="上月末",
    )
    _group_sheet(
        b,
        "场景",
        "场景（目标名单）",
        ["场景"],
        [([g.key], g) for g in report.scenarios],
        since_label="上月末",
    )

    # 6. trend by month: rates at month ends, with a chart
    ws, top = b.sheet("月度趋势", "全县月末指标与每月流量")
    b.header(ws, top, ["月末", "合格人数", "授信人数", "签约人数", "用信人数", *(k.zh for k in HEADLINE)])
    for r, (day, s) in enumerate(county.trend, start=top + 1):
        b.cell(ws, r, 0, day, "date")
        for c, v in enumerate((s.eligible, s.granted, s.signed, s.used), start=1):
            b.cell(ws, r, c, v, "int")
        for c, kpi in enumerate(HEADLINE, start=5):
            b.cell(ws, r, c, ratio_value(s.rate(kpi)), "pct")
    last = top + len(county.trend)
    chart = b.book.add_chart({"type": "line"})
    for c, kpi in enumerate(HEADLINE, start=5):
        chart.add_series(
            {
                "name": kpi.zh,
                "categories": ["月度趋势", top + 1, 0, last, 0],
                "values": ["月度趋势", top + 1, c, last, c],
                "marker": {"type": "circle", "size": 4},
            }
        )
    chart.set_title({"name": "四项考核指标走势"})
    chart.set_y_axis({"num_format": "0%"})
    chart.set_x_axis({"date_axis": True, "num_format": "yyyy-mm"})
    ws.insert_chart(last + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})
    ws.set_column(0, 0, 12)
    ws.set_column(1, 8, 12)
    _flow_sheet(b, "每月流量", "全县每月流量", county.flows)

    # 7. the month by day
    _flow_sheet(b, "本月每日", f"{report.month.label} 每日流量", report.daily)

    # 8. notes
    ws, top = b.sheet("说明", "口径说明")
    for r, note in enumerate(
        (
            *county.notes,
            *(f"{k.zh}：{DEFINITION_ZH[k]}" for k in (*HEADLINE, Kpi.COMPLETION)),
            FIRST_LOANS_ZH,
            EXACT_ZH,
        ),
        start=top,
    ):
        ws.write_string(r, 0, safe_text(note), b.f["note"])
    b.book.close()
    return buffer.getvalue()
