"""The rows behind the KPIs, summed by group and day in set-based SQL (the same statements on SQLite and
PostgreSQL). Nothing here decides what a figure means: :mod:`teller_assist.kpi` does.

Who belongs to a scope is decided in one place, :func:`members` and :func:`_bank_branch`: a branch's
people are its customers (the core system's branch of each), and someone the bank knew only from
applications belongs to the branch that took their first one; an officer's, a campaign's and a
scenario's people are those on the target lists today and the group campaigns' members (matched or new
to the bank, as the latest roster gives them: the refused and the removed are not), each under its
campaign's code, owning branch and scenario (:func:`_listed`).

The changes of the bank's people and of the work done, by branch, are also kept in ``kpi_change`` for
the days before the snapshot's ``live_from`` (:func:`build_snapshot`); a reader adds the later days from
the rows, and uses the snapshot only while it is whole (:func:`snapshot_if_whole`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from teller_assist.store.engine import Store
from teller_assist.store.models import (
    Application,
    AuditEvent,
    Campaign,
    CampaignMember,
    Customer,
    Drawdown,
    ImportBatch,
    KpiChange,
    KpiIndicator,
    KpiSnapshot,
    NegativeListEntry,
    Operator,
    Target,
    TargetStrike,
)

__all__ = [
    "GRANTED_STATUSES",
    "BirthCounts",
    "Change",
    "IndicatorRow",
    "ListedRow",
    "OutsiderRow",
    "PersonRow",
    "Population",
    "eligibility_rows",
    "first_loan_changes",
    "freshness",
    "groups_known",
    "indicators",
    "line_changes",
    "members",
    "people_at",
    "set_indicator",
    "strike_changes",
    "usage_changes",
]

# a granted line: approved, then perhaps signed; "expired" keeps its days (it was held until then)
GRANTED_STATUSES = ("approved", "signed", "expired")

A = cast(Table, Application.__table__)
C = cast(Table, Customer.__table__)
T = cast(Table, Target.__table__)
D = cast(Table, Drawdown.__table__)
N = cast(Table, NegativeListEntry.__table__)
OP = cast(Table, Operator.__table__)
B = cast(Table, ImportBatch.__table__)
I = cast(Table, KpiIndicator.__table__)  # noqa: E741
KC = cast(Table, KpiChange.__table__)
AE = cast(Table, AuditEvent.__table__)
CA = cast(Table, Campaign.__table__)
CM = cast(Table, CampaignMember.__table__)
MEMBER_STATUSES = ("matched", "new_to_bank")  # a group campaign's members who count in its scope
KS = cast(Table, KpiSnapshot.__table__)
S = cast(Table, TargetStrike.__table__)

Source = Literal["bank", "targets", "work"]
# Two keys in one group name (the kept views of the target lists): the first, SEP, the second, as
# "0104␟jr010401" for an officer within a branch. SEP is a control character no code contains.
SEP = "\x1f"
GroupBy = (
    Literal[
        "branch",
        "officer",
        "campaign",
        "scenario",
        "branch_officer",
        "campaign_branch",
        "officer_campaign",
        "scenario_campaign",
    ]
    | None
)


@dataclass(frozen=True, slots=True)
class Population:
    """Whose rows count, and how they are grouped.

    ``bank``: the bank's people (customers, and those known only from an application), by their
    branch. ``targets``: the people on the target lists, filtered and grouped by the lists' columns.
    ``work``: no people at all but the applications themselves, by the branch and the operator that
    made them (the "work done" view of the flows).
    """

    source: Source
    branch: str | None = None
    officer: str | None = None
    campaign: str | None = None
    scenario: str | None = None
    group_by: GroupBy = None

    def __post_init__(self) -> None:
        if self.source == "bank" and (self.officer or self.campaign or self.scenario):
            raise ValueError("the bank's people are filtered by branch only")
        if self.source == "bank" and self.group_by not in (None, "branch"):
            raise ValueError("the bank's people are grouped by branch only")
        if self.source == "work" and (
            self.campaign or self.scenario or self.group_by in ("campaign", "scenario")
        ):
            raise ValueError("the work view has branches and operators only")


@dataclass(frozen=True, slots=True)
class Change:
    """Rows summed by group and day: what :mod:`teller_assist.kpi.series` turns into stocks."""

    group: str
    kind: str
    day: dt.date
    n: int
    amount: int  # fen: the signed lines (signed, signed_end) and the drawdowns (drawn)


# --- who is in a scope -------------------------------------------------------------------------------


def _membership(
    t: Any, pop: Population, *, plain: bool = False
) -> tuple[ColumnElement[Any], list[ColumnElement[bool]]]:
    """A target-list row's group and the conditions that put it in the population (``plain``: kept
    out of SQLite's choice of index, for rows reached by the person's index from elsewhere)."""
    column = {
        None: literal_column("''"),
        "branch": func.coalesce(t.c.branch_code, ""),
        "officer": func.coalesce(t.c.officer, ""),
        "branch_officer": func.coalesce(t.c.branch_code, "") + SEP + func.coalesce(t.c.officer, ""),
        "campaign_branch": t.c.campaign + SEP + func.coalesce(t.c.branch_code, ""),
        "officer_campaign": func.coalesce(t.c.officer, "") + SEP + t.c.campaign,
        "scenario_campaign": func.coalesce(t.c.scenario, "") + SEP + t.c.campaign,
        "campaign": t.c.campaign,
        "scenario": func.coalesce(t.c.scenario, ""),
    }[pop.group_by]
    where = []
    for value, name in (
        (pop.branch, "branch_code"),
        (pop.officer, "officer"),
        (pop.campaign, "campaign"),
        (pop.scenario, "scenario"),
    ):
        if value is not None:
            where.append(_plain(t.c[name], plain) == value)
    return column, where


def _campaign_members() -> FromClause:
    """A group campaign's members in the target lists' shape: ``campaign`` (its code), ``id_no``,
    ``branch_code`` (the owning branch), ``officer`` (none) and ``scenario``."""
    return (
        select(
            CA.c.code.label("campaign"),
            CM.c.id_no,
            CA.c.branch_code,
            type_coerce(None, String).label("officer"),
            CA.c.scenario,
        )
        .select_from(CM.join(CA, CA.c.id == CM.c.campaign_id))
        .where(CM.c.status.in_(MEMBER_STATUSES))
        .subquery("cm")
    )


def _by_officer(pop: Population) -> bool:
    """Whether the population is an officer's or grouped by officer: a group campaign's members are
    nobody's (no officer is assigned them), so they are in no such view."""
    return pop.officer is not None or pop.group_by in ("officer", "branch_officer", "officer_campaign")


