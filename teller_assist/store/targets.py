"""Target lists, assignments, task outcomes and strikes in the database: plain rows and the domain's
facts (:mod:`teller_assist.targets.tasks`) out, each change written with its audit row in one
transaction. Nothing here decides what a task is: the domain does, from what :func:`facts` reads.

Two writers at once never count anything twice: an issued list is keyed by its code (a second issue of
the same code fails on the key), an assignment changes a target only from the officer the assigner saw
(a row changed meanwhile makes the whole assignment fail, nothing half-done), and a target is struck at
most once (its key).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import (
    Application,
    Customer,
    Drawdown,
    GroupTag,
    ImportBatch,
    NegativeListEntry,
    PayrollCredit,
    RegionBranch,
    SurveyDraft,
    Target,
    TargetAssignment,
    TargetList,
    TargetListBranch,
    TargetStrike,
    TargetTask,
    TaskOutcome,
    TaskSweep,
)
from teller_assist.targets.assignment import Pending
from teller_assist.targets.file_list import Known
from teller_assist.targets.tasks import (
    TASK_KINDS,
    AgeBand,
    ApplicationFacts,
    Outcome,
    Strike,
    TargetFacts,
    Task,
    one_visit,
)

__all__ = [
    "AssignConflict",
    "BranchList",
    "Candidates",
    "FileIssued",
    "Kept",
    "KeptCount",
    "KeptPage",
    "KeptTask",
    "ListExists",
    "ListRow",
    "Progress",
    "TargetRow",
    "assign",
    "assign_many",
    "branch_lists",
    "candidates",
    "facts",
    "home_moved",
    "id_slices",
    "issue_list",
    "keep_tasks",
    "kept_count",
    "kept_page",
    "kept_tasks",
    "known_people",
    "list_of",
    "live_loads",
    "names",
    "pending",
    "progress",
    "record_outcome",
    "record_strikes",
    "regions",
    "set_region",
    "strike_in",
    "target_branches",
    "targets_of",
    "unstruck_listings",
]

T = cast(Table, Target.__table__)
C = cast(Table, Customer.__table__)
A = cast(Table, Application.__table__)
D = cast(Table, Drawdown.__table__)
N = cast(Table, NegativeListEntry.__table__)
B = cast(Table, ImportBatch.__table__)
G = cast(Table, GroupTag.__table__)
P = cast(Table, PayrollCredit.__table__)
R = cast(Table, RegionBranch.__table__)
L = cast(Table, TargetList.__table__)
LB = cast(Table, TargetListBranch.__table__)
AS = cast(Table, TargetAssignment.__table__)
OC = cast(Table, TaskOutcome.__table__)
S = cast(Table, TargetStrike.__table__)
SD = cast(Table, SurveyDraft.__table__)
TT = cast(Table, TargetTask.__table__)
SW = cast(Table, TaskSweep.__table__)
APPLICATION_STATUSES = ("submitted", "approved", "rejected", "cancelled", "signed", "expired")

CHUNK = 5_000


class ListExists(Exception):
    """The list's code is taken: issued before (``issued`` names when and by whom) or an imported one."""

    def __init__(self, code: str, issued: tuple[str, dt.date] | None) -> None:
        super().__init__(code)
        self.code = code
        self.issued = issued


class FileIssued(Exception):
    """The file a list is made from was issued before, as another list (``code``, by whom, when)."""

    def __init__(self, code: str, by: str, on: dt.date) -> None:
        super().__init__(code)
        self.code, self.by, self.on = code, by, on


class AssignConflict(Exception):
    """Targets that changed (another assigner, a new import) since the assigner read them."""

    def __init__(self, changed: int) -> None:
        super().__init__(changed)
        self.changed = changed


# --- the region table --------------------------------------------------------------------------------


def regions(store: Store) -> dict[str, str]:
    with store.connection() as conn:
        return {str(r): str(b) for r, b in conn.execute(select(R.c.region_code, R.c.branch_code))}


def set_region(
    store: Store, region: str, branch: str | None, *, by: str, at: dt.datetime, entry: AuditEntry
) -> str | None:
    """Set (or with ``branch`` None remove) a region's branch; returns the branch it had."""
    with store.write_session() as s:
        before = s.execute(select(R.c.branch_code).where(R.c.region_code == region)).scalar_one_or_none()
        s.execute(R.delete().where(R.c.region_code == region))
        if branch is not None:
            s.execute(insert(R).values(region_code=region, branch_code=branch, set_by=by, set_at=at))
        audit.append(s, entry, at)
    return None if before is None else str(before)


# --- building a list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidates:
    """Who a list would hold: (ID, region) of the people the filters chose, and how many of those the
    negative list and standing lines took out (counted, never listed)."""

    people: list[tuple[str, str | None]]
    negative: int
    holding: int


def candidates(
    store: Store,
    day: dt.date,
    *,
    born_from: dt.date,
    born_until: dt.date,
    regions_only: Sequence[str] = (),
    branches_only: Sequence[str] = (),
    tags: Sequence[str] = (),
    payroll_since: dt.date | None = None,
) -> Candidates:
    """The bank's customers eligible on ``day`` (born within the bounds, i.e. within the age band) and
    matching the filters, minus the negative list and anyone holding or awaiting a line."""
    where: list[Any] = [C.c.birth_date >= born_from, C.c.birth_date <= born_until]
    if regions_only:
        where.append(C.c.region_code.in_(list(regions_only)))
    if branches_only:
        where.append(C.c.branch_code.in_(list(branches_only)))
    if tags:
        where.append(
            exists().where(
                G.c.id_no == C.c.id_no,
                G.c.tag.in_(list(tags)),
                or_(G.c.valid_until.is_(None), G.c.valid_until >= day),
            )
        )
    if payroll_since is not None:
        where.append(
            exists().where(P.c.id_no == C.c.id_no, P.c.pay_date >= payroll_since, P.c.pay_date <= day)
        )
    negative = exists().where(N.c.id_no == C.c.id_no, N.c.lifted_batch_id.is_(None))
    holding = exists().where(
        A.c.id_no == C.c.id_no,
        or_(A.c.status == "submitted", and_(A.c.status.in_(("approved", "signed")), A.c.valid_until >= day)),
    )
    with store.connection() as conn:
        rows = conn.execute(
            select(C.c.id_no, C.c.region_code)
            .where(*where, not_(negative), not_(holding))
            .order_by(C.c.id_no)
        ).all()
        n_negative = conn.execute(select(func.count()).select_from(C).where(*where, negative)).scalar_one()
        n_holding = conn.execute(
            select(func.count()).select_from(C).where(*where, not_(negative), holding)
        ).scalar_one()
    return Candidates([(str(i), r) for i, r in rows], int(n_negative), int(n_holding))


