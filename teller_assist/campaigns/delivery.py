"""The order in which a campaign's letters are delivered door to door (上门送达), and how they are cut into
print files: a village by 村民小组 then household; an enterprise or a bureau by department; a market by
shop; any other group by name. Pure: plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# the roster column that names a person's stop, and the one under it, by scenario
_STOPS: dict[str, tuple[str, ...]] = {
    "village": ("village_group", "household"),
    "enterprise": ("department",),
    "bureau": ("department",),
    "market": ("shop",),
}
# the roster column a print file is cut at (a village group's letters in files of their own)
_FILE_BY: dict[str, str] = {"village": "village_group", "enterprise": "department", "bureau": "department"}
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


def _value(extras: dict[str, str], column: str) -> tuple[int, str]:
    value = (extras.get(column) or "").strip()
    return (1, "") if not value else (0, value)  # the blank last


def delivery_key(scenario: str, r: Recipient) -> tuple[object, ...]:
    stops = tuple(_value(r.extras, column) for column in _STOPS.get(scenario, ()))
    return (*stops, r.name, r.id_no)


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
