"""A target list from a file head office was handed (a bureau's, a village's, a campaign's people): every
row accounted for — on the list, unknown to the bank, or refused with its reason.

Pure: the file's header and rows as text in (a reader took them from a CSV in UTF-8 or GB18030, or a
workbook), what the bank knows of each person in, the accounting out. The date is an argument.

A row is refused when its resident ID is not valid, when it repeats a person of an earlier row, when the
name it gives differs from the bank's (the bank's own is never shown), when the person is on the negative
list, already holds or awaits a line, or is outside the policy's age band: the same people the filtered
lists leave out. A valid ID the bank has no customer record of is *unknown*: it cannot be split to a
branch (the region comes from the customer record), so it is counted and handed back, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.identity.names import clean_name
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

__all__ = [
    "ID_HEADERS",
    "NAME_HEADERS",
    "REASONS",
    "REASON_ZH",
    "Accounted",
    "FileRow",
    "FileRowRefused",
    "Known",
    "RowOutcome",
    "account",
    "columns",
]

ID_HEADERS = ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证")
NAME_HEADERS = ("姓名", "客户姓名")

# why a row is not on the list, in the order they are looked at
REASONS = (
    "unreadable",
    "bad_id",
    "duplicate",
    "unknown",
    "name_differs",
    "negative",
    "holding",
    "age",
)
REASON_ZH = vocabulary.TARGET_FILE_REASON_ZH  # the words live in teller_assist.vocabulary
REASON_EN = vocabulary.TARGET_FILE_REASON_EN  # the words live in teller_assist.vocabulary


class FileRowRefused(UserFacingError):
    """A file the lists cannot read at all (no resident-ID column): nothing is listed."""

    exit_code = 3


def _plain(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).strip("*：:").lower()


def columns(header: Sequence[str]) -> tuple[int, int | None]:
    """The positions of the resident-ID column and of the name column (None when the file has none)."""
    plain = [_plain(h) for h in header]
    ids = [i for i, h in enumerate(plain) if h in ID_HEADERS]
    names = [i for i, h in enumerate(plain) if h in NAME_HEADERS]
    if len(ids) != 1:
        raise FileRowRefused(
            "名单文件应有且只有一列身份证号" if ids else "名单文件没有身份证号一列",
            "the file needs exactly one resident-ID column",
            hint_zh="表头写“身份证号”（可另有“姓名”一列）",
            hint_en="name the column 身份证号 (and optionally 姓名)",
        )
    if len(names) > 1:
        raise FileRowRefused("名单文件有两列姓名", "the file has two name columns", hint_zh="请删除其中一列")
    return ids[0], names[0] if names else None


@dataclass(frozen=True)
class FileRow:
    """One row as the file gave it."""

    line_no: int
    id_given: str
    name_given: str

    def __repr__(self) -> str:
        return f"FileRow({self.line_no})"


@dataclass(frozen=True)
class Known:
    """What the bank knows of a person the file names, for the list: their record's name and region,
    whether they are on the negative list, hold or await a line, and are within the age band today."""

    name: str | None
    region: str | None
    negative: bool
    holding: bool
    in_band: bool


@dataclass(frozen=True)
class RowOutcome:
    """A row not on the list: why (one of :data:`REASONS`), in Chinese and English."""

    row: FileRow
    reason: str
    zh: str
    en: str


@dataclass(frozen=True)
class Accounted:
    """Every row of the file: the people listed (ID and region, in line order) and the rows that are
    not, with their reason (in line order)."""

    rows: int
    listed: tuple[tuple[str, str | None], ...]
    not_listed: tuple[RowOutcome, ...]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(REASONS, 0)
        for o in self.not_listed:
            out[o.reason] += 1
        return out

    def __repr__(self) -> str:
        return f"Accounted(rows={self.rows}, listed={len(self.listed)}, not_listed={len(self.not_listed)})"


def rows_of(header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]]) -> tuple[FileRow, ...]:
    """The file's rows as (line, ID, name) text; blank rows are read past."""
    at_id, at_name = columns(header)
    out = []
    for line_no, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        id_given = str(cells[at_id]).strip() if at_id < len(cells) else ""
        name = str(cells[at_name]).strip() if at_name is not None and at_name < len(cells) else ""
        out.append(FileRow(line_no, id_given, name))
    return tuple(out)


def _spaced(name: str) -> str:
    """赵　六 (spaced out to line up with three-character names) is 赵六."""
    text = " ".join(name.replace("\u3000", " ").split())
    return text.replace(" ", "") if any(ord(ch) > 0x2E80 for ch in text) else text


def _outcome(row: FileRow, reason: str, zh: str | None = None, en: str | None = None) -> RowOutcome:
    return RowOutcome(row, reason, zh or REASON_ZH[reason], en or REASON_EN[reason])


def valid_ids(rows: Iterable[FileRow], day: dt.date) -> list[str]:
    """The valid IDs of ``rows`` (18-character form), for looking them up."""
    out = []
    for row in rows:
        try:
            out.append(parse_resident_id(row.id_given, today=day).value)
        except InvalidResidentId:
            continue
    return out


def account(
    rows: Sequence[FileRow],
    known: Mapping[str, Known],
    day: dt.date,
    unreadable: Iterable[tuple[int, str, str]] = (),
) -> Accounted:
    """Every row of the file accounted for (see the module's words). ``known``: the bank's record of each
    valid ID it has one for; ``unreadable``: rows the reader could not take (line, Chinese, English)."""
    first: dict[str, int] = {}
    listed: list[tuple[str, str | None]] = []
    out: list[RowOutcome] = [
        RowOutcome(FileRow(line, "", ""), "unreadable", zh, en) for line, zh, en in unreadable
    ]
    for row in rows:
        try:
            person = parse_resident_id(row.id_given, today=day).value
        except InvalidResidentId as exc:
            out.append(
                _outcome(row, "bad_id", f"身份证号无效：{exc.rule.zh}", f"invalid resident ID: {exc.rule.en}")
            )
            continue
        if person in first:
            out.append(
                _outcome(
                    row,
                    "duplicate",
                    f"与第{first[person]}行重复（同一身份证号）",
                    f"duplicate of line {first[person]} (same resident ID)",
                )
            )
            continue
        first[person] = row.line_no
        record = known.get(person)
        if record is None:
            out.append(_outcome(row, "unknown"))
            continue
        given = _spaced(row.name_given)
        if given and record.name is not None and clean_name(given) != clean_name(record.name):
            out.append(_outcome(row, "name_differs"))
        elif record.negative:
            out.append(_outcome(row, "negative"))
        elif record.holding:
            out.append(_outcome(row, "holding"))
        elif not record.in_band:
            out.append(_outcome(row, "age"))
        else:
            listed.append((person, record.region))
    unread = sum(1 for o in out if o.reason == "unreadable")
    return Accounted(len(rows) + unread, tuple(listed), tuple(sorted(out, key=lambda o: o.row.line_no)))