def known_people(
    store: Store, id_nos: Sequence[str], day: dt.date, *, born_from: dt.date, born_until: dt.date
) -> dict[str, Known]:
    """What the bank knows of each of ``id_nos`` it has a customer record of, as a list from a file
    needs it: the name and region, on the negative list, holding or awaiting a line on ``day`` (the same
    rules as :func:`candidates`), born within the bounds of the age band."""
    negative = exists().where(N.c.id_no == C.c.id_no, N.c.lifted_batch_id.is_(None))
    holding = exists().where(
        A.c.id_no == C.c.id_no,
        or_(A.c.status == "submitted", and_(A.c.status.in_(("approved", "signed")), A.c.valid_until >= day)),
    )
    out: dict[str, Known] = {}
    wanted = sorted(set(id_nos))
    with store.connection() as conn:
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start : start + CHUNK]
            for i, name, region, born, neg, held in conn.execute(
                select(C.c.id_no, C.c.name, C.c.region_code, C.c.birth_date, negative, holding).where(
                    C.c.id_no.in_(part)
                )
            ):
                in_band = born is not None and born_from <= born <= born_until
                out[str(i)] = Known(name, region, bool(neg), bool(held), in_band)
    return out


@dataclass(frozen=True)
class ListRow:
    code: str
    issued_by: str
    issued_at: dt.datetime
    issued_on: dt.date
    due_on: dt.date
    percent: str
    people: int
    filters: Mapping[str, Any]
    branches: tuple[tuple[str, int, int], ...]  # (branch, people, indicator)


def list_of(store: Store, code: str) -> ListRow | None:
    with store.connection() as conn:
        row = conn.execute(select(L).where(L.c.code == code)).one_or_none()
        if row is None:
            return None
        shares = conn.execute(
            select(LB.c.branch_code, LB.c.people, LB.c.indicator)
            .where(LB.c.list_code == code)
            .order_by(LB.c.branch_code)
        ).all()
    return ListRow(
        row.code,
        row.issued_by,
        row.issued_at,
        row.issued_on,
        row.due_on,
        row.percent,
        row.people,
        json.loads(row.filters),
        tuple((str(b), int(p), int(i)) for b, p, i in shares),
    )


def issue_list(
    store: Store,
    row: ListRow,
    assigned: Sequence[tuple[str, str]],
    entry: AuditEntry,
    *,
    file_sha256: str | None = None,
) -> None:
    """Write the list, each branch's share and indicator, and its targets (no officer yet), with the
    audit row, in one transaction. A code already issued or imported raises :class:`ListExists`; a list
    made from a file (``file_sha256``) already issued as another list raises :class:`FileIssued`."""

    def taken(s: Any) -> ListExists | FileIssued | None:
        if file_sha256 is not None:
            same = s.execute(
                select(L.c.code, L.c.issued_by, L.c.issued_on)
                .where(L.c.filters.contains(file_sha256))
                .order_by(L.c.issued_at)
                .limit(1)
            ).one_or_none()
            if same is not None:
                return FileIssued(str(same[0]), str(same[1]), same[2])
        before = s.execute(select(L.c.issued_by, L.c.issued_on).where(L.c.code == row.code)).one_or_none()
        if before is not None:
            return ListExists(row.code, (str(before[0]), before[1]))
        if s.execute(select(exists().where(T.c.campaign == row.code))).scalar_one():
            return ListExists(row.code, None)
        return None

    try:
        with store.write_session() as s:
            found = taken(s)
            if found is not None:
                raise found
            s.execute(
                insert(L).values(
                    code=row.code,
                    issued_by=row.issued_by,
                    issued_at=row.issued_at,
                    issued_on=row.issued_on,
                    due_on=row.due_on,
                    percent=row.percent,
                    people=row.people,
                    filters=json.dumps(dict(row.filters), ensure_ascii=False, sort_keys=True),
                )
            )
            s.execute(
                insert(LB),
                [
                    {"list_code": row.code, "branch_code": b, "people": p, "indicator": i}
                    for b, p, i in row.branches
                ],
            )
            for start in range(0, len(assigned), CHUNK):
                s.execute(
                    insert(T),
                    [
                        {
                            "campaign": row.code,
                            "id_no": id_no,
                            "branch_code": branch,
                            "officer": None,
                            "due_on": row.due_on,
                            "scenario": None,
                            "batch_id": None,
                        }
                        for id_no, branch in assigned[start : start + CHUNK]
                    ],
                )
            audit.append(s, entry, row.issued_at)
    except IntegrityError:  # issued at the same moment by someone else: the key said no
        with store.session() as s:
            again = taken(s)
        if again is None:
            raise
        raise again from None


# --- assigning ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    campaign: str
    id_no: str
    branch_code: str | None
    officer: str | None
    due_on: dt.date | None
    struck: str | None  # the strike's reason, if struck

    def __repr__(self) -> str:
        return f"TargetRow({self.campaign!r}, …{self.id_no[-4:]}, officer={self.officer!r})"


def targets_of(
    store: Store,
    *,
    campaign: str | None = None,
    branch: str | None = None,
    officer: str | None = None,
    unassigned: bool = False,
    id_nos: Sequence[str] = (),
) -> list[TargetRow]:
    where: list[Any] = []
    if campaign is not None:
        where.append(T.c.campaign == campaign)
    if branch is not None:
        where.append(T.c.branch_code == branch)
    if officer is not None:
        where.append(T.c.officer == officer)
    if unassigned:
        where.append(T.c.officer.is_(None))
    if id_nos:
        where.append(T.c.id_no.in_(list(id_nos)))
    query = (
        select(T.c.campaign, T.c.id_no, T.c.branch_code, T.c.officer, T.c.due_on, S.c.reason)
        .select_from(T.outerjoin(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no)))
        .where(*where)
        .order_by(T.c.campaign, T.c.id_no)
    )
    with store.connection() as conn:
        return [TargetRow(*r) for r in conn.execute(query)]


def assign(
    store: Store,
    rows: Sequence[TargetRow],
    officer: str | None,
    *,
    by: str,
    at: dt.datetime,
    entry: AuditEntry,
) -> int:
    """Give ``rows`` to ``officer`` (None: back to the branch), each only from the officer and branch
    it had when read; every change kept in ``target_assignment``. All or nothing: a row changed
    meanwhile raises :class:`AssignConflict` and nothing is written. Returns the targets changed."""
    return assign_many(store, [(r, officer) for r in rows], by=by, at=at, entry=entry)


