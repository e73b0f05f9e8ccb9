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

from sqlalchemy import Table, and_, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teller_assist.identity.masking import Masking
from teller_assist.store import applications as store_apps
from teller_assist.store import audit
from teller_assist.store.applications import NewApplication
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import (
    Application,
    Campaign,
    CampaignApplication,
    CampaignBatch,
    CampaignMember,
    DocumentIssue,
    Drawdown,
    NegativeListEntry,
    Operator,
    SmsOutbox,
    Target,
    TargetList,
)

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
A = cast(Table, Application.__table__)
CB = cast(Table, CampaignBatch.__table__)
CA = cast(Table, CampaignApplication.__table__)
DI = cast(Table, DocumentIssue.__table__)
SO = cast(Table, SmsOutbox.__table__)
D = cast(Table, Drawdown.__table__)
N = cast(Table, NegativeListEntry.__table__)
OP = cast(Table, Operator.__table__)

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
    consented: bool = False  # both consents marked 是 on the roster

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
    "consent_at",
    "consent_by",
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


def _consent(m: MemberIn, before: Mapping[str, Any] | None, by: str, at: dt.datetime) -> dict[str, Any]:
    """The roster's consents as the member keeps them: since the import that first gave both (and who
    loaded it), until a roster no longer gives them."""
    if not m.consented:
        return {"consent_at": None, "consent_by": None}
    if before is not None and before["consent_at"] is not None:
        return {"consent_at": before["consent_at"], "consent_by": before["consent_by"]}
    return {"consent_at": at, "consent_by": by}


def _update(
    s: Session, names: Sequence[str], rows: list[dict[str, Any]], done: Callable[[int], None] | None = None
) -> None:
    statement = (
        update(M)
        .where(M.c.campaign_id == bindparam("k_c"), M.c.id_no == bindparam("k_i"))
        .values({n: bindparam(f"v_{n}") for n in (*names, "updated_at")})
    )
    for start in range(0, len(rows), CHUNK):
        s.execute(statement, rows[start : start + CHUNK])
        if done is not None:
            done(start + len(rows[start : start + CHUNK]))


def import_members(
    store: Store,
    code: str,
    incoming: Sequence[MemberIn],
    roster: RosterIn,
    *,
    by: str,
    at: dt.datetime,
    entry: Callable[[ImportCounts], AuditEntry],
    progress: Callable[[int, int], None] | None = None,
    hold: Callable[[Mapping[str, str]], Sequence[Any]] | None = None,
) -> ImportCounts:
    """Load a roster's members into campaign ``code`` in one transaction with its audit row (``entry``
    is given the counts): a new person added, a known one updated when anything changed (a refused row
    changes only the member's status, reason and line: what the bank had stays until a good row
    replaces it), every member the roster no longer lists kept and marked removed. A missing campaign
    raises :class:`CampaignMissing`, a closed one :class:`CampaignClosed`, and nothing is written.
    ``progress`` is told (rows written, rows to write) after each chunk, from the calling thread, while
    the transaction is still open: it must not touch the database. ``hold`` is given the members the
    roster no longer lists (resident ID -> name) and returns those to keep as they are rather than
    remove (each with an ``id_no``), read inside the transaction."""
    tell = progress or (lambda _done, _total: None)
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
            before = existing.get(m.id_no)
            values = _values(m) | _consent(m, before, by, at)
            if before is not None and TILL_KEY in (kept := json.loads(before["extras"] or "{}")):
                # the market's till records came in their own file: a corrected roster keeps them
                extras = dict(m.extras) | {TILL_KEY: kept[TILL_KEY]}
                values["extras"] = json.dumps(extras, ensure_ascii=False, sort_keys=True)
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
        absent = {
            i: str(before["name"] or "")
            for i, before in existing.items()
            if i not in listed and before["status"] != "removed"
        }
        kept_ids = {h.id_no for h in hold(absent)} if hold is not None and absent else set()
        gone = [
            {"k_c": cid, "k_i": i, "v_status": "removed", "v_reason": None, "v_updated_at": at}
            for i in absent
            if i not in kept_ids
        ]
        total = len(added) + len(full) + len(refused) + len(gone)
        tell(0, total)
        for start in range(0, len(added), CHUNK):
            s.execute(insert(M), added[start : start + CHUNK])
            tell(start + len(added[start : start + CHUNK]), total)
        written = len(added)
        steps: tuple[tuple[Sequence[str], list[dict[str, Any]]], ...] = (
            (_VALUES, full), (_REFUSED_VALUES, refused), (("status", "reason"), gone)
        )  # fmt: skip
        for columns, rows in steps:
            base = written
            _update(s, columns, rows, lambda n: tell(base + n, total))  # noqa: B023 (called within the loop)
            written += len(rows)
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