def _listed(pop: Population) -> list[tuple[Any, ColumnElement[Any], list[ColumnElement[bool]]]]:
    """Where a target-list population's people are: the target lists and (but by officer) the group
    campaigns' members, each with the row's group and the conditions that put it in the population."""
    if _by_officer(pop):
        return [(T, *_membership(T, pop))]
    cm = _campaign_members()
    return [(T, *_membership(T, pop)), (cm, *_membership(cm, pop))]


def members(pop: Population) -> FromClause:
    """The people of a target-list population, each once per group: ``(id_no, grp)``. The one query
    that reads who is on a list or a campaign (with :func:`_listed`)."""
    parts = [select(t.c.id_no, column.label("grp")).where(*where) for t, column, where in _listed(pop)]
    return union(*parts).subquery("m")


def _first_branch(id_no: Any) -> ColumnElement[Any]:
    """The branch of a person's first application (stable: later applications never change it)."""
    first = A.alias("a_first")
    return (
        select(func.coalesce(first.c.branch_code, ""))
        .where(first.c.id_no == id_no)
        .order_by(first.c.submitted_at, first.c.id)
        .limit(1)
        .scalar_subquery()
    )


def _bank_branch(app: Any, customer: Any) -> ColumnElement[Any]:
    """A person's branch seen from one of their applications: their customer branch, or for someone
    the bank knew only from applications, the branch of their first application."""
    return case(
        (customer.c.id_no.is_not(None), func.coalesce(customer.c.branch_code, "")),
        else_=_first_branch(app.c.id_no),
    )


# Which rows a part of the changes reads: all, those before a day, or those from a day on. The day is
# the day the application was decided (for granted lines) or signed (for signed lines and their use).
Part = tuple[Literal["before", "from"], dt.date] | None


def _sqlite_from_hint(self: Any, table: Any, text: str | None) -> str | None:
    return text


# SQLite's INDEXED BY, said through SQLAlchemy's table hints (``with_hint(..., "sqlite")``), which its
# SQLite dialect otherwise leaves out. Only this module gives SQLite hints.
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign]
CUSTOMER_BRANCH = "INDEXED BY ix_customer_kpi_branch"  # a person's branch from the narrow index


def _plain(column: Any, sqlite: bool) -> Any:
    """The column kept out of SQLite's choice of index (a unary plus: SQLite's own idiom for it).

    SQLite keeps no statistics unless asked, and would then read the wide application rows through the
    status index; with the filters out of the running it scans the narrow covering index instead.
    PostgreSQL plans from its statistics and gets the column as it is."""
    if not sqlite:
        return column
    return literal_column(f"+{column.table.name}.{column.name}", type_=column.type)


def _applications(
    pop: Population, *, sqlite: bool, day: str = "decided_on", part: Part = None
) -> Select[Any]:
    """The granted applications of a population: ``grp, id, id_no, decided_on, valid_until,
    signed_on, line_fen``; with ``day="signed_on"`` only the signed ones; ``part`` restricts by that day
    (from a recent day: through that day's index; otherwise by a scan of the covering index)."""
    a = A.alias("a")
    cols = [a.c.id, a.c.id_no, a.c.decided_on, a.c.valid_until, a.c.signed_on, a.c.line_fen]
    recent = part is not None and part[0] == "from"
    when = a.c[day] if recent else _plain(a.c[day], sqlite)
    where: list[ColumnElement[bool]] = [_plain(a.c.status, sqlite).in_(GRANTED_STATUSES), when.is_not(None)]
    if part is not None:
        where.append(when < part[1] if part[0] == "before" else when >= part[1])
    if pop.source == "bank":
        if pop.branch is None and pop.group_by is None:
            return select(literal_column("''").label("grp"), *cols).where(*where)
        c = C.alias("c")
        branch = _bank_branch(a, c)
        named = (branch if pop.group_by == "branch" else literal_column("''")).label("grp")
        if pop.branch is not None and not recent:
            # one branch: from its customers (their branch's index) to their applications, and the
            # applications of those known only from applications whose first was taken there
            theirs = (
                select(named, *cols)
                .select_from(c.join(a, a.c.id_no == c.c.id_no))
                .where(c.c.branch_code == pop.branch, *where)
            )
            others = (
                select(named, *cols)
                .select_from(a.outerjoin(c, c.c.id_no == a.c.id_no))
                # (the first application looked up only for those not found among the customers)
                .where(
                    case((c.c.id_no.is_(None), _first_branch(a.c.id_no)), else_=None) == pop.branch, *where
                )
                .with_hint(c, CUSTOMER_BRANCH, "sqlite")
            )
            return cast(Select[Any], union_all(theirs, others))
        query = (
            select(named, *cols)
            .select_from(a.outerjoin(c, c.c.id_no == a.c.id_no))
            .where(*where)
            .with_hint(c, CUSTOMER_BRANCH, "sqlite")
        )
        return query if pop.branch is None else query.where(branch == pop.branch)
    if pop.source == "targets":
        if recent:  # from the day's few applications to their list rows, not from the lists
            t = T.alias("t")
            column, conditions = _membership(t, pop, plain=sqlite)
            listed = (
                select(column.label("grp"), *cols)
                .select_from(a.join(t, and_(t.c.id_no == a.c.id_no, *conditions)))
                .where(*where)
            )
            if _by_officer(pop):
                return listed.distinct()
            cm = _campaign_members()
            on_campaign, campaign_conditions = _membership(cm, pop)
            return cast(
                Select[Any],
                union(
                    listed,
                    select(on_campaign.label("grp"), *cols)
                    .select_from(a.join(cm, and_(cm.c.id_no == a.c.id_no, *campaign_conditions)))
                    .where(*where),
                ),
            )
        m = members(pop)
        return select(m.c.grp, *cols).select_from(a.join(m, m.c.id_no == a.c.id_no)).where(*where)
    o = OP.alias("o")
    grp = {
        None: literal_column("''"),
        "branch": func.coalesce(a.c.branch_code, ""),
        "officer": o.c.login,
    }[pop.group_by]
    query = select(grp.label("grp"), *cols).select_from(a.join(o, o.c.id == a.c.maker_id)).where(*where)
    if pop.branch is not None:
        query = query.where(a.c.branch_code == pop.branch)
    if pop.officer is not None:
        query = query.where(o.c.login == pop.officer)
    return query