def assign_many(
    store: Store,
    moves: Sequence[tuple[TargetRow, str | None]],
    *,
    by: str,
    at: dt.datetime,
    entry: AuditEntry,
) -> int:
    """Give each row to its officer (None: back to the branch), as :func:`assign` does for one officer:
    each only from the officer and branch it had when read, every change kept, all or nothing."""
    moved = [(r, o) for r, o in moves if r.officer != o]
    with store.write_session() as s:
        # the rows as they are now, locked (PostgreSQL: the rows; SQLite: the write lock of the session)
        now_held: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        by_campaign: dict[str, list[str]] = defaultdict(list)
        for r, _o in moved:
            by_campaign[r.campaign].append(r.id_no)
        for campaign, ids in by_campaign.items():
            for start in range(0, len(ids), CHUNK):
                for c, i, o, b in s.execute(
                    select(T.c.campaign, T.c.id_no, T.c.officer, T.c.branch_code)
                    .where(T.c.campaign == campaign, T.c.id_no.in_(ids[start : start + CHUNK]))
                    .with_for_update()
                ):
                    now_held[(str(c), str(i))] = (o, b)
        changed = sum(now_held.get((r.campaign, r.id_no)) != (r.officer, r.branch_code) for r, _o in moved)
        if changed:
            raise AssignConflict(changed)  # the session rolls back: nothing written
        for start in range(0, len(moved), CHUNK):
            s.execute(
                update(T)
                .where(T.c.campaign == bindparam("k_c"), T.c.id_no == bindparam("k_i"))
                .values(officer=bindparam("v_o")),
                [{"k_c": r.campaign, "k_i": r.id_no, "v_o": o} for r, o in moved[start : start + CHUNK]],
            )
        for start in range(0, len(moved), CHUNK):
            part = moved[start : start + CHUNK]
            if part:
                s.execute(
                    insert(AS),
                    [
                        {
                            "campaign": r.campaign,
                            "id_no": r.id_no,
                            "officer": o,
                            "previous": r.officer,
                            "assigned_by": by,
                            "assigned_at": at,
                        }
                        for r, o in part
                    ],
                )
        audit.append(s, entry, at)
    return len(moved)


# a target that still brings tasks: not struck, or struck by signing (its line's care goes on)
_LIVE = or_(S.c.reason.is_(None), S.c.reason == "signed")


def pending(
    store: Store,
    branch: str,
    *,
    campaign: str | None = None,
    officer: str | None = None,
    unassigned: bool = False,
    live_only: bool = True,
    limit: int | None = None,
) -> list[tuple[TargetRow, Pending]]:
    """A branch's targets to give out, in list and ID order, each with the customer's address (for
    giving them out by village): those still bringing tasks (``live_only``), on a list, of an officer,
    or with no officer yet; at most ``limit``."""
    where: list[Any] = [T.c.branch_code == branch]
    if campaign is not None:
        where.append(T.c.campaign == campaign)
    if officer is not None:
        where.append(T.c.officer == officer)
    if unassigned:
        where.append(T.c.officer.is_(None))
    if live_only:
        where.append(_LIVE)
    query = (
        select(T.c.campaign, T.c.id_no, T.c.branch_code, T.c.officer, T.c.due_on, S.c.reason, C.c.address)
        .select_from(
            T.outerjoin(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no)).outerjoin(
                C, C.c.id_no == T.c.id_no
            )
        )
        .where(*where)
        .order_by(T.c.campaign, T.c.id_no)
    )
    if limit is not None:
        query = query.limit(limit)
    with store.connection() as conn:
        return [
            (TargetRow(c, i, b, o, d, r), Pending(str(c), str(i), a))
            for c, i, b, o, d, r, a in conn.execute(query)
        ]


def live_loads(store: Store, branch: str) -> tuple[dict[str, int], list[tuple[str, str | None]]]:
    """Each officer's targets in the branch that still bring tasks (every list), and those targets'
    (officer, address) pairs: how loaded each officer is, and which villages each already serves."""
    query = (
        select(T.c.officer, C.c.address)
        .select_from(
            T.outerjoin(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no)).outerjoin(
                C, C.c.id_no == T.c.id_no
            )
        )
        .where(T.c.branch_code == branch, T.c.officer.is_not(None), _LIVE)
    )
    loads: dict[str, int] = defaultdict(int)
    held: list[tuple[str, str | None]] = []
    with store.connection() as conn:
        for officer, address in conn.execute(query):
            loads[str(officer)] += 1
            held.append((str(officer), address))
    return dict(loads), held


def assignments(store: Store, campaign: str, id_no: str) -> list[tuple[str | None, str | None, str]]:
    """A target's officers in the order they were given: (officer, previous, assigned by)."""
    with store.connection() as conn:
        rows = conn.execute(
            select(AS.c.officer, AS.c.previous, AS.c.assigned_by)
            .where(AS.c.campaign == campaign, AS.c.id_no == id_no)
            .order_by(AS.c.id)
        ).all()
    return [(r[0], r[1], str(r[2])) for r in rows]


# --- outcomes and strikes ------------------------------------------------------------------------------


def record_outcome(
    store: Store,
    campaign: str,
    id_no: str,
    outcome: Outcome,
    *,
    by: str,
    at: dt.datetime,
    entry: AuditEntry,
    expected_officer: str,
) -> bool:
    """Record an outcome, only while the target is still ``expected_officer``'s (checked in the same
    transaction, so a reassignment at the same moment wins); a declined-for-good strikes the target
    (unless struck already). Returns False, writing nothing, when the target is no longer theirs."""
    with store.write_session() as s:
        officer = s.execute(
            select(T.c.officer).where(T.c.campaign == campaign, T.c.id_no == id_no).with_for_update()
        ).scalar_one_or_none()
        if officer != expected_officer:
            return False
        s.execute(
            insert(OC).values(
                campaign=campaign,
                id_no=id_no,
                kind=outcome.kind,
                outcome=outcome.outcome,
                application_id=outcome.application_id,
                reason=outcome.reason,
                appointment_on=outcome.appointment_on,
                for_good=outcome.for_good,
                recorded_on=outcome.on,
                recorded_by=by,
                recorded_at=at,
            )
        )
        if outcome.for_good:
            struck = s.execute(
                select(exists().where(S.c.campaign == campaign, S.c.id_no == id_no))
            ).scalar_one()
            if not struck:
                s.execute(
                    insert(S).values(
                        campaign=campaign,
                        id_no=id_no,
                        reason="declined",
                        struck_on=outcome.on,
                        note=outcome.reason,
                        recorded_by=by,
                        recorded_at=at,
                    )
                )
        audit.append(s, entry, at)
    return True


