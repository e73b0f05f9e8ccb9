"""Reading a roster file as a group hands it over: ``.csv`` (UTF-8 or GB18030), ``.xlsx`` or old ``.xls``
(Excel 97-2003, as village committees still send; read with xlrd).

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


def read_roster(path: Path, header_words: tuple[str, ...] = ID_HEADER_WORDS) -> RosterTable:
    """The file's header row (the first of its first rows with a cell naming one of ``header_words``)
    and the rows under it."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path, header_words)
    if suffix == ".xlsx":
        return _read_xlsx(path, header_words)
    if suffix == ".xls":
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic.startswith(b"PK\x03\x04"):  # an .xlsx workbook renamed .xls: read it as what it is
            return _read_xlsx(path, header_words)
        return _read_xls(path, header_words)
    raise FileRefused(
        f"不认识的名单文件类型：{path.name}（应为 .xlsx、.xls 或 .csv）",
        f"not a roster file: {path.name} (.xlsx, .xls or .csv)",
    )


def _header_at(rows: list[tuple[int, list[str]]], path: Path, words: tuple[str, ...]) -> int:
    for index, (_line, cells) in enumerate(rows[:HEADER_SEARCH]):
        if any(word in cell for cell in cells for word in words):
            return index
    raise FileRefused(
        f"{path.name} 的前{HEADER_SEARCH}行中没有找到表头（应有“身份证号”一列）",
        f"{path.name}: no header row with a resident-ID column in its first {HEADER_SEARCH} rows",
        hint_zh="第一行应为表头：身份证号、姓名……；请按名单模板整理",
        hint_en="the header row names the columns: 身份证号, 姓名, ...",
    )


def _read_csv(path: Path, header_words: tuple[str, ...]) -> RosterTable:
    print_ = fingerprint(path)
    text = path.read_text(encoding=print_.encoding)
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    lines = [
        (n, list(cells)) for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
    ]
    at = _header_at(lines, path, header_words)
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


def _read_xlsx(path: Path, header_words: tuple[str, ...]) -> RosterTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    try:  # read-only: rows streamed as they are stored; formulas as written, not their cached values
        # opened from its bytes, so an .xlsx saved under an .xls name reads too (openpyxl checks names)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
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
    at = _header_at(texts, path, header_words)
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
                problem = _long_number(position, value)
                if problem:
                    break
        if problem:
            refused.append((line, *problem))
        else:
            rows.append((line, tuple(shown)))
    return RosterTable(path, sha256, tuple(texts[at][1]), tuple(rows), tuple(refused))


def _long_number(position: int, value: float) -> tuple[str, str] | None:
    digits = len(str(int(abs(value))))
    if digits < LONG_NUMBER:
        return None
    return (
        f"第{position}列是{digits}位数字，Excel已丢失末几位（身份证号须设为文本格式后重新填写）",
        f"column {position} is a {digits}-digit number: Excel lost its last digits",
    )


_XLS_BROKEN = (OSError, ValueError, IndexError, AssertionError, KeyError)  # what xlrd raises on a cut file
_FORMULA = 0x0006  # BIFF5/8 FORMULA record: row, column, ... (xlrd keeps only the cached result)
_EOF = 0x000A


def _formula_cells(mem: bytes, start: int) -> set[tuple[int, int]]:
    """(row, column), 0-based, of every formula in the worksheet substream that starts at ``start``."""
    found: set[tuple[int, int]] = set()
    pos = start
    end = len(mem)
    while pos + 4 <= end:
        code = int.from_bytes(mem[pos : pos + 2], "little")
        size = int.from_bytes(mem[pos + 2 : pos + 4], "little")
        if code == _FORMULA and size >= 4:
            row = int.from_bytes(mem[pos + 4 : pos + 6], "little")
            found.add((row, int.from_bytes(mem[pos + 6 : pos + 8], "little")))
        if code == _EOF and pos > start:
            break
        pos += 4 + size
    return found


def _read_xls(path: Path, header_words: tuple[str, ...]) -> RosterTable:
    import xlrd  # type: ignore[import-untyped]

    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    try:  # on demand: the workbook stream stays in memory until released, for the formula records
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
        try:
            sheet = book.sheet_by_index(0)
            formulas: set[tuple[int, int]] = set()
            if book.biff_version >= 50 and book.mem:
                formulas = _formula_cells(book.mem, book._sh_abs_posn[0])
            raw = [(r + 1, sheet.row(r)) for r in range(sheet.nrows)]
            merges = list(sheet.merged_cells)  # (first row, row after last, first column, column after last)
            datemode = book.datemode
        finally:
            book.release_resources()
    except (*_XLS_BROKEN, xlrd.XLRDError, xlrd.compdoc.CompDocError) as exc:
        raise FileRefused(
            f"无法打开Excel文件 {path.name}：文件已损坏或不是.xls",
            f"cannot open {path.name}: damaged, or not an old Excel (.xls) workbook ({type(exc).__name__})",
            hint_zh="请在Excel或WPS中打开并重新保存（.xls或.xlsx均可）",
            hint_en="open it in Excel or WPS and save it again (.xls or .xlsx)",
        ) from None

    def text(cell: Any) -> str:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                return str(cell.value)
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return _cell_text(bool(cell.value))
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return str(xlrd.error_text_from_code.get(cell.value, "#错误"))
        return _cell_text(cell.value)

    texts = [(line, [text(c) for c in cells]) for line, cells in raw]
    at = _header_at(texts, path, header_words)
    header_line = texts[at][0]
    for low, high, left, right in merges:
        if low < header_line <= high:  # xlrd's rows are 0-based and the end is exclusive
            first = f"{_column_letter(left)}{low + 1}"
            last = f"{_column_letter(right - 1)}{high}"
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
            if (line - 1, position - 1) in formulas:
                problem = (
                    f"第{position}列是公式（结果为“{shown[position - 1][:30]}”），不是填写的值",
                    f"column {position} holds a formula, not a value",
                )
                break
            if cell.ctype == xlrd.XL_CELL_ERROR:
                problem = (
                    f"第{position}列是错误值（{shown[position - 1]}）",
                    f"column {position} holds an error value ({shown[position - 1]})",
                )
                break
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                problem = _long_number(position, cell.value)
                if problem:
                    break
        if problem:
            refused.append((line, *problem))
        else:
            rows.append((line, tuple(shown)))
    return RosterTable(path, sha256, tuple(texts[at][1]), tuple(rows), tuple(refused))


def _column_letter(index: int) -> str:
    """0-based column index -> A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