@functools.lru_cache(maxsize=8192)
def _iso_day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _as_day(value: Any) -> dt.date:
    """A day as either engine hands it back (PostgreSQL: a date; SQLite, uncoerced: its ISO text)."""
    return value if isinstance(value, dt.date) else _iso_day(str(value))


# SQLite's page cache for the night's full passes (KiB): the customers' branches and the drawdowns are
# read in ID order but their pages are shared, and each page read again is decrypted again
BUILD_CACHE_KIB = 262_144


def _changes(
    store: Store, statement: Any, group: str | None = None, *, cache_kib: int | None = None
) -> list[Change]:
    """Run a statement of ``grp, kind, day, n, amount`` rows (``group`` replaces every group); with
    ``cache_kib``, on SQLite, with that much page cache for the while."""
    with store.connection() as conn:
        if cache_kib is None or not store.is_sqlite:
            rows = conn.execute(statement).all()
        else:
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
            conn.exec_driver_sql(f"PRAGMA cache_size = -{int(cache_kib)}")
            try:
                rows = conn.execute(statement).all()
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
                conn.exec_driver_sql("PRAGMA shrink_memory")
    return [
        Change(str(g) if group is None else group, str(k), _as_day(day), int(n or 0), int(fen or 0))
        for g, k, day, n, fen in rows
    ]


def _day(column: Any) -> ColumnElement[Any]:
    """A day column read as text on SQLite (parsed once per distinct day, not once per row)."""
    return type_coerce(column, String)


def _grouping(grp: Any, pop: Population) -> tuple[Any, ...]:
    """The group's column to group by, or none when every row is in the one group (PostgreSQL refuses
    to group by a constant)."""
    return (grp,) if pop.group_by is not None else ()


def _kind(label: str) -> ColumnElement[Any]:
    return literal_column(f"'{label}'")


# --- the lines ---------------------------------------------------------------------------------------


def _upto(query: Select[Any], column: Any, until: dt.date | None) -> Select[Any]:
    return query if until is None else query.where(column <= until)


def line_changes(
    store: Store,
    pop: Population,
    part: Part = None,
    *,
    until: dt.date | None = None,
    cache_kib: int | None = None,
) -> list[Change]:
    """Granted lines by the day they were granted (``granted``) and their last valid day
    (``granted_end``); signed lines by the day they were signed (``signed``, with the line in fen) and
    their last valid day (``signed_end``). With ``until``, nothing after that day."""
    # each read once, for the two sums made of it
    g = _applications(pop, sqlite=store.is_sqlite, part=part).cte("g").prefix_with("MATERIALIZED")
    h = (
        _applications(pop, sqlite=store.is_sqlite, day="signed_on", part=part)
        .cte("h")
        .prefix_with("MATERIALIZED")
    )
    zero: ColumnElement[Any] = literal_column("0")
    arms = [
        _upto(
            select(g.c.grp, _kind("granted"), _day(g.c.decided_on), func.count(), zero).group_by(
                g.c.grp, g.c.decided_on
            ),
            g.c.decided_on,
            until,
        ),
        _upto(
            select(g.c.grp, _kind("granted_end"), _day(g.c.valid_until), func.count(), zero).group_by(
                g.c.grp, g.c.valid_until
            ),
            g.c.valid_until,
            until,
        ),
        _upto(
            select(
                h.c.grp, _kind("signed"), _day(h.c.signed_on), func.count(), func.sum(h.c.line_fen)
            ).group_by(h.c.grp, h.c.signed_on),
            h.c.signed_on,
            until,
        ),
        _upto(
            select(
                h.c.grp, _kind("signed_end"), _day(h.c.valid_until), func.count(), func.sum(h.c.line_fen)
            ).group_by(h.c.grp, h.c.valid_until),
            h.c.valid_until,
            until,
        ),
    ]
    return _changes(store, union_all(*arms), cache_kib=cache_kib)


def usage_changes(
    store: Store,
    pop: Population,
    part: Part = None,
    *,
    until: dt.date | None = None,
    cache_kib: int | None = None,
) -> list[Change]:
    """Drawdowns against signed lines, from the signing day to the last valid day: a line's first
    (``used``, by day), the lines used by their last valid day (``used_end``, with what was drawn on
    them in fen), and the amounts by the day drawn (``drawn``, fen)."""
    g = _applications(pop, sqlite=store.is_sqlite, day="signed_on", part=part).cte("g")
    j = (
        select(g.c.id, g.c.grp, g.c.valid_until, D.c.drawn_on, D.c.amount_fen)
        .select_from(
            g.join(
                D,
                and_(D.c.id_no == g.c.id_no, D.c.drawn_on >= g.c.signed_on, D.c.drawn_on <= g.c.valid_until),
            )
        )
        .cte("j")
        .prefix_with("MATERIALIZED")  # read once for the two sums below (SQLite 3.35+, PostgreSQL 12+)
    )
    w = (
        select(
            j.c.grp,
            j.c.valid_until,
            func.min(j.c.drawn_on).label("first_day"),
            func.sum(j.c.amount_fen).label("total"),
        )
        # grouped with the group first: grouped by the id alone, SQLite would scan the application
        # table in id order to spare itself a sort
        .group_by(j.c.grp, j.c.valid_until, j.c.id)
        .cte("w")
    )
    zero: ColumnElement[Any] = literal_column("0")
    statement = union_all(
        _upto(
            select(w.c.grp, _kind("used"), _day(w.c.first_day), func.count(), zero).group_by(
                w.c.grp, w.c.first_day
            ),
            w.c.first_day,
            until,
        ),
        _upto(
            select(
                w.c.grp, _kind("used_end"), _day(w.c.valid_until), func.count(), func.sum(w.c.total)
            ).group_by(w.c.grp, w.c.valid_until),
            w.c.valid_until,
            until,
        ),
        _upto(
            select(j.c.grp, _kind("drawn"), _day(j.c.drawn_on), zero, func.sum(j.c.amount_fen)).group_by(
                j.c.grp, j.c.drawn_on
            ),
            j.c.drawn_on,
            until,
        ),
    )
    return _changes(store, statement, cache_kib=cache_kib)


