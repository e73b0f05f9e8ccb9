"""Every KPI figure recomputed with independent SQL over the raw rows, on both engines, for several dates
and scopes: from the rows alone, from the kept daily sums, after the counter changes things the sums
did not see, and after a back-dated approval that makes the sums stale. They agree exactly.

The SQL here is written for the test (plain statements over the tables, one date at a time); it shares
nothing with the store's queries, which sum changes by day.
"""

# ruff: noqa: S608 - the statements are put together from fixed fragments; every value is a parameter

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from teller_assist.demo.county import generate_county
from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.kpi.definitions import COUNTY, Flow, Ratio, Scope, Stock
from teller_assist.kpi.periods import Grain, Period
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import kpi, targets
from teller_assist.services.context import Context
from teller_assist.services.demo_history import load_history
from teller_assist.services.imports import import_paths
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store import kpi as store_kpi
from teller_assist.store import operators as store_ops
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed

AS_OF = dt.date(2026, 11, 28)
GRANTED = "('approved', 'signed', 'expired')"
DATES = (AS_OF, AS_OF - dt.timedelta(days=1), AS_OF - dt.timedelta(days=200))


@pytest.fixture
def county(store: Store, policy: Policy, tmp_path: Path, team: Team) -> Store:
    """A 1,200-person demo county with its year of history, loaded as the demo loads it: after head
    office's administrator and the counter's team exist (the demo's own staff come with the history)."""
    summary = generate_county(
        tmp_path / "county", people=1_200, seed=11, as_of=AS_OF, processes=1, history=True
    )
    assert import_paths(store, [tmp_path / "county"], today=AS_OF).exit_code == 0
    assert summary.history is not None
    load_history(store, summary.history, policy, as_of=AS_OF)
    return store


# --- the independent count ------------------------------------------------------------------------


