"""The KPIs for a scope at a date: plain inputs in, typed records out, for the command line, the reports
and the dashboard alike.

Stocks (who holds a granted, signed or used line at D; who is eligible) are counted by the people's
own scope: their branch, or the target lists they are on. Flows (granted, signed, first drawn, struck)
are given twice: by the people's scope, and by the work done (the branch and the operator that took the
application), and every record says which view it shows. Struck (销号) is read from the strikes the
target lists record, credited to the target's list (its branch, officer, campaign, scenario), never to
the work done; it is never inferred.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.kpi.ages import birth_bounds
from teller_assist.kpi.definitions import (
    Flow,
    Indicator,
    IndicatorMeasure,
    Scope,
    ScopeError,
)
from teller_assist.kpi.periods import Grain, Period, periods
from teller_assist.kpi.records import (
    CATEGORIES,
    KIND_ZH,
    KPI_KINDS,
    Dashboard,
    FlowRow,
    Freshness,
    GroupFigures,
    KpiView,
    MonthlyReport,
    PeopleList,
    PersonLine,
    Provenance,
    Tile,
)
from teller_assist.kpi.series import BandCounts, Ledger, Measure, SpecialPerson, eligibility_changes
from teller_assist.prequal.policy import Policy
from teller_assist.services.audit import now_utc
from teller_assist.services.context import Context
from teller_assist.store import kpi as store_kpi
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.kpi import Population
from teller_assist.store.operators import OperatorRecord

__all__ = [
    "CATEGORIES",
    "Dashboard",
    "GroupFigures",
    "KpiView",
    "OperatorRecord",
    "PeopleList",
    "Provenance",
    "Tile",
    "dashboard",
    "people",
    "view",
]

ONE_DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)

CHILD_KIND = {
    "county": "branch",
    "branch": "officer",
    "officer": "campaign",
    "campaign": "branch",
    "scenario": "campaign",
}
# the changes a flow needs (the work view has no stocks)
FLOW_KINDS = ("granted", "signed", "used", "first_loan")
# scopes whose groups hold each person once (a customer has one branch; a campaign lists a person once)
ADDITIVE = ("county", "campaign")
CHILD_ZH = vocabulary.KPI_CHILD_ZH  # the words live in teller_assist.vocabulary


# --- populations ------------------------------------------------------------------------------------


def _populations(scope: Scope) -> tuple[Population, Population | None, Population | None]:
    """(the scope's people, the groups under it, the work view of its flows)."""
    k = scope.key
    if scope.kind == "county":
        return Population("bank"), Population("bank", group_by="branch"), Population("work")
    if scope.kind == "branch":
        return (
            Population("bank", branch=k),
            Population("targets", branch=k, group_by="officer"),
            Population("work", branch=k),
        )
    if scope.kind == "officer":
        return (
            Population("targets", officer=k),
            Population("targets", officer=k, group_by="campaign"),
            Population("work", officer=k),
        )
    if scope.kind == "campaign":
        return Population("targets", campaign=k), Population("targets", campaign=k, group_by="branch"), None
    return Population("targets", scenario=k), Population("targets", scenario=k, group_by="campaign"), None


def _work_children(scope: Scope) -> Population | None:
    if scope.kind == "county":
        return Population("work", group_by="branch")
    if scope.kind == "branch":
        return Population("work", branch=scope.key, group_by="officer")
    return None


# --- the ledger ---------------------------------------------------------------------------------------


def _snapshot_view(
    pop: Population, snapshot: store_kpi.SnapshotInfo | None = None
) -> tuple[str, str | None, str | None] | None:
    """Where the kept sums hold a population's changes, if they do: the view, the one group to read
    (or all), and the prefix of the groups to read (the groups then named without it). The lists'
    views are not held once the lists changed after the sums were kept."""
    sep = store_kpi.SEP
    if pop.source == "targets" and snapshot is not None and snapshot.lists_changed:
        return None
    if pop.source == "bank" and pop.group_by in (None, "branch"):
        return "people", pop.branch, None
    if pop.source == "work" and pop.group_by in (None, "branch") and pop.officer is None:
        return "work", pop.branch, None
    if pop.source != "targets":
        return None
    filters = {
        k: v
        for k, v in (
            ("branch", pop.branch),
            ("officer", pop.officer),
            ("campaign", pop.campaign),
            ("scenario", pop.scenario),
        )
        if v is not None
    }
    kept = {
        # (filtered by, grouped by): (view, the one group, the prefix)
        (("branch",), "officer"): ("branch_officer", None, f"{pop.branch}{sep}"),
        (("campaign",), None): ("campaign_branch", None, f"{pop.campaign}{sep}"),
        (("campaign",), "branch"): ("campaign_branch", None, f"{pop.campaign}{sep}"),
        (("scenario",), None): ("scenario", pop.scenario, None),
        ((), "scenario"): ("scenario", None, None),
        ((), "campaign"): ("campaign_branch", None, None),  # named by the campaign alone, below
        ((), "branch_officer"): ("branch_officer", None, None),
    }
    return kept.get((tuple(filters), pop.group_by))


def _changes(
    store: Store,
    pop: Population,
    snapshot: store_kpi.SnapshotInfo | None,
    since: dt.date,
    until: dt.date,
    *,
    kinds: Sequence[str] | None = None,
) -> list[store_kpi.Change]:
    """Every change of a population up to ``until``: from the kept snapshot and the rows after it when
    it is whole and holds the population, else from the rows alone. From the snapshot, the changes
    before ``since`` come summed (the figures are then known from the day before ``since``)."""
    where = _snapshot_view(pop, snapshot)
    horizon = snapshot.eligible_until if snapshot is not None else None
    if snapshot is None or where is None or horizon is None or until > horizon:
        return (
            store_kpi.line_changes(store, pop, until=until)
            + store_kpi.usage_changes(store, pop, until=until)
            + store_kpi.first_loan_changes(store, pop, until=until)
        )
    part: store_kpi.Part = ("from", snapshot.live_from)
    view, exact, prefix = where
    kept = store_kpi.snapshot_changes(
        store,
        view,
        exact,
        since=since,
        until=until,
        kinds=kinds,
        group="" if pop.group_by is None else None,
        prefix=prefix,
    )
    if (
        view == "campaign_branch" and pop.group_by == "campaign"
    ):  # every campaign: each the sum of its branches
        kept = [dataclasses.replace(c, group=c.group.split(store_kpi.SEP)[0]) for c in kept]
    return (
        kept
        + store_kpi.line_changes(store, pop, part, until=until)
        + store_kpi.usage_changes(store, pop, part, until=until)
    )


# the changes of the lines and their use, as the store sums them (without the kept eligible people)
LINE_KINDS = ("granted", "granted_end", "signed", "signed_end", "used", "used_end", "drawn", "first_loan")


def _ledger(
    store: Store,
    policy: Policy,
    pop: Population,
    first_day: dt.date,
    last_day: dt.date,
    *,
    eligibility: bool = True,
    snapshot: store_kpi.SnapshotInfo | None = None,
) -> Ledger:
    """Every change by group and day for a population; eligibility from ``first_day`` to ``last_day``
    (the customers' from the kept snapshot when it holds them, the rest from the rows)."""
    ledger = Ledger(known_from=first_day - ONE_DAY)
    kept_eligible = (
        eligibility
        and snapshot is not None
        and (_snapshot_view(pop, snapshot) or ("work",))[0] in store_kpi.ELIGIBLE_VIEWS
        and snapshot.holds_eligible(first_day, last_day, policy.min_age, policy.max_age)
    )
    kinds = None if kept_eligible else (LINE_KINDS if eligibility else FLOW_KINDS)
    for c in _changes(store, pop, snapshot, first_day, last_day, kinds=kinds):
        if c.kind == "granted":
            ledger.add(c.group, Measure.GRANTED, c.day, c.n)
            ledger.add(c.group, Measure.GRANTED_FLOW, c.day, c.n)
        elif c.kind == "granted_end":
            ledger.add(c.group, Measure.GRANTED, c.day + ONE_DAY, -c.n)
        elif c.kind == "signed":
            ledger.add(c.group, Measure.SIGNED, c.day, c.n)
            ledger.add(c.group, Measure.SIGNED_FLOW, c.day, c.n)
            ledger.add(c.group, Measure.SIGNED_LINE_FEN, c.day, c.amount)
        elif c.kind == "signed_end":
            ledger.add(c.group, Measure.SIGNED, c.day + ONE_DAY, -c.n)
            ledger.add(c.group, Measure.SIGNED_LINE_FEN, c.day + ONE_DAY, -c.amount)
        elif c.kind == "used":
            ledger.add(c.group, Measure.USED, c.day, c.n)
            ledger.add(c.group, Measure.FIRST_DRAWN_FLOW, c.day, c.n)
        elif c.kind == "used_end":
            ledger.add(c.group, Measure.USED, c.day + ONE_DAY, -c.n)
            ledger.add(c.group, Measure.DRAWN_FEN, c.day + ONE_DAY, -c.amount)
        elif c.kind == "drawn":
            ledger.add(c.group, Measure.DRAWN_FEN, c.day, c.amount)
        elif c.kind == "first_loan":
            ledger.add(c.group, Measure.FIRST_LOAN_FLOW, c.day, c.n)
        elif c.kind == "eligible":
            ledger.add(c.group, Measure.ELIGIBLE, c.day, c.n)
        else:
            raise ValueError(f"unknown change {c.kind!r}")
    if eligibility and pop.source != "work":
        _eligibility(
            store,
            policy,
            pop,
            ledger,
            first_day,
            last_day,
            customers=not kept_eligible,
            outsiders_after=snapshot.max_application_id if kept_eligible and snapshot is not None else None,
        )
    return ledger


def _eligibility(
    store: Store,
    policy: Policy,
    pop: Population,
    ledger: Ledger,
    first_day: dt.date,
    last_day: dt.date,
    *,
    customers: bool = True,
    outsiders_upto: int | None = None,
    outsiders_after: int | None = None,
) -> None:
    """Write the population's eligible people into ``ledger``: the customers' (or the target lists')
    from their birth dates and negative-list entries unless ``customers`` is off (they are in the ledger
    already, from the kept snapshot), and those known only from applications (with ``outsiders_upto``,
    as the applications up to that id show them; with ``outsiders_after``, only those who first
    applied after it)."""
    lo, hi = policy.min_age, policy.max_age
    bands: list[BandCounts] = []
    listed: list[store_kpi.ListedRow] = []
    found: list[store_kpi.OutsiderRow] = []
    if customers:
        earliest_first, latest_first = birth_bounds(first_day, lo, hi)
        earliest_last, latest_last = birth_bounds(last_day, lo, hi)
        counts, listed, found = store_kpi.eligibility_rows(
            store,
            pop,
            window=(first_day, last_day),
            base=(earliest_first, latest_first),
            entering=(latest_first, latest_last),
            leaving=(earliest_first, earliest_last),
            outsiders=False,
        )
        groups = set(counts.base) | set(counts.entering) | set(counts.leaving)
        bands = [
            BandCounts(g, counts.base.get(g, 0), counts.entering.get(g, {}), counts.leaving.get(g, {}))
            for g in sorted(groups)
        ]
    if pop.source == "bank":
        found, entries = store_kpi.outsider_rows(store, pop, upto_id=outsiders_upto, after_id=outsiders_after)
        listed = listed + entries
    spells: dict[tuple[str, str], list[tuple[dt.date | None, dt.date | None]]] = {}
    in_counts: dict[tuple[str, str], bool] = {}
    for row in listed:
        spells.setdefault((row.group, row.id_no), []).append((row.listed_on, row.lifted_on))
        in_counts[row.group, row.id_no] = row.in_counts
    present: dict[tuple[str, str], dt.date | None] = {}
    for o in found:
        present[o.group, o.id_no] = o.first_submitted
        in_counts[o.group, o.id_no] = False
        spells.setdefault((o.group, o.id_no), [])
    specials = [
        SpecialPerson(
            group,
            store_kpi.born_on(id_no),
            in_counts[group, id_no],
            present.get((group, id_no)),
            tuple(spell),
        )
        for (group, id_no), spell in spells.items()
    ]
    eligibility_changes(
        ledger,
        first_day=first_day,
        last_day=last_day,
        min_age=lo,
        max_age=hi,
        bands=bands,
        specials=specials,
    )


def _provenance(store: Store, policy: Policy, scope: Scope, day: dt.date) -> Provenance:
    found = store_kpi.freshness(store)
    fresh = tuple(Freshness(kind, KIND_ZH[kind], *found.get(kind, (None, None))) for kind in KPI_KINDS)
    return Provenance(day, scope, policy.version, policy.sha256, fresh, now_utc())


def _indicators(store: Store, kind: str, day: dt.date) -> dict[str, Indicator]:
    if kind not in ("branch", "campaign"):
        return {}
    return {
        r.scope_key: Indicator(
            Scope(kind, r.scope_key), IndicatorMeasure(r.measure), r.people, r.starts_on, r.ends_on
        )
        for r in store_kpi.indicators(store, kind, day)
    }


def campaign_indicator(
    store: Store, policy: Policy, code: str, day: dt.date, own: Indicator | None = None
) -> GroupFigures | None:
    """A campaign's indicator at ``day`` with the campaign's figures, counted exactly as ``kpi show
    --scope campaign:CODE`` counts them (its people's stock at ``day``): the indicator in force on the
    day (head office's, else the campaign's own), or ``own`` when none is in force (a campaign not yet
    begun, or past its period). ``None`` when the campaign has no indicator at all."""
    mark = _indicators(store, "campaign", day).get(code) or own
    if mark is None:
        return None
    total = view(store, policy, Scope("campaign", code), day, flow_periods=1, children=False).total
    return dataclasses.replace(total, indicator=mark)


def _flow_periods(day: dt.date, grain: Grain, count: int) -> list[Period]:
    """The ``count`` periods up to and including the one holding ``day``."""
    found = periods(
        day - {Grain.DAY: ONE_DAY, Grain.WEEK: WEEK, Grain.MONTH: 31 * ONE_DAY}[grain] * (count + 1),
        day,
        grain,
    )
    return found[-count:]


def _clip(period: Period, day: dt.date) -> Period:
    return period if period.end <= day else Period(period.start, day, period.grain)


def view(
    store: Store,
    policy: Policy,
    scope: Scope,
    day: dt.date,
    *,
    grain: Grain = Grain.MONTH,
    flow_periods: int = 12,
    trend_points: Sequence[dt.date] = (),
    children: bool = True,
    use_snapshot: bool = True,
) -> KpiView:
    """The figures of ``scope`` at ``day`` (and a week before), the groups under it, its flows by
    ``grain`` over the last ``flow_periods`` periods, and its stock at each of ``trend_points``."""
    if scope.kind != "county" and scope.key is not None:
        _check_known(store, scope)
    own, under, work = _populations(scope)
    flow_periods_asked = _flow_periods(day, grain, flow_periods)
    points = sorted({day, day - WEEK, *trend_points})
    first = min(points[0], *(p.start for p in flow_periods_asked))
    last = points[-1]
    snap = store_kpi.snapshot_if_whole(store) if use_snapshot else None
    child_ledger = (
        _ledger(store, policy, under, first, last, snapshot=snap) if children and under is not None else None
    )
    if child_ledger is not None and scope.kind in ADDITIVE:
        ledger = child_ledger  # each person in exactly one group: the groups add up to the scope
    else:
        ledger = _ledger(store, policy, own, first, last, snapshot=snap)
    total = GroupFigures(
        scope.kind,
        scope.key or "",
        ledger.total_stock(day),
        ledger.total_stock(day - WEEK),
        _indicators(store, scope.kind, day).get(scope.key or ""),
    )
    child_kind = CHILD_KIND.get(scope.kind) if child_ledger is not None else None
    rows: list[GroupFigures] = []
    if child_ledger is not None and child_kind is not None:
        # a group's own indicator applies only where the group is the whole of it
        whole = (scope.kind, child_kind) in (("county", "branch"), ("scenario", "campaign"))
        marks = _indicators(store, child_kind, day) if whole else {}
        names = set(child_ledger.groups) | (set(marks) if scope.kind == "county" else set())
        for g in sorted(names):
            rows.append(
                GroupFigures(
                    child_kind, g, child_ledger.stock(g, day), child_ledger.stock(g, day - WEEK), marks.get(g)
                )
            )
    work_ledger = (
        _ledger(store, policy, work, first, last, eligibility=False, snapshot=snap)
        if work is not None
        else None
    )
    # the struck people of the scope itself, by person (the groups under it hold each person once for the
    # stocks, but a person's targets may be on lists of two branches), read from the rows: they are few
    struck = _strikes(store, own, last)
    flows = tuple(
        FlowRow(
            _clip(p, day),
            _people_flow(ledger, struck, _clip(p, day)),
            _work_flow(work_ledger, _clip(p, day)) if work_ledger is not None else None,
        )
        for p in flow_periods_asked
    )
    trend = tuple((d, ledger.total_stock(d)) for d in sorted(trend_points))
    notes = _notes(scope, work is not None)
    provenance = dataclasses.replace(
        _provenance(store, policy, scope, day), snapshot_built_at=snap.built_at if snap else None
    )
    return KpiView(provenance, total, child_kind, tuple(rows), flows, grain, trend, notes)


def _people_flow(ledger: Ledger, struck: Ledger, period: Period) -> Flow:
    """The flow of the scope's people, its struck people counted from ``struck``."""
    return dataclasses.replace(ledger.total_flow(period), struck=struck.total_flow(period).struck)


def _strikes(store: Store, pop: Population, until: dt.date) -> Ledger:
    """The struck people of a population, by group and day, up to ``until``."""
    ledger = Ledger(strikes=True)
    for c in store_kpi.strike_changes(store, pop, until=until):
        ledger.add(c.group, Measure.STRUCK_FLOW, c.day, c.n)
    return ledger


def _work_flow(ledger: Ledger, period: Period) -> Flow:
    f = ledger.total_flow(period)
    return Flow(f.granted, f.signed, f.first_drawn, 0, None)


def _notes(scope: Scope, has_work: bool) -> tuple[str, ...]:
    notes = [
        "存量按客户归属统计：网点为客户在核心系统的归属网点（非本行客户为首次受理网点），"
        "客户经理、活动、场景为目标名单上的客户。",
        "销号为目标名单上销号的人（已签约、不再符合条件、明确拒绝），按首次销号之日计，每人在每个范围内计一次，"
        "计入目标所在名单的网点与客户经理：在其他网点签约的，签约计经办网点，销号计名单上的网点。",
    ]
    if has_work:
        notes.append("流量另按经办统计（受理网点、经办人员），与按客户归属的数字可能不同。")
    if scope.kind == "branch":
        notes.append("客户经理一栏为该网点目标名单上分配给各客户经理的客户，不含未列入名单的客户。")
    return tuple(notes)


def _check_known(store: Store, scope: Scope) -> None:
    if scope.kind == "scenario" or scope.key is None:
        return
    if not store_kpi.scope_exists(store, scope.kind, scope.key):
        known = store_kpi.groups_known(store, scope.kind)
        shown = "、".join(known[:12]) + ("…" if len(known) > 12 else "")
        raise ScopeError(
            f"数据中没有{scope.label_zh}",
            f"no {scope} in the data",
            hint_zh=f"已有：{shown}" if known else "请先导入数据",
            hint_en="see teller-assist kpi show --scope county for the branches",
        )


# the days for which the customers' eligible people are kept with the daily sums
ELIGIBLE_KEPT_BEFORE = dt.timedelta(days=400)  # a monthly report's thirteen months, and some
ELIGIBLE_KEPT_AFTER = dt.timedelta(days=45)


def refresh(store: Store, today: dt.date, policy: Policy) -> store_kpi.SnapshotInfo:
    """Keep the daily sums of the days before ``today`` (after the night's import), and the eligible
    people from about thirteen months before to six weeks after under the policy's age band; the dashboard
    reads the rest from the rows (the days after, and those who first applied since). Returns what was
    built."""

    def eligible(newest: int) -> tuple[dict[str, list[store_kpi.Change]], dt.date, dt.date, int, int]:
        first, last = today - ELIGIBLE_KEPT_BEFORE, today + ELIGIBLE_KEPT_AFTER
        rows: dict[str, list[store_kpi.Change]] = {}
        for view in store_kpi.ELIGIBLE_VIEWS:
            ledger = Ledger()
            pop = store_kpi.SNAPSHOT_VIEWS[view]
            _eligibility(store, policy, pop, ledger, first, last, outsiders_upto=newest)
            rows[view] = [
                store_kpi.Change(group, "eligible", day, n, 0)
                for group in ledger.groups
                for day, n in sorted(ledger.changes(group, Measure.ELIGIBLE).items())
                if n
            ]
        return rows, first, last, policy.min_age, policy.max_age

    return store_kpi.build_snapshot(
        store, today, now_utc(), eligible=eligible, until=today + ELIGIBLE_KEPT_AFTER
    )


def snapshot_state(store: Store) -> tuple[store_kpi.SnapshotInfo | None, bool]:
    """The kept daily sums, if any, and whether they are still whole."""
    info = store_kpi.snapshot_info(store)
    return info, info is not None and store_kpi.snapshot_if_whole(store) is not None


def dashboard(store: Store, policy: Policy, scope: Scope, day: dt.date, *, weeks: int = 12) -> Dashboard:
    """The 考核 workspace's data: tiles, the groups' league table, a weekly trend and weekly flows."""
    points = [day - WEEK * k for k in range(weeks, -1, -1)]
    return Dashboard(
        view(store, policy, scope, day, grain=Grain.WEEK, flow_periods=weeks, trend_points=points)
    )


# --- people --------------------------------------------------------------------------------------------


def people(
    store: Store,
    policy: Policy,
    scope: Scope,
    day: dt.date,
    category: str,
    masking: Masking,
    *,
    limit: int = 500,
) -> PeopleList:
    """The people behind a number (masked), at most ``limit`` of them, with how many there are."""
    if category not in CATEGORIES:
        raise ScopeError(
            f"未知的名单：{category}", f"unknown list {category!r}", hint_zh="、".join(CATEGORIES)
        )
    if scope.kind != "county" and scope.key is not None:
        _check_known(store, scope)
    own, _under, _work = _populations(scope)
    if own.source == "bank":  # show each person's branch
        own = dataclasses.replace(own, group_by="branch")
    total, rows = store_kpi.people_at(store, own, day, category, limit=limit)  # type: ignore[arg-type]
    lines = tuple(
        PersonLine(
            masking.resident_id(r.id_no),
            r.name or "",
            r.group or (scope.key or ""),
            r.application_id,
            r.line_fen,
            r.decided_on,
            r.signed_on,
            r.first_drawn_on,
            r.drawn_fen,
        )
        for r in rows
    )
    return PeopleList(
        _provenance(store, policy, scope, day), category, total, lines, tuple(r.id_no for r in rows)
    )


def monthly_trend_points(day: dt.date, months: int = 12) -> list[dt.date]:
    """Month ends for the ``months`` months before ``day``'s month, and ``day``."""
    out = []
    first = day.replace(day=1)
    for _ in range(months):
        first = (first - ONE_DAY).replace(day=1)
    current = first
    while current <= day:
        end = (current.replace(day=28) + 4 * ONE_DAY).replace(day=1) - ONE_DAY
        out.append(min(end, day))
        current = end + ONE_DAY
    return sorted(set(out))


def scopes_of(store: Store, kind: str) -> list[Scope]:
    return [Scope(kind, k) for k in store_kpi.groups_known(store, kind) if k]


def flows_by_day(store: Store, policy: Policy, scope: Scope, period: Period) -> list[FlowRow]:
    """Daily flows over a period (the report's day sheet)."""
    own, _under, work = _populations(scope)
    snap = store_kpi.snapshot_if_whole(store)
    ledger = _ledger(store, policy, own, period.start, period.end, eligibility=False, snapshot=snap)
    struck = _strikes(store, own, period.end)
    work_ledger = (
        _ledger(store, policy, work, period.start, period.end, eligibility=False, snapshot=snap)
        if work
        else None
    )
    return [
        FlowRow(p, _people_flow(ledger, struck, p), _work_flow(work_ledger, p) if work_ledger else None)
        for p in periods(period.start, period.end, Grain.DAY)
    ]


def table(
    store: Store, policy: Policy, kind: str, day: dt.date, *, since: dt.date | None = None
) -> tuple[GroupFigures, ...]:
    """Every branch (by the bank's people), officer, campaign or scenario (by the target lists) at
    ``day``, each beside its figures at ``since`` (a week before unless said), in one pass."""
    before = since or day - WEEK
    pop = (
        Population("bank", group_by="branch") if kind == "branch" else Population("targets", group_by=kind)  # type: ignore[arg-type]
    )
    snap = store_kpi.snapshot_if_whole(store)
    ledger = _ledger(store, policy, pop, min(before, day), max(before, day), snapshot=snap)
    marks = _indicators(store, kind, day)
    names = set(ledger.groups) | (set(marks) if kind == "branch" else set())
    return tuple(
        GroupFigures(kind, g, ledger.stock(g, day), ledger.stock(g, before), marks.get(g))
        for g in sorted(names)
    )


def monthly(store: Store, policy: Policy, month: Period, today: dt.date) -> MonthlyReport:
    """The monthly report's figures: at the month's end, or ``today`` in a month not yet over."""
    if month.start > today:
        raise ScopeError(
            f"{month.label} 尚未开始",
            f"{month.label} has not begun",
            hint_zh="请选择已开始的月份",
            hint_en="",
        )
    as_of = min(month.end, today)
    previous_end = month.start - ONE_DAY
    county = view(
        store,
        policy,
        Scope("county"),
        as_of,
        grain=Grain.MONTH,
        flow_periods=12,
        trend_points=monthly_trend_points(as_of),
    )
    previous = county.trend[[d for d, _s in county.trend].index(previous_end)][1]
    # each officer within each branch (as the target lists assign them)
    officers = [
        (branch, dataclasses.replace(g, kind="officer", key=officer))
        for g in table(store, policy, "branch_officer", as_of, since=previous_end)
        for branch, _sep, officer in [g.key.partition(store_kpi.SEP)]
    ]
    return MonthlyReport(
        month,
        county,
        previous,
        tuple(sorted(officers, key=lambda p: (p[0], p[1].key))),
        table(store, policy, "campaign", as_of, since=previous_end),
        table(store, policy, "scenario", as_of, since=previous_end),
        tuple(flows_by_day(store, policy, Scope("county"), Period(month.start, as_of, Grain.DAY))),
    )


class KpiRefused(UserFacingError):
    """An operator whose role may not do this (setting indicators is head office's)."""

    exit_code = 3


# --- who may do what ---------------------------------------------------------------------------------
#
# Head office (hq_admin) sees every scope, the people behind every number, writes the monthly report,
# keeps the daily sums and sets indicators. A branch head sees their own branch and its officers, and the
# people behind their branch's numbers; nothing of other branches, campaigns or scenarios (which cross
# branches). Nobody else sees the KPIs. Every view, list and report is audited under the operator.

VIEWERS = ("hq_admin", "branch_head")
HEAD_OFFICE = "hq_admin"


def _refuse_not_signed_in(operator: OperatorRecord | None) -> OperatorRecord:
    if operator is None:
        raise KpiRefused("请先登录", "sign in first", hint_zh="考核数据须以操作员身份查看", hint_en="")
    if not operator.active:
        raise KpiRefused("该操作员账户已停用", "this operator account is disabled")
    return operator


def authorize(store: Store, operator: OperatorRecord | None, scope: Scope) -> OperatorRecord:
    """The operator when they may see ``scope``'s figures and the people behind them; refused otherwise."""
    op = _refuse_not_signed_in(operator)
    if op.role == HEAD_OFFICE:
        return op
    if op.role == "branch_head" and op.branch_code:
        own = op.branch_code
        if scope.kind == "branch" and scope.key == own:
            return op
        if scope.kind == "officer" and scope.key and branches_of_officer(store, scope.key) == {own}:
            return op
        raise KpiRefused(
            f"网点负责人只能查看本网点（{own}）及其客户经理的考核数据",
            f"a branch head sees only their own branch ({own}) and its officers",
            hint_zh=f"请使用 --scope branch:{own}，全县及其他范围请由总行管理员查看",
            hint_en=f"use --scope branch:{own}; head office sees the county and other scopes",
        )
    raise KpiRefused(
        "只有总行管理员和网点负责人可以查看考核数据",
        "only head office and branch heads see the KPIs",
        hint_zh="请由总行管理员或网点负责人登录后操作",
        hint_en="sign in as a head-office administrator or a branch head",
    )


def require_head_office(operator: OperatorRecord | None, what_zh: str, what_en: str) -> OperatorRecord:
    op = _refuse_not_signed_in(operator)
    if op.role != HEAD_OFFICE:
        raise KpiRefused(
            f"只有总行管理员可以{what_zh}",
            f"only a head-office administrator may {what_en}",
            hint_zh="请由总行管理员登录后操作",
            hint_en="sign in as a head-office administrator",
        )
    return op


def branches_of_officer(store: Store, login: str) -> set[str]:
    return store_kpi.branches_of_officer(store, login)


def _audit(
    ctx: Context, action: str, login: str, scope: Scope, purpose: str, detail: dict[str, object]
) -> None:
    from teller_assist.services import audit

    audit.log(
        ctx.store, action, operator=login, subject=str(scope)[:64], purpose=purpose, detail=detail,
        now=ctx.now(),
    )  # fmt: skip


def view_for(
    ctx: Context,
    operator: OperatorRecord | None,
    scope: Scope,
    day: dt.date,
    *,
    purpose: str,
    grain: Grain = Grain.MONTH,
    flow_periods: int = 12,
) -> KpiView:
    """:func:`view` at ``day`` (the day asked for: the figures as they stood then), for a signed-in
    operator who may see the scope; audited (no audit row, no figures)."""
    op = authorize(ctx.store, operator, scope)
    result = view(ctx.store, ctx.in_force(), scope, day, grain=grain, flow_periods=flow_periods)
    _audit(ctx, "kpi_view", op.login, scope, purpose, {"date": day.isoformat()})
    return result


def dashboard_for(ctx: Context, operator: OperatorRecord | None, scope: Scope, day: dt.date) -> Dashboard:
    """:func:`dashboard` at ``day``, for a signed-in operator who may see the scope; audited."""
    op = authorize(ctx.store, operator, scope)
    result = dashboard(ctx.store, ctx.in_force(), scope, day)
    _audit(ctx, "kpi_view", op.login, scope, "window", {"date": day.isoformat()})
    return result


def people_for(
    ctx: Context,
    operator: OperatorRecord | None,
    scope: Scope,
    day: dt.date,
    category: str,
    *,
    purpose: str,
    limit: int = 500,
) -> PeopleList:
    """:func:`people` at ``day`` (masked as the context's settings say), for a signed-in operator who may
    see the scope; audited with how many people were shown (no audit row, no list)."""
    op = authorize(ctx.store, operator, scope)
    listing = people(ctx.store, ctx.in_force(), scope, day, category, ctx.settings.masking, limit=limit)
    _audit(
        ctx,
        "kpi_people",
        op.login,
        scope,
        purpose,
        {"list": category, "date": day.isoformat(), "total": listing.total, "shown": len(listing.people)},
    )
    return listing


def refresh_by(ctx: Context, today: dt.date, *, by: str) -> store_kpi.SnapshotInfo:
    """:func:`refresh` up to ``today`` under the context's policy, audited under ``by`` (a head-office
    administrator, or the night's job's OS account)."""
    from teller_assist.services import audit

    info = refresh(ctx.store, today, ctx.in_force())
    audit.note(
        ctx,
        "kpi_refresh",
        operator=by,
        purpose="kpi",
        detail={"date": today.isoformat(), "rows": info.rows},
    )
    return info


def indicators_for(
    ctx: Context, operator: OperatorRecord | None, day: dt.date | None = None
) -> list[store_kpi.IndicatorRow]:
    """The indicators an operator may see: all for head office, their own branch's for a branch head."""
    op = _refuse_not_signed_in(operator)
    rows = list_indicators(ctx.store, day)
    if op.role == HEAD_OFFICE:
        return rows
    if op.role == "branch_head" and op.branch_code:
        return [r for r in rows if r.scope_kind == "branch" and r.scope_key == op.branch_code]
    raise KpiRefused(
        "只有总行管理员和网点负责人可以查看考核指标",
        "only head office and branch heads see the indicators",
    )


def list_indicators(store: Store, day: dt.date | None = None) -> list[store_kpi.IndicatorRow]:
    """The indicators of branches and campaigns; with ``day``, those in force on it."""
    return [r for kind in ("branch", "campaign") for r in store_kpi.indicators(store, kind, day)]


def set_indicator(
    ctx: Context,
    operator: OperatorRecord,
    scope: Scope,
    *,
    people: int,
    granted: bool,
    starts_on: dt.date,
    ends_on: dt.date,
) -> store_kpi.IndicatorRow:
    """Head office gives a branch or a campaign its indicator (指标任务); audited with the change."""
    require_head_office(operator, "下达考核指标", "set indicators")
    if scope.kind not in ("branch", "campaign") or scope.key is None:
        raise ScopeError(
            "指标只能下达给网点或活动",
            "indicators are for branches and campaigns",
            hint_zh="branch:网点号 或 campaign:活动代码",
        )
    if people < 1 or people > 10_000_000:
        raise UserFacingError("指标人数应为正整数", "the indicator must be a positive number of people")
    if ends_on < starts_on:
        raise UserFacingError("指标的结束日期早于开始日期", "the indicator ends before it starts")
    store = ctx.store
    _check_known(store, scope)
    moment = ctx.now()
    row = store_kpi.IndicatorRow(
        scope.kind,
        scope.key,
        "granted" if granted else "signed",
        people,
        starts_on,
        ends_on,
        operator.login,
        moment,
    )
    entry = AuditEntry(
        "kpi_indicator",
        operator.login,
        ctx.workstation,
        str(scope)[:64],
        None,
        {"measure": row.measure, "people": people, "from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    store_kpi.set_indicator(store, row, entry)
    return row
