"""A branch's daily digest (晨会任务简报) as a workbook or a PDF for the morning meeting: each officer's
tasks by kind, the branch's progress on its lists against their indicators, the overdue tasks and today's
appointments, and the tasks themselves. People appear masked, as the task list shows them.

The workbook holds every task; the PDF, meant to be printed or shown, lists each officer's first
:data:`PDF_TASKS_PER_OFFICER` (in the list's order: due date, then value) and says how many more the
workbook holds, so a branch with thousands of open targets still prints a meeting's worth of pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from teller_assist.documents import fonts
from teller_assist.kpi.definitions import Ratio
from teller_assist.reports.cells import ratio_value, yuan
from teller_assist.reports.pdf import landscape_pdf
from teller_assist.reports.workbook import Column, Workbook
from teller_assist.targets.digest import UNASSIGNED, DigestTask, TaskDigest
from teller_assist.targets.tasks import KIND_ZH, STRIKE_ZH, TASK_KINDS

__all__ = ["PDF_TASKS_PER_OFFICER", "digest_pdf", "digest_xlsx"]

PDF_TASKS_PER_OFFICER = 60
MASK_NOTE = (
    "客户身份证号按本行遮蔽规则部分隐藏；本简报不含出生日期、电话、住址等可推出隐藏位的信息，请勿外传。"
)


def _title(d: TaskDigest) -> str:
    return f"晨会任务简报 网点 {d.branch} {d.day.isoformat()}"


def _provenance(d: TaskDigest) -> list[str]:
    moment = d.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    lines = [
        f"网点：{d.branch}    日期：{d.day.isoformat()}    生成：{moment}，{d.generated_by}",
        f"今日任务 {len(d.tasks):,} 项："
        + "，".join(f"{KIND_ZH[k]} {d.counts.get(k, 0):,}" for k in TASK_KINDS)
        + f"；逾期 {len(d.overdue):,}，今日预约 {len(d.appointments):,}",
    ]
    if d.freshness:
        lines.append(d.freshness)
    lines.append(MASK_NOTE)
    return lines


def _officer_values(d: TaskDigest) -> list[list[object]]:
    rows: list[list[object]] = []
    for o in d.officers:
        rows.append(
            [
                o.label,
                o.login or "",
                *(o.counts.get(k, 0) for k in TASK_KINDS),
                o.total,
                o.overdue,
                o.appointments,
            ]
        )
    rows.append(
        [
            "合计",
            "",
            *(d.counts.get(k, 0) for k in TASK_KINDS),
            len(d.tasks),
            len(d.overdue),
            len(d.appointments),
        ]
    )
    return rows


OFFICER_HEAD = ("客户经理", "登录名", *(KIND_ZH[k] for k in TASK_KINDS), "合计", "逾期", "今日预约")
LIST_HEAD = (
    "名单",
    "截止日期",
    "目标客户",
    "指标",
    "已分配",
    f"已签约（{STRIKE_ZH['signed']}）",
    "销号：不再符合",
    "销号：客户拒绝",
    "未销号",
    "指标完成率",
    "距指标还差",
)
TASK_HEAD = (
    "客户经理",
    "任务",
    "身份证号（部分隐藏）",
    "姓名",
    "截止日期",
    "逾期",
    "预约",
    "额度（元）",
    "名单",
)


def _list_values(d: TaskDigest) -> list[list[object]]:
    return [
        [
            x.campaign,
            x.due_on,
            x.people,
            x.indicator,
            x.assigned,
            x.signed,
            x.struck.get("ineligible", 0),
            x.struck.get("declined", 0),
            x.open,
            x.completion,
            x.to_go,
        ]
        for x in d.lists
    ]


def _officer_names(d: TaskDigest) -> dict[str | None, str]:
    return {o.login: o.label for o in d.officers}


def _task_values(t: DigestTask, names: dict[str | None, str]) -> list[object]:
    return [
        names.get(t.officer, t.officer or UNASSIGNED),
        t.kind_zh,
        t.id_masked,
        t.name or "",
        t.due_on,
        "逾期" if t.overdue else "",
        "今日预约" if t.appointment else "",
        None if t.value_fen is None else yuan(t.value_fen),
        t.campaign,
    ]


def digest_xlsx(d: TaskDigest) -> bytes:
    """The digest's workbook: 概览 (each officer), 名单进度, 逾期与预约, 任务清单 (every task), 说明."""
    book = Workbook(_title(d), f"网点 {d.branch}")
    notes = _provenance(d)
    book.table(
        "概览",
        _title(d),
        notes,
        [Column(OFFICER_HEAD[0], "text", 22), Column(OFFICER_HEAD[1], "text", 12)]
        + [Column(h, "int", 10) for h in OFFICER_HEAD[2:]],
        _officer_values(d),
        freeze_columns=1,
    )
    kinds = ("text", "date", "int", "int", "int", "int", "int", "int", "int", "pct", "int")
    widths = (24, 12, 10, 10, 10, 14, 13, 13, 10, 12, 12)
    rows = [[ratio_value(v) if isinstance(v, Ratio) else v for v in row] for row in _list_values(d)]
    book.table(
        "名单进度",
        f"名单进度 网点 {d.branch}（截至 {d.day.isoformat()}）",
        ["指标完成率 = 已签约人数 ÷ 指标人数；导入的名单没有指标。"],
        [Column(h, k, w) for h, k, w in zip(LIST_HEAD, kinds, widths, strict=True)],
        rows,
        freeze_columns=1,
    )
    names = _officer_names(d)
    task_columns = [
        Column(TASK_HEAD[0], "text", 14),
        Column(TASK_HEAD[1], "text", 11),
        Column(TASK_HEAD[2], "text", 22),
        Column(TASK_HEAD[3], "text", 12),
        Column(TASK_HEAD[4], "date", 12),
        Column(TASK_HEAD[5], "text", 7),
        Column(TASK_HEAD[6], "text", 10),
        Column(TASK_HEAD[7], "yuan", 13),
        Column(TASK_HEAD[8], "text", 22),
        Column("登录名", "text", 12),
    ]
    urgent = [t for t in d.tasks if t.overdue or t.appointment]
    book.table(
        "逾期与预约",
        f"逾期任务与今日预约（{len(d.overdue):,} 项逾期，{len(d.appointments):,} 项今日预约）",
        ["逾期：截止日期早于今天；今日预约：客户约定今天办理。"],
        task_columns,
        [[*_task_values(t, names), t.officer or ""] for t in urgent],
        freeze_columns=1,
    )
    book.table(
        "任务清单",
        f"今日任务清单（{len(d.tasks):,} 项，按客户经理、截止日期、额度排列）",
        [MASK_NOTE],
        task_columns,
        [[*_task_values(t, names), t.officer or ""] for t in d.tasks],
        freeze_columns=1,
    )
    book.table("说明", "说明", [], [Column("说明", "text", 100)], [[n] for n in (*d.notes, *notes)])
    return book.close()