def first_loan_changes(
    store: Store, pop: Population, *, until: dt.date | None = None, cache_kib: int | None = None
) -> list[Change]:
    """People by the day of their first drawdown ever (首贷户), in the population's groups. Among the
    bank's people they are grouped by their customer branch (a drawdown of someone not in the customer
    extract counts for the county only)."""
    f = select(D.c.id_no, func.min(D.c.drawn_on).label("first_day")).group_by(D.c.id_no).subquery("f")
    n = func.count()
    zero: ColumnElement[Any] = literal_column("0")
    if pop.source == "work":
        return []
    if pop.source == "targets":  # from the lists' few thousand people to their drawdowns
        m = members(pop)
        d = D.alias("d")
        per = (
            select(m.c.grp, m.c.id_no, func.min(d.c.drawn_on).label("first_day"))
            .select_from(m.join(d, d.c.id_no == m.c.id_no))
            .group_by(m.c.grp, m.c.id_no)
            .subquery("p")
        )
        statement = select(per.c.grp, _kind("first_loan"), _day(per.c.first_day), n, zero).group_by(
            per.c.grp, per.c.first_day
        )
        return _changes(store, _upto(statement, per.c.first_day, until), cache_kib=cache_kib)
    if pop.branch is None and pop.group_by is None:
        statement = select(literal_column("''"), _kind("first_loan"), _day(f.c.first_day), n, zero).group_by(
            f.c.first_day
        )
        return _changes(store, _upto(statement, f.c.first_day, until), cache_kib=cache_kib)
    c = C.alias("c")
    branch = func.coalesce(c.c.branch_code, "")
    grp = branch if pop.group_by == "branch" else literal_column("''")
    statement = (
        select(grp.label("grp"), _kind("first_loan"), _day(f.c.first_day), n, zero)
        .select_from(f.outerjoin(c, c.c.id_no == f.c.id_no))
        .with_hint(c, CUSTOMER_BRANCH, "sqlite")
        .group_by(*_grouping(grp, pop), f.c.first_day)
    )
    if pop.branch is not None:
        statement = statement.where(branch == pop.branch)
    return _changes(store, _upto(statement, f.c.first_day, until), cache_kib=cache_kib)


def strike_changes(
    store: Store, pop: Population, *, until: dt.date | None = None, cache_kib: int | None = None
) -> list[Change]:
    """People by the day their target was struck (销号: signed, ineligible or declined for good, as
    ``target_strike`` records it), each person once in each group, on the day of their first strike
    there (``struck``). A strike belongs to its target's list: an officer's, a campaign's and a
    scenario's are those of their targets; a branch's are those of its targets (the list's branch,
    whichever branch the signature was taken at), and the county's everyone's. The work done has none."""
    if pop.source == "work":
        return []
    if pop.source == "bank" and pop.branch is None and pop.group_by is None:  # everyone's: no list needed
        first = (
            select(S.c.id_no, func.min(S.c.struck_on).label("first_day")).group_by(S.c.id_no).subquery("p")
        )
        statement = select(
            literal_column("''"), _kind("struck"), _day(first.c.first_day), func.count(), literal_column("0")
        ).group_by(first.c.first_day)
        return _changes(store, _upto(statement, first.c.first_day, until), cache_kib=cache_kib)
    if pop.source == "targets":
        grp, where = _membership(T, pop)
    else:
        grp = func.coalesce(T.c.branch_code, "") if pop.group_by == "branch" else literal_column("''")
        where = [] if pop.branch is None else [T.c.branch_code == pop.branch]
    per = (
        select(grp.label("grp"), T.c.id_no, func.min(S.c.struck_on).label("first_day"))
        .select_from(T.join(S, and_(S.c.campaign == T.c.campaign, S.c.id_no == T.c.id_no)))
        .where(*where)
        .group_by(*_grouping(grp, pop), T.c.id_no)
        .subquery("p")
    )
    statement = select(
        per.c.grp, _kind("struck"), _day(per.c.first_day), func.count(), literal_column("0")
    ).group_by(per.c.grp, per.c.first_day)
    return _changes(store, _upto(statement, per.c.first_day, until), cache_kib=cache_kib)


# --- eligibility ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BirthCounts:
    """People by group: ``base`` born within ``[earliest, latest]``; ``entering`` and ``leaving`` by
    birth date within the two ranges asked."""

    base: dict[str, int]
    entering: dict[str, dict[dt.date, int]]
    leaving: dict[str, dict[dt.date, int]]


@dataclass(frozen=True, slots=True)
class ListedRow:
    group: str
    id_no: str
    in_counts: bool  # counted in BirthCounts (a customer, or on a target list)
    listed_on: dt.date | None
    lifted_on: dt.date | None


@dataclass(frozen=True, slots=True)
class OutsiderRow:
    """Someone the bank knows only from applications: not a customer, so not in the birth counts."""

    group: str
    id_no: str
    first_submitted: dt.date | None


def _born(id_no: str) -> dt.date:
    return dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14]))