TILL_KEY = "till_sales"  # a market member's till records, kept in ``extras`` as JSON: {"2026-05": fen}


def record_till(
    store: Store,
    code: str,
    sales: Mapping[str, Mapping[str, int]],
    *,
    at: dt.datetime,
    entry: Callable[[int], AuditEntry],
) -> int:
    """Keep market members' till records (resident ID -> {"YYYY-MM": fen}) with their membership, in one
    transaction with the audit row (``entry`` is given how many members changed): a month given again
    replaces the month kept, the other months stay. Only members matched or new to the bank; returns
    how many changed. A closed campaign writes nothing."""
    with store.write_session() as s:
        cid = _locked_open(s, code)
        ids = list(sales)
        kept: dict[str, str] = {}
        for start in range(0, len(ids), CHUNK):
            for r in s.execute(
                select(M.c.id_no, M.c.extras).where(
                    M.c.campaign_id == cid, M.c.status.in_(LIVE), M.c.id_no.in_(ids[start : start + CHUNK])
                )
            ):
                kept[str(r.id_no)] = r.extras or "{}"
        missing = [i for i in ids if i not in kept]
        if missing:
            raise MemberMissing(missing[0])
        rows = []
        for id_no, months in sales.items():
            extras = json.loads(kept[id_no])
            before = json.loads(extras.get(TILL_KEY, "{}"))
            after = dict(sorted((before | dict(months)).items()))
            if after == before:
                continue
            extras[TILL_KEY] = json.dumps(after, sort_keys=True)
            rows.append(
                {
                    "k_c": cid,
                    "k_i": id_no,
                    "v_extras": json.dumps(extras, ensure_ascii=False, sort_keys=True),
                    "v_updated_at": at,
                }
            )
        _update(s, ("extras",), rows)
        audit.append(s, entry(len(rows)), at)
    return len(rows)


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
    consent_at: dt.datetime | None = None  # both consents given on the roster, since then
    consent_by: str | None = None  # who loaded that roster
    survey: str | None = None  # a completed survey recorded for them: the checked answers as JSON
    survey_scenario: str | None = None
    surveyed_at: dt.datetime | None = None
    surveyed_by: str | None = None

    def __repr__(self) -> str:  # no one's ID, name or phone in a log
        return f"StoredMember({Masking().resident_id(self.id_no)}, {self.status})"


def member(store: Store, campaign_id: int, id_no: str) -> StoredMember | None:
    """One person's membership of a campaign, whatever its status."""
    found = members(store, campaign_id, id_no=id_no)
    return found[0] if found else None


def members(
    store: Store, campaign_id: int, *, statuses: Sequence[str] = (), id_no: str | None = None
) -> list[StoredMember]:
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
            M.c.consent_at,
            M.c.consent_by,
            M.c.survey,
            M.c.survey_scenario,
            M.c.surveyed_at,
            M.c.surveyed_by,
        )
        .where(M.c.campaign_id == campaign_id)
        .order_by(M.c.line_no, M.c.id_no)
    )
    if statuses:
        query = query.where(M.c.status.in_(list(statuses)))
    if id_no is not None:
        query = query.where(M.c.id_no == id_no)
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


# --- surveys, batches and progress (migration 0015) --------------------------------------------------------


class MemberMissing(Exception):
    """No such member on the campaign (or not one that can be surveyed: refused, removed)."""


LIVE = ("matched", "new_to_bank")


def _locked_open(s: Session, code: str) -> int:
    """The campaign's id, its row locked until the transaction ends; a closed one refuses."""
    locked = s.execute(
        select(C.c.id, C.c.status, C.c.closed_by, C.c.closed_at).where(C.c.code == code).with_for_update()
    ).one_or_none()
    if locked is None:
        raise CampaignMissing(code)
    if locked.status != "open":
        raise CampaignClosed(code, locked.closed_by, locked.closed_at)
    return int(locked.id)


def record_survey(
    store: Store,
    code: str,
    id_no: str,
    *,
    survey: str,
    scenario: str,
    by: str,
    at: dt.datetime,
    entry: Callable[[int], AuditEntry],
) -> int:
    """Keep a completed survey (its checked answers as JSON) for a member matched or new to the bank,
    replacing an earlier one, with its audit row (``entry`` is given the member's roster line); returns
    that line. A closed campaign, or no such member, writes nothing."""
    with store.write_session() as s:
        cid = _locked_open(s, code)
        line_no = s.execute(
            select(M.c.line_no).where(M.c.campaign_id == cid, M.c.id_no == id_no, M.c.status.in_(LIVE))
        ).scalar_one_or_none()
        if line_no is None:
            raise MemberMissing(id_no)
        s.execute(
            update(M)
            .where(M.c.campaign_id == cid, M.c.id_no == id_no)
            .values(survey=survey, survey_scenario=scenario, surveyed_at=at, surveyed_by=by)
        )
        audit.append(s, entry(int(line_no)), at)
    return int(line_no)