# --- PDF ------------------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=fonts.PRIMARY, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, spaceAfter=4),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "number": ParagraphStyle("number", parent=base, fontSize=8, leading=10, alignment=2),
    }


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Ratio):
        return value.text()
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, int):
        return f"{value:,}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float], numeric: Sequence[bool]) -> Table:
    st = _styles()
    data = [
        [
            Paragraph(
                fonts.markup(_text(c) if i else str(c)),
                st["number"] if i and numeric[j] else st["cell"],
            )
            for j, c in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _pdf_task_row(t: DigestTask, names: dict[str | None, str]) -> list[object]:
    values = _task_values(t, names)
    money = values[7]
    values[7] = "—" if money is None else f"{money:,}"
    return values


TASK_WIDTHS = [30 * mm, 22 * mm, 42 * mm, 24 * mm, 22 * mm, 12 * mm, 18 * mm, 26 * mm, 50 * mm]
TASK_NUMERIC = [False, False, False, False, False, False, False, True, False]


def digest_pdf(d: TaskDigest) -> bytes:
    """The digest as a PDF (A4 landscape, the bundled CJK font)."""
    fonts.register()
    st = _styles()
    names = _officer_names(d)
    story: list[Any] = [Paragraph(fonts.markup(_title(d)), st["title"])]
    story += [Paragraph(fonts.markup(line), st["small"]) for line in _provenance(d)]
    story += [Spacer(1, 3 * mm), Paragraph("一、各客户经理今日任务", st["heading"])]
    widths = [46 * mm, 22 * mm] + [19 * mm] * (len(OFFICER_HEAD) - 2)
    story.append(_table([OFFICER_HEAD, *_officer_values(d)], widths, [False, False] + [True] * 9))
    story.append(Paragraph("二、名单进度（指标完成率 = 已签约 ÷ 指标）", st["heading"]))
    if d.lists:
        widths = [44 * mm, 22 * mm] + [21 * mm] * (len(LIST_HEAD) - 2)
        story.append(_table([LIST_HEAD, *_list_values(d)], widths, [False, False] + [True] * 9))
    else:
        story.append(Paragraph("本网点暂无目标名单。", st["body"]))
    urgent = [t for t in d.tasks if t.overdue or t.appointment]
    story.append(
        Paragraph(
            fonts.markup(
                f"三、逾期任务与今日预约（逾期 {len(d.overdue):,} 项，今日预约 {len(d.appointments):,} 项）"
            ),
            st["heading"],
        )
    )
    if urgent:
        shown = urgent[: PDF_TASKS_PER_OFFICER * 3]
        story.append(
            _table([TASK_HEAD, *(_pdf_task_row(t, names) for t in shown)], TASK_WIDTHS, TASK_NUMERIC)
        )
        if len(urgent) > len(shown):
            story.append(
                Paragraph(fonts.markup(f"另有 {len(urgent) - len(shown):,} 项见 Excel 版。"), st["small"])
            )
    else:
        story.append(Paragraph("没有逾期任务和今日预约。", st["body"]))
    story.append(Paragraph("四、今日任务清单（按客户经理）", st["heading"]))
    for o in d.officers:
        mine = [t for t in d.tasks if t.officer == o.login]
        if not mine:
            continue
        shown = mine[:PDF_TASKS_PER_OFFICER]
        story.append(Paragraph(fonts.markup(f"{o.label}：{len(mine):,} 项"), st["body"]))
        story.append(
            _table([TASK_HEAD, *(_pdf_task_row(t, names) for t in shown)], TASK_WIDTHS, TASK_NUMERIC)
        )
        if len(mine) > len(shown):
            story.append(
                Paragraph(
                    fonts.markup(
                        f"前 {len(shown)} 项如上，另有 {len(mine) - len(shown):,} 项见 Excel 版任务清单。"
                    ),
                    st["small"],
                )
            )
        story.append(Spacer(1, 2 * mm))
    if not d.tasks:
        story.append(Paragraph("今日没有任务。", st["body"]))
    if d.notes:
        story.append(Paragraph("五、提示", st["heading"]))
        story += [Paragraph(fonts.markup(n), st["small"]) for n in d.notes]

    footer = f"{_title(d)} · 内部资料，身份证号已部分隐藏"

    return landscape_pdf(story, title=_title(d), footer=footer)
