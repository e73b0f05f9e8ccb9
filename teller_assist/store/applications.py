"""Applications in the database: inserts and state changes, each committed with its audit row.

A change is optimistic: it names the version it read and the statuses it may leave, and the UPDATE
matches only that row in that state, so of two approvers deciding at once exactly one changes it and
the other is told who was first. The database's own constraints (migration 0004) refuse maker =
checker, an authority that does not cover the line, and a second open application for one person; the
errors are translated here into the clerk's words. On PostgreSQL, serialization failures and deadlocks
are retried a bounded number of times.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, aliased

from teller_assist.errors import UserFacingError
from teller_assist.prequal.workflow import STATUS_ZH, Status
from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import (
    OPEN_STATUSES,
    Application,
    AuthorityGrant,
    CampaignApplication,
    Operator,
)

T = TypeVar("T")

RETRIES = 5
NOTIFY_CHANNEL = "teller_assist_applications"


class WorkflowRefused(UserFacingError):
    """A submission or decision the rules do not allow; the message says which rule."""


class AlreadyDecided(WorkflowRefused):
    pass


@dataclass(frozen=True)
class ApplicationRecord:
    id: int
    id_no: str
    name: str | None
    scenario: str
    status: Status
    version: int
    survey: str
    consents: str
    decision: str
    policy_version: str
    policy_sha256: str
    line_fen: int
    annual_rate_bp: int
    branch_code: str | None
    workstation: str
    maker_id: int
    maker_login: str
    checker_id: int | None
    checker_login: str | None
    checker_role: str | None
    checker_authority_fen: int | None
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    reject_reason: str | None
    agreement_no: str | None
    valid_until: dt.date | None
    signed_at: dt.datetime | None
    closed_at: dt.datetime | None

    def __repr__(self) -> str:  # the ID number, survey and consents stay out of logs
        return f"ApplicationRecord(#{self.id}, {self.status!r}, line_fen={self.line_fen}, v{self.version})"


@dataclass(frozen=True)
class NewApplication:
    id_no: str
    name: str | None
    scenario: str
    survey: str
    consents: str
    decision: str
    policy_version: str
    policy_sha256: str
    line_fen: int
    annual_rate_bp: int
    branch_code: str | None
    workstation: str
    maker_id: int
    submitted_at: dt.datetime

    def __repr__(self) -> str:
        return f"NewApplication({self.scenario!r}, line_fen={self.line_fen})"


def _select() -> Any:
    maker, checker = aliased(Operator), aliased(Operator)
    return (
        select(Application, maker.login, checker.login)
        .join(maker, maker.id == Application.maker_id)
        .outerjoin(checker, checker.id == Application.checker_id)
    )


def _record(a: Application, maker_login: str, checker_login: str | None) -> ApplicationRecord:
    return ApplicationRecord(
        a.id,
        a.id_no,
        a.name,
        a.scenario,
        Status(a.status),
        a.version,
        a.survey,
        a.consents,
        a.decision,
        a.policy_version,
        a.policy_sha256,
        a.line_fen,
        a.annual_rate_bp,
        a.branch_code,
        a.workstation,
        a.maker_id,
        maker_login,
        a.checker_id,
        checker_login,
        a.checker_role,
        a.checker_authority_fen,
        a.submitted_at,
        a.decided_at,
        a.reject_reason,
        a.agreement_no,
        a.valid_until,
        a.signed_at,
        a.closed_at,
    )


def _get(session: Session, app_id: int) -> ApplicationRecord | None:
    row = session.execute(_select().where(Application.id == app_id)).one_or_none()
    return _record(*row) if row else None


# --- errors ------------------------------------------------------------------------------------------


def constraint_name(exc: DBAPIError) -> str:
    """The name of the constraint an IntegrityError broke (PostgreSQL reports it; SQLite says it)."""
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    text = str(exc.orig)
    if "UNIQUE constraint failed: application.id_no" in text:
        return "uq_application_one_open"
    if "UNIQUE constraint failed: application.agreement_no" in text:
        return "uq_application_agreement_no"
    if "FOREIGN KEY constraint failed" in text:
        return "fk_application_checker_authority_grant"  # SQLite does not say which key
    marker = "CHECK constraint failed: "
    if marker in text:
        return text.split(marker, 1)[1].split()[0]
    return text


_REFUSALS = {
    "uq_application_one_open": ("该客户已有未结的预授信申请", "this person already has an open application"),
    "ck_application_maker_checker": (
        "经办人与审批人不能为同一人",
        "the maker cannot approve their own application",
    ),
    "ck_application_authority_covers_line": (
        "审批权限不足以覆盖该额度",
        "the approver's authority does not cover the line",
    ),
    "fk_application_checker_authority_grant": (
        "该角色没有此审批权限",
        "no such approval authority for this role",
    ),
    "fk_application_checker_operator": (
        "审批人角色与操作员不符",
        "the checker's role does not match the operator",
    ),
}


def _refusal(exc: IntegrityError) -> WorkflowRefused:
    name = constraint_name(exc)
    zh, en = _REFUSALS.get(
        name, (f"数据库拒绝了此操作（{name}）", f"the database refused the change ({name})")
    )
    return WorkflowRefused(zh, en)


def _retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")  # serialization failure, deadlock


def with_retries(store: Store, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one write transaction; on PostgreSQL retry serialization failures and deadlocks."""
    for attempt in range(RETRIES):
        try:
            with store.write_session() as s:
                return work(s)
        except IntegrityError as exc:
            raise _refusal(exc) from None
        except DBAPIError as exc:
            if not _retryable(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def local_day(moment: dt.datetime) -> dt.date:
    """The bank's local day of a moment: the day the KPIs count it on (this desktop's zone)."""
    return moment.astimezone().date()


def with_local_days(values: dict[str, Any]) -> dict[str, Any]:
    """A change's values with the local day beside each moment the KPIs count by, unless given."""
    out = dict(values)
    for moment, day in (("decided_at", "decided_on"), ("signed_at", "signed_on")):
        if out.get(moment) is not None and day not in out:
            out[day] = local_day(out[moment])
    return out


def _notify(session: Session, app_id: int) -> None:
    """Tell listening approvers (PostgreSQL NOTIFY, delivered at commit); SQLite watchers poll."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(app_id))))


# --- writes ------------------------------------------------------------------------------------------


def insert_application(
    store: Store, new: NewApplication, entry: Callable[[int], AuditEntry]
) -> ApplicationRecord:
    def work(s: Session) -> ApplicationRecord:
        a = Application(
            **{k: getattr(new, k) for k in NewApplication.__dataclass_fields__},
            status="submitted",
            version=1,
            submitted_on=local_day(new.submitted_at),
        )
        s.add(a)
        s.flush()
        audit.append(s, entry(a.id), new.submitted_at)
        _notify(s, a.id)
        record = _get(s, a.id)
        assert record is not None
        return record

    return with_retries(store, work)


def insert_many(session: Session, news: Sequence[NewApplication]) -> dict[str, int]:
    """Insert many submissions inside the caller's transaction (a campaign's batch), each a row like
    :func:`insert_application`'s under every constraint of the table; returns resident ID -> id of those
    inserted. A person who meanwhile holds an open application (another desktop, another batch) is
    passed over by the one-open index itself, not doubled and not an error: their ID is not returned.
    The caller writes each one's audit row in the same transaction (``audit.append_many``)."""
    if not news:
        return {}
    table = cast(Table, Application.__table__)
    # the one-open index's own predicate, as migration 0004 wrote it (literal: a bound list cannot be
    # used with many rows at once)
    open_ = text("status IN (" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")")
    statement: Any
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        statement = postgresql.insert(table).on_conflict_do_nothing(
            index_elements=[table.c.id_no], index_where=open_
        )
    else:
        from sqlalchemy.dialects import sqlite

        statement = sqlite.insert(table).on_conflict_do_nothing(
            index_elements=[table.c.id_no], index_where=open_
        )
    statement = statement.returning(table.c.id, table.c.id_no)
    fields = NewApplication.__dataclass_fields__
    rows = [
        {**{k: getattr(n, k) for k in fields}, "status": "submitted", "version": 1,
         "submitted_on": local_day(n.submitted_at)}
        for n in news
    ]  # fmt: skip
    made: dict[str, int] = {}
    if session.get_bind().dialect.name == "postgresql":
        # one row's statement, many times over in psycopg's pipeline: SQLAlchemy's many-rows VALUES
        # would be parsed again for every thousand rows (seconds for a batch of thousands)
        one = statement.compile(dialect=session.get_bind().dialect, column_keys=list(rows[0]))
        raw: Any = session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.executemany(str(one), rows, returning=True)
            while True:
                for app_id, id_no in cursor.fetchall():
                    made[str(id_no)] = int(app_id)
                if not cursor.nextset():
                    break
    else:
        for start in range(0, len(rows), CHUNK):
            for app_id, id_no in session.execute(statement, rows[start : start + CHUNK]):
                made[str(id_no)] = int(app_id)
    if made:
        _notify(session, max(made.values()))
    return made