def _insert_new_strikes(s: Session, rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Insert strikes, leaving any target struck meanwhile as it was struck (its key says so: a
    signature at a counter and the night's sweep may strike the same target at once); returns the
    (campaign, ID) of those inserted now."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect_insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    done: set[tuple[str, str]] = set()
    for start in range(0, len(rows), CHUNK):
        statement = dialect_insert(S).on_conflict_do_nothing().returning(S.c.campaign, S.c.id_no)
        done |= {(str(c), str(i)) for c, i in s.execute(statement, rows[start : start + CHUNK])}
    return done


def record_strikes(
    store: Store, strikes: Iterable[tuple[str, str, Strike]], *, by: str, at: dt.datetime, entry: AuditEntry
) -> int:
    """Mark the targets not yet struck; returns how many were marked now (a target struck meanwhile by
    someone else is left as they marked it, and not counted)."""
    wanted = {(c, i): st for c, i, st in strikes}
    if not wanted:
        return 0
    with store.write_session() as s:
        have: set[tuple[str, str]] = set()
        keys = list(wanted)
        for start in range(0, len(keys), CHUNK):
            ids = sorted({i for _c, i in keys[start : start + CHUNK]})
            have |= {
                (str(c), str(i))
                for c, i in s.execute(select(S.c.campaign, S.c.id_no).where(S.c.id_no.in_(ids)))
            }
        new = [(k, st) for k, st in wanted.items() if k not in have]
        done = _insert_new_strikes(
            s,
            [
                {
                    "campaign": c,
                    "id_no": i,
                    "reason": st.reason,
                    "struck_on": st.on,
                    "note": st.note,
                    "recorded_by": by,
                    "recorded_at": at,
                }
                for (c, i), st in new
            ],
        )
        if done:
            audit.append(s, entry, at)
    return len(done)


def unstruck_listings(s: Session, id_no: str) -> list[tuple[str, dt.date | None]]:
    """Inside the caller's transaction: every target of the person not yet struck, with the day it
    was listed (as :func:`facts` gives it), in list order."""
    rows = s.execute(
        select(T.c.campaign, L.c.issued_on, B.c.extract_date, B.c.started_at)
        .select_from(
            T.outerjoin(L, L.c.code == T.c.campaign)
            .outerjoin(B, B.c.id == T.c.batch_id)
            .outerjoin(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no))
        )
        .where(T.c.id_no == id_no, S.c.id_no.is_(None))
        .order_by(T.c.campaign)
    ).all()
    return [(str(c), issued or extract or _local_day(started)) for c, issued, extract, started in rows]


def strike_in(
    s: Session,
    id_no: str,
    strikes: Sequence[tuple[str, Strike]],
    *,
    by: str,
    at: dt.datetime,
    entry: Callable[[list[str]], AuditEntry],
) -> list[str]:
    """Inside the caller's transaction (a signature's): strike the person's targets on the lists
    given, each at most once (one struck meanwhile stays as it was), with the audit row of those
    struck now (``entry`` of their lists), if any. Returns those lists."""
    done = _insert_new_strikes(
        s,
        [
            {
                "campaign": c,
                "id_no": id_no,
                "reason": st.reason,
                "struck_on": st.on,
                "note": st.note,
                "recorded_by": by,
                "recorded_at": at,
            }
            for c, st in strikes
        ],
    )
    struck = sorted(c for c, _i in done)
    if struck:
        audit.append(s, entry(struck), at)
    return struck


# --- the facts the tasks are derived from --------------------------------------------------------------


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone().date()


def facts(
    store: Store,
    *,
    officer: str | None = None,
    branch: str | None = None,
    campaign: str | None = None,
    id_no: str | None = None,
    branchless: bool = False,
    ids: tuple[str, str | None] | None = None,
    persons: Collection[str] | None = None,
) -> list[TargetFacts]:
    """Every target of an officer, a branch, a list or a person (or all; or, ``branchless``, those
    with no branch; or those whose ID lies in ``ids``, from its first inclusive up to its second, None:
    to the end), with what the tasks read of each person. A range of IDs reads each table in key order
    (the whole county a slice at a time, as the night's sweep does); the others look people up.
    ``persons`` narrows any of these to those persons' targets."""
    where: list[Any] = []
    if persons is not None:
        where.append(T.c.id_no.in_(sorted(persons)))
    if ids is not None:
        where.append(T.c.id_no >= ids[0])
        if ids[1] is not None:
            where.append(T.c.id_no < ids[1])
    if branchless:
        where.append(T.c.branch_code.is_(None))
    if id_no is not None:
        where.append(T.c.id_no == id_no)
    if officer is not None:
        where.append(T.c.officer == officer)
    if branch is not None:
        where.append(T.c.branch_code == branch)
    if campaign is not None:
        where.append(T.c.campaign == campaign)
    people = select(T.c.id_no).where(*where).distinct().scalar_subquery()

    def theirs(column: Any) -> Any:
        """The rows of the people of these targets: by range (every person in it, a target or not, read
        in key order) when the targets are a range and nothing narrower, else by the people's IDs."""
        if ids is not None and len(where) == (1 if ids[1] is None else 2):
            return and_(column >= ids[0], *(() if ids[1] is None else (column < ids[1],)))
        return column.in_(people)

    with store.connection() as conn:
        targets = conn.execute(
            select(
                T.c.campaign,
                T.c.id_no,
                T.c.branch_code,
                T.c.officer,
                T.c.due_on,
                L.c.issued_on,
                B.c.extract_date,
                B.c.started_at,
                C.c.birth_date,
                C.c.name,
                C.c.branch_code.label("home_branch"),
                S.c.reason,
                S.c.struck_on,
                S.c.note,
            )
            .select_from(
                T.outerjoin(L, L.c.code == T.c.campaign)
                .outerjoin(B, B.c.id == T.c.batch_id)
                .outerjoin(C, C.c.id_no == T.c.id_no)
                .outerjoin(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no))
            )
            .where(*where)
            .order_by(T.c.campaign, T.c.id_no)
        ).all()
        apps: dict[str, list[ApplicationFacts]] = defaultdict(list)
        for a in conn.execute(
            select(
                A.c.id_no, A.c.id, A.c.status, A.c.line_fen, A.c.decided_on, A.c.signed_on, A.c.valid_until
            )
            .where(theirs(A.c.id_no))
            .order_by(A.c.id)
        ).all():
            apps[str(a[0])].append(ApplicationFacts(a[1], a[2], a[3], a[4], a[5], a[6]))
        newest_signing = (
            select(A.c.id_no, func.max(A.c.signed_on).label("signed_on"))
            .where(theirs(A.c.id_no), A.c.signed_on.is_not(None))
            .group_by(A.c.id_no)
            .subquery()
        )
        first_drawn = {
            str(i): d
            for i, d in conn.execute(
                select(D.c.id_no, func.min(D.c.drawn_on))
                .join(
                    newest_signing,
                    and_(newest_signing.c.id_no == D.c.id_no, D.c.drawn_on >= newest_signing.c.signed_on),
                )
                .group_by(D.c.id_no)
            )
        }
        drafts = {str(i) for i in conn.execute(select(SD.c.id_no).where(theirs(SD.c.id_no))).scalars()}
        negative: dict[str, dt.date | None] = {}
        for i, listed, extract, started in conn.execute(
            select(N.c.id_no, N.c.listed_on, B.c.extract_date, B.c.started_at)
            .join(B, B.c.id == N.c.batch_id)
            .where(theirs(N.c.id_no), N.c.lifted_batch_id.is_(None))
        ):
            negative[str(i)] = listed or extract or _local_day(started)
        outcomes: dict[str, list[Outcome]] = defaultdict(list)
        for o in conn.execute(select(OC).where(theirs(OC.c.id_no)).order_by(OC.c.id)).all():
            outcomes[str(o.id_no)].append(
                Outcome(
                    o.kind,
                    o.outcome,
                    o.recorded_on,
                    o.application_id,
                    o.reason,
                    o.appointment_on,
                    bool(o.for_good),
                    o.id,
                )
            )
    out = []
    local_days: dict[dt.datetime, dt.date | None] = {}  # an imported list's batch: one moment, many rows
    for (
        campaign,
        person,
        branch_code,
        officer,
        due_on,
        issued_on,
        extract_date,
        started_at,
        birth_date,
        name,
        home_branch,
        reason,
        struck_on,
        note,
    ) in targets:  # by position: the county's rows are many, a name lookup per field is not free
        listed_on = issued_on or extract_date
        if listed_on is None and started_at is not None:
            if started_at not in local_days:
                local_days[started_at] = _local_day(started_at)
            listed_on = local_days[started_at]
        mine = apps.get(person, [])
        signed = [a for a in mine if a.signed_on is not None]
        out.append(
            TargetFacts(
                campaign=str(campaign),
                id_no=str(person),
                branch_code=branch_code,
                officer=officer,
                due_on=due_on,
                listed_on=listed_on,
                application=mine[-1] if mine else None,
                signed=max(signed, key=lambda a: (a.signed_on, a.id)) if signed else None,
                first_drawn_on=first_drawn.get(person),
                survey_draft=person in drafts,
                negative_since=negative.get(person),
                birth_date=birth_date,
                outcomes=tuple(outcomes.get(person, ())),
                strike=None if reason is None else Strike(reason, struck_on, note),
                name=name,
                home_branch=home_branch,
            )
        )
    return out


