"""Benchmark: customer-card assembly over 10,000 random IDs on the full demo county.

    .venv/bin/python bench/lookup_card.py --data-dir DIR            # a demo-mode data folder with the county
    .venv/bin/python bench/lookup_card.py --county DIR [--postgres]  # import the county first

SQLite as shipped: p50 <= 1 ms, p99 <= 3 ms (warm), and within 2x of the raw SQL floor (the same
statements through the bare driver on the same database, no card building), measured in the same run.
PostgreSQL on loopback: p99 <= 2 ms. Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teller_assist.identity.resident_id import check_character
from teller_assist.lookup.card import Window
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.services.lookup import lookup
from teller_assist.settings import load_settings
from teller_assist.store import cards
from teller_assist.store.engine import Store
from teller_assist.store.queries import customer_ids

AS_OF = dt.date(2026, 11, 28)
N = 10_000


def sample_ids(store: Store, n: int, seed: int = 7) -> list[str]:
    ids = customer_ids(store)
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(n, len(ids)))
    for i in range(n // 20):  # 5% strangers the bank has never seen
        first17 = f"320102{1960 + i % 40}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
        chosen[i * 20] = first17 + check_character(first17)
    return chosen


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


def measure(fn, ids: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for id_no in ids:
        started = time.perf_counter()
        fn(id_no)
        out.append((time.perf_counter() - started) * 1000)
    return out


def sqlite_floor(store: Store, ids: list[str]) -> list[float]:
    """The same statements through the bare sqlcipher3 connection: execute and fetch, nothing else."""
    raw = store.engine.raw_connection()
    window = Window.before(AS_OF)
    start, end = window.start.isoformat(), window.end.isoformat()
    q = cards._SQLITE
    try:
        cur = raw.cursor()

        def run(id_no: str) -> None:  # one read transaction, as the card's own connection reads
            cur.execute("BEGIN")
            cur.execute(q["customer"], (id_no,)).fetchone()
            cur.execute(q["payroll"], (id_no, start)).fetchall()
            cur.execute(q["agreements"], (start, end, id_no)).fetchall()
            cur.execute(q["negative"], (id_no,)).fetchone()
            cur.execute(q["tags"], (id_no,)).fetchall()
            cur.execute(q["targets"], (id_no,)).fetchall()
            cur.execute(q["freshness"]).fetchall()
            cur.execute(q["applications"], (id_no,)).fetchall()
            cur.execute("ROLLBACK")

        return measure(run, ids)
    finally:
        raw.close()


def postgres_floor(store: Store, ids: list[str]) -> list[float]:
    raw = store.engine.raw_connection()
    window = Window.before(AS_OF)
    try:
        cur = raw.cursor()

        def run(id_no: str) -> None:
            cur.execute(cards._POSTGRES, {"id": id_no, "start": window.start, "end": window.end})
            cur.fetchone()
            raw.rollback()

        return measure(run, ids)
    finally:
        raw.close()


def card_of(store: Store):  # type: ignore[no-untyped-def]
    """``services.lookup`` as the code under test takes it: the context, made once (since the services
    took it), or the store (older code, which ``before_after.py`` runs this script against)."""
    import inspect

    handle: object = store
    if next(iter(inspect.signature(lookup).parameters)) == "ctx":
        from tests.helpers.context import context_of

        handle = context_of(store)
    return lambda id_no: lookup(handle, id_no, as_of=AS_OF)


def counter_lookup(store: Store):  # type: ignore[no-untyped-def]
    """What the counter does for each ID: the card, and its audit row committed (one fsync on SQLite)."""
    from teller_assist.services import audit

    card_for = card_of(store)

    def run(id_no: str) -> None:
        card = card_for(id_no)
        audit.log(store, "lookup", operator="bench", subject=card.rid.value, purpose="typed")

    return run


def report(name: str, store: Store, ids: list[str], floor_fn) -> None:  # type: ignore[no-untyped-def]
    # warm: every ID once through both paths (pages decrypted and cached), then measure both in
    # alternating slices so neither gets a warmer cache or a quieter machine than the other
    card_for = card_of(store)
    measure(card_for, ids)
    floor_fn(store, ids)
    shipped: list[float] = []
    floor: list[float] = []
    for k in range(0, len(ids), 500):
        part = ids[k : k + 500]
        shipped += measure(card_for, part)
        floor += floor_fn(store, part)
    audited = measure(counter_lookup(store), ids[:2000])
    p50, p99 = percentiles(shipped)
    f50, f99 = percentiles(floor)
    a50, a99 = percentiles(audited)
    print(f"{name}: {len(ids):,} cards")
    print(f"  card assembly (services.lookup): p50 {p50:.3f} ms  p99 {p99:.3f} ms")
    print(f"  raw SQL floor (bare driver):     p50 {f50:.3f} ms  p99 {f99:.3f} ms")
    print(f"  ratio to the floor: p50 {p50 / f50:.2f}x  p99 {p99 / f99:.2f}x (target <= 2x)")
    print(f"  the counter's lookup, its audit row committed ({len(audited):,} IDs): "
          f"p50 {a50:.3f} ms  p99 {a99:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--county", type=Path)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--pg-fast",
        action="store_true",
        help="PostgreSQL with fsync, synchronous_commit and full_page_writes off (the tests' server); "
        "by default the server keeps its durable defaults",
    )
    args = parser.parse_args()
    from _common import print_machine

    print_machine(
        "bench/lookup_card.py",
        f"{N:,} IDs warmed once, then measured once each in alternating slices of 500 with the floor; "
        "2,000 counter lookups with their audit rows",
    )
    if args.postgres:
        from tests.helpers.postgres import start_server

        server = start_server(durable=not args.pg_fast)
        print("PostgreSQL settings: " + ("fsync, synchronous_commit, full_page_writes off" if args.pg_fast
                                         else "the server's defaults (fsync, synchronous_commit on)"))
        try:
            url = server.create_database("cards")
            opened = open_database(load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}, database_url=url))
            import_paths(opened.store, [args.county], today=AS_OF)
            with opened.store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            ids = sample_ids(opened.store, N)
            report("PostgreSQL (loopback socket)", opened.store, ids, postgres_floor)
            opened.store.dispose()
        finally:
            server.stop()
        return
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ta-bench-cards-"))
    settings = load_settings(
        {
            "TELLER_ASSIST_DATA_DIR": str(data_dir),
            "TELLER_ASSIST_KEY_STORE": "demo-file",
            "TELLER_ASSIST_CONFIG": "/nonexistent",
        }
    )
    opened = open_database(settings)
    if args.county is not None and opened.overview.empty:
        import_paths(opened.store, [args.county], today=AS_OF)
    ids = sample_ids(opened.store, N)
    report("SQLite (SQLCipher, as shipped)", opened.store, ids, sqlite_floor)
    opened.store.dispose()


if __name__ == "__main__":
    from _common import print_load_after

    main()
    print_load_after()