def _ymd(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def eligibility_rows(
    store: Store,
    pop: Population,
    *,
    window: tuple[dt.date, dt.date],
    base: tuple[dt.date, dt.date],
    entering: tuple[dt.date, dt.date],
    leaving: tuple[dt.date, dt.date],
    outsiders: bool = True,
) -> tuple[BirthCounts, list[ListedRow], list[OutsiderRow]]:
    """The population by birth date, for the days of ``window``: ``base``, those born within ``base``
    (both ends included) and not on the negative list on the window's first day; ``entering``, by
    birth date, those born after ``entering[0]`` and on or before ``entering[1]``; ``leaving``, those
    born on or after ``leaving[0]`` and before ``leaving[1]``. Then the negative-list entries of
    everyone whose standing can change within the window (listed or lifted in it, or entering or
    leaving the band in it), and those known only from applications with their entries."""
    if pop.source == "work":
        raise ValueError("the work view has no people to be eligible")
    first, last = window
    counts = BirthCounts({}, defaultdict(dict), defaultdict(dict))
    if pop.source == "bank":
        people: Any = C
        person, where = C.c.id_no, ([] if pop.branch is None else [C.c.branch_code == pop.branch])
        grp: Any = (
            func.coalesce(C.c.branch_code, "") if pop.group_by == "branch" else literal_column("''")
        ).label("grp")
        born: Any = C.c.birth_date

        def bound(day: dt.date) -> Any:
            return day

        def birth(value: Any) -> dt.date:
            return _as_day(value)
    else:
        people = members(pop)
        person, where = people.c.id_no, []
        grp = people.c.grp if pop.group_by is not None else literal_column("''")
        born = func.substr(people.c.id_no, 7, 8)

        def bound(day: dt.date) -> Any:
            return _ymd(day)

        def birth(value: Any) -> dt.date:
            text = str(value)
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))

    group_by = _grouping(grp, pop)
    in_base = born.between(bound(base[0]), bound(base[1]))
    active = and_(
        or_(N.c.listed_on.is_(None), N.c.listed_on <= first),
        or_(N.c.lifted_on.is_(None), N.c.lifted_on > first),
    )
    entering_range = and_(born > bound(entering[0]), born <= bound(entering[1]))
    leaving_range = and_(born >= bound(leaving[0]), born < bound(leaving[1]))
    moved = select(N.c.id_no).where(
        or_(
            and_(N.c.listed_on > first, N.c.listed_on <= last),
            and_(N.c.lifted_on > first, N.c.lifted_on <= last),
        )
    )
    with store.connection() as conn:
        for g, n in conn.execute(
            select(grp, func.count()).select_from(people).where(in_base, *where).group_by(*group_by)
        ):
            counts.base[str(g)] = int(n)
        # from the negative list (thousands of rows) to the people, not the other way round: the
        # birth-date condition kept out of SQLite's choice of index for that
        born_plain = _plain(born, store.is_sqlite) if pop.source == "bank" else born
        listed_now = (
            select(grp, func.count(func.distinct(person)))
            .select_from(N)
            .join(people, N.c.id_no == person)
            .where(born_plain.between(bound(base[0]), bound(base[1])), active, *where)
            .group_by(*group_by)
        )
        for g, n in conn.execute(listed_now):
            counts.base[str(g)] = counts.base.get(str(g), 0) - int(n)
        for target, low, high, strict_low in (
            (counts.entering, *entering, True),
            (counts.leaving, *leaving, False),
        ):
            if high <= low:
                continue
            inside = (
                and_(born > bound(low), born <= bound(high))
                if strict_low
                else and_(born >= bound(low), born < bound(high))
            )
            for g, day, n in conn.execute(
                select(grp, born, func.count())
                .select_from(people)
                .where(inside, *where)
                .group_by(*group_by, born)
            ):
                target[str(g)][birth(day)] = int(n)
        # whose standing can change: listed or lifted within the window, or crossing the band's edge
        changing = union(
            select(grp, person, N.c.listed_on, N.c.lifted_on)
            .select_from(N)
            .join(people, N.c.id_no == person)
            .where(N.c.id_no.in_(moved), *where),
            select(grp, person, N.c.listed_on, N.c.lifted_on)
            .select_from(people)
            .join(N, N.c.id_no == person)
            .where(entering_range, *where),
            select(grp, person, N.c.listed_on, N.c.lifted_on)
            .select_from(people)
            .join(N, N.c.id_no == person)
            .where(leaving_range, *where),
        )
        changers = [
            ListedRow(
                str(g), str(i), True, on if on is None else _as_day(on), off if off is None else _as_day(off)
            )
            for g, i, on, off in conn.execute(changing)
        ]
        found, their_entries = (
            _outsiders_with_entries(conn, pop) if outsiders and pop.source == "bank" else ([], [])
        )
    return counts, changers + their_entries, found


def outsider_rows(
    store: Store, pop: Population, *, upto_id: int | None = None, after_id: int | None = None
) -> tuple[list[OutsiderRow], list[ListedRow]]:
    """Those the bank knows only from applications (see :func:`_outsiders`), with their entries."""
    with store.connection() as conn:
        return _outsiders_with_entries(conn, pop, upto_id=upto_id, after_id=after_id)


def _outsiders_with_entries(
    conn: Any, pop: Population, *, upto_id: int | None = None, after_id: int | None = None
) -> tuple[list[OutsiderRow], list[ListedRow]]:
    found = _outsiders(conn, pop, upto_id=upto_id, after_id=after_id)
    group_of = {o.id_no: o.group for o in found}
    entries: list[ListedRow] = []
    ids = list(group_of)
    for start in range(0, len(ids), 500):
        for id_no, on, off in conn.execute(
            select(N.c.id_no, N.c.listed_on, N.c.lifted_on).where(N.c.id_no.in_(ids[start : start + 500]))
        ):
            entries.append(ListedRow(group_of[id_no], str(id_no), False, on, off))
    return found, entries


def _outsiders(
    conn: Any, pop: Population, *, upto_id: int | None = None, after_id: int | None = None
) -> list[OutsiderRow]:
    """People known only from applications, each in the branch of their first application, present
    from the day it was submitted. With ``upto_id``, as the applications up to that id show them; with
    ``after_id``, only those whose every application came after it. (Found in two steps: who they are,
    by the applications' person index against the customers' in ID order; then their applications.)"""
    a = A.alias("a")
    x = A.alias("x")
    where: list[ColumnElement[bool]] = [not_(exists().where(C.c.id_no == a.c.id_no))]
    if upto_id is not None:  # (all of them: read from the narrow person index, not the wide rows by id)
        where.append(_plain(a.c.id, conn.dialect.name == "sqlite") <= upto_id)
    if after_id is not None:
        where += [a.c.id > after_id, not_(exists().where(x.c.id_no == a.c.id_no, x.c.id <= after_id))]
    # not DISTINCT in SQL: SQLite would read the whole person index for it instead of the id range
    who = sorted({str(i) for i in conn.execute(select(a.c.id_no).where(*where)).scalars()})
    first: dict[str, tuple[str, dt.date | None]] = {}
    for start in range(0, len(who), 500):
        query = select(a.c.id_no, a.c.branch_code, a.c.submitted_on).where(
            a.c.id_no.in_(who[start : start + 500])
        )
        if upto_id is not None:
            query = query.where(a.c.id <= upto_id)
        for id_no, branch, submitted in conn.execute(query.order_by(a.c.id_no, a.c.submitted_at, a.c.id)):
            first.setdefault(str(id_no), (str(branch or ""), submitted))
    return [
        OutsiderRow(branch if pop.group_by == "branch" else "", id_no, submitted)
        for id_no, (branch, submitted) in sorted(first.items())
        if pop.branch is None or branch == pop.branch
    ]


