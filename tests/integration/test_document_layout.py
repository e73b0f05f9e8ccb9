"""How the printed documents fall on the page, read back from real PDFs with pdftotext (layout mode):
figures, amounts with their unit and URLs never break across lines, and the signatures always stand on
the page of the last terms."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from teller_assist.documents.render import PARTS, DocumentData, render

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

DAY = dt.date(2026, 11, 28)
DATA = DocumentData(
    "agreement", "句容农村商业银行", "华阳支行", "YSX20261128000001", "王五", "3211**********1230",
    16_000_000, "4.35", DAY, dt.date(2028, 11, 27), ("基础授信额度30,000元，人人可得",),
    "https://m.example-rcb.cn/app", DAY, "ABCDE-FGHIJ", id_full="321183199001011230",
)  # fmt: skip
# the counter's cases: "月均工资5 / 3,900元", "7 / 0,509.20元", "example-rc / b.cn"
FIGURES = (
    "月均工资53,900元",
    "70,509.20元",
    "https://m.example-rcb.cn/app",
    "人民币捌万壹仟元整（¥81,000.00）",  # and an amount in capitals, a date
    "2028年11月29日",
)
FILLER = "填"


def lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text line by line, as pdftotext lays it out (spaces inside a line dropped: justified
    CJK text comes back with spaces between characters)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return ["".join(line.split()) for line in out.stdout.splitlines()]


def test_figures_amounts_and_urls_never_break_across_lines(tmp_path: Path) -> None:
    # each figure at every position of a line: some positions put it across the line's end
    shifts = range(48)  # a reason's line holds about 44 characters
    reasons = tuple(FILLER * k + figure + "，其后还有文字" for figure in FIGURES for k in shifts)
    text = lines(render(dataclasses.replace(DATA, reasons=reasons)), tmp_path)
    without = lines(render(dataclasses.replace(DATA, reasons=())), tmp_path)  # the URL is in the terms too
    for figure in FIGURES:
        whole = figure.removeprefix("月均工资")  # the words before a figure may break; the figure not
        intact = sum(line.count(whole) for line in text) - sum(line.count(whole) for line in without)
        assert intact == len(shifts) * len(PARTS["agreement"]), (figure, intact)


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return ["".join(page.split()) for page in out.stdout.split("\f") if page.strip()]


@pytest.mark.parametrize(
    ("kind", "signature", "last_terms"),
    [
        ("agreement", "受信人（签字）", "六、其他"),
        ("authorization", "授权人（签字）", "七、声明"),
        ("letter", "句容农村商业银行华阳支行", "您可随时通过我行手机银行用款"),
    ],
)
def test_the_signatures_stay_on_the_page_of_the_last_terms(
    kind: str, signature: str, last_terms: str, tmp_path: Path
) -> None:
    seen_on_a_later_page = False
    for count in range(0, 30, 2):  # more reasons push the signatures down, across a page's end
        reasons = tuple(f"第{i}条依据：近12个月中12个月由某公司代发工资" for i in range(count))
        text = pages(render(dataclasses.replace(DATA, kind=kind, reasons=reasons)), tmp_path)
        signed = [page for page in text if signature in page]
        assert len(signed) == len(PARTS[kind]), (count, len(signed))
        for page in signed:
            assert last_terms in page, (kind, count)
        seen_on_a_later_page |= signed[0] != text[0]
    assert seen_on_a_later_page or kind == "letter"  # the case did arise: the test can fail
