"""The rows behind the KPIs, summed by group and day in set-based SQL (the same statements on SQLite and
PostgreSQL). Nothing here decides what a figure means: :mod:`teller_assist.kpi` does.

Who belongs to a scope is decided in one place, :func:`members` and :func:`_bank_branch`: a branch's
people are its customers (the core system's branch of each), and someone the bank knew only from
applications belongs to the branch that took their first one; an officer's, a campaign's and a
scenario's people are those on the target lists today. When campaigns keep their own members,
:func:`members` reads them instead and nothing else changes.

The changes of the bank's people and of the work done, by branch, are also kept in ``kpi_change`` for
the days before the snapshot's ``live_from`` (:func:`build_snapshot`); a reader adds the later days from
the rows, and uses the snapshot only while it is whole (:func:`snapshot_if_whole`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
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
    select,
    type_coerce,
    union_all,
)

from teller_assist.store.engine import Store
from teller_assist.store.models import (
    Application,
    Customer,
    Drawdown,
    ImportBatch,
    KpiChange,
    KpiIndicator,
    KpiSnapshot,
    NegativeListEntry,
    Operator,
    Target,
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
KS = cast(Table, KpiSnapshot.__table__)

Source = Literal["bank", "targets", "work"]
GroupBy = Literal["branch", "officer", "campaign", "scenario"] | None


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
    amount: int


# --- who is in a scope -------------------------------------------------------------------------------


def members(pop: Population) -> FromClause:
    """The people of a target-list population, each once per group: ``(id_no, grp)``. The one query
    that reads the target lists; campaign members take its place later."""
    column = {
        None: literal_column("''"),
        "branch": func.coalesce(T.c.branch_code, ""),
        "officer": func.coalesce(T.c.officer, ""),
        "campaign": T.c.campaign,
        "scenario": func.coalesce(T.c.scenario, ""),
    }[pop.group_by]
    query = select(T.c.id_no, column.label("grp")).distinct()
    if pop.branch is not None:
        query = query.where(T.c.branch_code == pop.branch)
    if pop.officer is not None:
        query = query.where(T.c.officer == pop.officer)
    if pop.campaign is not None:
        query = query.where(T.c.campaign == pop.campaign)
    if pop.scenario is not None:
        query = query.where(T.c.scenario == pop.scenario)
    return query.subquery("m")


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


def _applications(pop: Population, *, day: str = "decided_on", part: Part = None) -> Select[Any]:
    """The granted applications of a population: ``grp, id, id_no, decided_on, valid_until,
    signed_on, line``; with ``day="signed_on"`` only the signed ones; ``part`` restricts by that day."""
    a = A.alias("a")
    cols = [a.c.id, a.c.id_no, a.c.decided_on, a.c.valid_until, a.c.signed_on, a.c.line]
    where: list[ColumnElement[bool]] = [a.c.status.in_(GRANTED_STATUSES), a.c[day].is_not(None)]
    if part is not None:
        where.append(a.c[day] < part[1] if part[0] == "before" else a.c[day] >= part[1])
    # without statistics SQLite would read the wide rows through the status index: say which to use
    index = f"ix_application_{day}" if part is not None and part[0] == "from" else "ix_application_kpi"
    if pop.source == "bank":
        if pop.branch is None and pop.group_by is None:
            query = select(literal_column("''").label("grp"), *cols).where(*where)
            return query.with_hint(a, f"INDEXED BY {index}", "sqlite")
        c = C.alias("c")
        branch = _bank_branch(a, c)
        query = (
            select((branch if pop.group_by == "branch" else literal_column("''")).label("grp"), *cols)
            .select_from(a.outerjoin(c, c.c.id_no == a.c.id_no))
            .where(*where)
            .with_hint(a, f"INDEXED BY {index}", "sqlite")
            .with_hint(c, "INDEXED BY ix_customer_kpi_branch", "sqlite")
        )
        return query if pop.branch is None else query.where(branch == pop.branch)
    if pop.source == "targets":
        m = members(pop)
        return select(m.c.grp, *cols).select_from(a.join(m, m.c.id_no == a.c.id_no)).where(*where)
    o = OP.alias("o")
    grp = {
        None: literal_column("''"),
        "branch": func.coalesce(a.c.branch_code, ""),
        "officer": o.c.login,
    }[pop.group_by]
    query = (
        select(grp.label("grp"), *cols)
        .select_from(a.join(o, o.c.id == a.c.maker_id))
        .where(*where)
        .with_hint(a, f"INDEXED BY {index}", "sqlite")
    )
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


def _changes(store: Store, statement: Any, group: str | None = None) -> list[Change]:
    """Run a statement of ``grp, kind, day, n, amount`` rows (``group`` replaces every group)."""
    with store.connection() as conn:
        rows = conn.execute(statement).all()
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
    store: Store, pop: Population, part: Part = None, *, until: dt.date | None = None
) -> list[Change]:
    """Granted lines by the day they were granted (``granted``) and their last valid day
    (``granted_end``); signed lines by the day they were signed (``signed``, with the line in yuan) and
    their last valid day (``signed_end``). With ``until``, nothing after that day."""
    g = _applications(pop, part=part).cte("g")
    h = _applications(pop, day="signed_on", part=part).cte("h")
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
            select(h.c.grp, _kind("signed"), _day(h.c.signed_on), func.count(), func.sum(h.c.line)).group_by(
                h.c.grp, h.c.signed_on
            ),
            h.c.signed_on,
            until,
        ),
        _upto(
            select(
                h.c.grp, _kind("signed_end"), _day(h.c.valid_until), func.count(), func.sum(h.c.line)
            ).group_by(h.c.grp, h.c.valid_until),
            h.c.valid_until,
            until,
        ),
    ]
    return _changes(store, union_all(*arms))


def usage_changes(
    store: Store, pop: Population, part: Part = None, *, until: dt.date | None = None
) -> list[Change]:
    """Drawdowns against signed lines, from the signing day to the last valid day: a line's first
    (``used``, by day), the lines used by their last valid day (``used_end``, with what was drawn on
    them in fen), and the amounts by the day drawn (``drawn``, fen)."""
    g = _applications(pop, day="signed_on", part=part).cte("g")
    j = (
        select(g.c.id, g.c.grp, g.c.valid_until, D.c.drawn_on, D.c.amount_fen)
        .select_from(
            g.join(
                D,
                and_(D.c.id_no == g.c.id_no, D.c.drawn_on >= g.c.signed_on, D.c.drawn_on <= g.c.valid_until),
            )
        )
        .with_hint(D, "INDEXED BY ix_drawdown_id_no_drawn_on_amount_fen", "sqlite")
        .cte("j")
    )
    w = (
        select(
            j.c.grp,
            j.c.valid_until,
            func.min(j.c.drawn_on).label("first_day"),
            func.sum(j.c.amount_fen).label("total"),
        )
        .group_by(j.c.id, j.c.grp, j.c.valid_until)
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
    return _changes(store, statement)


def first_loan_changes(store: Store, pop: Population, *, until: dt.date | None = None) -> list[Change]:
    """People by the day of their first drawdown ever (首贷户), in the population's groups. Among the
    bank's people they are grouped by their customer branch (a drawdown of someone not in the customer
    extract counts for the county only)."""
    f = select(D.c.id_no, func.min(D.c.drawn_on).label("first_day")).group_by(D.c.id_no).subquery("f")
    n = func.count()
    zero: ColumnElement[Any] = literal_column("0")
    if pop.source == "work":
        return []
    if pop.source == "targets":
        m = members(pop)
        statement = (
            select(m.c.grp, _kind("first_loan"), _day(f.c.first_day), n, zero)
            .select_from(f.join(m, m.c.id_no == f.c.id_no))
            .group_by(m.c.grp, f.c.first_day)
        )
        return _changes(store, _upto(statement, f.c.first_day, until))
    if pop.branch is None and pop.group_by is None:
        statement = select(literal_column("''"), _kind("first_loan"), _day(f.c.first_day), n, zero).group_by(
            f.c.first_day
        )
        return _changes(store, _upto(statement, f.c.first_day, until))
    c = C.alias("c")
    branch = func.coalesce(c.c.branch_code, "")
    grp = branch if pop.group_by == "branch" else literal_column("''")
    statement = (
        select(grp.label("grp"), _kind("first_loan"), _day(f.c.first_day), n, zero)
        .select_from(f.outerjoin(c, c.c.id_no == f.c.id_no))
        .with_hint(c, "INDEXED BY ix_customer_kpi_branch", "sqlite")
        .group_by(*_grouping(grp, pop), f.c.first_day)
    )
    if pop.branch is not None:
        statement = statement.where(branch == pop.branch)
    return _changes(store, _upto(statement, f.c.first_day, until))


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
    base: tuple[dt.date, dt.date],
    entering: tuple[dt.date, dt.date],
    leaving: tuple[dt.date, dt.date],
) -> tuple[BirthCounts, list[ListedRow], list[OutsiderRow]]:
    """The population by birth date: born within ``base`` (both ends included), born after
    ``entering[0]`` and on or before ``entering[1]``, born on or after ``leaving[0]`` and before
    ``leaving[1]``; everyone in it with a negative-list entry; and those known only from applications."""
    if pop.source == "work":
        raise ValueError("the work view has no people to be eligible")
    counts = BirthCounts({}, defaultdict(dict), defaultdict(dict))
    with store.connection() as conn:
        if pop.source == "bank":
            grp = (
                func.coalesce(C.c.branch_code, "") if pop.group_by == "branch" else literal_column("''")
            ).label("grp")
            where = [] if pop.branch is None else [C.c.branch_code == pop.branch]
            born = C.c.birth_date
            for g, n in conn.execute(
                select(grp, func.count()).where(born.between(*base), *where).group_by(*_grouping(grp, pop))
            ):
                counts.base[str(g)] = int(n)
            for target, low, high, strict_low in (
                (counts.entering, *entering, True),
                (counts.leaving, *leaving, False),
            ):
                if high <= low:
                    continue
                bounds = (born > low, born <= high) if strict_low else (born >= low, born < high)
                for g, day, n in conn.execute(
                    select(grp, born, func.count())
                    .where(*bounds, *where)
                    .group_by(*_grouping(grp, pop), born)
                ):
                    target[str(g)][day] = int(n)
            listed = [
                ListedRow(str(g), i, True, on, off)
                for g, i, on, off in conn.execute(
                    select(grp, N.c.id_no, N.c.listed_on, N.c.lifted_on)
                    .select_from(N.join(C, C.c.id_no == N.c.id_no))
                    .where(*where)
                )
            ]
            outsiders = _outsiders(conn, pop)
            group_of = {o.id_no: o.group for o in outsiders}
            if group_of:
                for id_no, on, off in conn.execute(
                    select(N.c.id_no, N.c.listed_on, N.c.lifted_on).where(
                        N.c.id_no.in_(select(A.c.id_no).where(not_(exists().where(C.c.id_no == A.c.id_no))))
                    )
                ):
                    if id_no in group_of:
                        listed.append(ListedRow(group_of[id_no], id_no, False, on, off))
            return counts, listed, outsiders
        m = members(pop)
        born8 = func.substr(m.c.id_no, 7, 8)
        for g, n in conn.execute(
            select(m.c.grp, func.count()).where(born8.between(_ymd(base[0]), _ymd(base[1]))).group_by(m.c.grp)
        ):
            counts.base[str(g)] = int(n)
        for target, low, high, strict_low in (
            (counts.entering, *entering, True),
            (counts.leaving, *leaving, False),
        ):
            if high <= low:
                continue
            lo, hi = _ymd(low), _ymd(high)
            bounds = (born8 > lo, born8 <= hi) if strict_low else (born8 >= lo, born8 < hi)
            for g, text, n in conn.execute(
                select(m.c.grp, born8, func.count()).where(*bounds).group_by(m.c.grp, born8)
            ):
                target[str(g)][dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))] = int(n)
        listed = [
            ListedRow(str(g), i, True, on, off)
            for g, i, on, off in conn.execute(
                select(m.c.grp, N.c.id_no, N.c.listed_on, N.c.lifted_on).select_from(
                    N.join(m, m.c.id_no == N.c.id_no)
                )
            )
        ]
        return counts, listed, []


def _outsiders(conn: Any, pop: Population) -> list[OutsiderRow]:
    """People known only from applications, each in the branch of their first application, present
    from the day it was submitted."""
    a = A.alias("a")
    first = A.alias("a_first")
    first_id = (
        select(first.c.id)
        .where(first.c.id_no == a.c.id_no)
        .order_by(first.c.submitted_at, first.c.id)
        .limit(1)
        .scalar_subquery()
    )
    branch = func.coalesce(a.c.branch_code, "")
    query = select(a.c.id_no, branch, a.c.submitted_on).where(
        not_(exists().where(C.c.id_no == a.c.id_no)), a.c.id == first_id
    )
    if pop.branch is not None:
        query = query.where(branch == pop.branch)
    return [
        OutsiderRow(str(b) if pop.group_by == "branch" else "", i, first_day)
        for i, b, first_day in conn.execute(query)
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
    line: int  # yuan
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
    g = _applications(pop).cte("g")
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
    name = func.coalesce(c.c.name, a.c.name)
    with store.connection() as conn:
        total = int(conn.execute(select(func.count()).select_from(g).where(condition)).scalar_one())
        rows = conn.execute(
            select(g.c.id_no, name, g.c.grp, g.c.id, g.c.line, g.c.decided_on, g.c.signed_on, first, drawn)
            .select_from(g.join(a, a.c.id == g.c.id).outerjoin(c, c.c.id_no == g.c.id_no))
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
    """Indicators of one kind of scope; with ``day``, those in force on it (the latest start wins)."""
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
    with store.connection() as conn:
        rows = [IndicatorRow(*r) for r in conn.execute(query.order_by(I.c.scope_key, I.c.starts_on))]
    if day is None:
        return rows
    latest: dict[str, IndicatorRow] = {}
    for r in rows:
        latest[r.scope_key] = r
    return list(latest.values())


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
            found = conn.execute(select(exists().where(T.c.campaign == key))).scalar_one()
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
}


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    built_at: dt.datetime
    live_from: dt.date
    batch_id: int
    decided_before: int
    signed_before: int
    rows: int
    seconds: float


def _counts_before(conn: Any, day: dt.date) -> tuple[int, int, int]:
    batch = int(conn.execute(select(func.coalesce(func.max(B.c.id), 0))).scalar_one())
    decided = conn.execute(
        select(func.count())
        .select_from(A)
        .where(A.c.decided_on < day)
        .with_hint(A, "INDEXED BY ix_application_decided_on", "sqlite")
    ).scalar_one()
    signed = conn.execute(
        select(func.count())
        .select_from(A)
        .where(A.c.signed_on < day)
        .with_hint(A, "INDEXED BY ix_application_signed_on", "sqlite")
    ).scalar_one()
    return batch, int(decided), int(signed)


def build_snapshot(store: Store, live_from: dt.date, now: dt.datetime) -> SnapshotInfo:
    """Sum the changes of the days before ``live_from`` into ``kpi_change`` (replacing what was there).
    What it saw is recorded first, so that anything arriving meanwhile makes it look stale, never whole."""
    import time

    started = time.monotonic()
    with store.connection() as conn:
        batch, decided, signed = _counts_before(conn, live_from)
    part: Part = ("before", live_from)
    rows: list[dict[str, Any]] = []
    for view, pop in SNAPSHOT_VIEWS.items():
        changes = line_changes(store, pop, part) + usage_changes(store, pop, part)
        if view == "people":
            changes += first_loan_changes(store, pop)
        rows += [
            {"view": view, "grp": c.group, "kind": c.kind, "day": c.day, "n": c.n, "amount": c.amount}
            for c in changes
        ]
    info = SnapshotInfo(now, live_from, batch, decided, signed, len(rows), 0.0)
    with store.write_session() as session:
        session.execute(KC.delete())
        for start in range(0, len(rows), 10_000):
            session.execute(KC.insert(), rows[start : start + 10_000])
        session.execute(KS.delete())
        info = SnapshotInfo(now, live_from, batch, decided, signed, len(rows), time.monotonic() - started)
        session.execute(
            KS.insert().values(
                id=1,
                built_at=info.built_at,
                live_from=info.live_from,
                batch_id=info.batch_id,
                decided_before=info.decided_before,
                signed_before=info.signed_before,
                rows=info.rows,
                seconds=info.seconds,
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
                KS.c.decided_before,
                KS.c.signed_before,
                KS.c.rows,
                KS.c.seconds,
            )
        ).first()
    return None if row is None else SnapshotInfo(*row)


def snapshot_if_whole(store: Store) -> SnapshotInfo | None:
    """The snapshot, if nothing it summed has changed since: no import since, and as many applications
    decided and signed before ``live_from`` as when it was built (a late or back-dated one shows)."""
    info = snapshot_info(store)
    if info is None:
        return None
    with store.connection() as conn:
        now = _counts_before(conn, info.live_from)
    return info if now == (info.batch_id, info.decided_before, info.signed_before) else None


def snapshot_changes(
    store: Store,
    view: str,
    branch: str | None,
    *,
    until: dt.date | None = None,
    kinds: Sequence[str] | None = None,
    group: str | None = None,
) -> list[Change]:
    """The kept changes of a view, for every branch or for one; with ``until``, none after that day;
    with ``group``, all under that group's name."""
    query = select(KC.c.grp, KC.c.kind, _day(KC.c.day), KC.c.n, KC.c.amount).where(KC.c.view == view)
    if branch is not None:
        query = query.where(KC.c.grp == branch)
    if kinds is not None:
        query = query.where(KC.c.kind.in_(list(kinds)))
    return _changes(store, _upto(query, KC.c.day, until), group)


def officer_branches(store: Store) -> dict[str, str]:
    """Each officer named on the target lists, with the branch of their lists (the lowest, if several)."""
    with store.connection() as conn:
        rows = conn.execute(
            select(T.c.officer, func.min(T.c.branch_code))
            .where(T.c.officer.is_not(None))
            .group_by(T.c.officer)
        ).all()
    return {str(o): str(b or "") for o, b in rows}
