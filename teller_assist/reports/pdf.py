"""The monthly KPI report as a PDF (A4 landscape, ReportLab): the same figures and charts as the
workbook, with the date, scope, policy version and data freshness on the first page and in every
page's footer."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from teller_assist.documents import fonts
from teller_assist.kpi.definitions import (
    DEFINITION_ZH,
    EXACT_ZH,
    FIRST_LOANS_ZH,
    HEADLINE,
    Kpi,
    Ratio,
    percent_change,
)
from teller_assist.kpi.records import FlowRow, GroupFigures, MonthlyReport
from teller_assist.reports.cells import yuan
from teller_assist.reports.charts import branch_chart, flows_chart, trend_chart

__all__ = ["monthly_pdf"]


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=fonts.PRIMARY, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, spaceAfter=4),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "number": ParagraphStyle("number", parent=base, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
    }


NUMBER = re.compile(r"(?!0\d)[+\-]?[\d,]+(\.\d+)?%?( 元)?|—")


def _cell_style(styles: dict[str, ParagraphStyle], text: str, header: bool) -> ParagraphStyle:
    """Figures right-aligned, so their digits line up down a column; words, codes (0104) and headings
    to the left."""
    return styles["number"] if not header and NUMBER.fullmatch(text) else styles["cell"]


def _pct(ratio: Ratio | None) -> str:
    return "—" if ratio is None else ratio.text()


def _change(value: object) -> str:
    return "—" if value is None else f"{value:+}"


def _table(
    rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None, *, header_rows: int = 1
) -> Table:
    styles = _styles()
    data = [
        [Paragraph(fonts.markup(str(c)), _cell_style(styles, str(c), i < header_rows)) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


GROUP_HEAD = (
    "合格",
    "授信",
    "签约",
    "用信",
    "签约额度（元）",
    "用信金额（元）",
    "覆盖率",
    "签约率",
    "用信率",
    "金额比",
    "指标",
    "完成率",
)


def _group_row(g: GroupFigures) -> list[object]:
    s = g.stock
    return [
        f"{s.eligible:,}",
        f"{s.granted:,}",
        f"{s.signed:,}",
        f"{s.used:,}",
        f"{yuan(s.signed_line_fen):,}",
        f"{yuan(s.drawn_fen):,}",
        _pct(s.coverage),
        _pct(s.signing),
        _pct(s.usage),
        _pct(s.drawn),
        f"{g.indicator.people:,}" if g.indicator else "—",
        _pct(g.completion),
    ]


def _group_table(keys: Sequence[str], rows: Sequence[tuple[Sequence[str], GroupFigures]]) -> Table:
    head = [*keys, *GROUP_HEAD]
    body = [[*k, *_group_row(g)] for k, g in rows]
    key_width, money_width = 26 * mm, 30 * mm
    rest = (landscape(A4)[0] - 30 * mm - key_width * len(keys) - 2 * money_width) / (len(GROUP_HEAD) - 2)
    widths = [rest] * len(GROUP_HEAD)
    widths[4] = widths[5] = money_width  # the two amounts in yuan
    return _table([head, *body], [key_width] * len(keys) + widths)


def _flows_table(flows: Sequence[FlowRow]) -> Table:
    head = [
        "期间",
        "授信",
        "签约",
        "首次用信",
        "首贷户",
        "授信（经办）",
        "签约（经办）",
        "首次用信（经办）",
        "销号",
    ]
    body = [
        [
            f.period.label,
            f.people_view.granted,
            f.people_view.signed,
            f.people_view.first_drawn,
            f.people_view.first_loans,
            f.work_view.granted if f.work_view else "—",
            f.work_view.signed if f.work_view else "—",
            f.work_view.first_drawn if f.work_view else "—",
            "—" if f.people_view.struck is None else f.people_view.struck,
        ]
        for f in flows
    ]
    return _table([head, *body])


def monthly_pdf(report: MonthlyReport) -> bytes:
    fonts.register()
    st = _styles()
    p = report.provenance
    county = report.county
    story: list[Any] = [
        Paragraph(fonts.markup(f"授信考核月报 {report.month.label}"), st["title"]),
        Paragraph(
            fonts.markup(
                f"统计日：{p.as_of.isoformat()}　范围：{p.scope.label_zh}　"
                f"授信政策：{p.policy_version}（SHA-256 {p.policy_sha256[:12]}…）"
            ),
            st["body"],
        ),
        Paragraph(fonts.markup(p.freshness_zh), st["small"]),
        Spacer(1, 4 * mm),
        Paragraph("一、全县指标", st["heading"]),
    ]
    stock, before = county.total.stock, report.previous
    rows: list[list[object]] = [["指标", "本期", "上月末", "变化（百分点）", "分子", "分母", "口径"]]
    for kpi in HEADLINE:
        now, then = stock.rate(kpi), before.rate(kpi)
        money = kpi is Kpi.DRAWN
        rows.append(
            [
                kpi.zh,
                _pct(now),
                _pct(then),
                _change(percent_change(now, then)),
                f"{yuan(now.numerator):,} 元" if money else f"{now.numerator:,}",
                f"{yuan(now.denominator):,} 元" if money else f"{now.denominator:,}",
                DEFINITION_ZH[kpi],
            ]
        )
    story.append(_table(rows, [22 * mm, 20 * mm, 20 * mm, 24 * mm, 32 * mm, 32 * mm, 110 * mm]))
    story += [
        Spacer(1, 3 * mm),
        Paragraph("本月流量（人）", st["heading"]),
        _flows_table(county.flows[-1:]),
        Spacer(1, 3 * mm),
        KeepTogether(
            [
                Paragraph("二、走势", st["heading"]),
                Table([[trend_chart(county.trend, 370, 220), flows_chart(county.flows, 370, 220)]]),
            ]
        ),
        Paragraph("三、网点考核排名（按指标完成率）", st["heading"]),
    ]
    branches = sorted(
        county.children,
        key=lambda g: (
            -(g.completion.value or 0) if g.completion else 1,
            -(g.stock.signing.value or 0),
            g.key,
        ),
    )
    story += [
        _group_table(["网点"], [([g.label_zh], g) for g in branches]),
        Spacer(1, 3 * mm),
        branch_chart(branches, 700, 220),
        Paragraph("四、活动与场景（目标名单）", st["heading"]),
        _group_table(["活动"], [([g.key], g) for g in report.campaigns]),
        Spacer(1, 3 * mm),
        _group_table(["场景"], [([g.key], g) for g in report.scenarios]),
        Paragraph("五、客户经理（目标名单上分配给各客户经理的客户）", st["heading"]),
        _group_table(["网点", "客户经理"], [([b, g.key], g) for b, g in report.officers]),
        Paragraph("六、每月流量", st["heading"]),
        _flows_table(county.flows),
        Paragraph("七、口径说明", st["heading"]),
    ]
    for note in (
        *county.notes,
        *(f"{k.zh}：{DEFINITION_ZH[k]}" for k in (*HEADLINE, Kpi.COMPLETION)),
        FIRST_LOANS_ZH,
        EXACT_ZH,
    ):
        story.append(Paragraph(fonts.markup(note), st["small"]))

    footer = (
        f"授信考核月报 {report.month.label} · 统计日 {p.as_of.isoformat()} · {p.scope.label_zh} · "
        f"政策 {p.policy_version}"
    )

    return landscape_pdf(story, title=f"授信考核月报 {report.month.label}", footer=footer)


def landscape_pdf(story: list[Any], *, title: str, footer: str) -> bytes:
    """The reports' pages: A4 landscape, the bundled CJK font, ``footer`` and the page number on each."""

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.PRIMARY, 7.5)
        canvas.drawString(15 * mm, 8 * mm, footer)
        canvas.drawRightString(landscape(A4)[0] - 15 * mm, 8 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="柜面授信助手",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