# --- the tasks of the day kept by the sweep ----------------------------------------------------------


class KeptTask(NamedTuple):
    """One target's task of the day as the sweep found it (``kind`` None: no task), and what a face
    shows beside it: a plain tuple in the order of the table's columns (the sweep makes hundreds of
    thousands, and compares them with the rows kept before)."""

    campaign: str
    id_no: str
    branch_code: str | None
    officer: str | None
    kind: str | None
    due_on: dt.date | None
    value_fen: int | None
    application_id: int | None
    appointment: bool
    name: str | None
    moved: bool

    def __repr__(self) -> str:  # never the whole ID in a log
        return f"KeptTask({self.campaign!r}, …{self.id_no[-4:]}, {self.kind!r})"


_KEPT_COLUMNS = (
    TT.c.campaign,
    TT.c.id_no,
    TT.c.branch_code,
    TT.c.officer,
    TT.c.kind,
    TT.c.due_on,
    TT.c.value_fen,
    TT.c.application_id,
    TT.c.appointment,
    TT.c.name,
    TT.c.moved,
)


def keep_tasks(
    store: Store, rows: Iterable[KeptTask], *, day: dt.date, read_at: dt.datetime, band: AgeBand
) -> int:
    """Make the kept tasks the sweep's of ``day`` (every target's row; ``read_at``: when the sweep
    began reading the data). Only what differs from the rows kept before is written: the rows of
    targets gone deleted, the changed ones updated in place, the new ones added in branch and officer
    order (so that one officer's rows lie together and a login reads few pages); a night whose tasks
    are mostly yesterday's writes little. Returns the rows kept."""
    wanted = {(r[0], r[1]): r for r in rows}
    key = (TT.c.campaign == bindparam("k_c"), TT.c.id_no == bindparam("k_i"))
    values: dict[str, Any] = {c.name: bindparam(f"v_{c.name}") for c in _KEPT_COLUMNS[2:]}
    with store.write_session() as s:
        held = {(r[0], r[1]): tuple(r) for r in s.execute(select(*_KEPT_COLUMNS)).all()}
        gone = [{"k_c": c, "k_i": i} for c, i in held.keys() - wanted.keys()]
        changed = [
            {"k_c": r[0], "k_i": r[1], **{f"v_{c.name}": r[n] for n, c in enumerate(_KEPT_COLUMNS) if n >= 2}}
            for k, r in wanted.items()
            if k in held and held[k] != r
        ]
        new = sorted(
            (r for k, r in wanted.items() if k not in held),
            key=lambda r: (r.branch_code or "", r.officer or "", r.campaign, r.id_no),
        )
        s.execute(delete(SW))
        for start in range(0, len(gone), CHUNK):
            s.execute(delete(TT).where(*key), gone[start : start + CHUNK])
        for start in range(0, len(changed), CHUNK):
            s.execute(update(TT).where(*key).values(values), changed[start : start + CHUNK])
        for start in range(0, len(new), CHUNK):
            s.execute(insert(TT), [r._asdict() for r in new[start : start + CHUNK]])
        s.execute(
            insert(SW).values(id=1, day=day, swept_at=read_at, min_age=band.min_age, max_age=band.max_age)
        )
    return len(wanted)


@dataclass(frozen=True)
class Kept:
    """The kept tasks of an officer or a branch that still hold (``tasks``, with the names and the
    count of targets whose home moved, of the kept rows that hold), and the people to compute again
    from their facts (``stale``): changed since the sweep, or their targets given to the scope (or
    listed) after it."""

    tasks: list[Task]
    names: dict[str, str]
    moved: int
    stale: frozenset[str]


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()).astimezone()


def _changed_since(conn: Any, at: dt.datetime) -> set[str]:
    """The people whose facts a day's work may have changed since ``at`` (each read through an index):
    an application submitted, decided, signed, cancelled or expired; a task outcome recorded; a survey
    draft saved. (Strikes follow a signature or an outcome; drawdowns, the negative list and the
    customers come only with an import, after which the kept tasks are not used at all.)"""
    found: set[str] = set()
    for query in _changes_since(at):
        found.update(str(i) for i in conn.execute(query).scalars())
    return found


def _changes_since(at: dt.datetime) -> tuple[Select[Any], ...]:
    """:func:`_changed_since`'s queries, one per kind of change, each of the people's IDs."""
    on = at.astimezone().date()
    return (
        select(A.c.id_no).where(A.c.status.in_(APPLICATION_STATUSES), A.c.submitted_at >= at),
        select(A.c.id_no).where(A.c.decided_on >= on),
        select(A.c.id_no).where(A.c.signed_on >= on),
        select(A.c.id_no).where(A.c.closed_at >= at),
        select(OC.c.id_no).where(OC.c.recorded_at >= at),
        select(SD.c.id_no).where(SD.c.updated_at >= at),
    )


STALE_AT_MOST = CHUNK
"""More people to compute again than this, and the scope's facts are read whole instead."""
GIVEN_BEFORE_SWEEP = dt.timedelta(hours=1)
"""Targets given out up to this long before the sweep began reading (or since the day's midnight, if
earlier) are looked at as given since: an assignment is stamped as its writing begins, and the writing
takes seconds; the rest covers the clocks of workstations apart. (Looked at, a target whose kept row
names the officer it has now is not computed again.)"""
GIVEN_AT_MOST = 4 * CHUNK
"""More targets given out since the sweep than this (anywhere), and a login compares each of its
targets with its kept row instead of looking at each of those."""