def born_on(id_no: str) -> dt.date:
    """The birth date a resident ID carries."""
    return _born(id_no)


# --- the people behind a number ----------------------------------------------------------------------

Category = Literal["granted", "signed", "used", "unsigned", "unused"]


@dataclass(frozen=True, slots=True)
class PersonRow:
    id_no: str
    name: str | None
    group: str
    application_id: int
    line_fen: int
    decided_on: dt.date
    signed_on: dt.date | None
    first_drawn_on: dt.date | None
    drawn_fen: int

    def __repr__(self) -> str:  # the resident ID stays out of logs
        return f"PersonRow(app {self.application_id}, {self.group!r})"


def people_at(
    store: Store, pop: Population, day: dt.date, category: Category, *, limit: int = 500
) -> tuple[int, list[PersonRow]]:
    """The people of a population holding a line at ``day`` in ``category`` (granted, signed, used,
    granted but unsigned, signed but unused): how many, and the first ``limit`` by name."""
    g = _applications(pop, sqlite=store.is_sqlite).cte("g").prefix_with("MATERIALIZED")
    d = D.alias("d")
    window = and_(d.c.id_no == g.c.id_no, d.c.drawn_on >= g.c.signed_on, d.c.drawn_on <= day)
    first = select(func.min(d.c.drawn_on)).where(window).scalar_subquery()
    drawn = select(func.coalesce(func.sum(d.c.amount_fen), 0)).where(window).scalar_subquery()
    used = exists().where(window)
    held = and_(g.c.decided_on <= day, g.c.valid_until >= day)
    signed = and_(g.c.signed_on.is_not(None), g.c.signed_on <= day)
    condition = {
        "granted": held,
        "signed": and_(held, signed),
        "used": and_(held, signed, used),
        "unsigned": and_(held, not_(signed)),
        "unused": and_(held, signed, not_(used)),
    }[category]
    c = C.alias("c")
    a = A.alias("a_name")
    # the customer's name, or for someone known only from applications the one they gave
    name = func.coalesce(c.c.name, select(a.c.name).where(a.c.id == g.c.id).scalar_subquery())
    with store.connection() as conn:
        total = int(conn.execute(select(func.count()).select_from(g).where(condition)).scalar_one())
        rows = conn.execute(
            select(
                g.c.id_no, name, g.c.grp, g.c.id, g.c.line_fen, g.c.decided_on, g.c.signed_on, first, drawn
            )
            .select_from(g.outerjoin(c, c.c.id_no == g.c.id_no))
            .where(condition)
            .order_by(g.c.grp, name, g.c.id)
            .limit(limit)
        ).all()
    return total, [
        PersonRow(
            str(i),
            n,
            str(grp),
            int(app),
            int(line),
            dec,
            sig,
            fst if sig is not None and sig <= day else None,
            int(fen or 0) if sig is not None and sig <= day else 0,
        )
        for i, n, grp, app, line, dec, sig, fst, fen in rows
    ]


# --- indicators, groups, freshness -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    scope_kind: str
    scope_key: str
    measure: str
    people: int
    starts_on: dt.date
    ends_on: dt.date
    set_by: str
    set_at: dt.datetime


def indicators(store: Store, scope_kind: str, day: dt.date | None = None) -> list[IndicatorRow]:
    """Indicators of one kind of scope; with ``day``, those in force on it (the latest start wins). A
    group campaign's own indicator (made with the campaign, over its period) counts as the campaign's
    unless head office set one for it in force on the day."""
    query = select(
        I.c.scope_kind,
        I.c.scope_key,
        I.c.measure,
        I.c.people,
        I.c.starts_on,
        I.c.ends_on,
        I.c.set_by,
        I.c.set_at,
    ).where(I.c.scope_kind == scope_kind)
    if day is not None:
        query = query.where(I.c.starts_on <= day, I.c.ends_on >= day)
    own = None
    if scope_kind == "campaign":  # a group campaign's own indicator, over the campaign's period
        own = select(
            literal_column("'campaign'"),
            CA.c.code,
            CA.c.indicator_measure,
            CA.c.indicator,
            CA.c.starts_on,
            CA.c.ends_on,
            CA.c.created_by,
            CA.c.created_at,
        ).where(CA.c.indicator.is_not(None))
        if day is not None:
            own = own.where(CA.c.starts_on <= day, CA.c.ends_on >= day)
    with store.connection() as conn:
        rows = [IndicatorRow(*r) for r in conn.execute(query.order_by(I.c.scope_key, I.c.starts_on))]
        given = [] if own is None else [IndicatorRow(*r) for r in conn.execute(own.order_by(CA.c.code))]
    if day is None:
        return rows + given
    latest: dict[str, IndicatorRow] = {r.scope_key: r for r in given}
    for r in rows:  # one head office set for the campaign (``set_indicator``) replaces its own
        latest[r.scope_key] = r
    return sorted(latest.values(), key=lambda r: r.scope_key)


def set_indicator(store: Store, row: IndicatorRow, audit_entry: Any = None) -> None:
    """Record an indicator (replacing one for the same scope and start), with its audit row."""
    from teller_assist.store import audit

    with store.write_session() as s:
        s.execute(
            I.delete().where(
                I.c.scope_kind == row.scope_kind,
                I.c.scope_key == row.scope_key,
                I.c.starts_on == row.starts_on,
            )
        )
        s.execute(
            I.insert().values(
                scope_kind=row.scope_kind,
                scope_key=row.scope_key,
                measure=row.measure,
                people=row.people,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                set_by=row.set_by,
                set_at=row.set_at,
            )
        )
        if audit_entry is not None:
            audit.append(s, audit_entry, row.set_at)


def groups_known(store: Store, kind: str) -> list[str]:
    """The branches, officers, campaigns or scenarios the data knows, for pickers and checks."""
    column = {
        "branch": C.c.branch_code,
        "officer": T.c.officer,
        "campaign": T.c.campaign,
        "scenario": T.c.scenario,
    }[kind]
    with store.connection() as conn:
        found = {str(v) for v in conn.execute(select(column).where(column.is_not(None)).distinct()).scalars()}
        if kind in ("campaign", "scenario"):  # the group campaigns too, with or without members yet
            own = CA.c.code if kind == "campaign" else CA.c.scenario
            found |= {str(v) for v in conn.execute(select(own).distinct()).scalars()}
        if kind == "branch":
            found |= {
                str(v)
                for v in conn.execute(
                    select(A.c.branch_code).where(A.c.branch_code.is_not(None)).distinct()
                ).scalars()
            }
    return sorted(found)