@dataclass(frozen=True)
class BatchWritten:
    batch_id: int | None  # None when nobody was submitted (no batch is kept)
    made: dict[str, int]  # resident ID -> application id
    passed_over: tuple[str, ...]  # resident IDs that meanwhile held an open application


def submit_batch(
    store: Store,
    code: str,
    news: Sequence[NewApplication],
    *,
    maker_id: int,
    by: str,
    at: dt.datetime,
    on: dt.date,
    policy_version: str,
    skipped: Mapping[str, int],
    entry: Callable[[int, int, NewApplication], AuditEntry],
    closing: Callable[[int | None, int], AuditEntry],
) -> BatchWritten:
    """Submit a campaign's members in one transaction: the campaign locked (two submissions of one
    campaign take turns, the second seeing the first's applications), the batch, every application
    (``store.applications.insert_many``: each under the table's rules, a person who meanwhile holds an
    open application passed over), each linked to the batch, each with its own audit row (``entry``:
    batch id, application id, the new application), then the batch's row (``closing``: batch id, how
    many). Nobody submitted: no batch is kept, the audit row still written. A closed campaign refuses."""
    with store.write_session() as s:
        cid = _locked_open(s, code)
        batch_id = s.execute(
            insert(CB)
            .values(
                campaign_id=cid,
                maker_id=maker_id,
                submitted_by=by,
                submitted_at=at,
                submitted_on=on,
                policy_version=policy_version,
                applications=max(1, len(news)),  # the count is set below, once known
                skipped=json.dumps(dict(skipped), sort_keys=True),
            )
            .returning(CB.c.id)
        ).scalar_one()
        made = store_apps.insert_many(s, news)
        passed = tuple(n.id_no for n in news if n.id_no not in made)
        if made:
            counts = dict(skipped) | {"holding": skipped.get("holding", 0) + len(passed)}
            s.execute(
                update(CB)
                .where(CB.c.id == batch_id)
                .values(applications=len(made), skipped=json.dumps(counts, sort_keys=True))
            )
            for start in range(0, len(made), CHUNK):
                s.execute(
                    insert(CA),
                    [
                        {"application_id": app_id, "batch_id": batch_id, "campaign_id": cid}
                        for app_id in list(made.values())[start : start + CHUNK]
                    ],
                )
            by_id = {n.id_no: n for n in news}
            audit.append_many(s, [entry(batch_id, app_id, by_id[i]) for i, app_id in made.items()], at)
        else:
            s.execute(delete(CB).where(CB.c.id == batch_id))
        audit.append(s, closing(batch_id if made else None, len(made)), at)
    return BatchWritten(batch_id if made else None, made, passed)


def rejected_here(store: Store, campaign_id: int) -> set[str]:
    """The people whose application from this campaign an approver rejected."""
    query = (
        select(A.c.id_no)
        .select_from(CA.join(A, A.c.id == CA.c.application_id))
        .where(CA.c.campaign_id == campaign_id, A.c.status == "rejected")
    )
    with store.connection() as conn:
        return {str(i) for i in conn.execute(query).scalars()}


@dataclass(frozen=True)
class BatchRow:
    id: int
    campaign_id: int
    campaign_code: str
    branch_code: str
    maker_id: int
    submitted_by: str
    submitted_at: dt.datetime
    submitted_on: dt.date
    policy_version: str
    applications: int
    skipped: dict[str, int]
    waiting: int  # applications still submitted


def _batches(where: Any) -> Any:
    waiting = (
        select(func.count())
        .select_from(CA.join(A, A.c.id == CA.c.application_id))
        .where(CA.c.batch_id == CB.c.id, A.c.status == "submitted")
        .scalar_subquery()
    )
    return (
        select(
            CB.c.id,
            CB.c.campaign_id,
            C.c.code,
            C.c.branch_code,
            CB.c.maker_id,
            CB.c.submitted_by,
            CB.c.submitted_at,
            CB.c.submitted_on,
            CB.c.policy_version,
            CB.c.applications,
            CB.c.skipped,
            waiting,
        )
        .select_from(CB.join(C, C.c.id == CB.c.campaign_id))
        .where(where)
        .order_by(CB.c.id)
    )