@dataclass
class Raw:
    store: Store
    min_age: int
    max_age: int

    def day(self, value: dt.date) -> Any:
        return value.isoformat() if self.store.is_sqlite else value

    def rows(self, sql: str, **params: Any) -> list[Any]:
        bound = {k: self.day(v) if isinstance(v, dt.date) else v for k, v in params.items()}
        with self.store.connection() as conn:
            return list(conn.execute(text(sql), bound))

    def one(self, sql: str, **params: Any) -> int:
        return int(self.rows(sql, **params)[0][0] or 0)

    def people(self, scope: Scope, within: dict[str, str] | None = None) -> tuple[str, dict[str, Any]]:
        """The scope's people as SQL (``id_no``) and its parameters (for a target-list scope, ``within``
        narrows it to the rows with those values: an officer's within a branch)."""
        outsiders_first = (
            "SELECT a.id_no, a.branch_code, a.submitted_on FROM application a "
            "WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.id_no = a.id_no) "
            "AND NOT EXISTS (SELECT 1 FROM application x WHERE x.id_no = a.id_no "
            "AND (x.submitted_at < a.submitted_at OR (x.submitted_at = a.submitted_at AND x.id < a.id)))"
        )
        if scope.kind == "county":
            return f"SELECT id_no FROM customer UNION SELECT id_no FROM ({outsiders_first}) o", {}
        if scope.kind == "branch":
            return (
                f"SELECT id_no FROM customer WHERE branch_code = :k "
                f"UNION SELECT id_no FROM ({outsiders_first}) o WHERE o.branch_code = :k",
                {"k": scope.key},
            )
        column = {"officer": "officer", "campaign": "campaign", "scenario": "scenario"}[scope.kind]
        extra = "".join(f" AND {name} = :w_{name}" for name in within or {})
        # a group campaign's members (matched or new to the bank) under its code, branch and scenario
        members = (
            "SELECT m.id_no, c.code AS campaign, c.branch_code, NULL AS officer, c.scenario "
            "FROM campaign_member m JOIN campaign c ON c.id = m.campaign_id "
            "WHERE m.status IN ('matched', 'new_to_bank')"
        )
        return (
            f"SELECT DISTINCT id_no FROM target WHERE {column} = :k{extra} "
            f"UNION SELECT id_no FROM ({members}) cm WHERE {column} = :k{extra}",
            {"k": scope.key, **{f"w_{name}": v for name, v in (within or {}).items()}},
        )

    def stock(self, scope: Scope, d: dt.date, within: dict[str, str] | None = None) -> Stock:
        people, p = self.people(scope, within)
        held = (
            f"a.status IN {GRANTED} AND a.decided_on <= :d AND a.valid_until >= :d AND a.id_no IN ({people})"
        )
        signed = f"{held} AND a.signed_on IS NOT NULL AND a.signed_on <= :d"
        window = "d.id_no = a.id_no AND d.drawn_on >= a.signed_on AND d.drawn_on <= :d"
        granted = self.one(f"SELECT COUNT(DISTINCT a.id_no) FROM application a WHERE {held}", d=d, **p)
        n_signed = self.one(f"SELECT COUNT(DISTINCT a.id_no) FROM application a WHERE {signed}", d=d, **p)
        used = self.one(
            f"SELECT COUNT(DISTINCT a.id_no) FROM application a WHERE {signed} "
            f"AND EXISTS (SELECT 1 FROM drawdown d WHERE {window})",
            d=d,
            **p,
        )
        lines_fen = self.one(f"SELECT SUM(a.line_fen) FROM application a WHERE {signed}", d=d, **p)
        drawn = self.one(
            f"SELECT SUM(d.amount_fen) FROM application a JOIN drawdown d ON {window} WHERE {signed}",
            d=d,
            **p,
        )
        return Stock(self.eligible(scope, d, within), granted, n_signed, used, lines_fen, drawn)

    def eligible(self, scope: Scope, d: dt.date, within: dict[str, str] | None = None) -> int:
        people, p = self.people(scope, within)
        first = (
            "SELECT MIN(a.submitted_on) FROM application a WHERE a.id_no = x.id_no "
            "AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id_no = x.id_no)"
        )
        if scope.kind not in ("county", "branch"):
            first = "NULL"
        rows = self.rows(
            f"SELECT x.id_no, ({first}) FROM ({people}) x WHERE NOT EXISTS (SELECT 1 "
            f"FROM negative_list_entry n WHERE n.id_no = x.id_no "
            f"AND (n.listed_on IS NULL OR n.listed_on <= :d) "
            f"AND (n.lifted_on IS NULL OR n.lifted_on > :d))",
            d=d,
            **p,
        )
        n = 0
        for id_no, first_seen in rows:
            if first_seen is not None and str(first_seen)[:10] > d.isoformat():
                continue  # known only from an application made after d
            age = parse_resident_id(id_no, today=AS_OF).age_on(d)
            n += self.min_age <= age <= self.max_age
        return n

    def completion(self, kind: str, key: str, stock: Stock, d: dt.date) -> Ratio | None:
        """指标完成率: the indicator in force on ``d`` (as stored), over the people it counts."""
        found = self.rows(
            "SELECT measure, people FROM kpi_indicator WHERE scope_kind = :kind AND scope_key = :key "
            "AND starts_on <= :d AND ends_on >= :d",
            kind=kind,
            key=key,
            d=d,
        )
        if not found:
            return None
        measure, people = found[0]
        return Ratio(stock.signed if measure == "signed" else stock.granted, int(people))

    def flow(self, scope: Scope, period: Period) -> Flow:
        people, p = self.people(scope)
        b = {"s": period.start, "e": period.end, **p}
        mine = f"a.status IN {GRANTED} AND a.id_no IN ({people})"
        count = "SELECT COUNT(DISTINCT a.id_no) FROM application a WHERE"
        granted = self.one(f"{count} {mine} AND a.decided_on BETWEEN :s AND :e", **b)
        signed = self.one(f"{count} {mine} AND a.signed_on BETWEEN :s AND :e", **b)
        first_drawn = self.one(
            f"SELECT COUNT(*) FROM (SELECT a.id, MIN(d.drawn_on) AS f FROM application a JOIN drawdown d "
            f"ON d.id_no = a.id_no AND d.drawn_on >= a.signed_on AND d.drawn_on <= a.valid_until "
            f"WHERE {mine} AND a.signed_on IS NOT NULL GROUP BY a.id) x WHERE x.f BETWEEN :s AND :e",
            **b,
        )
        # 首贷户: the bank's people by their customer branch; target lists by their members
        loan_people = people
        if scope.kind == "branch":
            loan_people = "SELECT id_no FROM customer WHERE branch_code = :k"
        elif scope.kind == "county":
            loan_people = "SELECT id_no FROM drawdown"
        first_loans = self.one(
            f"SELECT COUNT(*) FROM (SELECT id_no, MIN(drawn_on) AS f FROM drawdown GROUP BY id_no) x "
            f"WHERE x.f BETWEEN :s AND :e AND x.id_no IN ({loan_people})",
            **b,
        )
        return Flow(granted, signed, first_drawn, first_loans, self.struck(scope, period))

    def struck(self, scope: Scope, period: Period) -> int:
        """销号: the people of the scope's targets whose first strike there falls in the period (a
        branch's targets are those its lists gave it, wherever the person's customer record is)."""
        where, p = "", {}
        if scope.kind != "county":
            column = {"branch": "branch_code", "officer": "officer", "campaign": "campaign"}.get(
                scope.kind, "scenario"
            )
            where, p = f"WHERE t.{column} = :k", {"k": scope.key}
        return self.one(
            "SELECT COUNT(*) FROM (SELECT s.id_no, MIN(s.struck_on) AS f FROM target_strike s "
            f"JOIN target t ON t.campaign = s.campaign AND t.id_no = s.id_no {where} GROUP BY s.id_no) x "
            "WHERE x.f BETWEEN :s AND :e",
            s=period.start,
            e=period.end,
            **p,
        )

    def work_flow(self, branch: str | None, period: Period) -> Flow:
        where = f"a.status IN {GRANTED}" + ("" if branch is None else " AND a.branch_code = :k")
        b = {"s": period.start, "e": period.end, **({} if branch is None else {"k": branch})}
        granted = self.one(
            f"SELECT COUNT(*) FROM application a WHERE {where} AND a.decided_on BETWEEN :s AND :e", **b
        )
        signed = self.one(
            f"SELECT COUNT(*) FROM application a WHERE {where} AND a.signed_on BETWEEN :s AND :e", **b
        )
        first_drawn = self.one(
            f"SELECT COUNT(*) FROM (SELECT a.id, MIN(d.drawn_on) AS f FROM application a JOIN drawdown d "
            f"ON d.id_no = a.id_no AND d.drawn_on >= a.signed_on AND d.drawn_on <= a.valid_until "
            f"WHERE {where} AND a.signed_on IS NOT NULL GROUP BY a.id) x WHERE x.f BETWEEN :s AND :e",
            **b,
        )
        return Flow(granted, signed, first_drawn, 0, None)


