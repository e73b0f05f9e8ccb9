"""The KPI report's text cells follow the one rule every export follows: nothing a spreadsheet evaluates."""

from __future__ import annotations

import pytest

from teller_assist.exports import spreadsheet_cell
from teller_assist.reports.cells import safe_text


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","点我")',
        " =1+1",  # after a blank
        "\u200b=1+1",  # after a zero-width space
        "＝1+1",  # full-width equals
        "＋cmd|' /C calc'!A0",
        "\u22121",  # minus sign
        "@SUM(A1)",
        "\tx",
    ],
)
def test_text_a_spreadsheet_would_evaluate_is_quoted(text: str) -> None:
    assert safe_text(text) == "'" + text == spreadsheet_cell(text)


@pytest.mark.parametrize("text", ["2026-walk-in", "0104", "村-后白镇", "", "授信考核月报 2026-11"])
def test_plain_text_stays_as_it_is(text: str) -> None:
    assert safe_text(text) == text
    assert safe_text(None) == ""