def _swept_since(conn: Any, day: dt.date, band: AgeBand) -> dt.datetime | None:
    """From when a day's work may have changed the kept tasks of ``day``: the sweep's reading (or the
    day's midnight, if earlier); None when the kept tasks are not that day's under that age band, or an
    import came after the sweep (it may change anything)."""
    sweep = conn.execute(select(SW.c.day, SW.c.swept_at, SW.c.min_age, SW.c.max_age)).first()
    if sweep is None or sweep.day != day or (sweep.min_age, sweep.max_age) != (band.min_age, band.max_age):
        return None
    if conn.execute(select(B.c.id).where(B.c.started_at >= sweep.swept_at).limit(1)).first() is not None:
        return None
    since: dt.datetime = min(sweep.swept_at, _local_midnight(day))
    return since


def _scope(officer: str | None, branch: str | None) -> tuple[Any, Any]:
    """The scope's targets now, and its kept rows."""
    if (officer is None) == (branch is None):
        raise ValueError("an officer or a branch")
    if officer is not None:
        return T.c.officer == officer, TT.c.officer == officer
    return T.c.branch_code == branch, TT.c.branch_code == branch


def _chunks(people: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(people)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _count(conn: Any, table: Table, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _stale_by_log(
    conn: Any, since: dt.datetime, *, officer: str | None, branch: str | None
) -> frozenset[str] | None:
    """The people of a scope to compute again, found from what the day's work wrote since the sweep
    instead of comparing each of the scope's targets with its kept row: the people whose facts changed
    (:func:`_changed_since`) or whose targets changed hands since the sweep (``target_assignment``:
    every change of a target's officer is kept there, see :data:`GIVEN_BEFORE_SWEEP`; those whose kept
    row already names the officer they have now are not stale), when they have a target or a kept row
    in the scope; for a branch, those on a list issued since; and those kept with a survey to submit
    whose draft is gone. None (compare row by row instead) when more than :data:`STALE_AT_MOST` (or
    :data:`GIVEN_AT_MOST` targets given out since, anywhere), or when the scope's targets and its kept
    rows, the stale people's left out, are not as many (a target came some other way)."""
    now_theirs, kept_theirs = _scope(officer, branch)
    # the people changed since, as one set the database meets with the scope's (a day's changes in the
    # county may be many: they are never read out, only those of the scope)
    changed = select(union(*_changes_since(since)).subquery().c.id_no)
    stale: set[str] = set()
    for where, column in ((now_theirs, T.c.id_no), (kept_theirs, TT.c.id_no)):
        found = conn.execute(select(column).where(where, column.in_(changed)).distinct())
        stale.update(str(i) for i in found.scalars())
    # a target given to another officer since: its kept row names another officer (or none is kept yet)
    swept_at = conn.execute(select(SW.c.swept_at)).scalar_one()
    since_given = AS.c.assigned_at >= min(since, swept_at - GIVEN_BEFORE_SWEEP)
    if _count(conn, AS, since_given) > GIVEN_AT_MOST:
        return None
    key = and_(TT.c.campaign == T.c.campaign, TT.c.id_no == T.c.id_no)
    other = or_(TT.c.campaign.is_(None), TT.c.officer.is_distinct_from(T.c.officer))
    given = {str(i) for i in conn.execute(select(AS.c.id_no).where(since_given)).scalars()}
    for part in _chunks(given):
        for query in (
            select(T.c.id_no).select_from(T.outerjoin(TT, key)).where(now_theirs, T.c.id_no.in_(part), other),
            select(TT.c.id_no).select_from(TT.join(T, key)).where(kept_theirs, TT.c.id_no.in_(part), other),
        ):
            stale.update(str(i) for i in conn.execute(query.distinct()).scalars())
    # a list issued since gives a branch new targets (an officer's come to them by an assignment)
    lists = (
        []
        if officer is not None
        else list(conn.execute(select(L.c.code).where(L.c.issued_at >= since)).scalars())
    )
    if lists:
        found = conn.execute(
            select(T.c.id_no).where(now_theirs, T.c.campaign.in_(lists)).distinct()
        ).scalars()
        stale.update(str(i) for i in found)
    if len(stale) > STALE_AT_MOST:
        return None
    now_rest, kept_rest = _count(conn, T, now_theirs), _count(conn, TT, kept_theirs)
    for part in _chunks(stale):
        now_rest -= _count(conn, T, now_theirs, T.c.id_no.in_(part))
        kept_rest -= _count(conn, TT, kept_theirs, TT.c.id_no.in_(part))
    if now_rest != kept_rest:
        return None
    no_draft = (
        select(TT.c.id_no)
        .where(kept_theirs, TT.c.kind == "submit", not_(exists().where(SD.c.id_no == TT.c.id_no)))
        .distinct()
    )
    stale.update(str(i) for i in conn.execute(no_draft).scalars())
    return None if len(stale) > STALE_AT_MOST else frozenset(stale)


def _kept_in(
    conn: Any,
    day: dt.date,
    band: AgeBand,
    columns: Sequence[Any],
    *,
    officer: str | None,
    branch: str | None,
) -> tuple[list[Any], frozenset[str]] | None:
    """The kept rows of ``columns`` (list and ID first, then the officer and the kind where
    :data:`_KEPT_COLUMNS` has them) that still hold for an officer or a branch, and the people to
    compute again; None when none hold (see :func:`kept_tasks`)."""
    since = _swept_since(conn, day, band)
    if since is None:
        return None
    by_log = _stale_by_log(conn, since, officer=officer, branch=branch)
    if by_log is not None:  # the scope's kept rows hold but for the stale people's
        return conn.execute(select(*columns).where(_scope(officer, branch)[1])).all(), by_log
    return _compared(conn, since, columns, officer=officer, branch=branch)


def _compared(
    conn: Any, since: dt.datetime, columns: Sequence[Any], *, officer: str | None, branch: str | None
) -> tuple[list[Any], frozenset[str]] | None:
    """:func:`_kept_in` by comparing each of the scope's targets with its kept row."""
    now_theirs, kept_theirs = _scope(officer, branch)
    current: dict[tuple[str, str], str | None] = {
        (c, i): o
        for c, i, o in conn.execute(select(T.c.campaign, T.c.id_no, T.c.officer).where(now_theirs)).all()
    }
    stale: set[str] = set()
    held: list[Any] = []
    seen: set[tuple[str, str]] = set()
    for r in conn.execute(select(*columns).where(kept_theirs)).all():
        key = (r[0], r[1])
        if key not in current:
            continue  # no longer in the scope (given to another officer since)
        seen.add(key)
        if current[key] != r[3]:
            stale.add(r[1])  # given to another officer of the branch since
        else:
            held.append(r)
    if len(seen) != len(current):
        stale.update(i for c, i in current if (c, i) not in seen)  # given to the scope since, or listed
    if len(stale) <= STALE_AT_MOST:
        people = {i for _c, i in current}
        stale |= _changed_since(conn, since) & people
        submit = sorted({r[1] for r in held if r[4] == "submit"} - stale)
        drafts: set[str] = set()
        for start in range(0, len(submit), CHUNK):  # a draft discarded since: a survey again
            part = submit[start : start + CHUNK]
            drafts.update(
                str(i) for i in conn.execute(select(SD.c.id_no).where(SD.c.id_no.in_(part))).scalars()
            )
        stale.update(set(submit) - drafts)
    if len(stale) > STALE_AT_MOST:
        return None
    return held, frozenset(stale)


def kept_tasks(
    store: Store, day: dt.date, band: AgeBand, *, officer: str | None = None, branch: str | None = None
) -> Kept | None:
    """The kept tasks of ``day`` for an officer or a branch, or None when none hold: no sweep of that
    day under that age band, an import since it, or too many people changed to be worth it."""
    with store.connection() as conn:
        found = _kept_in(conn, day, band, _KEPT_COLUMNS, officer=officer, branch=branch)
    if found is None:
        return None
    held, stale = found
    tasks: list[Task] = []
    names: dict[str, str] = {}
    moved = 0
    for campaign, id_no, branch_code, officer, kind, due_on, value, app_id, appointment, name, mv in held:
        if id_no in stale:
            continue
        if kind is not None:
            tasks.append(
                Task(campaign, id_no, branch_code, officer, kind, due_on, value, app_id, appointment)
            )
        if name is not None:
            names[id_no] = name
        moved += bool(mv)
    return Kept(tasks, names, moved, stale)


@dataclass(frozen=True)
class KeptCount:
    """What the kept tasks of an officer or a branch say without building them: how many visits (one
    per officer and person) the kept rows that still hold bring, and the people to compute again (as
    :class:`Kept`)."""

    visits: int
    stale: frozenset[str]


def kept_count(
    store: Store, day: dt.date, band: AgeBand, *, officer: str | None = None, branch: str | None = None
) -> KeptCount | None:
    """The kept tasks' visits, read by the same rule as :func:`kept_tasks` (only the columns the rule
    needs, no task built), or None when none hold."""
    with store.connection() as conn:
        since = _swept_since(conn, day, band)
        stale = None if since is None else _stale_by_log(conn, since, officer=officer, branch=branch)
        if stale is not None:  # the visits counted where the rows are, the stale people's taken off
            _now, kept_theirs = _scope(officer, branch)
            visits = _visits(conn, kept_theirs)
            for part in _chunks(stale):
                visits -= _visits(conn, kept_theirs, TT.c.id_no.in_(part))
            return KeptCount(visits, stale)
        found = (
            None
            if since is None
            else _compared(conn, since, _KEPT_COLUMNS[:5], officer=officer, branch=branch)
        )
    if found is None:
        return None
    held, stale = found  # list, ID, branch, officer, kind
    return KeptCount(len({(r[3], r[1]) for r in held if r[4] is not None and r[1] not in stale}), stale)


def _visits(conn: Any, *where: Any) -> int:
    """How many visits (officer and person) the kept rows with a task bring."""
    theirs = select(TT.c.officer, TT.c.id_no).where(*where, TT.c.kind.is_not(None)).distinct().subquery()
    return int(conn.execute(select(func.count()).select_from(theirs)).scalar_one())


def _kinds(conn: Any, kept_theirs: Any) -> dict[str, int]:
    """The kept tasks' visits by kind (every kind named): a person whose kept tasks in the scope are
    all of one kind counts for it, whichever of them the list keeps; the few with tasks of several
    kinds are read and kept as the list keeps them (:func:`one_visit`)."""
    visit = (
        select(TT.c.officer, TT.c.id_no, func.min(TT.c.kind).label("low"), func.max(TT.c.kind).label("high"))
        .where(kept_theirs, TT.c.kind.is_not(None))
        .group_by(TT.c.officer, TT.c.id_no)
        .subquery()
    )
    counts = dict.fromkeys(TASK_KINDS, 0)
    mixed = 0
    for low, high, n in conn.execute(
        select(visit.c.low, visit.c.high, func.count()).group_by(visit.c.low, visit.c.high)
    ):
        if low == high:
            counts[str(low)] += int(n)
        else:
            mixed += int(n)
    if mixed:
        people = list(conn.execute(select(visit.c.id_no).where(visit.c.low != visit.c.high)).scalars())
        for part in _chunks({str(i) for i in people}):
            rows = conn.execute(
                select(*_KEPT_COLUMNS).where(kept_theirs, TT.c.kind.is_not(None), TT.c.id_no.in_(part))
            ).all()
            for t in one_visit(_kept_task(r) for r in rows):
                counts[t.kind] += 1
    return counts


_KIND_RANK = case({k: n for n, k in enumerate(TASK_KINDS)}, value=TT.c.kind)


def _task_order(conn: Any) -> list[Any]:
    """The list's order of kept tasks in SQL, as :func:`teller_assist.targets.tasks` orders tasks: due
    date (none last), value (largest first, none last), kind, person, list; the IDs and codes compared
    byte by byte on PostgreSQL too (as Python compares them), whatever the database's collation."""

    def bytewise(column: Any) -> Any:
        return column.collate("C") if conn.dialect.name == "postgresql" else column

    return [
        TT.c.due_on.is_(None),
        TT.c.due_on,
        TT.c.value_fen.is_(None),
        TT.c.value_fen.desc(),
        _KIND_RANK,
        bytewise(TT.c.id_no),
        bytewise(TT.c.campaign),
    ]


def _kept_task(r: Any) -> Task:
    return Task(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))


@dataclass(frozen=True)
class KeptPage:
    """The first visits of a scope's kept tasks that hold, in the list's order (``tasks``, with their
    people's names), and what the whole of them holds: visits by kind (every kind named), targets
    whose home moved, and the people to compute again (as :class:`Kept`, left out of all of these)."""

    tasks: list[Task]
    names: dict[str, str]
    counts: dict[str, int]
    moved: int
    stale: frozenset[str]


def kept_page(
    store: Store,
    day: dt.date,
    band: AgeBand,
    *,
    first: int,
    officer: str | None = None,
    branch: str | None = None,
) -> KeptPage | None:
    """The first ``first`` visits of :func:`kept_tasks` (the same tasks, in the same order) read in the
    list's order with a limit, and the counts of the whole list from SQL, without building it; the
    people to compute again found from what changed since the sweep. None when the kept tasks do not
    hold (as :func:`kept_tasks`), or when what changed cannot be told that way (the caller then reads
    the whole list)."""
    if first < 0:
        raise ValueError("first must not be negative")
    with store.connection() as conn:
        since = _swept_since(conn, day, band)
        stale = None if since is None else _stale_by_log(conn, since, officer=officer, branch=branch)
        if stale is None:
            return None
        _now, kept_theirs = _scope(officer, branch)
        order = _task_order(conn)
        counts = _kinds(conn, kept_theirs)
        moved = _count(conn, TT, kept_theirs, TT.c.moved)
        for part in _chunks(stale):  # the stale people's kept rows taken off the counts
            rows = conn.execute(select(*_KEPT_COLUMNS).where(kept_theirs, TT.c.id_no.in_(part))).all()
            for t in one_visit(_kept_task(r) for r in rows if r[4] is not None):
                counts[t.kind] -= 1
            moved -= sum(1 for r in rows if r[10])
        tasks: list[Task] = []
        names: dict[str, str] = {}
        limit = 2 * first + 16
        while first:
            seen: set[tuple[str | None, str]] = set()
            tasks, names = [], {}
            rows = conn.execute(
                select(*_KEPT_COLUMNS)
                .where(kept_theirs, TT.c.kind.is_not(None))
                .order_by(*order)
                .limit(limit)
            ).all()
            for r in rows:
                if r[1] in stale or (r[3], r[1]) in seen:
                    continue  # computed again by the caller; or the person's later task (one visit)
                seen.add((r[3], r[1]))
                tasks.append(_kept_task(r))
                if r[9] is not None:
                    names[r[1]] = r[9]
                if len(tasks) == first:
                    break
            if len(tasks) == first or len(rows) < limit:
                break
            limit *= 4
    return KeptPage(tasks, names, counts, moved, frozenset(stale))


def id_slices(store: Store, size: int) -> list[tuple[str, str | None]]:
    """The targets' IDs cut into consecutive ranges of about ``size`` targets each (a person's
    targets always in one range): (first, up to) pairs, the last open-ended."""
    if size < 1:
        raise ValueError("size must be positive")
    bounds: list[str] = []
    with store.connection() as conn:
        first = conn.execute(select(func.min(T.c.id_no))).scalar_one_or_none()
        at = first
        while at is not None:
            bounds.append(str(at))
            at = conn.execute(
                select(T.c.id_no).where(T.c.id_no > at).order_by(T.c.id_no).offset(size - 1).limit(1)
            ).scalar_one_or_none()
    return [(low, bounds[i + 1] if i + 1 < len(bounds) else None) for i, low in enumerate(bounds)]


def target_branches(store: Store) -> list[str | None]:
    """The branches the targets are on (None for targets no branch was found for)."""
    with store.connection() as conn:
        found = conn.execute(select(T.c.branch_code).distinct()).scalars().all()
    return sorted(found, key=lambda b: (b is None, b or ""))


def home_moved(store: Store, *, officer: str | None = None, branch: str | None = None) -> int:
    """Targets (not struck) whose customer a later extract gives another home branch than the list did."""
    where: list[Any] = [
        C.c.branch_code.is_not(None),
        C.c.branch_code != T.c.branch_code,
        S.c.reason.is_(None),
    ]
    if officer is not None:
        where.append(T.c.officer == officer)
    if branch is not None:
        where.append(T.c.branch_code == branch)
    with store.connection() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(
                    T.join(C, C.c.id_no == T.c.id_no).outerjoin(
                        S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no)
                    )
                )
                .where(*where)
            ).scalar_one()
        )


