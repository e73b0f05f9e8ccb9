"""Reading a roster file as a group hands it over: ``.csv`` (UTF-8 or GB18030) or ``.xlsx``.

The reader finds the header row (a title row such as "后白村村民名单" above it is read past), turns every
cell into text the way a person reads it, and refuses, row by row, what a spreadsheet has already spoiled:
a formula where a value belongs, and a number of 15 digits or more (Excel keeps 15 significant digits, so
an 18-digit resident ID typed into a number cell has lost its last digits: 3.21183E+17). A header with
merged cells refuses the whole file: which column a merged title stands for is a guess the bank does
not make. What each row means is :mod:`teller_assist.campaigns.roster`'s business.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from teller_assist.ingest.reader import DELIMITERS, FileRefused, fingerprint

HEADER_SEARCH = 10  # rows looked through for the header (a title and a blank line above it are common)
ID_HEADER_WORDS = ("身份证", "证件号码", "公民身份号码")
LONG_NUMBER = 15  # digits: Excel's precision


@dataclass(frozen=True)
class RosterTable:
    """A roster file's text: its header, its rows with their line (spreadsheet row) numbers, and the rows
    refused while reading, with the reason."""

    path: Path
    sha256: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    refused: tuple[tuple[int, str, str], ...]  # (line, Chinese reason, English reason)


def read_roster(path: Path) -> RosterTable:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".xls":
        raise FileRefused(
            f"暂不支持旧版Excel（.xls）文件：{path.name}",
            f"old Excel (.xls) files are not read yet: {path.name}",
            hint_zh="请在Excel或WPS中“另存为”.xlsx或CSV后再导入",
            hint_en="save it as .xlsx or CSV in Excel or WPS, then import that",
        )
    raise FileRefused(
        f"不认识的名单文件类型：{path.name}（应为 .xlsx 或 .csv）",
        f"not a roster file: {path.name} (.xlsx or .csv)",
    )


def _is_header(cells: list[str]) -> bool:
    return any(word in cell for cell in cells for word in ID_HEADER_WORDS)


def _header_at(rows: list[tuple[int, list[str]]], path: Path) -> int:
    for index, (_line, cells) in enumerate(rows[:HEADER_SEARCH]):
        if _is_header(cells):
            return index
    raise FileRefused(
        f"{path.name} 的前{HEADER_SEARCH}行中没有找到表头（应有“身份证号”一列）",
        f"{path.name}: no header row with a resident-ID column in its first {HEADER_SEARCH} rows",
        hint_zh="第一行应为表头：身份证号、姓名……；请按名单模板整理",
        hint_en="the header row names the columns: 身份证号, 姓名, ...",
    )


def _read_csv(path: Path) -> RosterTable:
    print_ = fingerprint(path)
    text = path.read_text(encoding=print_.encoding)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    lines = [
        (n, list(cells)) for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
    ]
    at = _header_at(lines, path)
    refused = []
    rows = []
    for line, cells in lines[at + 1 :]:
        problem = _spoiled(cells)
        if problem:
            refused.append((line, *problem))
        else:
            rows.append((line, tuple(c.strip() for c in cells)))
    header = tuple(c.strip() for c in lines[at][1])
    return RosterTable(path, print_.sha256, header, tuple(rows), tuple(refused))


def _spoiled(cells: list[str]) -> tuple[str, str] | None:
    """A CSV saved from a spreadsheet: an ID shown as 3.21183E+17 has lost its digits already."""
    for position, cell in enumerate(cells, 1):
        text = cell.strip().upper()
        if "E+" in text and text.replace(".", "").replace("E+", "").isdigit():
            return (
                f"第{position}列是科学计数法数字（{cell.strip()}），身份证号已丢失末几位",
                f"column {position} is in scientific notation: the ID's last digits are lost",
            )
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _read_xlsx(path: Path) -> RosterTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    try:  # read-only: rows streamed as they are stored; formulas as written, not their cached values
        book = load_workbook(path, read_only=True, data_only=False)
        sheet = book.worksheets[0]
        raw = [(line, list(cells)) for line, cells in enumerate(sheet.iter_rows(), 1)]
        with book._archive.open(sheet._worksheet_path) as xml:  # merged ranges: not kept in read-only mode
            merges = [(m[1].decode() + m[2].decode(), int(m[2]), m[3].decode() + m[4].decode(), int(m[4]))
                      for m in _MERGE.finditer(xml.read())]  # fmt: skip
        book.close()
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(
            f"无法打开Excel文件 {path.name}：文件已损坏或不是.xlsx",
            f"cannot open {path.name}: damaged, or not an .xlsx workbook ({type(exc).__name__})",
            hint_zh="请在Excel或WPS中打开并重新保存为.xlsx",
            hint_en="open it in Excel or WPS and save it again as .xlsx",
        ) from None
    texts = [(line, [_cell_text(getattr(c, "value", None)) for c in cells]) for line, cells in raw]
    at = _header_at(texts, path)
    header_line = texts[at][0]
    for first, low, last, high in merges:
        if low <= header_line <= high:
            raise FileRefused(
                f"{path.name} 的表头有合并单元格（{first}:{last}），整个文件未导入",
                f"{path.name}: the header has merged cells ({first}:{last}); nothing was loaded",
                hint_zh="请取消合并，每列一个表头（身份证号、姓名……）",
                hint_en="unmerge them: one header per column",
            )
    rows = []
    refused = []
    for (line, cells), (_same, shown) in zip(raw[at + 1 :], texts[at + 1 :], strict=True):
        problem = None
        for position, cell in enumerate(cells, 1):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                problem = (
                    f"第{position}列是公式（{str(value)[:30]}），不是填写的值",
                    f"column {position} holds a formula, not a value",
                )
                break
            if isinstance(value, int | float) and not isinstance(value, bool):
                digits = len(str(int(abs(value))))
                if digits >= LONG_NUMBER:
                    problem = (
                        f"第{position}列是{digits}位数字，Excel已丢失末几位（身份证号须设为文本格式后重新填写）",
                        f"column {position} is a {digits}-digit number: Excel lost its last digits",
                    )
                    break
        if problem:
            refused.append((line, *problem))
        else:
            rows.append((line, tuple(shown)))
    return RosterTable(path, sha256, tuple(texts[at][1]), tuple(rows), tuple(refused))