def scopes(raw: Raw) -> list[Scope]:
    officer = raw.rows("SELECT officer, COUNT(*) FROM target GROUP BY officer ORDER BY 2 DESC, 1")[0][0]
    return [
        COUNTY,
        Scope("branch", "0104"),
        Scope("branch", "0109"),
        Scope("officer", officer),
        Scope("campaign", "2026-walk-in"),
        Scope("campaign", GROUP),
        Scope("scenario", "village"),
    ]


GROUP = "village-recon-2026"  # a group campaign: its people are its roster's members


def group_campaign(store: Store, raw: Raw, people: int) -> list[str]:
    """A village campaign of branch 0104 whose roster lists ``people`` of the county (some holding lines,
    some on the target lists too), and two who do not count: one refused, one removed. Its IDs."""
    listed = [
        r[0]
        for r in raw.rows(
            "SELECT c.id_no FROM customer c WHERE c.branch_code IN ('0104', '0109') ORDER BY CASE WHEN "
            "EXISTS (SELECT 1 FROM application a WHERE a.id_no = c.id_no) THEN 0 ELSE 1 END, c.id_no"
        )
    ]
    chosen = listed[: people + 2]
    at = dt.datetime.combine(AS_OF, dt.time(1), tzinfo=dt.UTC)

    def entry(action: str) -> Any:
        return lambda *_: AuditEntry(action, "admin", "ws", GROUP, "campaigns", {})

    if store_campaigns.get(store, GROUP) is None:
        new = store_campaigns.NewCampaign(
            GROUP, "village", "后白村", None, (), "0104", AS_OF, AS_OF, None, "signed"
        )
        store_campaigns.create(store, new, by="admin", at=at, entry=entry("campaign_create")())
    rows = [store_campaigns.MemberIn(i, "某某", "matched", n + 2) for n, i in enumerate(chosen[:people])]
    rows.append(store_campaigns.MemberIn(chosen[people], "某某", "refused", people + 2, reason="姓名不一致"))
    gone = store_campaigns.MemberIn(chosen[people + 1], "某某", "matched", people + 3)
    store_campaigns.import_members(
        store, GROUP, [*rows, gone], store_campaigns.RosterIn("r.xlsx", "0" * 64, people + 2), by="admin",
        at=at, entry=entry("campaign_import"),
    )  # fmt: skip
    store_campaigns.import_members(  # the last one no longer on the roster: kept, marked removed
        store, GROUP, rows, store_campaigns.RosterIn("r2.xlsx", "1" * 64, people + 1), by="admin", at=at,
        entry=entry("campaign_import"),
    )  # fmt: skip
    return chosen