def names(store: Store, id_nos: Sequence[str]) -> dict[str, str]:
    """The customers' names the bank holds, for the IDs given."""
    out: dict[str, str] = {}
    with store.connection() as conn:
        for start in range(0, len(id_nos), CHUNK):
            part = list(id_nos[start : start + CHUNK])
            out.update(
                {
                    str(i): str(n)
                    for i, n in conn.execute(select(C.c.id_no, C.c.name).where(C.c.id_no.in_(part)))
                }
            )
    return out


# --- progress ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    branch_code: str
    people: int
    indicator: int
    assigned: int
    struck: Mapping[str, int]  # reason -> targets


def progress(store: Store, code: str) -> list[Progress]:
    """Each branch of an issued list: its targets, indicator, how many are assigned and struck."""
    with store.connection() as conn:
        shares = conn.execute(
            select(LB.c.branch_code, LB.c.people, LB.c.indicator)
            .where(LB.c.list_code == code)
            .order_by(LB.c.branch_code)
        ).all()
        assigned: dict[Any, Any] = dict(
            conn.execute(
                select(T.c.branch_code, func.count())
                .where(T.c.campaign == code, T.c.officer.is_not(None))
                .group_by(T.c.branch_code)
            ).all()
        )
        struck: dict[str, dict[str, int]] = defaultdict(dict)
        for b, reason, n in conn.execute(
            select(T.c.branch_code, S.c.reason, func.count())
            .join(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no))
            .where(T.c.campaign == code)
            .group_by(T.c.branch_code, S.c.reason)
        ):
            struck[str(b)][str(reason)] = int(n)
    return [
        Progress(str(b), int(p), int(i), int(assigned.get(b, 0)), struck.get(str(b), {}))
        for b, p, i in shares
    ]


