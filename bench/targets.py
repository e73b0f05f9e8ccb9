"""Benchmark: issue 18's target lists and daily tasks on the demo county.

    .venv/bin/python -u bench/targets.py [--county DIR | --people N] [--engine sqlite|postgres|both]
                                         [--data-dir DIR] [--runs 5]

``--county DIR`` holds the county's extracts (the full demo county: 620,000 people; its ``history/``, when
there, is loaded too: the year's applications and the staff who made them). ``--people N`` writes a
county of N people with its history into a temporary folder first (a small run to check the script).
SQLite: ``--data-dir`` keeps the loaded demo-mode folder between runs (loaded once; the list is then
issued under a new code each run). PostgreSQL: a throw-away server, loaded each run, then ``ANALYZE``.

The demo county's extracts give almost everyone one social-security region (句容市), so a region table
would send the whole county to one branch. The bench gives each town's people its own region code
(``3211NN`` for branch ``01NN``: the county's social-security sub-offices, one per town) and head office
maps each to its branch, so the list splits to the county's branches as the programme's would.

Targets (issue 18), each printed with its figure and the machine's load:
- building and issuing the county's lists (the whole county, split to the branches) <= 60 s;
- assigning 10,000 targets <= 2 s (to one officer, and balanced by village among a branch's officers);
- an officer's task list at login <= 200 ms on SQLite and PostgreSQL (median of ``--runs`` after a warm
  one; an officer with a balanced share, and the one holding 10,000): the whole list, the status bar's
  count, and the window's first screen (its first 200 lines and the counts). The list is issued and
  given out stamped the afternoon before the day (as the morning's login after the night's sweep finds
  it: by the real clock the bench's work would be the day's own, after its midnight);
- recomputing every task after the nightly import <= 30 s: the night's delta imported, then the sweep
  (every target's strike from the data and its task of the day); apart, for scale, every branch's task
  list of that day as the branch heads read them.
Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_line, print_load_after, print_machine
from sqlalchemy import func, select, update

from teller_assist.demo.county import TOWNS, generate_county, history_file
from teller_assist.demo.history import demo_operators
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services import targets, task_desk
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.demo_history import load_history
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from teller_assist.store import operators as store_ops
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.store.history import StaffMember, ensure_staff
from teller_assist.store.models import Customer, ImportBatch, Operator, Target, TargetAssignment, TargetList
from teller_assist.store.operators import NO_LOGIN_HASH, OperatorRecord

AS_OF = dt.date(2026, 11, 28)
NIGHT = AS_OF + dt.timedelta(days=1)
# the lists issued and given out the afternoon before the day, as the morning's login finds them after
# the night's sweep (stamped by the real clock they would be the day's own work, after its midnight)
DAY_BEFORE = dt.datetime.combine(AS_OF - dt.timedelta(days=1), dt.time(16, 0)).astimezone()
FIRST = 200  # the window's first screen
DUE = dt.date(2027, 3, 31)
ASSIGN = 10_000
BRANCHES = tuple(b for _t, b in TOWNS)


def context(store: Store, policy: Policy, day: dt.date) -> Context:
    """The context the window makes (the default masking), its clock on the bench's ``day``."""
    return Context(store, load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}), policy, Clock.on(day))


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one call (CPU: this process's; the server's share is not in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - started, time.process_time() - cpu, result


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm: pages read (and decrypted) once
    samples = [timed(fn)[0] * 1000 for _ in range(runs)]
    return statistics.median(samples), max(samples)


def verdict(seconds: float, target: float) -> str:
    return (
        f"(target <= {target:g} s: {'met' if seconds <= target else 'NOT met'}, {seconds / target:.2f} of it)"
    )


def ensure_county(folder: Path | None, people: int) -> Path:
    if folder is not None:
        if not any(folder.glob("customers_*.csv")):
            raise SystemExit(f"{folder} holds no customers extract")
        return folder
    out = Path(tempfile.mkdtemp(prefix="ta-bench-targets-county-"))
    print(f"generating {people:,} people with their history into {out} ...")
    seconds, _cpu, _ = timed(
        lambda: generate_county(out, people=people, seed=1, as_of=AS_OF, processes=2, history=True)
    )
    print(f"  {seconds:.1f} s")
    return out


def load(store: Store, county: Path, policy: Policy) -> None:
    # stamped by the bench's clock (the sweep of the day finds the extracts imported before it)
    clock = Clock.on(AS_OF)
    seconds, _cpu, report = timed(lambda: import_paths(store, [county], today=AS_OF, now=clock.now))
    print(f"  import: {seconds:.1f} s (exit {report.exit_code})")
    history = history_file(county, AS_OF)
    if history.exists():
        seconds, _cpu, loaded = timed(lambda: load_history(store, history, policy, as_of=AS_OF))
        print(f"  history: {loaded.applications:,} applications in {seconds:.1f} s")
    else:
        print("  no history/ beside the extracts: no applications (every target's task is a survey)")


def prepare(store: Store) -> None:
    """The town regions (see the module's words), and the branches' staff active (the demo history's
    are disabled: they only made the history)."""
    now = dt.datetime.now(dt.UTC)
    staff = [StaffMember(o.login, o.name, o.role, o.branch) for o in demo_operators(BRANCHES)]
    ensure_staff(store, staff, password_hash=NO_LOGIN_HASH, active=True, now=now)
    region = func.substr(Customer.branch_code, 3, 2)
    with store.write_session() as s:
        s.execute(
            update(Customer)
            .where(Customer.branch_code.is_not(None), func.length(Customer.branch_code) == 4)
            .values(region_code="3211" + region)
        )
        s.execute(
            update(Operator)
            .where(Operator.login.in_([m.login for m in staff]))
            .values(active=True, must_change_password=False)
        )
        # a folder kept between runs holds earlier runs' lists and assignments stamped by the real clock,
        # days after the bench's day, and their night's imports, the day after it (or a folder loaded
        # by the real clock): as the bench's own, they are the afternoon before it, before its sweep
        s.execute(
            update(TargetAssignment)
            .where(TargetAssignment.assigned_at > DAY_BEFORE)
            .values(assigned_at=DAY_BEFORE)
        )
        s.execute(update(TargetList).where(TargetList.issued_at > DAY_BEFORE).values(issued_at=DAY_BEFORE))
        after = dt.datetime.combine(NIGHT, dt.time()).astimezone()  # the nights' imports of earlier runs
        s.execute(update(ImportBatch).where(ImportBatch.started_at >= after).values(started_at=DAY_BEFORE))


def head_office() -> OperatorRecord:
    now = dt.datetime.now(dt.UTC)
    # head office's lists and regions: the service checks the role (no password is checked here)
    return OperatorRecord(0, "bench", "bench", "hq_admin", "0001", True, 0, None, "", now, now)


def signed_in(store: Store, login: str) -> OperatorRecord:
    found = store_ops.get_operator(store, login)
    assert found is not None and found.active, login
    return found


def run(name: str, store: Store, policy: Policy, runs: int) -> None:
    hq = head_office()
    ctx = context(store, policy, AS_OF)
    print(f"{name}  ({machine_line()})")
    with store.connection() as conn:
        people = conn.execute(select(func.count()).select_from(Customer)).scalar_one()
        before = conn.execute(select(func.count()).select_from(Target)).scalar_one()
    print(
        f"  {people:,} customers; {before:,} targets already (the night's targets extract and earlier runs)"
    )
    for n, branch in enumerate(BRANCHES, start=1):
        targets.set_region(ctx, hq, f"3211{n:02d}", branch)

    # 1. building and issuing the county's list
    code = f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}"
    spec = targets.ListSpec(code, DUE, Decimal("30"))
    seconds, cpu, preview = timed(lambda: targets.preview(ctx, hq, spec))
    print(
        f"  preview: {preview.people:,} people to {len(preview.shares)} branches "
        f"({preview.negative_removed:,} on the negative list, {preview.holding_removed:,} holding a line "
        f"left out) in {seconds:.1f} s wall, {cpu:.1f} s CPU"
    )
    seconds, cpu, issued = timed(lambda: targets.issue(ctx.at(DAY_BEFORE), hq, spec))
    print(
        f"  building and issuing the county's list: {issued.preview.people:,} targets, indicator "
        f"{issued.preview.indicator:,}, in {seconds:.1f} s wall, {cpu:.1f} s CPU {verdict(seconds, 60)}"
    )
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    # 2. assigning 10,000 targets: by village in the branch with most targets, to one officer in the next
    shares = sorted(issued.preview.shares, key=lambda s: (-s.people, s.branch_code))
    first, second = shares[0].branch_code, shares[min(1, len(shares) - 1)].branch_code

    def tellers(branch: str) -> list[str]:
        return sorted(
            o.login for o in store_ops.list_operators(store) if o.branch_code == branch and o.role == "teller"
        )

    head = signed_in(store, f"zh{first}")
    seconds, cpu, plan = timed(
        lambda: targets.assign_balanced(ctx.at(DAY_BEFORE), head, code, "village", limit=ASSIGN)
    )
    loads = ", ".join(f"{o} {b + a:,}" for o, b, a in plan.officers)
    print(
        f"  assigning {plan.moved:,} targets of branch {first} by village among {len(plan.officers)} "
        f"officers: {seconds:.2f} s wall, {cpu:.2f} s CPU {verdict(seconds, 2)}; {plan.groups:,} villages, "
        f"{plan.split} split; each officer's open targets after: {loads}"
    )
    balanced = plan.officers[0][0]
    head = signed_in(store, f"zh{second}")
    loaded = tellers(second)[0]
    seconds, cpu, moved = timed(
        lambda: targets.assign(ctx.at(DAY_BEFORE), head, code, loaded, unassigned=ASSIGN)
    )
    print(
        f"  assigning {moved:,} targets of branch {second} to one officer: {seconds:.2f} s wall, "
        f"{cpu:.2f} s CPU {verdict(seconds, 2)}"
    )

    # 3. an officer's task list at login: the day's targets given out after the night's sweep (every
    # target's facts read), then the next morning's login after the sweep kept every task of its day
    who = ((balanced, "a balanced share"), (loaded, f"{moved:,} given at once"))
    task_lists(ctx, runs, who, "no sweep of the day: every target's facts read")
    seconds, cpu, swept = timed(lambda: targets.sweep(ctx, by="bench"))
    print(
        f"  the sweep of {AS_OF} keeping every target's task ({swept.targets:,} targets, "
        f"{sum(swept.tasks.values()):,} tasks): {seconds:.1f} s wall, {cpu:.1f} s CPU ({machine_line()})"
    )
    task_lists(ctx, runs, who, "after the sweep: its kept tasks read")
    # a day's work since the sweep: outcomes on 50 of the balanced officer's tasks, computed again
    me = signed_in(store, balanced)
    day_tasks = targets.today_tasks(ctx, officer=balanced).tasks
    for t in day_tasks[:50]:
        targets.record_outcome(ctx, me, t.id_no, "not_reached")
    task_lists(ctx, runs, who[:1], "after the sweep and 50 outcomes recorded since")