def _batch_row(r: Any) -> BatchRow:
    return BatchRow(
        int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4]), str(r[5]), r[6], r[7], str(r[8]), int(r[9]),
        {str(k): int(v) for k, v in json.loads(r[10] or "{}").items()}, int(r[11]),
    )  # fmt: skip


def batch(store: Store, batch_id: int) -> BatchRow | None:
    with store.connection() as conn:
        r = conn.execute(_batches(CB.c.id == batch_id)).one_or_none()
    return None if r is None else _batch_row(r)


def batches(store: Store, campaign_id: int) -> list[BatchRow]:
    with store.connection() as conn:
        return [_batch_row(r) for r in conn.execute(_batches(CB.c.campaign_id == campaign_id))]


@dataclass(frozen=True)
class BatchApplication:
    """One application of a batch as it is now, with its person's standing on the campaign and the
    negative list today."""

    application_id: int
    version: int
    id_no: str
    name: str | None
    line_fen: int
    status: str
    maker_id: int
    decision: str  # the decision snapshot (JSON)
    checker_login: str | None
    reject_reason: str | None
    member_line_no: int | None  # None when the person is no longer on the campaign
    member_status: str | None
    negative_now: bool

    def __repr__(self) -> str:
        return f"BatchApplication(app {self.application_id}, {self.status})"


def batch_applications(store: Store, batch_id: int) -> list[BatchApplication]:
    checker = OP.alias("checker")
    negative = exists().where(N.c.id_no == A.c.id_no, N.c.lifted_batch_id.is_(None))
    query = (
        select(
            A.c.id,
            A.c.version,
            A.c.id_no,
            A.c.name,
            A.c.line_fen,
            A.c.status,
            A.c.maker_id,
            A.c.decision,
            checker.c.login,
            A.c.reject_reason,
            M.c.line_no,
            M.c.status,
            negative,
        )
        .select_from(
            CA.join(A, A.c.id == CA.c.application_id)
            .outerjoin(checker, checker.c.id == A.c.checker_id)
            .outerjoin(M, and_(M.c.campaign_id == CA.c.campaign_id, M.c.id_no == A.c.id_no))
        )
        .where(CA.c.batch_id == batch_id)
        .order_by(A.c.id)
    )
    with store.connection() as conn:
        rows = conn.execute(query).all()
    return [_batch_application(r) for r in rows]


def _batch_application(r: Any) -> BatchApplication:
    return BatchApplication(
        int(r[0]), int(r[1]), str(r[2]), r[3], int(r[4]), str(r[5]), int(r[6]), str(r[7]), r[8], r[9],
        None if r[10] is None else int(r[10]), r[11], bool(r[12]),
    )  # fmt: skip


@dataclass(frozen=True)
class MemberLineRow:
    """One application of a campaign member (from this campaign, another one or the counter), with
    what the progress counts need: its days, whether this campaign submitted it, when its customer was
    first told (a letter issued, or the approval text handed to the SMS platform) and their first
    drawdown from the signing day up to the day asked for."""

    id_no: str
    application_id: int
    status: str
    here: bool
    submitted_on: dt.date | None
    decided_on: dt.date | None
    valid_until: dt.date | None
    signed_on: dt.date | None
    line_fen: int
    letter_at: dt.datetime | None
    sms_at: dt.datetime | None
    first_drawn_on: dt.date | None

    def __repr__(self) -> str:
        return f"MemberLineRow(app {self.application_id}, {self.status})"


def member_lines(store: Store, campaign_id: int, day: dt.date) -> list[MemberLineRow]:
    """Every application of the campaign's members (not removed), whichever way it came."""
    di, so, d = DI.alias("di"), SO.alias("so"), D.alias("d")
    letter = (
        select(func.min(di.c.issued_at))
        .where(di.c.application_id == A.c.id, di.c.kind == "letter")
        .scalar_subquery()
    )
    sms = select(so.c.exported_at).where(so.c.application_id == A.c.id).scalar_subquery()
    drawn = (
        select(func.min(d.c.drawn_on))
        .where(d.c.id_no == A.c.id_no, d.c.drawn_on >= A.c.signed_on, d.c.drawn_on <= day)
        .scalar_subquery()
    )
    query = (
        select(
            A.c.id_no,
            A.c.id,
            A.c.status,
            CA.c.application_id.is_not(None),
            A.c.submitted_on,
            A.c.decided_on,
            A.c.valid_until,
            A.c.signed_on,
            A.c.line_fen,
            letter,
            sms,
            drawn,
        )
        .select_from(
            M.join(A, A.c.id_no == M.c.id_no).outerjoin(
                CA, and_(CA.c.application_id == A.c.id, CA.c.campaign_id == campaign_id)
            )
        )
        .where(M.c.campaign_id == campaign_id, M.c.status != "removed")
    )
    with store.connection() as conn:
        rows = conn.execute(query).all()
    return [_member_line(r) for r in rows]


