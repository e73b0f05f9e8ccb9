"""Benchmark the approval workflow (issue 6).

    .venv/bin/python bench/workflow.py [--people 20000] [--rounds 300]

1. Login with the shipped Argon2id parameters: target <= 0.5 s.
2. Submit + approve round trip on SQLite as shipped (encrypted, WAL, synchronous=FULL), on a demo
   county, each with its audit rows: target <= 50 ms.
3. The remote queue on PostgreSQL: time from a submission's commit to the approver's desktop hearing of
   it (LISTEN/NOTIFY, the listener the window uses): target <= 2 s. The SQLite poll (one second) is
   measured the same way for comparison.
Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.prequal.survey import Survey
from teller_assist.security.passwords import HASHER
from teller_assist.services import applications as apps
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.imports import Importer, demo_county
from teller_assist.services.operators import add_first_admin, add_operator, authenticate
from teller_assist.settings import Settings, load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from teller_assist.store.notify import listen_for_applications
from teller_assist.store.queries import customer_ids
from tests.helpers.context import context_of
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers

TODAY = dt.date(2026, 11, 28)

POLICY = load_policy(default_policy_path())


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def team(store: Store) -> tuple[apps.Actor, apps.Actor]:
    ctx = context_of(store)
    admin = add_first_admin(ctx, login="admin1", name="admin1", password=PASSWORD)
    for login, role in (("teller1", "teller"), ("head1", "branch_head")):
        add_operator(ctx, admin, login=login, name=login, role=role, password=PASSWORD, branch_code="0101")
    return (
        apps.Actor.here(authenticate(context_of(store), "teller1", PASSWORD)),
        apps.Actor.here(authenticate(context_of(store), "head1", PASSWORD)),
    )


def bench_login(store: Store) -> None:
    times = []
    for _ in range(20):
        t = time.perf_counter()
        authenticate(context_of(store), "teller1", PASSWORD)
        times.append(time.perf_counter() - t)
    p = HASHER
    print(
        f"login (Argon2id t={p.time_cost} m={p.memory_cost // 1024} MiB p={p.parallelism}, incl. audit row): "
        f"p50 {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target <= 500 ms)"
    )


def on_day(store: Store, settings: Settings) -> Context:
    """The context the services take: the store, on the bench's day."""
    return Context(store, settings, POLICY, Clock.on(TODAY))


def bench_round_trip(ctx: Context, ids: list[str], rounds: int) -> None:
    store = ctx.store
    teller, head = team(store)
    bench_login(store)
    survey = Survey("walk_in", walk_in_answers(household_income=60_000))
    submit_t, approve_t, total_t = [], [], []
    refused = 0
    for id_no in ids[:rounds]:
        t0 = time.perf_counter()
        try:
            record = apps.submit(ctx, id_no, survey, teller)
        except apps.WorkflowRefused:  # an ineligible person (negative list, age): not a round trip
            refused += 1
            continue
        t1 = time.perf_counter()
        apps.approve(ctx, record.id, head, expected_version=record.version)
        t2 = time.perf_counter()
        submit_t.append(t1 - t0)
        approve_t.append(t2 - t1)
        total_t.append(t2 - t0)
    ms = 1000
    print(
        f"submit + approve on SQLite ({len(total_t)} round trips, {refused} ineligible skipped): "
        f"p50 {statistics.median(total_t) * ms:.1f} ms, p95 {pct(total_t, 95) * ms:.1f} ms, "
        f"p99 {pct(total_t, 99) * ms:.1f} ms (target <= 50 ms); "
        f"submit p50 {statistics.median(submit_t) * ms:.1f} ms, "
        f"approve p50 {statistics.median(approve_t) * ms:.1f} ms"
    )
    assert store_audit.verify(store).ok


def bench_queue(ctx: Context, label: str, rounds: int, poll: bool) -> None:
    store = ctx.store
    teller = apps.Actor.here(authenticate(ctx, "teller1", PASSWORD))
    heard = threading.Event()
    stop = threading.Event()
    if poll:

        def poller() -> None:  # what ApprovalQueue does on SQLite: the audit head, once a second
            seen = store_audit.last_seq(store)
            while not stop.wait(1.0):
                now = store_audit.last_seq(store)
                if now != seen:
                    seen = now
                    heard.set()

        thread = threading.Thread(target=poller, daemon=True)
    else:
        thread = threading.Thread(target=listen_for_applications, args=(store, heard.set, stop), daemon=True)
    thread.start()
    time.sleep(1.5)
    heard.clear()
    delays = []
    rng = random.Random(3)
    survey = Survey("walk_in", walk_in_answers(household_income=20_000))
    from tests.helpers.extracts import rid

    for i in range(rounds):
        time.sleep(rng.uniform(0.0, 0.3))
        heard.clear()
        record = apps.submit(ctx, rid(seq=i % 1000, born=dt.date(1990, 1, 1 + i // 1000)), survey, teller)
        t = time.perf_counter()
        if not heard.wait(5):
            raise SystemExit(f"{label}: submission {record.id} never reached the queue")
        delays.append(time.perf_counter() - t)
    stop.set()
    thread.join(3)
    print(
        f"remote queue, {label}: submission committed -> approver notified, {rounds} submissions: "
        f"p50 {statistics.median(delays) * 1000:.1f} ms, max {max(delays) * 1000:.1f} ms (target <= 2000 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    from _common import print_machine

    print_machine(
        "bench/workflow.py",
        f"20 logins; up to {args.rounds} customers drawn for submit + approve; 100 PostgreSQL notifications, "
        "20 SQLite polls",
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "TELLER_ASSIST_DATA_DIR": f"{tmp}/data",
            "TELLER_ASSIST_CONFIG": f"{tmp}/none.toml",
            "TELLER_ASSIST_KEY_STORE": "demo-file",
        }
        settings = load_settings(env)
        store = open_database(settings).store
        t = time.perf_counter()
        demo_county(context_of(store, TODAY), Path(tmp), by=Importer.os_account(), people=args.people)
        print(f"demo county of {args.people:,} loaded in {time.perf_counter() - t:.1f} s")
        ids = customer_ids(store)
        random.Random(11).shuffle(ids)
        bench_round_trip(on_day(store, settings), ids, args.rounds)
        bench_queue(on_day(store, settings), "SQLite 1 s poll", 20, poll=True)
        store.dispose()

        from tests.helpers.postgres import start_server

        server = start_server()
        try:
            url = server.create_database("bench_workflow")
            pg_settings = load_settings(env, database_url=url)
            pg = open_database(pg_settings).store
            team(pg)
            bench_queue(on_day(pg, pg_settings), "PostgreSQL LISTEN/NOTIFY", 100, poll=False)
            pg.dispose()
        finally:
            server.stop()


if __name__ == "__main__":
    from _common import print_load_after

    main()
    print_load_after()
