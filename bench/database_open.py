"""Benchmark: opening the database, against a bare open of the same SQLCipher file in the same run.

    .venv/bin/python bench/database_open.py --data-dir DIR [--runs 15]

DIR is a data folder in demo mode (its key in ``DEMO-MODE-database.key``) holding a loaded county. Each
run is a fresh interpreter (Teller Assist byte-compiled in a temporary copy of the package, as installed),
the kinds taking turns, the order turning run by run:

- bare: ``import sqlcipher3``, the key read from the same file, connect, the same pragmas the store sets
  (busy timeout, WAL, ``synchronous = FULL``, foreign keys) and reads back, then what the start shows
  in one read transaction: whether any customer is there, how many batches, the latest extract date;
- open: ``services.database.open_database`` as every face calls it (settings, the engine, the key, the
  pragmas and their check, the schema revision, the overview);
- counter: ``services.database.open_for_counter`` as the window's worker calls it behind the login
  (the open, then the policy, expired lines closed, old drafts purged, the operators, the customers
  counted for the window's welcome).

Each child reports the time its imports took and the time of the work after them; the parent takes
the whole process from launch to exit. Reported: medians with min-max and the median of the per-run
ratios to the bare open (target: the open <= 3x), for the work alone and with the imports.
Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import compiled_copy, pairs_summary, print_load_after, print_machine, spread

BARE = r"""
import time
t0 = time.perf_counter()
import sys
from pathlib import Path
import sqlcipher3
t1 = time.perf_counter()
folder = Path(sys.argv[1])
key = (folder / "DEMO-MODE-database.key").read_text().splitlines()[-1].strip()
conn = sqlcipher3.dbapi2.connect(str(folder / "teller-assist.db"), isolation_level=None)
cur = conn.cursor()
cur.execute(f"PRAGMA key = \"x'{key}'\"")
cur.execute("PRAGMA busy_timeout = 10000")
cur.execute("PRAGMA journal_mode = WAL")
cur.execute("PRAGMA synchronous = FULL")
cur.execute("PRAGMA foreign_keys = ON")
assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
assert cur.execute("PRAGMA synchronous").fetchone()[0] == 2
assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
cur.execute("BEGIN")
anyone = cur.execute("SELECT EXISTS (SELECT 1 FROM customer)").fetchone()[0]
batches = cur.execute("SELECT count(*) FROM import_batch").fetchone()[0]
latest = cur.execute("SELECT max(extract_date) FROM import_batch").fetchone()[0]
cur.execute("COMMIT")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, anyone, batches, latest)
"""

OPEN = r"""
import time
t0 = time.perf_counter()
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
t1 = time.perf_counter()
opened = open_database(load_settings())
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, not opened.overview.empty, opened.overview.batches, opened.overview.latest_extract)
"""

COUNTER = r"""
import time
t0 = time.perf_counter()
import datetime as dt
from teller_assist.services.database import open_for_counter
from teller_assist.settings import load_settings
t1 = time.perf_counter()
start = open_for_counter(load_settings(), dt.date(2026, 11, 30))
t2 = time.perf_counter()
shown = start.opened.overview
print(t1 - t0, t2 - t1, shown.customers, shown.batches, start.policy is not None)
"""


def spawn(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(launch to exit, the child's imports, the child's work after them) in seconds, and what it said."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    whole = time.perf_counter() - started
    imports, work, *said = out.stdout.split()
    return whole, float(imports), float(work), " ".join(said)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print_machine(
        "bench/database_open.py",
        f"{args.runs} runs of each kind (bare, open, counter), fresh interpreters, the order turning; "
        "1 warm-up run of each first",
    )
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "TELLER_ASSIST_DATA_DIR": str(args.data_dir),
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": str(args.data_dir / "none.toml"),
    }
    with tempfile.TemporaryDirectory(prefix="ta-bench-pyc-") as prefix:
        env.update(compiled_copy(root, Path(prefix)))
        kinds = {
            "bare": (BARE, [str(args.data_dir)]),
            "open": (OPEN, []),
            "counter": (COUNTER, []),
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in kinds}
        said: dict[str, str] = {}
        for name, (code, argv) in kinds.items():  # warm the page cache and the byte code once
            said[name] = spawn(code, argv, env)[3]
        order = list(kinds)
        for i in range(args.runs):
            turn = order[i % 3 :] + order[: i % 3]
            for name in turn if i % 2 == 0 else reversed(turn):
                code, argv = kinds[name]
                whole, imports, work, _said = spawn(code, argv, env)
                results[name].append((whole, imports, work))
    print(
        f"  the database: {args.data_dir}; each kind read: " + "; ".join(f"{k}: {v}" for k, v in said.items())
    )
    bare = results["bare"]
    for name in kinds:
        runs = results[name]
        work = [w * 1000 for _whole, _imports, w in runs]
        with_imports = [(i + w) * 1000 for _whole, i, w in runs]
        whole = [x * 1000 for x, _i, _w in runs]
        print(f"{name}:")
        print(f"  the work alone (modules loaded):     {spread(work).text('ms', 1)}")
        print(f"  imports and work:                    {spread(with_imports).text('ms', 1)}")
        print(f"  launch to exit (whole process):      {spread(whole).text('ms', 0)}")
        if name != "bare":
            ratios = []
            for label, mine, theirs in (
                ("the work alone", work, [w * 1000 for _x, _i, w in bare]),
                ("imports and work", with_imports, [(i + w) * 1000 for _x, i, w in bare]),
                ("launch to exit", whole, [x * 1000 for x, _i, _w in bare]),
            ):
                _m, _t, ratio = pairs_summary(mine, theirs)
                ratios.append(f"{label} {ratio.median:.2f}x ({ratio.low:.2f}-{ratio.high:.2f})")
            print(
                "  ratio to the bare open, median of the runs: "
                + "; ".join(ratios)
                + ("  (target for the open: <= 3x)" if name == "open" else "")
            )
    print_load_after()


if __name__ == "__main__":
    main()
