"""Build the agreement, the authorisation and the letter as A4 PDFs (ReportLab platypus), from plain data.

The CJK font is registered once per process and embedded as a subset. Every value a person typed or
the database holds is escaped before it meets ReportLab's markup; the template's own text may carry
markup. A document is printed as one or more parts (联): the agreement as the bank's copy (银行留存联)
and the customer's (客户联), each complete with its signatures. Only a part the bank keeps carries the
full resident ID; which part does is fixed here, not in the templates the bank edits. Each part's pages
are numbered "第 x 页 共 y 页"; a reprint carries a 副本 mark on every page. The signatures stay on the
page of the last terms (they never stand alone on a page of their own).
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import io
import itertools
import threading
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from teller_assist.documents import fonts
from teller_assist.documents.linebreak import ChineseParagraph
from teller_assist.documents.numerals import amount_text
from teller_assist.documents.templates import KINDS, Section, Template, load_template


@dataclass(frozen=True)
class Part:
    """One part (联) of a printed document: its label at the head of each of its pages, and whether it
    carries the full resident ID (a part the bank keeps) or the masked one (what the customer takes)."""

    label: str
    full_id: bool


PARTS: dict[str, tuple[Part, ...]] = {
    "agreement": (Part("第一联 银行留存联", True), Part("第二联 客户联", False)),
    "authorization": (Part("银行留存", True),),  # the bank keeps the signed original
    "letter": (Part("", False),),  # the customer's
}


@dataclass(frozen=True)
class DocumentData:
    """What a document says. ``id_full`` is printed only on a part the bank keeps (``PARTS``); every
    other part, and a preview (which leaves ``id_full`` empty), shows ``id_masked``."""

    kind: str
    bank_name: str
    branch_name: str
    agreement_no: str
    name: str
    id_masked: str
    line_fen: int
    annual_rate: str  # "3.85"
    valid_from: dt.date
    valid_until: dt.date
    reasons: tuple[str, ...]
    app_url: str
    issue_date: dt.date
    verification_code: str
    copy: bool = False  # a reprint: marked 副本
    id_full: str = ""  # the full resident ID, for the bank's part; empty in a preview

    def __repr__(self) -> str:
        return f"DocumentData({self.kind!r}, {self.agreement_no!r}, copy={self.copy})"


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles (made once: a paragraph only reads its style)."""
    base = ParagraphStyle(
        "body", fontName=fonts.PRIMARY, fontSize=11, leading=17, wordWrap="CJK", alignment=TA_JUSTIFY
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10, alignment=TA_CENTER, textColor=colors.grey
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=20, spaceBefore=6, keepWithNext=1
        ),
        "body": ParagraphStyle("body2", parent=base, firstLineIndent=22),
        "reason": ParagraphStyle("reason", parent=base, leftIndent=22, firstLineIndent=-11),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=14),
        "sign": ParagraphStyle("sign", parent=base, fontSize=11, leading=24),
    }


def _values(data: DocumentData, part: Part) -> dict[str, str]:
    shown_id = data.id_full if part.full_id and data.id_full else data.id_masked
    return {
        "bank_name": fonts.markup(data.bank_name),
        "branch_name": fonts.markup(data.branch_name),
        "agreement_no": fonts.markup(data.agreement_no),
        "name": fonts.markup(data.name),
        "id_masked": fonts.markup(data.id_masked),
        "id_number": fonts.markup(shown_id),
        "part": fonts.markup(part.label),
        "line_amount": fonts.markup(amount_text(data.line_fen)),
        "annual_rate": fonts.markup(data.annual_rate),
        "valid_from": f"{data.valid_from:%Y年%m月%d日}",
        "valid_until": f"{data.valid_until:%Y年%m月%d日}",
        "app_url": fonts.markup(data.app_url),
        "issue_date": f"{data.issue_date:%Y年%m月%d日}",
    }


