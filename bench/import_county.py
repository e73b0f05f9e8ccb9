"""Benchmark: load the whole demo county, against the floor of the same rows loaded plainly.

    .venv/bin/python bench/import_county.py [--county DIR] [--engine sqlite|postgres|both]

SQLite (encrypted, as shipped): ``teller-assist import`` of every file vs. a plain ``executemany`` of
the same parsed rows into the same engine (SQLCipher, same schema and indexes) in one transaction; the
ratio must be ≤ 1.5. The ratio to an unencrypted ``sqlite3`` load is printed too.
PostgreSQL: the import vs. a plain ``COPY`` of the same rows into the same tables (target ≤ 1.5).
Also: peak memory of the import, and a nightly delta (~20,000 rows across kinds) into the loaded
county (target < 3 s). Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine

from teller_assist.demo.county import FORMATS, generate_county
from teller_assist.ingest.fields import RowError
from teller_assist.ingest.kinds import KINDS, LOAD_ORDER, kind_from_file_name
from teller_assist.ingest.reader import RowStream, fingerprint
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from teller_assist.store.bulk import SPECS
from teller_assist.store.models import Base

AS_OF = dt.date(2026, 11, 28)
CHUNK = 5_000


def files_in_order(county: Path) -> list[Path]:
    rank = {k: i for i, k in enumerate(LOAD_ORDER)}
    files = [p for p in county.iterdir() if kind_from_file_name(p.name)]
    return sorted(files, key=lambda p: rank[kind_from_file_name(p.name) or ""])


def parsed_chunks(path: Path) -> Iterator[tuple[str, list[tuple[object, ...]]]]:
    """The rows exactly as the importer parses them, in chunks (parsing is not timed by the floor)."""
    kind_name = kind_from_file_name(path.name)
    assert kind_name
    kind = KINDS[kind_name]
    fp = fingerprint(path)
    chunk: list[tuple[object, ...]] = []
    with RowStream(path, kind, fp.encoding) as stream:
        pos = stream.header.positions
        for raw in stream:
            try:
                chunk.append(kind.parse([None if p is None else raw.fields[p] for p in pos], AS_OF, AS_OF))
            except RowError:
                continue
            if len(chunk) >= CHUNK:
                yield kind_name, chunk
                chunk = []
    if chunk:
        yield kind_name, chunk


def iso(row: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row)


def sqlite_floor(county: Path, conn: sqlite3.Connection) -> float:
    """Plain executemany of the parsed rows, one transaction, timing only the inserts."""
    conn.isolation_level = None
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO import_batch (id, kind, file_name, sha256, status, rows_total, rows_loaded, "
        "rows_rejected, warnings, started_at) VALUES (1, 'x', 'x', 'x', 'loaded', 0, 0, 0, '[]', "
        "'2026-11-28 00:00:00')"
    )
    timed = 0.0
    for path in files_in_order(county):
        for kind, rows in parsed_chunks(path):
            spec = SPECS[kind]
            if spec.mode == "negative":
                sql = (
                    "INSERT INTO negative_list_entry (id_no, reason, listed_on, note, batch_id) "
                    "VALUES (?, ?, ?, ?, 1)"
                )
            else:
                cols = ", ".join((*spec.columns, "batch_id"))
                marks = ", ".join("?" * len(spec.columns))
                sql = f"INSERT INTO {spec.table} ({cols}) VALUES ({marks}, 1)"  # noqa: S608 - our own names
            data = [iso(r) for r in rows]
            started = time.perf_counter()
            conn.executemany(sql, data)
            timed += time.perf_counter() - started
    started = time.perf_counter()
    conn.execute("COMMIT")
    timed += time.perf_counter() - started
    conn.close()
    return timed


def fresh_sqlite(tmp: Path, name: str, key: str | None) -> Path:
    """A migrated empty schema: encrypted (SQLCipher, given key) or plain sqlite3."""
    path = tmp / f"{name}.db"
    if key is None:
        engine = create_engine(f"sqlite:///{path}")
    else:
        import sqlcipher3
        from sqlalchemy import URL

        engine = create_engine(
            URL.create("sqlite+pysqlcipher", password=f"x'{key}'", database=str(path)),
            module=sqlcipher3.dbapi2,
        )
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


def run_import_subprocess(county: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """The shipped import in its own process: (seconds, peak RSS MB, the parsing helper's peak RSS MB)."""
    code = (
        "import datetime as dt, resource, sys, time\n"
        "from pathlib import Path\n"
        "from teller_assist.settings import load_settings\n"
        "from teller_assist.services.database import open_database\n"
        "from teller_assist.services.imports import import_paths\n"
        "opened = open_database(load_settings())\n"
        "t = time.perf_counter()\n"
        "report = import_paths(opened.store, [Path(sys.argv[1])], today=dt.date(2026, 11, 28))\n"
        "elapsed = time.perf_counter() - t\n"
        "assert report.exit_code == 0, report.to_json()\n"
        "print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,\n"
        "      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(county)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, rss, helper = out.stdout.split()
    return float(seconds), float(rss), float(helper)


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


def bench_sqlite(county: Path, tmp: Path) -> None:
    data_dir = tmp / "shipped"
    env = {
        "TELLER_ASSIST_DATA_DIR": str(data_dir),
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
    }
    shipped, rss, helper = run_import_subprocess(county, env)
    key = (data_dir / "DEMO-MODE-database.key").read_text().splitlines()[-1].strip()
    import sqlcipher3

    enc_path = fresh_sqlite(tmp, "floor-encrypted", key)
    conn = sqlcipher3.dbapi2.connect(str(enc_path))
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    floor_enc = sqlite_floor(county, conn)
    plain_path = fresh_sqlite(tmp, "floor-plain", None)
    floor_plain = sqlite_floor(county, sqlite3.connect(plain_path))
    for p in (enc_path, plain_path):
        p.unlink()
    print("SQLite (SQLCipher, as shipped), whole county, indexes included:")
    print(
        f"  import (teller-assist import):          {shipped:7.1f} s   peak RSS {rss:.0f} MB "
        f"(parsing helper {helper:.0f} MB)"
    )
    print(
        f"  floor: plain executemany, same engine:  {floor_enc:7.1f} s   ratio {shipped / floor_enc:.2f} "
        "(target <= 1.5)"
    )
    print(
        f"  plain executemany, unencrypted sqlite3: {floor_plain:7.1f} s   ratio {shipped / floor_plain:.2f}"
    )
    delta_dir = tmp / "delta"
    rows = make_delta(county, delta_dir)
    opened = open_database(load_settings({**env}))
    started = time.perf_counter()
    report = import_paths(opened.store, [delta_dir], today=AS_OF + dt.timedelta(days=1))
    delta = time.perf_counter() - started
    opened.store.dispose()
    assert report.exit_code == 0, report.to_json()
    print(f"  nightly delta: {rows:,} rows across {len(report.files)} files: {delta:.2f} s (target < 3 s)")


def bench_postgres(county: Path) -> None:
    from tests.helpers.postgres import start_server

    server = start_server()
    try:
        url = server.create_database("shipped")
        env = {"TELLER_ASSIST_DB": url, "TELLER_ASSIST_CONFIG": "/nonexistent/settings.toml"}
        shipped, rss, helper = run_import_subprocess(county, env)
        floor_url = server.create_database("floor")
        settings = load_settings({**env, "TELLER_ASSIST_DB": floor_url})
        opened = open_database(settings)
        opened.store.dispose()
        import psycopg

        timed = 0.0
        with psycopg.connect(host=str(server.socket_dir), user="postgres", dbname="floor") as conn:
            conn.execute(
                "INSERT INTO import_batch (id, kind, file_name, sha256, status, rows_total, rows_loaded, "
                "rows_rejected, warnings, started_at) VALUES (1, 'x', 'x', 'x', 'loaded', 0, 0, 0, '[]', "
                "now())"
            )
            for path in files_in_order(county):
                for kind, rows in parsed_chunks(path):
                    spec = SPECS[kind]
                    cols = ", ".join((*spec.columns, "batch_id"))
                    started = time.perf_counter()
                    with conn.cursor().copy(f"COPY {spec.table} ({cols}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row((*row, 1))
                    timed += time.perf_counter() - started
            started = time.perf_counter()
            conn.commit()
            timed += time.perf_counter() - started
        print("PostgreSQL (loopback socket), whole county:")
        print(
            f"  import (teller-assist import):  {shipped:7.1f} s   peak RSS {rss:.0f} MB "
            f"(parsing helper {helper:.0f} MB)"
        )
        print(
            f"  floor: plain COPY, same rows:   {timed:7.1f} s   ratio {shipped / timed:.2f} (target <= 1.5)"
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", type=Path, default=None)
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ta-bench-import-"))
    try:
        county = args.county
        if county is None:
            county = tmp / "county"
            generate_county(county, people=args.people, seed=1, as_of=AS_OF)
        rows = sum(1 for p in county.iterdir() for _ in p.open("rb")) - len(list(county.iterdir()))
        print(f"county: {county} ({rows:,} rows)")
        if args.engine in ("sqlite", "both"):
            bench_sqlite(county, tmp)
        if args.engine in ("postgres", "both"):
            bench_postgres(county)
        print(
            f"benchmark process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