CHUNK = 1_000


@dataclass(frozen=True)
class ManyResult:
    """What a transition of many applications did: the changed ones as they are now, and why each
    other one was left as it was (``check``'s refusal, or decided already)."""

    changed: list[ApplicationRecord]
    left: dict[int, WorkflowRefused]


def transition_many(
    store: Store,
    app_ids: Sequence[int],
    *,
    leaving: Sequence[str],
    values: Callable[[ApplicationRecord], dict[str, Any]],
    entry: Callable[[ApplicationRecord], AuditEntry],
    now: dt.datetime,
    check: Callable[[ApplicationRecord], None] = lambda _r: None,
    grant: tuple[str, int, str] | None = None,
    also: Callable[[Session, ApplicationRecord], None] | None = None,
    closing: Callable[[Session, ManyResult], AuditEntry | None] | None = None,
) -> ManyResult:
    """:func:`transition` for many applications in one transaction (a batch approved in one step): each
    row read as it is now (locked on PostgreSQL, in id order, so two approvers take turns), refused by
    ``check`` or left when no longer in a ``leaving`` status (the reason kept, the rest go on), moved
    with ``values`` under its version, and given its own audit row from ``entry``. The table's
    constraints hold for every row exactly as for one: a row that breaks one refuses the whole batch
    (:class:`WorkflowRefused` in the clerk's words). ``closing`` may add one more audit row (the
    batch's own) after the rows'."""
    ids = sorted(set(app_ids))

    def work(s: Session) -> ManyResult:
        current: list[ApplicationRecord] = []
        for start in range(0, len(ids), CHUNK):
            query = (
                _select()
                .where(Application.id.in_(ids[start : start + CHUNK]))
                .order_by(Application.id)
                .with_for_update(of=Application)
            )
            current += [_record(*row) for row in s.execute(query)]
        left: dict[int, WorkflowRefused] = {i: _missing(i) for i in set(ids) - {r.id for r in current}}
        moving: list[ApplicationRecord] = []
        for record in current:
            if record.status not in leaving:
                left[record.id] = _already(record)
                continue
            try:
                check(record)
            except WorkflowRefused as refused:
                left[record.id] = refused
                continue
            moving.append(record)
        if moving and grant is not None:
            ensure_grant(s, *grant, now)
        table = cast(Table, Application.__table__)
        params = []
        for record in moving:
            new = with_local_days(values(record))
            params.append(
                {"k_id": record.id, "k_version": record.version, "k_status": record.status}
                | {f"v_{k}": v for k, v in new.items()}
                | {"v_version": record.version + 1}
            )
        if params:
            names = [k.removeprefix("v_") for k in params[0] if k.startswith("v_")]
            if any(len(p) != len(params[0]) for p in params):
                raise ValueError("every application of a batch moves with the same columns")
            statement = (
                update(table)
                .where(
                    table.c.id == bindparam("k_id"),
                    table.c.version == bindparam("k_version"),
                    table.c.status == bindparam("k_status"),
                )
                .values({n: bindparam(f"v_{n}") for n in names})
            )
            for start in range(0, len(params), CHUNK):
                s.execute(statement, params[start : start + CHUNK])
        changed: list[ApplicationRecord] = []
        moved = [r.id for r in moving]
        for start in range(0, len(moved), CHUNK):
            chunk = moved[start : start + CHUNK]
            changed += [
                _record(*row)
                for row in s.execute(_select().where(Application.id.in_(chunk)).order_by(Application.id))
            ]
        before = {r.id: r.version for r in moving}
        if any(r.version != before[r.id] + 1 for r in changed) or len(changed) != len(moving):
            raise _LostRace  # a row changed under us after all: read again from the start
        if also is not None:
            for record in changed:
                also(s, record)
        audit.append_many(s, [entry(r) for r in changed], now)
        result = ManyResult(changed, left)
        if closing is not None:
            last = closing(s, result)
            if last is not None:
                audit.append(s, last, now)
        if changed:
            _notify(s, changed[-1].id)
        return result

    for _attempt in range(RETRIES):
        try:
            return with_retries(store, work)
        except _LostRace:
            continue
    raise WorkflowRefused(
        "审批时申请被他人同时处理，请刷新后重试",
        "the applications kept changing while being approved; refresh and try again",
    )