def task_lists(ctx: Context, runs: int, who: tuple[tuple[str, str], ...], how: str) -> None:
    for login, what in who:
        me = signed_in(ctx.store, login)

        def listing_of(me: OperatorRecord = me, login: str = login) -> targets.TaskList:
            return targets.tasks_today(ctx, me, officer=login)

        listing = listing_of()
        kept = targets.today_tasks(ctx, officer=login).kept
        p50, worst = median_ms(listing_of, runs)
        print(
            f"  task list of {login} ({what}: {len(listing.tasks):,} tasks; {how}; kept used: {kept}): "
            f"median {p50:.0f} ms, max {worst:.0f} ms of {runs} "
            f"(target <= 200 ms: {'met' if p50 <= 200 else 'NOT met'}; {machine_line()})"
        )

        # what the window does at login: the status bar's count, and the 今日任务 list with its people
        def count(me: OperatorRecord = me) -> int | None:
            return task_desk.count_today(ctx, me)

        def desk(me: OperatorRecord = me, login: str = login) -> task_desk.DeskList:
            return task_desk.listing(ctx, me, task_desk.Scope(officer=login))

        def first_screen(me: OperatorRecord = me, login: str = login) -> task_desk.DeskList:
            return task_desk.listing(ctx, me, task_desk.Scope(officer=login), first=FIRST)

        def first_lines(me: OperatorRecord = me, login: str = login) -> targets.Listed:
            return targets.listed_today(ctx, me, officer=login, first=FIRST)

        for name, fn in (
            ("the status bar's count", count),
            (f"the window's first screen ({FIRST} lines and the counts)", first_screen),
            (f"tasks today --first {FIRST}", first_lines),
            ("the window's list", desk),
        ):
            p50, worst = median_ms(fn, runs)
            print(f"    {name}: median {p50:.0f} ms, max {worst:.0f} ms of {runs}")


