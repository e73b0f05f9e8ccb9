"""The order in which a campaign's letters are delivered door to door (上门送达), and how they are cut into
print files: a village by 村民小组 then household; an enterprise or a bureau by department; a market by
shop; any other group by name. Numbers in a name count as numbers (三组 before 十组, H9 before H10), a
member the roster gave no group last. Pure: plain data in, plain data out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an

# the roster column that names a person's stop, and the one under it, by scenario
_STOPS: dict[str, tuple[str, ...]] = {
    "village": ("village_group", "household"),
    "enterprise": ("department",),
    "bureau": ("department",),
    "market": ("shop",),
}
# the roster column a print file is cut at (a village group's letters in files of their own)
_FILE_BY: dict[str, str] = {"village": "village_group", "enterprise": "department", "bureau": "department"}
DOCUMENTS = ("agreement", "letter")  # what each granted member receives, in this order
# what a run may issue: both (the default), the letters alone (members told of their line first, the
# agreement printed when they come to sign) or the agreements alone; each in Chinese and English
DOCUMENT_CHOICES: dict[tuple[str, ...], tuple[str, str]] = {
    DOCUMENTS: ("协议和告知函", "agreements and letters"),
    ("letter",): ("仅告知函", "letters only"),
    ("agreement",): ("仅协议", "agreements only"),
}
UNKNOWN = "（未填）"  # a member the roster gave no group, department or shop: delivered last
FILE_SIZE = 100  # people in one print file at most: a file a printer takes in one go, memory flat


@dataclass(frozen=True)
class Recipient:
    application_id: int
    id_no: str
    name: str
    extras: dict[str, str]


@dataclass(frozen=True)
class PrintFile:
    """One merged print file: its number in the run, the group it serves, its people in order."""

    number: int
    group: str
    people: tuple[Recipient, ...]

    @property
    def stem(self) -> str:
        return f"{self.number:03d}-{_safe(self.group)}"


def _safe(text: str) -> str:
    """A group's name as part of a file name on any desktop."""
    kept = "".join(c for c in text if c.isalnum() or c in "-_（）()")
    return kept[:40] or "全部"


_NUMBER = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百千]+")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Text with its numbers, Arabic or Chinese, compared as numbers: 二组 before 十组, H2 before H10."""
    out: list[tuple[int, int | str]] = []
    at = 0
    for m in _NUMBER.finditer(text):
        if m.start() > at:
            out.append((1, text[at : m.start()]))
        run = m.group(0)
        try:
            out.append((0, int(run) if run.isdigit() else int(cn2an.cn2an(run, "smart"))))
        except ValueError:
            out.append((1, run))
        at = m.end()
    if at < len(text):
        out.append((1, text[at:]))
    return tuple(out)


def _value(extras: dict[str, str], column: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    value = (extras.get(column) or "").strip()
    return (1, ()) if not value else (0, _natural(value))  # the blank last


def delivery_key(scenario: str, r: Recipient) -> tuple[object, ...]:
    stops = tuple(_value(r.extras, column) for column in _STOPS.get(scenario, ()))
    return (*stops, _natural(r.name), r.id_no)


def delivery_order(scenario: str, people: Sequence[Recipient]) -> list[Recipient]:
    return sorted(people, key=lambda r: delivery_key(scenario, r))


def print_files(scenario: str, people: Sequence[Recipient], size: int = FILE_SIZE) -> list[PrintFile]:
    """The people in delivery order, cut into print files: a new file at each village group or
    department (each its own bundle for the one who delivers it), and every ``size`` people."""
    column = _FILE_BY.get(scenario)
    files: list[PrintFile] = []
    current: list[Recipient] = []
    group = ""
    for r in delivery_order(scenario, people):
        mine = ((r.extras.get(column) or "").strip() or UNKNOWN) if column else "全部"
        if current and (mine != group or len(current) >= size):
            files.append(PrintFile(len(files) + 1, group, tuple(current)))
            current = []
        group = mine
        current.append(r)
    if current:
        files.append(PrintFile(len(files) + 1, group, tuple(current)))
    return files