def scope_exists(store: Store, kind: str, key: str) -> bool:
    """Whether any row names this branch, officer or campaign (index lookups, not a scan)."""
    with store.connection() as conn:
        if kind == "branch":
            found = (
                conn.execute(select(exists().where(C.c.branch_code == key))).scalar_one()
                or conn.execute(select(exists().where(A.c.branch_code == key))).scalar_one()
            )
        elif kind == "officer":
            found = (
                conn.execute(select(exists().where(T.c.officer == key))).scalar_one()
                or conn.execute(select(exists().where(OP.c.login == key))).scalar_one()
            )
        else:
            found = (
                conn.execute(select(exists().where(T.c.campaign == key))).scalar_one()
                or conn.execute(select(exists().where(CA.c.code == key))).scalar_one()
            )
    return bool(found)


def freshness(store: Store) -> dict[str, tuple[dt.date | None, dt.datetime | None]]:
    """Each extract kind's latest loaded batch: its extract date and when it was loaded."""
    latest = (
        select(B.c.kind, func.max(B.c.id).label("id"))
        .where(B.c.status == "loaded")
        .group_by(B.c.kind)
        .subquery()
    )
    with store.connection() as conn:
        rows = conn.execute(
            select(B.c.kind, B.c.extract_date, B.c.finished_at).join(latest, latest.c.id == B.c.id)
        ).all()
    return {str(kind): (day, at) for kind, day, at in rows}


def drawdown_dates(store: Store) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any drawdown was made (for the windows of trends)."""
    with store.connection() as conn:
        row = conn.execute(select(func.min(D.c.drawn_on), func.max(D.c.drawn_on))).one()
    return row[0], row[1]


def first_decided(store: Store) -> dt.date | None:
    with store.connection() as conn:
        return cast(dt.date | None, conn.execute(select(func.min(A.c.decided_on))).scalar_one())


def target_counts(store: Store) -> dict[str, int]:
    """People on each campaign's list."""
    with store.connection() as conn:
        return {
            str(c): int(n) for c, n in conn.execute(select(T.c.campaign, func.count()).group_by(T.c.campaign))
        }


# --- the snapshot ---------------------------------------------------------------------------------------

SNAPSHOT_VIEWS: dict[str, Population] = {
    "people": Population("bank", group_by="branch"),
    "work": Population("work", group_by="branch"),
    "branch_officer": Population("targets", group_by="branch_officer"),
    "campaign_branch": Population("targets", group_by="campaign_branch"),
    "scenario": Population("targets", group_by="scenario"),
}
# (an officer's people, and an officer's or a scenario's groups, are few enough to read from the rows)
# the views whose eligible people are kept too (all but the work done, which has none)
ELIGIBLE_VIEWS = tuple(v for v in SNAPSHOT_VIEWS if v != "work")


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    built_at: dt.datetime
    live_from: dt.date
    batch_id: int
    audit_seq: int  # the last audited action it saw
    rows: int
    seconds: float
    eligible_from: dt.date | None = None
    eligible_until: dt.date | None = None
    min_age: int | None = None
    max_age: int | None = None
    max_application_id: int | None = None  # the newest application the kept eligible people saw
    # (not kept: found by :func:`snapshot_if_whole`) the target lists changed since (a list issued, an
    # assignment): the lists' own views are no longer whole, the bank's people and the work done still are
    lists_changed: bool = False

    def holds_eligible(self, first: dt.date, last: dt.date, min_age: int, max_age: int) -> bool:
        """Whether the kept eligible people answer for these days under this age band."""
        return (
            self.eligible_from is not None
            and self.eligible_until is not None
            and self.eligible_from <= first
            and last <= self.eligible_until
            and (self.min_age, self.max_age) == (min_age, max_age)
        )


def _seen(conn: Any) -> tuple[int, int]:
    """The newest import batch and the newest audited action."""
    batch = int(conn.execute(select(func.coalesce(func.max(B.c.id), 0))).scalar_one())
    seq = int(conn.execute(select(func.coalesce(func.max(AE.c.seq), 0))).scalar_one())
    return batch, seq


def build_snapshot(
    store: Store,
    live_from: dt.date,
    now: dt.datetime,
    *,
    eligible: Callable[[int], tuple[dict[str, list[Change]], dt.date, dt.date, int, int]] | None = None,
    until: dt.date | None = None,
) -> SnapshotInfo:
    """Sum the changes of the days before ``live_from`` into ``kpi_change`` (replacing what was there).
    What it saw is recorded first, so that anything arriving meanwhile makes it look stale, never whole.
    ``eligible(max_application_id)`` gives the eligible people by branch as changes by day (kind
    ``eligible``), as the applications up to that id show them, with the days and age band they answer
    for. With ``until``, no change after that day is kept (the sums answer for no later day)."""
    import time

    started = time.monotonic()
    with store.connection() as conn:
        batch, seq = _seen(conn)
        newest = int(conn.execute(select(func.coalesce(func.max(A.c.id), 0))).scalar_one())
    kept: tuple[dt.date | None, dt.date | None, int | None, int | None, int | None] = (None,) * 5
    extra: dict[str, list[Change]] = {}
    if eligible is not None:
        extra, first, last, low, high = eligible(newest)
        kept = (first, last, low, high, newest)
    part: Part = ("before", live_from)
    rows: list[dict[str, Any]] = []
    for view, pop in SNAPSHOT_VIEWS.items():
        big = BUILD_CACHE_KIB
        changes = line_changes(store, pop, part, until=until, cache_kib=big)
        changes += usage_changes(store, pop, part, until=until, cache_kib=big)
        if view != "work":
            changes += first_loan_changes(store, pop, until=until, cache_kib=big)
        rows += [
            {"view": view, "grp": c.group, "kind": c.kind, "day": c.day, "n": c.n, "amount": c.amount}
            for c in changes
        ]
    rows += [
        {"view": view, "grp": c.group, "kind": c.kind, "day": c.day, "n": c.n, "amount": c.amount}
        for view, changes in extra.items()
        for c in changes
    ]
    info = SnapshotInfo(now, live_from, batch, seq, len(rows), 0.0)
    with store.write_session() as session:
        session.execute(KC.delete())
        for start in range(0, len(rows), 10_000):
            session.execute(KC.insert(), rows[start : start + 10_000])
        session.execute(KS.delete())
        info = SnapshotInfo(now, live_from, batch, seq, len(rows), time.monotonic() - started, *kept)
        session.execute(
            KS.insert().values(
                id=1,
                built_at=info.built_at,
                live_from=info.live_from,
                batch_id=info.batch_id,
                audit_seq=info.audit_seq,
                rows=info.rows,
                seconds=info.seconds,
                eligible_from=info.eligible_from,
                eligible_until=info.eligible_until,
                min_age=info.min_age,
                max_age=info.max_age,
                max_application_id=info.max_application_id,
            )
        )
    return info