@dataclass(frozen=True)
class BranchList:
    """One list (issued, or imported with the night's targets) as a branch sees it: its targets there,
    the indicator head office set (None for an imported list), how many are assigned and struck."""

    campaign: str
    due_on: dt.date | None
    people: int
    indicator: int | None
    assigned: int
    struck: Mapping[str, int]


def branch_lists(store: Store, branch: str) -> list[BranchList]:
    """Every list with targets in ``branch``: the progress the branch's morning meeting reads."""
    with store.connection() as conn:
        counts = conn.execute(
            select(
                T.c.campaign,
                func.count(),
                func.count(T.c.officer),
                func.max(T.c.due_on),
            )
            .where(T.c.branch_code == branch)
            .group_by(T.c.campaign)
            .order_by(T.c.campaign)
        ).all()
        shares = {
            str(code): (int(indicator), due)
            for code, indicator, due in conn.execute(
                select(LB.c.list_code, LB.c.indicator, L.c.due_on)
                .join(L, L.c.code == LB.c.list_code)
                .where(LB.c.branch_code == branch)
            )
        }
        struck: dict[str, dict[str, int]] = defaultdict(dict)
        for c, reason, n in conn.execute(
            select(T.c.campaign, S.c.reason, func.count())
            .join(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no))
            .where(T.c.branch_code == branch)
            .group_by(T.c.campaign, S.c.reason)
        ):
            struck[str(c)][str(reason)] = int(n)
    out = []
    for campaign, people, assigned, due in counts:
        code = str(campaign)
        indicator, list_due = shares.get(code, (None, None))
        out.append(
            BranchList(code, list_due or due, int(people), indicator, int(assigned), struck.get(code, {}))
        )
    return out
