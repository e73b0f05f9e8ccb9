"""A branch's daily digest for the morning meeting (晨会任务简报): each officer's tasks of the day counted
by kind, the tasks themselves, the overdue ones and today's appointments, and the branch's progress on
each list against its indicator.

Pure: the day's tasks (already masked, as the faces show them), the branch's officers and lists in, the
digest out. The people appear as the task list shows them — the resident ID masked by the masking
settings, the name — and nothing beside them that would give the hidden digits back (no birth date, age,
gender, region code, phone or address).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from teller_assist.kpi.definitions import Ratio
from teller_assist.targets.tasks import KIND_ZH, STRIKE_REASONS, TASK_KINDS

__all__ = [
    "UNASSIGNED",
    "DigestList",
    "DigestOfficer",
    "DigestTask",
    "TaskDigest",
    "officer_rows",
]

UNASSIGNED = "（未分配）"


@dataclass(frozen=True)
class DigestTask:
    officer: str | None
    kind: str
    id_masked: str
    name: str | None
    due_on: dt.date | None
    overdue: bool
    appointment: bool
    value_fen: int | None
    campaign: str

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]

    def __repr__(self) -> str:
        return f"DigestTask({self.kind!r}, {self.id_masked!r})"


@dataclass(frozen=True)
class DigestOfficer:
    """One row of the officers' table: an officer of the branch (or the tasks nobody holds yet)."""

    login: str | None  # None: the branch's targets not yet given to an officer
    name: str
    active: bool
    counts: Mapping[str, int]  # kind -> tasks, every kind named
    overdue: int
    appointments: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        if self.login is None:
            return UNASSIGNED
        return self.name + ("" if self.active else "（已停用）")


@dataclass(frozen=True)
class DigestList:
    """The branch's progress on one list: its targets here, the indicator (None for a list imported
    without one), assigned, struck by reason (signed, ineligible, declined)."""

    campaign: str
    due_on: dt.date | None
    people: int
    indicator: int | None
    assigned: int
    struck: Mapping[str, int]

    @property
    def signed(self) -> int:
        return self.struck.get("signed", 0)

    @property
    def struck_total(self) -> int:
        return sum(self.struck.get(r, 0) for r in STRIKE_REASONS)

    @property
    def open(self) -> int:
        return self.people - self.struck_total

    @property
    def completion(self) -> Ratio | None:
        """Signed people against the indicator (exact); None without an indicator."""
        return None if self.indicator is None else Ratio(self.signed, self.indicator)

    @property
    def to_go(self) -> int | None:
        return None if self.indicator is None else max(0, self.indicator - self.signed)


@dataclass(frozen=True)
class TaskDigest:
    branch: str
    day: dt.date
    generated_at: dt.datetime
    generated_by: str
    officers: tuple[DigestOfficer, ...]
    tasks: tuple[DigestTask, ...]
    lists: tuple[DigestList, ...]
    notes: tuple[str, ...] = ()
    freshness: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def overdue(self) -> tuple[DigestTask, ...]:
        return tuple(t for t in self.tasks if t.overdue)

    @property
    def appointments(self) -> tuple[DigestTask, ...]:
        return tuple(t for t in self.tasks if t.appointment)


def officer_rows(
    tasks: Sequence[DigestTask], officers: Sequence[tuple[str, str, bool]]
) -> tuple[DigestOfficer, ...]:
    """Every officer of the branch (login, name, active), with none left out for having no task today,
    then anyone else holding tasks here (an officer moved to another branch), then the tasks nobody
    holds yet. Each row counts every kind."""
    rows: dict[str | None, dict[str, int]] = {}
    extra: dict[str | None, list[int]] = {}
    for login, _name, _active in officers:
        rows[login] = dict.fromkeys(TASK_KINDS, 0)
        extra[login] = [0, 0]
    for t in tasks:
        counts = rows.setdefault(t.officer, dict.fromkeys(TASK_KINDS, 0))
        counts[t.kind] += 1
        late = extra.setdefault(t.officer, [0, 0])
        late[0] += t.overdue
        late[1] += t.appointment
    known = {login: (name, active) for login, name, active in officers}
    order: list[str | None] = [o for o, _n, _a in officers]
    order += sorted(o for o in rows if o is not None and o not in known)
    if None in rows:
        order.append(None)
    out = []
    for who in order:
        name, active = (UNASSIGNED, True) if who is None else known.get(who, (who, True))
        out.append(DigestOfficer(who, name, active, rows[who], extra[who][0], extra[who][1]))
    return tuple(out)
