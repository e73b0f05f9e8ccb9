"""The report's charts as ReportLab drawings, the same three the dashboard shows: the four headline
rates over time, each branch's signing and usage rates, and the flows by period. Chinese labels are
set in the bundled font."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from teller_assist.documents import fonts
from teller_assist.kpi.definitions import HEADLINE, Stock
from teller_assist.kpi.records import FlowRow, GroupFigures

__all__ = ["branch_chart", "flows_chart", "trend_chart"]

PALETTE = (
    colors.HexColor("#1F77B4"),
    colors.HexColor("#FF7F0E"),
    colors.HexColor("#2CA02C"),
    colors.HexColor("#D62728"),
)


def _percent(value: object) -> float:
    return 0.0 if value is None else float(value) * 100  # type: ignore[arg-type]


def _title(drawing: Drawing, text: str, width: float, height: float) -> None:
    drawing.add(
        String(width / 2, height - 14, text, fontName=fonts.PRIMARY, fontSize=11, textAnchor="middle")
    )


def _legend(
    drawing: Drawing, names: Sequence[str], x: float, y: float, palette: Sequence[Any] = PALETTE
) -> None:
    """A legend in one row under the chart."""
    legend = Legend()
    legend.x, legend.y = int(x), int(y)
    legend.fontName = fonts.PRIMARY
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 70
    legend.dxTextSpace = 4
    legend.colorNamePairs = list(zip(palette, names, strict=False))
    drawing.add(legend)


def trend_chart(trend: Sequence[tuple[dt.date, Stock]], width: float = 480, height: float = 220) -> Drawing:
    """The four headline rates at each date, in percent."""
    fonts.register()
    drawing = Drawing(width, height)
    _title(drawing, "四项考核指标走势（%）", width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 35, 50, int(width - 50), int(height - 75)
    chart.data = [[_percent(s.rate(k).value) for _d, s in trend] for k in HEADLINE]
    chart.categoryAxis.categoryNames = [f"{d:%m-%d}" for d, _s in trend]
    chart.categoryAxis.labels.fontName = fonts.PRIMARY
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = fonts.PRIMARY
    chart.valueAxis.labels.fontSize = 7
    for i, color in enumerate(PALETTE):
        chart.lines[i].strokeColor = color
        chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    _legend(drawing, [k.zh for k in HEADLINE], 40, 8)
    return drawing


def branch_chart(rows: Sequence[GroupFigures], width: float = 480, height: float = 220) -> Drawing:
    """Each branch's signing rate and usage rate, in percent."""
    fonts.register()
    drawing = Drawing(width, height)
    _title(drawing, "各网点签约率与用信率（%）", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 35, 50, int(width - 50), int(height - 75)
    chart.data = [
        [_percent(g.stock.signing.value) for g in rows] or [0.0],
        [_percent(g.stock.usage.value) for g in rows] or [0.0],
    ]
    chart.categoryAxis.categoryNames = [g.label_zh for g in rows] or [""]
    chart.categoryAxis.labels.fontName = fonts.PRIMARY
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(rows) > 14 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 14 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = fonts.PRIMARY
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = PALETTE[1]
    chart.bars[1].fillColor = PALETTE[2]
    drawing.add(chart)
    _legend(drawing, ["签约率", "用信率"], 40, 8, (PALETTE[1], PALETTE[2]))
    return drawing


def nice_top(largest: int) -> tuple[int, int]:
    """An axis' top above ``largest`` at a round step (1, 2 or 5 times a power of ten), so the tallest bar
    stays under a labelled tick: (top, step)."""
    if largest <= 0:
        return 1, 1
    rough = largest / 5
    power = 10 ** (len(str(int(rough))) - 1)
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return (largest // step + 1) * step, step


def flows_chart(flows: Sequence[FlowRow], width: float = 480, height: float = 220) -> Drawing:
    """Granted, signed and first drawn by period (people's view)."""
    fonts.register()
    drawing = Drawing(width, height)
    _title(drawing, "新增授信、签约与首次用信（人）", width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 50, int(width - 55), int(height - 75)
    chart.data = [
        [f.people_view.granted for f in flows] or [0],
        [f.people_view.signed for f in flows] or [0],
        [f.people_view.first_drawn for f in flows] or [0],
    ]
    chart.categoryAxis.categoryNames = [f.period.label[-5:] for f in flows] or [""]
    chart.categoryAxis.labels.fontName = fonts.PRIMARY
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = nice_top(max(max(row) for row in chart.data))
    chart.valueAxis.labels.fontName = fonts.PRIMARY
    chart.valueAxis.labels.fontSize = 7
    for i in range(3):
        chart.bars[i].fillColor = PALETTE[i]
    drawing.add(chart)
    _legend(drawing, ["授信", "签约", "首次用信"], 40, 8)
    return drawing
