"""Benchmark: load the whole demo county, against the floor of the same files loaded plainly.

    .venv/bin/python -u bench/import_county.py [--county DIR] [--engine sqlite|postgres|both] [--pairs 5]
                                               [--variants] [--pg-fast]

Both sides are whole processes, timed by the wall clock from launch to exit, taking turns (the order
alternating round by round), each into a fresh database already migrated (the schema is made before
the clock starts, for both):
- the import: ``teller-assist import DIR`` as an operator runs it, byte-compiled as installed (the
  modules compiled in a temporary copy of the package, never in the checkout);
- the floor (``bench/import_floor.py``): ``csv.reader``, a plain conversion, ``executemany`` into the
  same SQLCipher schema with the same pragmas (or ``COPY`` into the same PostgreSQL tables), one
  transaction per file.
The importer parses big files in a helper process only when a core is free (two cores idle over a short
sample when it starts: ``services.imports.spare_core``); with ``--variants`` each round also runs the
import with that decision forced either way, to show what the helper costs or buys on this machine as
loaded as it is.
Reported: the medians of each side with min-max, the median of the per-round ratios (target <= 1.5),
each process's CPU time (user + system, the helper's included), and the import's peak memory summed
over its whole process tree (the parsing helper and the resource tracker included; target <= 300 MB).
PostgreSQL keeps the server's durable defaults (fsync, synchronous_commit, full_page_writes on) unless
``--pg-fast``. Also a nightly delta (~20,000 rows across kinds) into the loaded county (target < 3 s).
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (
    ProcessRun,
    compiled_copy,
    pairs_summary,
    print_load_after,
    print_machine,
    run_measured,
    spread,
)

from teller_assist.demo.county import FORMATS, generate_county
from teller_assist.ingest.kinds import kind_from_file_name
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings

AS_OF = dt.date(2026, 11, 28)
HERE = Path(__file__).resolve().parent


def import_command(county: Path, *, helper: bool | None = None) -> list[str]:
    """``teller-assist import DIR --json``, exactly as the command line runs it (``helper=None``: the
    importer decides whether big files get a parsing helper, by whether a core is free); ``True`` or
    ``False``: the same with that decision forced, to show what the helper costs or buys here."""
    if helper is None:
        return [sys.executable, "-m", "teller_assist", "import", str(county), "--json"]
    code = (
        f"import sys; import teller_assist.services.imports as m; m.spare_core = lambda: {helper}; "
        "from teller_assist.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return [sys.executable, "-c", code, "import", str(county), "--json"]


def floor_command(county: Path, *target: str) -> list[str]:
    return [sys.executable, str(HERE / "import_floor.py"), str(county), *target]


def make_delta(county: Path, out: Path, tag: str = "") -> int:
    """One night's delta: ~20,000 rows across kinds, new transactions for known people and agreements.
    ``tag`` makes the transactions and addresses new again, so a folder that imported a delta before
    (a bench run on a copy used earlier) imports this one rather than skipping it as already loaded."""
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
            rows = [[f"N{tag}{r[0]}", *r[1:]] for r in rows]  # new transaction ids
        if kind == "customers":
            rows = [[*r[:5], r[5] + f"（新{tag}）", *r[6:]] for r in rows]  # changed addresses
        if kind == "utility_agreements":
            rows = [[f"N{tag}{r[0]}", *r[1:]] for r in rows]
        with (out / f"{kind}_{day:%Y%m%d}.csv").open("w", encoding=fmt.encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=fmt.delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        total += len(rows)
    return total


@dataclass
class Side:
    """One contender's runs: wall seconds, CPU seconds and the peak summed memory of its process tree."""

    name: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    processes: int = 0

    def add(self, run: ProcessRun) -> None:
        self.seconds.append(run.seconds)
        self.cpu.append(run.cpu_seconds)
        self.memory.append(run.peak_tree_mb)
        self.processes = max(self.processes, run.processes)