def snapshot_info(store: Store) -> SnapshotInfo | None:
    with store.connection() as conn:
        row = conn.execute(
            select(
                KS.c.built_at,
                KS.c.live_from,
                KS.c.batch_id,
                KS.c.audit_seq,
                KS.c.rows,
                KS.c.seconds,
                KS.c.eligible_from,
                KS.c.eligible_until,
                KS.c.min_age,
                KS.c.max_age,
                KS.c.max_application_id,
            )
        ).first()
    return None if row is None else SnapshotInfo(*row)


# what changes who is on the target lists or a campaign, or whose they are (each audited in its own
# transaction)
LIST_ACTIONS = ("target_list_issue", "target_assign", "target_reassign", "campaign_import")


def snapshot_if_whole(store: Store) -> SnapshotInfo | None:
    """The snapshot, if nothing it summed has changed since: no import since, and no application
    decided or signed since on a day before ``live_from`` (a late or back-dated one), as the audit
    trail tells (every change of an application is audited in its own transaction). A list issued or
    an assignment since leaves it whole for the bank's people and the work done, and says so
    (``lists_changed``): the lists' views are then read from the rows."""
    info = snapshot_info(store)
    if info is None:
        return None
    with store.connection() as conn:
        batch, _seq = _seen(conn)
        if batch != info.batch_id:
            return None
        since = conn.execute(
            select(AE.c.action, AE.c.subject).where(
                AE.c.seq > info.audit_seq,
                AE.c.action.in_(("approve", "sign", "demo_history", *LIST_ACTIONS)),
            )
        ).all()
        if any(action in LIST_ACTIONS for action, _s in since):
            info = dataclasses.replace(info, lists_changed=True)
        if any(action == "demo_history" for action, _s in since):
            return None  # applications loaded in bulk
        ids = sorted({int(subject[4:]) for _a, subject in since if subject and subject.startswith("app:")})
        for start in range(0, len(ids), 500):
            early = conn.execute(
                select(func.count())
                .select_from(A)
                .where(
                    A.c.id.in_(ids[start : start + 500]),
                    or_(A.c.decided_on < info.live_from, A.c.signed_on < info.live_from),
                )
            ).scalar_one()
            if early:
                return None
    return info


# changes stored on a line's last valid day, which take effect the day after
END_KINDS = ("granted_end", "signed_end", "used_end")


def snapshot_changes(
    store: Store,
    view: str,
    exact: str | None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    kinds: Sequence[str] | None = None,
    group: str | None = None,
    prefix: str | None = None,
) -> list[Change]:
    """The kept changes of a view, for every group or for the one named ``exact``; with ``until``,
    none after that day; with ``prefix``, the groups named with it, named without it (the officers of
    one branch); with ``group``, all under that group's name. With ``since``, the changes taking
    effect before it come summed, one row per group and kind, dated to take effect the day before
    ``since`` (so a window's figures need the days of the window only)."""
    query = select(KC.c.grp, KC.c.kind, _day(KC.c.day), KC.c.n, KC.c.amount).where(KC.c.view == view)
    where: list[ColumnElement[bool]] = []
    if exact is not None:
        where.append(KC.c.grp == exact)
    if kinds is not None:
        where.append(KC.c.kind.in_(list(kinds)))
    if prefix:  # a range of the key, not a LIKE: the index answers it
        where += [KC.c.grp >= prefix, KC.c.grp < prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    if since is None:
        found = _changes(store, _upto(query.where(*where), KC.c.day, until), group)
        return _unprefixed(found, prefix)
    one = dt.timedelta(days=1)
    # a change takes effect on its day, or the day after for the end of a line
    first_kept = case((KC.c.kind.in_(END_KINDS), since - one), else_=since)
    base = (
        select(KC.c.grp, KC.c.kind, func.sum(KC.c.n), func.sum(KC.c.amount))
        .where(KC.c.view == view, KC.c.day < first_kept, *where)
        .group_by(KC.c.grp, KC.c.kind)
    )
    with store.connection() as conn:
        summed = conn.execute(base).all()
    before = [
        Change(
            str(g) if group is None else group,
            str(k),
            since - one - (one if k in END_KINDS else dt.timedelta(0)),
            int(n or 0),
            int(a or 0),
        )
        for g, k, n, a in summed
    ]
    found = before + _changes(
        store, _upto(query.where(KC.c.day >= first_kept, *where), KC.c.day, until), group
    )
    return _unprefixed(found, prefix)


def _unprefixed(changes: list[Change], prefix: str | None) -> list[Change]:
    if not prefix or all(c.group == "" for c in changes):
        return changes
    return [Change(c.group[len(prefix) :], c.kind, c.day, c.n, c.amount) for c in changes]


def officer_branches(store: Store) -> dict[str, str]:
    """Each officer named on the target lists, with the branch of their lists (the lowest, if several)."""
    with store.connection() as conn:
        rows = conn.execute(
            select(T.c.officer, func.min(T.c.branch_code))
            .where(T.c.officer.is_not(None))
            .group_by(T.c.officer)
        ).all()
    return {str(o): str(b or "") for o, b in rows}


def branches_of_officer(store: Store, login: str) -> set[str]:
    """The branches whose target lists name this officer, and the branch of their operator account."""
    with store.connection() as conn:
        listed = conn.scalars(select(T.c.branch_code).where(T.c.officer == login).distinct()).all()
        own = conn.scalar(select(OP.c.branch_code).where(OP.c.login == login))
    return {str(b or "") for b in listed} | ({str(own)} if own else set())