def _member_line(r: Any) -> MemberLineRow:
    return MemberLineRow(
        str(r[0]), int(r[1]), str(r[2]), bool(r[3]), _day(r[4]), _day(r[5]), _day(r[6]), _day(r[7]),
        int(r[8]), _aware(r[9]), _aware(r[10]), _day(r[11]),
    )  # fmt: skip


def _day(value: Any) -> dt.date | None:
    """A day from a scalar subquery (SQLite hands back its text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _aware(value: Any) -> dt.datetime | None:
    """A moment from a scalar subquery (not typed by its column on every engine): aware UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


# --- letters and signatures for the whole group (issue 17, item 6) -----------------------------------------


@dataclass(frozen=True)
class GrantedMember:
    """A member holding a line granted by this campaign (approved or signed), with what the letters and
    their delivery need: the roster's columns (group, household, department, shop) and phone."""

    application_id: int
    id_no: str
    name: str
    status: str
    phone: str | None
    extras: dict[str, str]
    line_no: int

    def __repr__(self) -> str:
        return f"GrantedMember(app {self.application_id}, {self.status})"


def granted_here(store: Store, campaign_id: int, statuses: Sequence[str]) -> list[GrantedMember]:
    """The campaign's members (not removed) whose application from this campaign is in ``statuses``."""
    query = (
        select(
            A.c.id,
            M.c.id_no,
            func.coalesce(A.c.name, M.c.name),
            A.c.status,
            M.c.phone,
            M.c.extras,
            M.c.line_no,
        )
        .select_from(
            CA.join(A, A.c.id == CA.c.application_id).join(
                M, and_(M.c.campaign_id == CA.c.campaign_id, M.c.id_no == A.c.id_no)
            )
        )
        .where(CA.c.campaign_id == campaign_id, M.c.status != "removed", A.c.status.in_(list(statuses)))
        .order_by(M.c.line_no, A.c.id)
    )
    with store.connection() as conn:
        rows = conn.execute(query).all()
    return [
        GrantedMember(
            int(r[0]), str(r[1]), str(r[2] or ""), str(r[3]), r[4], json.loads(r[5] or "{}"), int(r[6])
        )
        for r in rows
    ]


def issued_kinds(store: Store, application_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """How many times each document of each application was issued (application -> kind -> count)."""
    out: dict[int, dict[str, int]] = {}
    with store.connection() as conn:
        for start in range(0, len(application_ids), CHUNK):
            part = list(application_ids[start : start + CHUNK])
            rows = conn.execute(
                select(DI.c.application_id, DI.c.kind, func.count())
                .where(DI.c.application_id.in_(part))
                .group_by(DI.c.application_id, DI.c.kind)
            ).all()
            for app_id, kind, n in rows:
                out.setdefault(int(app_id), {})[str(kind)] = int(n)
    return out


def queue_texts(
    store: Store, texts: Sequence[tuple[int, str, str]], now: dt.datetime, entry: Callable[[int], AuditEntry]
) -> int:
    """Queue (application id, phone, text) in the SMS outbox for each application that has no text
    queued yet (the approval may have queued one), with the audit row ``entry(count)``, in one
    transaction. Returns how many were queued."""
    from teller_assist.store import sms

    def work(s: Session) -> int:
        ids = [t[0] for t in texts]
        have: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            have |= set(s.scalars(select(SO.c.application_id).where(SO.c.application_id.in_(part))))
        fresh = [t for t in texts if t[0] not in have]
        for app_id, phone, text in fresh:
            sms.enqueue(s, app_id, phone, text, now)
        s.flush()
        if fresh:
            audit.append(s, entry(len(fresh)), now)
        return len(fresh)

    return store_apps.with_retries(store, work)


def application_of(store: Store, campaign_id: int, id_no: str) -> tuple[int, str] | None:
    """The member's latest application from this campaign (id, status), if any."""
    query = (
        select(A.c.id, A.c.status)
        .select_from(CA.join(A, A.c.id == CA.c.application_id))
        .where(CA.c.campaign_id == campaign_id, A.c.id_no == id_no)
        .order_by(A.c.id.desc())
        .limit(1)
    )
    with store.connection() as conn:
        row = conn.execute(query).first()
    return None if row is None else (int(row[0]), str(row[1]))