@functools.lru_cache(maxsize=8)
def _qr_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of ``url`` (ReportLab's encoder) as dark runs (row, first column, length); cached:
    every document of a desktop carries the same mobile-app URL."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(url)
    qr.make()
    runs = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in itertools.groupby(bool(m) for m in row):
            n = len(list(group))
            if dark:
                runs.append((r, c, n))
            c += n
    return len(qr.modules), tuple(runs)


class QrFlowable(Flowable):
    """A QR code drawn as one filled path (fast: the graphics renderer's one shape per run is not)."""

    BORDER = 2

    def __init__(self, url: str, size: float = 26 * mm) -> None:
        super().__init__()
        self.url, self.width, self.height = url, size, size

    def draw(self) -> None:
        count, runs = _qr_runs(self.url)
        box = self.width / (count + 2 * self.BORDER)
        path = self.canv.beginPath()
        for r, c, n in runs:
            path.rect((c + self.BORDER) * box, self.height - (r + self.BORDER + 1) * box, n * box, box)
        self.canv.drawPath(path, stroke=0, fill=1)


class _PartMark(Flowable):
    """Takes no room; tells the canvas that the pages from here on belong to part ``index``."""

    def __init__(self, index: int, label: str) -> None:
        super().__init__()
        self.index, self.label = index, label
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._part = (self.index, self.label)  # type: ignore[attr-defined]  # read by _NumberedCanvas


def _section(template: Template, section: Section, data: DocumentData, values: dict[str, str]) -> list[Any]:
    s = _styles()
    out: list[Any] = []
    if section.heading:
        out.append(ChineseParagraph("<b>" + template.fill(section.heading, values) + "</b>", s["heading"]))
    out.append(ChineseParagraph(template.fill(section.text, values), s["body"]))
    if section.reasons:
        out.extend(
            ChineseParagraph(f"{i}. {fonts.markup(reason)}", s["reason"])
            for i, reason in enumerate(data.reasons, 1)
        )
    return out


def _signatures(template: Template, data: DocumentData, values: dict[str, str]) -> list[Any]:
    s = _styles()
    left, right = template.fill(template.sign_left, values), template.fill(template.sign_right, values)
    date = template.fill(template.sign_date, values)
    signatures = Table(
        [
            [ChineseParagraph(left, s["sign"]), ChineseParagraph(right, s["sign"])],
            [
                ChineseParagraph(date if left else "", s["sign"]),
                ChineseParagraph(date if right else "", s["sign"]),
            ],
        ],
        colWidths=[85 * mm, 85 * mm],
        rowHeights=[18 * mm, 10 * mm],
    )
    signatures.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), fonts.PRIMARY)])
    )
    check = Table(
        [
            [
                QrFlowable(data.app_url),
                ChineseParagraph(
                    "扫码下载手机银行，随借随还<br/>"
                    + f"验证码 <b>{fonts.markup(data.verification_code)}</b><br/>"
                    + "网点可凭协议编号和验证码核对本文书的真实性",
                    s["small"],
                ),
            ]
        ],
        colWidths=[30 * mm, 140 * mm],
    )
    check.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONT", (0, 0), (-1, -1), fonts.PRIMARY)])
    )
    return [signatures, Spacer(1, 6 * mm), check]


def _part(template: Template, data: DocumentData, part: Part, index: int) -> list[Any]:
    s = _styles()
    values = _values(data, part)
    story: list[Any] = [
        _PartMark(index, part.label),
        ChineseParagraph(template.fill(template.title, values), s["title"]),
        ChineseParagraph(template.fill(template.subtitle, values), s["subtitle"]),
        Spacer(1, 6 * mm),
    ]
    *terms, last = template.sections
    for section in terms:
        story.extend(_section(template, section, data, values))
    # the last terms and the signatures under them share a page: a signature never stands alone
    story.append(
        KeepTogether(
            [
                *_section(template, last, data, values),
                Spacer(1, 10 * mm),
                *_signatures(template, data, values),
            ]
        )
    )
    return story


