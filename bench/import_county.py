"""Benchmark: load the whole demo county, against the floor of the same files loaded plainly.

    .venv/bin/python bench/import_county.py [--county DIR] [--engine sqlite|postgres|both] [--pairs 5]

Both sides are whole processes, timed by the wall clock from launch to exit, taking turns (the order
alternating pair by pair), each into a fresh migrated database:
- the import: ``teller-assist import DIR`` as an operator runs it (opening the database included);
- the floor (``bench/import_floor.py``): ``csv.reader``, a plain conversion, ``executemany`` into the
  same SQLCipher schema with the same pragmas (or ``COPY`` into the same PostgreSQL tables), one
  transaction per file.
Reported: the medians of each side with min-max, the median of the per-pair ratios (target <= 1.5),
and the import's peak memory summed over its whole process tree (the parsing helper and any resource
tracker included; target <= 300 MB). PostgreSQL keeps the server's durable defaults unless ``--pg-fast``.
Also a nightly delta (~20,000 rows across kinds) into the loaded county (target < 3 s).
Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import pairs_summary, print_load_after, print_machine, run_measured, spread

from teller_assist.demo.county import FORMATS, generate_county
from teller_assist.ingest.kinds import kind_from_file_name
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings

AS_OF = dt.date(2026, 11, 28)
HERE = Path(__file__).resolve().parent


def import_command(county: Path) -> list[str]:
    """``teller-assist import DIR``, exactly as the command line runs it."""
    return [sys.executable, "-m", "teller_assist", "import", str(county), "--json"]


def floor_command(county: Path, *target: str) -> list[str]:
    return [sys.executable, str(HERE / "import_floor.py"), str(county), *target]


def make_delta(county: Path, out: Path) -> int:
    """One night's delta: ~20,000 rows across kinds, new transactions for known people and agreements."""
    out.mkdir(parents=True, exist_ok=True)
    day = AS_OF + dt.timedelta(days=1)
    take = {
        "customers": 2_000,
        "payroll": 7_000,
        "utility_agreements": 300,
        "utility_debits": 9_000,
        "drawdowns": 300,
        "group_tags": 700,
        "targets": 700,
    }
    total = 0
    for path in county.iterdir():
        kind = kind_from_file_name(path.name)
        if kind is None or kind == "negative_list":
            continue
        fmt = FORMATS[kind]
        with path.open(encoding=fmt.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=fmt.delimiter)
            header = next(reader)
            rows = [r for _, r in zip(range(take[kind]), reader, strict=False)]
        if kind in ("payroll", "utility_debits", "drawdowns"):
            rows = [[f"N{r[0]}", *r[1:]] for r in rows]  # new transaction ids
        if kind == "customers":
            rows = [[*r[:5], r[5] + "（新）", *r[6:]] for r in rows]  # changed addresses
        if kind == "utility_agreements":
            rows = [[f"N{r[0]}", *r[1:]] for r in rows]
        with (out / f"{kind}_{day:%Y%m%d}.csv").open("w", encoding=fmt.encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=fmt.delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        total += len(rows)
    return total


def report_pairs(name: str, shipped: list[float], floor: list[float], memory: list[float],
                 processes: int, floor_memory: list[float]) -> None:
    mine, theirs, ratio = pairs_summary(shipped, floor)
    print(f"{name}, whole county, {len(shipped)} interleaved pairs of whole processes:")
    print(f"  import (teller-assist import):  {mine.text()}")
    print(f"  floor (bench/import_floor.py):  {theirs.text()}")
    print(f"  ratio, median of the pairs:     {ratio.median:.2f} (min {ratio.low:.2f}, max {ratio.high:.2f}; "
          "target <= 1.5)")
    mem = spread(memory)
    print(f"  import's peak memory, summed over its {processes} processes: {mem.text('MB', 0)} "
          "(target <= 300 MB)")
    print(f"  floor's peak memory: {spread(floor_memory).text('MB', 0)}")


def bench_sqlite(county: Path, tmp: Path, pairs: int) -> None:
    shipped, floor, memory, floor_memory, processes = [], [], [], [], 0
    env: dict[str, str] = {}
    for i in range(pairs):
        data_dir = tmp / f"shipped-{i}"
        env = {
            **os.environ,
            "TELLER_ASSIST_DATA_DIR": str(data_dir),
            "TELLER_ASSIST_KEY_STORE": "demo-file",
            "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
        }
        floor_dir = tmp / f"floor-{i}"
        floor_env = {**env, "TELLER_ASSIST_DATA_DIR": str(floor_dir)}
        open_database(load_settings(floor_env)).store.dispose()  # the migrated empty schema
        key = (floor_dir / "DEMO-MODE-database.key").read_text().splitlines()[-1].strip()
        db_file = next(floor_dir.glob("*.db"))

        def run_import(env: dict[str, str] = env) -> None:
            nonlocal processes
            run = run_measured(import_command(county), env)
            shipped.append(run.seconds)
            memory.append(run.peak_tree_mb)
            processes = max(processes, run.processes)

        def run_floor(db_file: Path = db_file, key: str = key) -> None:
            run = run_measured(floor_command(county, "sqlite", str(db_file), key), dict(os.environ))
            floor.append(run.seconds)
            floor_memory.append(run.peak_tree_mb)

        for step in ((run_import, run_floor) if i % 2 == 0 else (run_floor, run_import)):
            step()
        print(f"  pair {i + 1}: import {shipped[-1]:.1f} s, floor {floor[-1]:.1f} s, "
              f"ratio {shipped[-1] / floor[-1]:.2f}, import's tree {memory[-1]:.0f} MB", flush=True)
        shutil.rmtree(floor_dir, ignore_errors=True)
        if i < pairs - 1:
            shutil.rmtree(data_dir, ignore_errors=True)
    report_pairs("SQLite (SQLCipher, as shipped)", shipped, floor, memory, processes, floor_memory)
    delta_dir = tmp / "delta"
    rows = make_delta(county, delta_dir)
    opened = open_database(load_settings(env))
    started = time.perf_counter()
    report = import_paths(opened.store, [delta_dir], today=AS_OF + dt.timedelta(days=1))
    delta = time.perf_counter() - started
    opened.store.dispose()
    assert report.exit_code == 0, report.to_json()
    print(f"  nightly delta: {rows:,} rows across {len(report.files)} files: {delta:.2f} s (target < 3 s)")


def bench_postgres(county: Path, tmp: Path, pairs: int, fast: bool) -> None:
    from tests.helpers.postgres import start_server

    server = start_server(durable=not fast)
    durability = "off (--pg-fast)" if fast else "on, the server's defaults"
    print(f"PostgreSQL settings: fsync, synchronous_commit, full_page_writes {durability}")
    shipped, floor, memory, floor_memory, processes = [], [], [], [], 0
    try:
        for i in range(pairs):
            url = server.create_database(f"shipped{i}")
            env = {**os.environ, "TELLER_ASSIST_DB": url, "TELLER_ASSIST_CONFIG": str(tmp / "none.toml")}
            floor_name = f"floor{i}"
            floor_url = server.create_database(floor_name)
            open_database(load_settings({**env, "TELLER_ASSIST_DB": floor_url})).store.dispose()
            conninfo = f"host={server.socket_dir} user=postgres dbname={floor_name}"

            def run_import(env: dict[str, str] = env) -> None:
                nonlocal processes
                run = run_measured(import_command(county), env)
                shipped.append(run.seconds)
                memory.append(run.peak_tree_mb)
                processes = max(processes, run.processes)

            def run_floor(conninfo: str = conninfo) -> None:
                run = run_measured(floor_command(county, "postgres", conninfo), dict(os.environ))
                floor.append(run.seconds)
                floor_memory.append(run.peak_tree_mb)

            for step in ((run_import, run_floor) if i % 2 == 0 else (run_floor, run_import)):
                step()
            print(f"  pair {i + 1}: import {shipped[-1]:.1f} s, floor {floor[-1]:.1f} s, "
                  f"ratio {shipped[-1] / floor[-1]:.2f}, import's tree {memory[-1]:.0f} MB", flush=True)
        report_pairs("PostgreSQL (loopback socket)", shipped, floor, memory, processes, floor_memory)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", type=Path, default=None)
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--pg-fast", action="store_true", help="the tests' server: fsync etc. off")
    args = parser.parse_args()
    print_machine("bench/import_county.py", f"{args.pairs} interleaved pairs per engine; the delta once")
    tmp = Path(tempfile.mkdtemp(prefix="ta-bench-import-"))
    try:
        county = args.county
        if county is None:
            county = tmp / "county"
            generate_county(county, people=args.people, seed=1, as_of=AS_OF)
        rows = sum(1 for p in county.iterdir() for _ in p.open("rb")) - len(list(county.iterdir()))
        print(f"county: {county} ({rows:,} rows)")
        if args.engine in ("sqlite", "both"):
            bench_sqlite(county, tmp, args.pairs)
        if args.engine in ("postgres", "both"):
            bench_postgres(county, tmp, args.pairs, args.pg_fast)
        print_load_after()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
