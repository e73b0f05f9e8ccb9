"""Group campaigns and their members in the database (migration 0014): plain rows in and out, each
change written with its audit row in one transaction.

A roster is loaded whole or not at all: the campaign's row is locked first (PostgreSQL: ``FOR UPDATE``;
SQLite: the write session's lock), so an import racing another import or a close of the same campaign
waits for it, then sees what it left. A member is keyed by (campaign, person): re-importing updates,
never duplicates. Nothing here holds a line: a member is a membership.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teller_assist.identity.masking import Masking
from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import Campaign, CampaignMember, Target, TargetList

__all__ = [
    "CampaignClosed",
    "CampaignMissing",
    "CampaignRow",
    "CodeTaken",
    "ImportCounts",
    "MemberIn",
    "NewCampaign",
    "RosterIn",
    "StoredMember",
    "close",
    "create",
    "get",
    "import_members",
    "list_campaigns",
    "members",
    "on_other_campaigns",
    "status_counts",
]

C = cast(Table, Campaign.__table__)
M = cast(Table, CampaignMember.__table__)
T = cast(Table, Target.__table__)
TL = cast(Table, TargetList.__table__)

CHUNK = 5_000


class CodeTaken(Exception):
    """The code is another campaign's, or a target list's (``target_list`` True): codes are one space,
    so that ``campaign:CODE`` in the KPIs means one thing."""

    def __init__(self, code: str, *, target_list: bool) -> None:
        super().__init__(code)
        self.code = code
        self.target_list = target_list


class CampaignMissing(Exception):
    pass


class CampaignClosed(Exception):
    """The campaign is closed: it takes no roster. ``closed_by`` and ``closed_at`` say since when."""

    def __init__(self, code: str, closed_by: str | None, closed_at: dt.datetime | None) -> None:
        super().__init__(code)
        self.code = code
        self.closed_by = closed_by
        self.closed_at = closed_at


@dataclass(frozen=True)
class NewCampaign:
    code: str
    scenario: str
    group_name: str
    group_uscc: str | None
    village_groups: tuple[str, ...]
    branch_code: str
    starts_on: dt.date
    ends_on: dt.date
    indicator: int | None
    indicator_measure: str


@dataclass(frozen=True)
class CampaignRow:
    id: int
    code: str
    scenario: str
    group_name: str
    group_uscc: str | None
    village_groups: tuple[str, ...]
    branch_code: str
    starts_on: dt.date
    ends_on: dt.date
    indicator: int | None
    indicator_measure: str
    status: str
    created_by: str
    created_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None
    roster_file: str | None
    roster_sha256: str | None
    roster_rows: int | None
    roster_by: str | None
    roster_at: dt.datetime | None


_CAMPAIGN_COLUMNS = [c for c in C.c if c.name != "village_groups"]


def _row(r: Any) -> CampaignRow:
    values = dict(r._mapping)
    groups = tuple(json.loads(values.pop("village_groups") or "[]"))
    return CampaignRow(village_groups=groups, **values)


def _select() -> Any:
    return select(*_CAMPAIGN_COLUMNS, C.c.village_groups)


def get(store: Store, code: str) -> CampaignRow | None:
    with store.connection() as conn:
        r = conn.execute(_select().where(C.c.code == code)).one_or_none()
    return None if r is None else _row(r)


def list_campaigns(
    store: Store, *, branch: str | None = None, status: str | None = None
) -> list[CampaignRow]:
    query = _select().order_by(C.c.status.desc(), C.c.starts_on.desc(), C.c.code)  # open first
    if branch is not None:
        query = query.where(C.c.branch_code == branch)
    if status is not None:
        query = query.where(C.c.status == status)
    with store.connection() as conn:
        return [_row(r) for r in conn.execute(query)]


def _code_taken(s: Session, code: str) -> CodeTaken | None:
    if s.execute(select(exists().where(C.c.code == code))).scalar_one():
        return CodeTaken(code, target_list=False)
    listed = exists().where(TL.c.code == code)
    targeted = exists().where(T.c.campaign == code)
    if s.execute(select(listed | targeted)).scalar_one():
        return CodeTaken(code, target_list=True)
    return None


def create(store: Store, new: NewCampaign, *, by: str, at: dt.datetime, entry: AuditEntry) -> CampaignRow:
    """Write the campaign, open, with its audit row. A code already taken raises :class:`CodeTaken`
    (also when another writer took it at the same moment: the unique key says so)."""
    try:
        with store.write_session() as s:
            taken = _code_taken(s, new.code)
            if taken is not None:
                raise taken
            s.execute(
                insert(C).values(
                    code=new.code,
                    scenario=new.scenario,
                    group_name=new.group_name,
                    group_uscc=new.group_uscc,
                    village_groups=json.dumps(list(new.village_groups), ensure_ascii=False),
                    branch_code=new.branch_code,
                    starts_on=new.starts_on,
                    ends_on=new.ends_on,
                    indicator=new.indicator,
                    indicator_measure=new.indicator_measure,
                    status="open",
                    created_by=by,
                    created_at=at,
                )
            )
            audit.append(s, entry, at)
    except IntegrityError:
        with store.session() as s:
            again = _code_taken(s, new.code)
        if again is None:
            raise
        raise again from None
    made = get(store, new.code)
    assert made is not None
    return made


def close(store: Store, code: str, *, by: str, at: dt.datetime, entry: AuditEntry) -> CampaignRow:
    """Close an open campaign, with its audit row; a closed one raises :class:`CampaignClosed`."""
    with store.write_session() as s:
        locked = s.execute(
            select(C.c.id, C.c.status, C.c.closed_by, C.c.closed_at).where(C.c.code == code).with_for_update()
        ).one_or_none()
        if locked is None:
            raise CampaignMissing(code)
        if locked.status == "closed":
            raise CampaignClosed(code, locked.closed_by, locked.closed_at)
        s.execute(update(C).where(C.c.id == locked.id).values(status="closed", closed_by=by, closed_at=at))
        audit.append(s, entry, at)
    done = get(store, code)
    assert done is not None
    return done


# --- members -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberIn:
    """One person as a roster gives them (see ``campaigns.members.MemberRow``)."""

    id_no: str
    name: str
    status: str  # matched, new_to_bank, refused
    line_no: int
    reason: str | None = None
    phone: str | None = None
    evaluation: str | None = None
    evaluated_by: str | None = None
    evaluated_on: dt.date | None = None
    key_household: bool = False
    permanent_staff: bool = False
    extras: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"MemberIn({Masking().resident_id(self.id_no)}, {self.status})"


@dataclass(frozen=True)
class RosterIn:
    """The roster file an import came from: its name (masked), fingerprint and rows."""

    file_name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int
    removed: int


_VALUES = (
    "name",
    "phone",
    "evaluation",
    "evaluated_by",
    "evaluated_on",
    "key_household",
    "permanent_staff",
    "extras",
    "line_no",
    "status",
    "reason",
)
_REFUSED_VALUES = ("line_no", "status", "reason")  # a refused row changes only these of a known member


def _values(m: MemberIn) -> dict[str, Any]:
    return {
        "name": m.name,
        "phone": m.phone,
        "evaluation": m.evaluation,
        "evaluated_by": m.evaluated_by,
        "evaluated_on": m.evaluated_on,
        "key_household": m.key_household,
        "permanent_staff": m.permanent_staff,
        "extras": json.dumps(dict(m.extras), ensure_ascii=False, sort_keys=True),
        "line_no": m.line_no,
        "status": m.status,
        "reason": m.reason,
    }


def _update(s: Session, names: Sequence[str], rows: list[dict[str, Any]]) -> None:
    statement = (
        update(M)
        .where(M.c.campaign_id == bindparam("k_c"), M.c.id_no == bindparam("k_i"))
        .values({n: bindparam(f"v_{n}") for n in (*names, "updated_at")})
    )
    for start in range(0, len(rows), CHUNK):
        s.execute(statement, rows[start : start + CHUNK])


def import_members(
    store: Store,
    code: str,
    incoming: Sequence[MemberIn],
    roster: RosterIn,
    *,
    by: str,
    at: dt.datetime,
    entry: Callable[[ImportCounts], AuditEntry],
) -> ImportCounts:
    """Load a roster's members into campaign ``code`` in one transaction with its audit row (``entry``
    is given the counts): a new person added, a known one updated when anything changed (a refused row
    changes only the member's status, reason and line: what the bank had stays until a good row
    replaces it), every member the roster no longer lists kept and marked removed. A missing campaign
    raises :class:`CampaignMissing`, a closed one :class:`CampaignClosed`, and nothing is written."""
    with store.write_session() as s:
        locked = s.execute(
            select(C.c.id, C.c.status, C.c.closed_by, C.c.closed_at).where(C.c.code == code).with_for_update()
        ).one_or_none()
        if locked is None:
            raise CampaignMissing(code)
        if locked.status != "open":
            raise CampaignClosed(code, locked.closed_by, locked.closed_at)
        cid = int(locked.id)
        existing = {
            str(r.id_no): {n: getattr(r, n) for n in _VALUES}
            for r in s.execute(select(M.c.id_no, *(M.c[n] for n in _VALUES)).where(M.c.campaign_id == cid))
        }
        added: list[dict[str, Any]] = []
        full: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        unchanged = 0
        for m in incoming:
            values = _values(m)
            before = existing.get(m.id_no)
            if before is None:
                added.append(
                    {"campaign_id": cid, "id_no": m.id_no, **values, "added_at": at, "updated_at": at}
                )
                continue
            names = _REFUSED_VALUES if m.status == "refused" else _VALUES
            if all(before[n] == values[n] for n in names):
                unchanged += 1
                continue
            key = {"k_c": cid, "k_i": m.id_no, "v_updated_at": at}
            (refused if m.status == "refused" else full).append(key | {f"v_{n}": values[n] for n in names})
        listed = {m.id_no for m in incoming}
        gone = [
            {"k_c": cid, "k_i": i, "v_status": "removed", "v_reason": None, "v_updated_at": at}
            for i, before in existing.items()
            if i not in listed and before["status"] != "removed"
        ]
        for start in range(0, len(added), CHUNK):
            s.execute(insert(M), added[start : start + CHUNK])
        _update(s, _VALUES, full)
        _update(s, _REFUSED_VALUES, refused)
        _update(s, ("status", "reason"), gone)
        s.execute(
            update(C)
            .where(C.c.id == cid)
            .values(
                roster_file=roster.file_name[:200],
                roster_sha256=roster.sha256,
                roster_rows=roster.rows,
                roster_by=by,
                roster_at=at,
            )
        )
        counts = ImportCounts(len(added), len(full) + len(refused), unchanged, len(gone))
        audit.append(s, entry(counts), at)
    return counts


@dataclass(frozen=True)
class StoredMember:
    id_no: str
    name: str
    phone: str | None
    status: str
    reason: str | None
    line_no: int
    evaluation: str | None
    evaluated_by: str | None
    evaluated_on: dt.date | None
    key_household: bool
    permanent_staff: bool
    extras: dict[str, str]
    updated_at: dt.datetime

    def __repr__(self) -> str:  # no one's ID, name or phone in a log
        return f"StoredMember({Masking().resident_id(self.id_no)}, {self.status})"


def members(store: Store, campaign_id: int, *, statuses: Sequence[str] = ()) -> list[StoredMember]:
    """A campaign's members in roster order (the line of the latest roster that gave each)."""
    query = (
        select(
            M.c.id_no,
            M.c.name,
            M.c.phone,
            M.c.status,
            M.c.reason,
            M.c.line_no,
            M.c.evaluation,
            M.c.evaluated_by,
            M.c.evaluated_on,
            M.c.key_household,
            M.c.permanent_staff,
            M.c.extras,
            M.c.updated_at,
        )
        .where(M.c.campaign_id == campaign_id)
        .order_by(M.c.line_no, M.c.id_no)
    )
    if statuses:
        query = query.where(M.c.status.in_(list(statuses)))
    with store.connection() as conn:
        rows = conn.execute(query).all()
    out = []
    for r in rows:
        values = dict(r._mapping)
        values["extras"] = json.loads(values["extras"] or "{}")
        values["key_household"] = bool(values["key_household"])
        values["permanent_staff"] = bool(values["permanent_staff"])
        out.append(StoredMember(**values))
    return out


def status_counts(store: Store, campaign_id: int) -> dict[str, int]:
    with store.connection() as conn:
        rows = conn.execute(
            select(M.c.status, func.count()).where(M.c.campaign_id == campaign_id).group_by(M.c.status)
        ).all()
    return {str(status): int(n) for status, n in rows}


def on_other_campaigns(store: Store, campaign_id: int) -> int:
    """How many of the campaign's members (not removed) are also on another campaign (not removed there):
    one person each, whose line counts once."""
    other = M.alias("other")
    query = select(func.count()).where(
        M.c.campaign_id == campaign_id,
        M.c.status != "removed",
        exists().where(
            other.c.id_no == M.c.id_no, other.c.campaign_id != campaign_id, other.c.status != "removed"
        ),
    )
    with store.connection() as conn:
        return int(conn.execute(query).scalar_one())