def edges(raw: Raw) -> list[dt.date]:
    """Days on which something ends or starts: a line's last valid day and the day after, a signing
    day, a first drawdown's day (where an off-by-one would show)."""
    last = raw.rows("SELECT MAX(valid_until) FROM application WHERE status = 'expired'")[0][0]
    signed = raw.rows(
        "SELECT MAX(signed_on) FROM application WHERE signed_on < :d", d=AS_OF - dt.timedelta(days=9)
    )
    drawn = raw.rows(
        "SELECT MAX(drawn_on) FROM drawdown WHERE drawn_on < :d", d=AS_OF - dt.timedelta(days=20)
    )
    days = [dt.date.fromisoformat(str(v[0][0])[:10]) for v in (signed, drawn)]
    day = dt.date.fromisoformat(str(last)[:10])
    return [day, day + dt.timedelta(days=1), *days]


def assert_agrees(store: Store, policy: Policy, raw: Raw, *, snapshot: bool, few: bool = False) -> None:
    trend = [AS_OF - dt.timedelta(days=k) for k in (0, 90, 300)] + edges(raw)
    for scope in scopes(raw)[:3] if few else scopes(raw):
        for day in DATES:
            view = kpi.view(store, policy, scope, day, trend_points=trend, use_snapshot=snapshot)
            assert (view.provenance.snapshot_built_at is not None) == snapshot
            assert view.total.stock == raw.stock(scope, day), (scope, day)
            assert view.total.week_ago == raw.stock(scope, day - dt.timedelta(days=7)), (scope, day)
            if day != DATES[0]:
                continue  # the flows cover the year up to the date: once is enough
            for flow in view.flows:
                assert flow.people_view == raw.flow(scope, flow.period), (scope, flow.period)
                if scope.kind in ("county", "branch"):
                    assert flow.work_view == raw.work_flow(scope.key, flow.period), (scope, flow.period)
            for child in view.children if scope.kind == "county" else ():
                assert child.stock == raw.stock(Scope("branch", child.key), day), (child.key, day)
                assert child.completion == raw.completion("branch", child.key, child.stock, day), child.key
            for child in view.children if scope.kind == "scenario" else ():
                assert child.completion == raw.completion("campaign", child.key, child.stock, day), child.key
            for child in view.children if scope.kind != "county" else ():
                # a branch's officers, an officer's campaigns, a campaign's branches, a scenario's campaigns
                child_scope, within = {
                    "branch": (Scope("officer", child.key), {"branch_code": scope.key}),
                    "officer": (Scope("campaign", child.key), {"officer": scope.key}),
                    "campaign": (Scope("campaign", scope.key), {"branch_code": child.key}),
                    "scenario": (Scope("campaign", child.key), {"scenario": scope.key}),
                }[scope.kind]
                assert child.stock == raw.stock(child_scope, day, within), (scope, child.key, day)
                assert child.week_ago == raw.stock(child_scope, day - dt.timedelta(days=7), within)
        for day, stock in view.trend:
            assert stock == raw.stock(scope, day), (scope, day)