def report(engine: str, floor: Side, contenders: list[Side]) -> None:
    print(f"{engine}, whole county, {len(floor.seconds)} interleaved rounds of whole processes:")
    print(
        f"  {floor.name:34s} {spread(floor.seconds).text()}; CPU {spread(floor.cpu).text()}; "
        f"peak {spread(floor.memory).text('MB', 0)}"
    )
    for side in contenders:
        mine, _theirs, ratio = pairs_summary(side.seconds, floor.seconds)
        _m, _t, cpu_ratio = pairs_summary(side.cpu, floor.cpu)
        print(f"  {side.name:34s} {mine.text()}; CPU {spread(side.cpu).text()}")
        print(
            f"    ratio to the floor, median of the rounds: {ratio.median:.2f} "
            f"(min {ratio.low:.2f}, max {ratio.high:.2f}; target <= 1.5); CPU time {cpu_ratio.median:.2f}"
        )
        print(
            f"    peak memory summed over its {side.processes} processes: "
            f"{spread(side.memory).text('MB', 0)} (target <= 300 MB)"
        )


def run_round(
    i: int, steps: list[tuple[Side, list[str], dict[str, str]]], shipped: Side, floor: Side
) -> None:
    """Each contender once, the order turning round by round (and reversed every other round)."""
    from teller_assist.services.imports import spare_core

    load = os.getloadavg()[0]
    print(f"  round {i + 1}: load {load:.2f} at its start; a core free for a parsing helper: {spare_core()}")
    shift = (i // 2) % len(steps)
    order = steps[shift:] + steps[:shift]
    if i % 2:
        order.reverse()
    for side, cmd, env in order:
        side.add(run_measured(cmd, env))
    line = ", ".join(f"{side.name.split(' ')[0]} {side.seconds[-1]:.1f} s" for side, _c, _e in steps)
    print(
        f"  round {i + 1} ({' > '.join(s.name.split(' ')[0] for s, _c, _e in order)}): {line}; "
        f"ratio {shipped.seconds[-1] / floor.seconds[-1]:.2f}; import's tree {shipped.memory[-1]:.0f} MB",
        flush=True,
    )


def contenders_for(county: Path, variants: bool) -> list[tuple[Side, list[str]]]:
    out = [(Side("import (teller-assist import)"), import_command(county))]
    if variants:
        out.append((Side("helper (a parsing helper forced)"), import_command(county, helper=True)))
        out.append((Side("single (no helper, forced)"), import_command(county, helper=False)))
    return out


def bench_sqlite(county: Path, tmp: Path, pairs: int, variants: bool, compiled: dict[str, str]) -> None:
    base = {
        **os.environ,
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
    }
    contenders = contenders_for(county, variants)
    shipped = contenders[0][0]
    floor = Side("floor (bench/import_floor.py)")
    kept = tmp / "kept"  # the last round's imported county, for the delta
    for i in range(pairs):
        steps: list[tuple[Side, list[str], dict[str, str]]] = []
        folders = []
        for k, (side, cmd) in enumerate(contenders):
            env = {**base, "TELLER_ASSIST_DATA_DIR": str(tmp / f"import-{i}-{k}")}
            open_database(load_settings(env)).store.dispose()  # migrated before any clock starts
            steps.append((side, cmd, {**env, **compiled}))
            folders.append(tmp / f"import-{i}-{k}")
        floor_dir = tmp / f"floor-{i}"
        open_database(load_settings({**base, "TELLER_ASSIST_DATA_DIR": str(floor_dir)})).store.dispose()
        key = (floor_dir / "DEMO-MODE-database.key").read_text().splitlines()[-1].strip()
        db_file = next(floor_dir.glob("*.db"))
        steps.append((floor, floor_command(county, "sqlite", str(db_file), key), dict(os.environ)))
        run_round(i, steps, shipped, floor)
        shutil.rmtree(kept, ignore_errors=True)
        folders[0].rename(kept)
        for folder in [*folders[1:], floor_dir]:
            shutil.rmtree(folder, ignore_errors=True)
    report("SQLite (SQLCipher, as shipped)", floor, [side for side, _cmd in contenders])
    delta_dir = tmp / "delta"
    rows = make_delta(county, delta_dir)
    opened = open_database(load_settings({**base, "TELLER_ASSIST_DATA_DIR": str(kept)}))
    started = time.perf_counter()
    result = import_paths(opened.store, [delta_dir], today=AS_OF + dt.timedelta(days=1))
    delta = time.perf_counter() - started
    opened.store.dispose()
    assert result.exit_code == 0, result.to_json()
    print(f"  nightly delta: {rows:,} rows across {len(result.files)} files: {delta:.2f} s (target < 3 s)")


def bench_postgres(
    county: Path, tmp: Path, pairs: int, fast: bool, variants: bool, compiled: dict[str, str]
) -> None:
    from tests.helpers.postgres import start_server

    server = start_server(durable=not fast)
    durability = "off (--pg-fast)" if fast else "on, the server's defaults"
    print(f"PostgreSQL settings: fsync, synchronous_commit, full_page_writes {durability}")
    contenders = contenders_for(county, variants)
    shipped = contenders[0][0]
    floor = Side("floor (bench/import_floor.py)")
    base = {**os.environ, "TELLER_ASSIST_CONFIG": str(tmp / "none.toml")}
    try:
        for i in range(pairs):
            steps: list[tuple[Side, list[str], dict[str, str]]] = []
            for k, (side, cmd) in enumerate(contenders):
                env = {**base, "TELLER_ASSIST_DB": server.create_database(f"import{i}x{k}")}
                open_database(load_settings(env)).store.dispose()  # migrated before the clock starts
                steps.append((side, cmd, {**env, **compiled}))
            floor_name = f"floor{i}"
            floor_url = server.create_database(floor_name)
            open_database(load_settings({**base, "TELLER_ASSIST_DB": floor_url})).store.dispose()
            conninfo = f"host={server.socket_dir} user=postgres dbname={floor_name}"
            steps.append((floor, floor_command(county, "postgres", conninfo), dict(os.environ)))
            run_round(i, steps, shipped, floor)
        report("PostgreSQL 15 (Unix socket)", floor, [side for side, _cmd in contenders])
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", type=Path, default=None)
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument(
        "--variants", action="store_true", help="also the import, its helper forced on and off"
    )
    parser.add_argument("--pg-fast", action="store_true", help="the tests' server: fsync etc. off")
    args = parser.parse_args()
    contenders = "the import and the floor" + (
        ", the import its helper forced on, off" if args.variants else ""
    )
    print_machine(
        "bench/import_county.py",
        f"{args.pairs} interleaved rounds per engine ({contenders}, the order alternating); the delta once",
    )
    tmp = Path(tempfile.mkdtemp(prefix="ta-bench-import-"))
    try:
        county = args.county
        if county is None:
            county = tmp / "county"
            generate_county(county, people=args.people, seed=1, as_of=AS_OF)
        rows = sum(1 for p in county.iterdir() for _ in p.open("rb")) - len(list(county.iterdir()))
        size = sum(p.stat().st_size for p in county.iterdir())
        print(f"county: {county} ({rows:,} rows, {size / 1e6:.0f} MB in {len(list(county.iterdir()))} files)")
        compiled = compiled_copy(Path(__file__).resolve().parents[1], tmp / "compiled")
        if args.engine in ("sqlite", "both"):
            bench_sqlite(county, tmp, args.pairs, args.variants, compiled)
        if args.engine in ("postgres", "both"):
            bench_postgres(county, tmp, args.pairs, args.pg_fast, args.variants, compiled)
        print_load_after()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