def _flowables(template: Template, data: DocumentData) -> list[Any]:
    story: list[Any] = []
    for index, part in enumerate(PARTS[data.kind]):
        if story:
            story.append(PageBreak())
        story.extend(_part(template, data, part, index))
    return story


class _NumberedCanvas(Canvas):
    """Defers each page so the footer can say how many pages its part has (and stamp 副本)."""

    copy_mark = False
    seed = ""  # the characters every document of its kind prints: see fonts.seed

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._part: tuple[int, str] = (0, "")
        if self.seed:
            fonts.seed(self._doc, self.seed)  # type: ignore[attr-defined]  # the canvas's PDF document

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own, not in the stubs

    def save(self) -> None:
        totals = collections.Counter(state["_part"][0] for state in self._pages)
        numbers: collections.Counter[int] = collections.Counter()
        for state in self._pages:
            self.__dict__.update(state)
            index, label = state["_part"]
            numbers[index] += 1
            self._footer(label, numbers[index], totals[index])
            super().showPage()
        super().save()

    def _footer(self, label: str, page: int, total: int) -> None:
        self.saveState()
        self.setFont(fonts.PRIMARY, 9)
        self.setFillColor(colors.grey)
        self.drawCentredString(A4[0] / 2, 12 * mm, f"{label}  第 {page} 页 共 {total} 页".strip())
        if label:
            self.setFont(fonts.PRIMARY, 10)
            self.setFillColor(colors.black)
            self.drawString(20 * mm, A4[1] - 12 * mm, label)
        if self.copy_mark:
            self.setFont(fonts.PRIMARY, 12)
            self.setFillColor(colors.Color(0.7, 0.1, 0.1))
            self.drawRightString(A4[0] - 20 * mm, A4[1] - 12 * mm, "副本（补打件，非原件）")
            self.setFont(fonts.PRIMARY, 60)
            self.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.25))
            self.translate(A4[0] / 2, A4[1] / 2)
            self.rotate(35)
            self.drawCentredString(0, 0, "副本")
            self.setFont(fonts.PRIMARY, 14)
            self.drawCentredString(0, -22 * mm, "COPY · 补打件")
        self.restoreState()


# what every document prints besides its template: the footers, the check's words, the parts' labels
# and the dates (not the amount's numerals nor a reprint's marks, which not every document prints: a
# character seeded but not printed would still be embedded)
_FIXED = "第页共扫码下载手机银行，随借随还验证码网点可凭协议编号和验证码核对本文书的真实性年月日" + "".join(
    p.label for parts in PARTS.values() for p in parts
)


@functools.lru_cache(maxsize=16)
def _seed(template: Template) -> str:
    """The characters a document of ``template`` prints whoever it is for (see ``fonts.seed``)."""
    texts = [template.title, template.subtitle, template.sign_left, template.sign_right, template.sign_date]
    texts += [t for section in template.sections for t in (section.heading, section.text)]
    return "".join(texts) + _FIXED


_ONE_AT_A_TIME = threading.Lock()


def render(data: DocumentData, template: Template | None = None) -> bytes:
    """The document as PDF bytes. Safe from any thread: builds take turns, because ReportLab's font
    subsetting (the fonts' shared subset tables) is not for two threads at once, and a build holds the
    interpreter's lock anyway."""
    if data.kind not in KINDS:
        raise ValueError(f"unknown document kind {data.kind}")
    with _ONE_AT_A_TIME:
        return _render(data, template)


def _render(data: DocumentData, template: Template | None) -> bytes:
    fonts.register(fallbacks=False)  # markup() registers a fallback font when a value needs one
    template = template or load_template(data.kind)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=f"{KINDS[data.kind]} {data.agreement_no}",
        author=data.bank_name,
        subject=KINDS[data.kind],
        creator="Teller Assist",
        initialFontName=fonts.PRIMARY,  # no stray, unembedded Helvetica
    )

    class Canvas_(_NumberedCanvas):
        copy_mark = data.copy
        seed = _seed(template)

    doc.build(_flowables(template, data), canvasmaker=Canvas_)
    return out.getvalue()