def _missing(app_id: int) -> WorkflowRefused:
    return WorkflowRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")


def ensure_grant(
    session: Session, role: str, max_line_fen: int, policy_version: str, now: dt.datetime
) -> None:
    """Record that the policy gives ``role`` authority up to ``max_line_fen`` (once per pair)."""
    values = {"role": role, "max_line_fen": max_line_fen, "policy_version": policy_version, "first_seen": now}
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        session.execute(postgresql.insert(AuthorityGrant).values(values).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects import sqlite

        session.execute(sqlite.insert(AuthorityGrant).values(values).on_conflict_do_nothing())


def transition(
    store: Store,
    app_id: int,
    *,
    leaving: Sequence[str],
    expected_version: int | None,
    values: Callable[[ApplicationRecord], dict[str, Any]],
    entry: Callable[[ApplicationRecord], AuditEntry],
    now: dt.datetime,
    check: Callable[[ApplicationRecord], None] = lambda _r: None,
    grant: tuple[str, int, str] | None = None,
    also: Callable[[Session, ApplicationRecord], None] | None = None,
) -> ApplicationRecord:
    """Move one application out of one of the ``leaving`` statuses, if it is still at the version the
    caller saw. ``check`` may refuse (raising) after the current row is read; ``values`` gives the new
    column values; ``entry`` the audit row; all three see the row as it is now."""

    def work(s: Session) -> ApplicationRecord:
        current = _get(s, app_id)
        if current is None:
            raise WorkflowRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
        if current.status not in leaving or (
            expected_version is not None and current.version != expected_version
        ):
            raise _already(current)
        check(current)
        if grant is not None:
            ensure_grant(s, *grant, now)
        changed = s.execute(
            update(Application)
            .where(
                Application.id == app_id,
                Application.version == current.version,
                Application.status == current.status,
            )
            .values(**with_local_days(values(current)), version=current.version + 1)
            .returning(Application.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if changed is None:  # someone else changed it between our read and our write
            raise _LostRace
        after = _get(s, app_id)
        assert after is not None
        if also is not None:  # more work that must commit with the change (the SMS for an approval)
            also(s, after)
        audit.append(s, entry(after), now)
        _notify(s, app_id)
        return after

    try:
        return with_retries(store, work)
    except _LostRace:
        latest = get_application(store, app_id)
        assert latest is not None
        raise _already(latest) from None


class _LostRace(Exception):
    """Another transaction changed the row between this one's read and its write."""


def _already(current: ApplicationRecord) -> AlreadyDecided:
    by = f"，经办/审批人 {current.checker_login}" if current.checker_login else ""
    return AlreadyDecided(
        f"申请 {current.id} 已被处理（当前状态：{STATUS_ZH.get(current.status, current.status)}{by}）",
        f"application {current.id} was already handled (now {current.status})",
        hint_zh="请刷新后查看",
        hint_en="refresh to see its current state",
    )


def expire_due(
    store: Store, today: dt.date, now: dt.datetime, entry: Callable[[ApplicationRecord], AuditEntry]
) -> int:
    """Close every approved or signed application whose validity ended before ``today``."""
    with store.session() as s:
        due = s.scalars(
            select(Application.id).where(
                Application.status.in_(("approved", "signed")), Application.valid_until < today
            )
        ).all()
    done = 0
    for app_id in due:
        try:
            transition(
                store,
                app_id,
                leaving=("approved", "signed"),
                expected_version=None,
                values=lambda _r: {"status": "expired", "closed_at": now},
                entry=entry,
                now=now,
            )
            done += 1
        except AlreadyDecided:
            continue
    return done


# --- reads -------------------------------------------------------------------------------------------


def get_application(store: Store, app_id: int) -> ApplicationRecord | None:
    with store.session() as s:
        return _get(s, app_id)


def get_applications(store: Store, app_ids: Sequence[int]) -> dict[int, ApplicationRecord]:
    """The applications of ``app_ids`` (those that exist), read a thousand at a time: a campaign's
    letters read every granted member's record once, not once per document."""
    out: dict[int, ApplicationRecord] = {}
    ids = sorted(set(app_ids))
    with store.session() as s:
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            for row in s.execute(_select().where(Application.id.in_(part))):
                record = _record(*row)
                out[record.id] = record
    return out


def list_applications(
    store: Store,
    *,
    statuses: Iterable[str] | None = None,
    id_no: str | None = None,
    branch_code: str | None = None,
    oldest_first: bool = False,
    limit: int | None = None,
    counter_only: bool = False,
) -> list[ApplicationRecord]:
    stmt = _select()
    if counter_only:  # not one submitted in a campaign's batch
        stmt = stmt.where(
            ~select(CampaignApplication.application_id)
            .where(CampaignApplication.application_id == Application.id)
            .exists()
        )
    if statuses is not None:
        stmt = stmt.where(Application.status.in_(tuple(statuses)))
    if id_no is not None:
        stmt = stmt.where(Application.id_no == id_no)
    if branch_code is not None:  # that branch's, and those made by operators without a branch
        stmt = stmt.where(or_(Application.branch_code == branch_code, Application.branch_code.is_(None)))
    stmt = stmt.order_by(
        Application.submitted_at if oldest_first else Application.submitted_at.desc(), Application.id
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with store.session() as s:
        return [_record(*row) for row in s.execute(stmt)]


def open_application(store: Store, id_no: str) -> ApplicationRecord | None:
    found = list_applications(store, statuses=OPEN_STATUSES, id_no=id_no, limit=1)
    return found[0] if found else None


def application_by_agreement(store: Store, agreement_no: str) -> ApplicationRecord | None:
    with store.session() as s:
        row = s.execute(_select().where(Application.agreement_no == agreement_no)).one_or_none()
        return _record(*row) if row else None
