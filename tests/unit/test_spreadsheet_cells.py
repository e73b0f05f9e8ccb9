"""The cells every export writes: text a spreadsheet would evaluate is quoted, numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.exports import SpreadsheetWriter, spreadsheet_cell


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","点此")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\tplain",  # a leading TAB or CR is quoted whatever follows (OWASP)
        "\rplain",
        " =1+1",
        "   +1",
        "\u3000=1+1",  # an ideographic space
        "\u00a0=1+1",
        "\u200b=1+1",  # a zero-width space
        "\ufeff=1+1",
        "\n=1+1",
        "＝1+1",  # full-width forms
        "＋1",
        "－1",
        "＠SUM(1)",
        "﹦1+1",  # small forms
        "\u22121",  # MINUS SIGN
    ],
)
def test_text_a_spreadsheet_would_evaluate_is_quoted(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["张三", "a=b", "1+1", "2026-11-28", "", "   ", "'=x", "APP12", "柜员=1"])
def test_other_text_is_unchanged(text: str) -> None:
    assert spreadsheet_cell(text) == text


@pytest.mark.parametrize("number", [0, 12, -5, 3.5, -0.25, Decimal("-8523.50"), True])
def test_numbers_stay_numbers(number: object) -> None:
    assert spreadsheet_cell(number) is number


def test_other_values() -> None:
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(dt.date(2026, 11, 28)) == "2026-11-28"
    moment = dt.datetime(2026, 11, 28, 9, 30, 1, 5, tzinfo=dt.UTC)
    assert spreadsheet_cell(moment) == "2026-11-28T09:30:01+00:00"


def test_the_writer_writes_numbers_plainly_and_text_quoted() -> None:
    buffer = io.StringIO()
    SpreadsheetWriter(buffer, lineterminator="\n").writerow([-5, Decimal("1.50"), "-5", "=1+1", "x"])
    assert buffer.getvalue() == "-5,1.50,'-5,'=1+1,x\n"


@given(st.text(max_size=20))
def test_no_written_cell_starts_a_formula(text: str) -> None:
    buffer = io.StringIO()
    SpreadsheetWriter(buffer).writerow([text])
    (cell,) = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert cell[:1] not in ("\t", "\r")
    visible = cell.lstrip()
    assert not visible or visible[0] not in "=+-@＝＋－＠\u2212" or cell.startswith("'")