@pytest.mark.long
def test_every_figure_agrees_with_the_raw_rows(
    county: Store, policy: Policy, team: Team, ctx: Context
) -> None:
    store = county
    raw = Raw(store, policy.min_age, policy.max_age)
    # every kind of row the figures turn on is there: lines granted, signed, used and expired, people
    # listed on (and lifted from) the negative list, people known only from applications
    assert raw.one("SELECT COUNT(*) FROM application") > 400
    assert raw.one("SELECT COUNT(*) FROM application WHERE signed_on IS NOT NULL") > 100
    assert (
        raw.one(
            "SELECT COUNT(*) FROM application a WHERE EXISTS (SELECT 1 FROM drawdown d "
            "WHERE d.id_no = a.id_no AND d.drawn_on >= a.signed_on)"
        )
        > 50
    )
    assert raw.one("SELECT COUNT(*) FROM negative_list_entry") > 0
    assert raw.one("SELECT COUNT(*) FROM application WHERE status = 'expired'") > 0

    # the year's strikes, on many days, in every branch; and people on two branches' lists
    assert raw.one("SELECT COUNT(DISTINCT struck_on) FROM target_strike") > 30
    assert raw.one("SELECT COUNT(DISTINCT t.branch_code) FROM target_strike s JOIN target t "
                   "ON t.campaign = s.campaign AND t.id_no = s.id_no") == 12  # fmt: skip
    assert raw.one("SELECT COUNT(*) FROM kpi_indicator WHERE scope_kind = 'branch'") >= 12
    assert raw.one("SELECT COUNT(*) FROM kpi_indicator WHERE scope_kind = 'campaign'") > 0

    # two people the counter serves today, after the sums were kept; the one who signs is a target of two
    # branches' lists (listed before the sums were kept, as the night's import would have)
    who = raw.rows(
        "SELECT c.id_no FROM customer c WHERE c.branch_code = '0104' "
        "AND NOT EXISTS (SELECT 1 FROM application a WHERE a.id_no = c.id_no) "
        "AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id_no = c.id_no) "
        "AND NOT EXISTS (SELECT 1 FROM negative_list_entry n WHERE n.id_no = c.id_no) "
        "AND c.birth_date BETWEEN :a AND :b ORDER BY c.id_no",
        a=dt.date(1970, 1, 1),
        b=dt.date(1990, 1, 1),
    )[:2]
    with store.write_session() as s:
        for campaign, branch in (("recon-0104", "0104"), ("recon-0109", "0109")):
            s.execute(
                text("INSERT INTO target (campaign, id_no, branch_code, officer) VALUES (:c, :i, :b, 'x')"),
                {"c": campaign, "i": who[-1][0], "b": branch},
            )

    # a group campaign's members: in its scope, its branch's and its scenario's, and once only
    chosen = group_campaign(store, raw, 40)
    assert raw.one(f"SELECT COUNT(*) FROM ({raw.people(Scope('campaign', GROUP))[0]}) x", k=GROUP) == 40
    assert kpi.view(store, policy, Scope("campaign", GROUP), AS_OF).total.stock.granted > 0

    # the rows alone
    assert_agrees(store, policy, raw, snapshot=False)

    # the kept daily sums
    info = kpi.refresh(store, AS_OF, policy)
    assert info.live_from == AS_OF and info.rows > 0
    assert_agrees(store, policy, raw, snapshot=True)

    # the counter goes on after the sums were kept: a grant and a signature today are read from the rows
    survey = Survey("walk_in", walk_in_answers(household_income=40_000))
    for (id_no,) in who:
        record = apps.submit(ctx.on(AS_OF), id_no, survey, team.teller)
        apps.approve(ctx.on(AS_OF), record.id, team.head)
    agreement_printed(store, record.id)
    apps.sign(ctx.on(AS_OF), record.id, team.teller)  # struck at once, in both branches
    assert raw.one("SELECT COUNT(*) FROM target_strike WHERE id_no = :i", i=who[-1][0]) == 2
    assert kpi.snapshot_state(store)[1]
    assert_agrees(store, policy, raw, snapshot=True, few=True)
    county_now = kpi.view(store, policy, COUNTY, AS_OF, grain=Grain.DAY, flow_periods=1, use_snapshot=True)
    branches = [kpi.view(store, policy, Scope("branch", b), AS_OF, grain=Grain.DAY, flow_periods=1)
                for b in ("0104", "0109")]  # fmt: skip
    assert [v.flows[-1].people_view.struck for v in branches] == [1, 1]
    assert county_now.flows[-1].people_view.struck == 1  # one person, struck on two lists

    # a branch head hands an officer's targets to another after the sums were kept: the lists' own
    # figures (a branch's officers) come from the rows, the bank's people still from the sums
    head = store_ops.get_operator(store, "zh0109")  # the demo's branch head
    moved = targets.assign(ctx.on(AS_OF), head, "2026-walk-in", "jr010902", from_officer="jr010901")
    assert moved > 0 and kpi.snapshot_state(store)[1]
    assert_agrees(store, policy, raw, snapshot=True, few=True)

    # a corrected roster after the sums were kept: the campaign's figures come from the rows
    group_campaign(store, raw, 45)
    state = store_kpi.snapshot_if_whole(store)
    assert state is not None and state.lists_changed
    for scope in (Scope("campaign", GROUP), Scope("scenario", "village")):
        assert kpi.view(store, policy, scope, AS_OF).total.stock == raw.stock(scope, AS_OF), scope
    assert len(chosen) == 42

    # a back-dated approval the sums never saw: they are no longer whole, the rows alone are used
    late = raw.rows(
        "SELECT c.id_no FROM customer c "
        "WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.id_no = c.id_no) "
        "AND NOT EXISTS (SELECT 1 FROM negative_list_entry n WHERE n.id_no = c.id_no) "
        "AND c.birth_date BETWEEN :a AND :b ORDER BY c.id_no DESC",
        a=dt.date(1970, 1, 1),
        b=dt.date(1990, 1, 1),
    )[0][0]
    earlier = AS_OF - dt.timedelta(days=40)
    record = apps.submit(ctx.on(earlier), late, survey, team.teller)
    apps.approve(ctx.on(earlier), record.id, team.head)
    assert not kpi.snapshot_state(store)[1]
    assert_agrees(store, policy, raw, snapshot=False, few=True)


def test_the_write_path_keeps_the_local_days(store: Store, policy: Policy, team: Team, ctx: Context) -> None:
    """Submission, approval and signature record the days the KPIs count by, as the counter sees them."""
    from tests.helpers.extracts import MAN

    survey = Survey("walk_in", walk_in_answers(household_income=40_000))
    record = apps.submit(ctx.on(AS_OF), MAN, survey, team.teller)
    apps.approve(ctx.on(AS_OF - dt.timedelta(days=2)), record.id, team.head)
    agreement_printed(store, record.id)
    apps.sign(ctx.on(AS_OF - dt.timedelta(days=1)), record.id, team.teller)
    raw = Raw(store, policy.min_age, policy.max_age)
    (submitted_on, decided_on, signed_on), *_ = raw.rows(
        "SELECT submitted_on, decided_on, signed_on FROM application WHERE id = :i", i=record.id
    )
    assert str(decided_on)[:10] == (AS_OF - dt.timedelta(days=2)).isoformat()
    assert str(signed_on)[:10] == (AS_OF - dt.timedelta(days=1)).isoformat()
    assert str(submitted_on)[:10] == record.submitted_at.astimezone().date().isoformat()
