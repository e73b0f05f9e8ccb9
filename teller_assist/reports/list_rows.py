"""The rows of a file head office gave for a target list that did not go on it, as a workbook to hand
back: the line of the file, the name as the file gave it, the resident ID masked, what became of the row
and why (Chinese and English). Nothing in it is a formula; the bank's own record of a person (a name that
differs) is never shown."""

from __future__ import annotations

from collections.abc import Sequence

from teller_assist.reports.workbook import Column, Workbook

__all__ = ["HEAD", "not_listed_xlsx"]

HEAD = ("行号", "姓名（文件所填）", "身份证号（部分隐藏）", "结果", "原因", "reason")


def not_listed_xlsx(
    title: str, notes: Sequence[str], rows: Sequence[tuple[int, str, str, str, str, str]]
) -> bytes:
    """``rows``: (line, name as given, ID masked, result, Chinese reason, English reason)."""
    book = Workbook(title)
    columns = [
        Column(HEAD[0], "int", 8),
        Column(HEAD[1], "text", 16),
        Column(HEAD[2], "text", 24),
        Column(HEAD[3], "text", 14),
        Column(HEAD[4], "text", 40),
        Column(HEAD[5], "text", 40),
    ]
    book.table("未列入名单的行", title, notes, columns, [list(r) for r in rows])
    return book.close()