def nightly(store: Store, county: Path, policy: Policy) -> None:
    """The night's delta imported, then every task recomputed: the sweep and every branch's list."""
    from import_county import make_delta

    delta = Path(tempfile.mkdtemp(prefix="ta-bench-targets-delta-"))
    rows = make_delta(county, delta, tag=f"{time.time_ns() % 10**9}")  # new each run: never skipped
    ctx = context(store, policy, NIGHT)
    seconds, _cpu, report = timed(lambda: import_paths(store, [delta], today=NIGHT, now=ctx.now))
    shutil.rmtree(delta)
    loaded = sum(f.loaded for f in report.files)
    print(
        f"  the night's delta: {rows:,} rows, {loaded:,} loaded in {seconds:.1f} s (exit {report.exit_code})"
    )
    with store.connection() as conn:
        total = conn.execute(select(func.count()).select_from(Target)).scalar_one()
    sweep_s, cpu, swept = timed(lambda: targets.sweep(ctx, by="bench"))
    struck = ", ".join(f"{k} {v:,}" for k, v in swept.struck.items())
    print(
        f"  recomputing every task after the import (targets sweep: {swept.targets:,} of {total:,} targets, "
        f"{sum(swept.tasks.values()):,} tasks of {NIGHT}; struck now: {struck}): {sweep_s:.1f} s wall, "
        f"{cpu:.1f} s CPU {verdict(sweep_s, 30)}"
    )
    hq = head_office()
    branches = [b for b in store_targets.target_branches(store) if b is not None]
    started, cpu_started = time.perf_counter(), time.process_time()
    tasks = sum(len(targets.tasks_today(ctx, hq, branch=b).tasks) for b in branches)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"  every branch's task list of {NIGHT} as its head reads it ({len(branches)} branches, {tasks:,} "
        f"tasks): {seconds:.1f} s wall, {cpu:.1f} s CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--county", type=Path)
    source.add_argument("--people", type=int)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print_machine(
        "bench/targets.py", f"each task list: median of {args.runs} after a warm call; the rest once"
    )
    county = ensure_county(args.county, args.people or 0)
    policy = load_policy(default_policy_path())
    made: list[Path] = [] if args.county else [county]  # the temporary folders, removed at the end
    if args.engine in ("sqlite", "both"):
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ta-bench-targets-"))
        if args.data_dir is None:
            made.append(data_dir)
        settings = load_settings(
            {
                "TELLER_ASSIST_DATA_DIR": str(data_dir),
                "TELLER_ASSIST_KEY_STORE": "demo-file",
                "TELLER_ASSIST_CONFIG": "/nonexistent",
            }
        )
        opened = open_database(settings)
        if opened.overview.empty:
            print(f"loading the county into SQLite at {data_dir} ...")
            load(opened.store, county, policy)
        prepare(opened.store)
        run("SQLite (SQLCipher, as shipped)", opened.store, policy, args.runs)
        nightly(opened.store, county, policy)
        opened.store.dispose()
    if args.engine in ("postgres", "both"):
        from tests.helpers.postgres import start_server

        server = start_server(durable=True)  # the server's defaults: fsync, synchronous_commit on
        try:
            print("PostgreSQL with the server's defaults (fsync, synchronous_commit, full_page_writes on)")
            url = server.create_database("targets")
            opened = open_database(load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}, database_url=url))
            print("loading the county into PostgreSQL ...")
            load(opened.store, county, policy)
            prepare(opened.store)
            with opened.store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            run("PostgreSQL (Unix socket)", opened.store, policy, args.runs)
            nightly(opened.store, county, policy)
            opened.store.dispose()
        finally:
            server.stop()
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)
    print_load_after()


if __name__ == "__main__":
    main()
