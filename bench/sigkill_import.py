"""Kill an import with SIGKILL at N random moments; count partial batches (must be 0).

    .venv/bin/python bench/sigkill_import.py [--points 100] [--rows 150000] [--seed 1]

Each round starts ``teller-assist import`` on one payroll file against an encrypted SQLite database,
kills it at a random moment, then checks ``PRAGMA integrity_check`` and that the database holds either
the whole file or nothing of it. Not part of the test suite (tests/ runs 20 points).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.extracts import GOV, MAN


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from _common import print_machine

    print_machine("bench/sigkill_import.py", f"{args.points} kills at random moments, one re-run after each")
    tmp = Path(tempfile.mkdtemp(prefix="ta-sigkill-"))
    data = tmp / "payroll_20261127.csv"
    with data.open("w", encoding="utf-8") as fh:
        fh.write("txn_id,id_no,employer_code,employer_name,pay_date,amount\n")
        for i in range(args.rows):
            fh.write(f"K{i},{MAN},{GOV},局,2026-10-01,{i % 900 + 1}\n")
    env = {
        **os.environ,
        "TELLER_ASSIST_DATA_DIR": str(tmp / "data"),
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
    }
    cmd = [sys.executable, "-m", "teller_assist", "import", str(data)]
    subprocess.run(
        [sys.executable, "-m", "teller_assist", "db", "upgrade"], env=env, check=True, capture_output=True
    )
    started = time.perf_counter()
    probe = subprocess.run(
        cmd, env={**env, "TELLER_ASSIST_DATA_DIR": str(tmp / "probe")}, capture_output=True, check=False
    )
    full = time.perf_counter() - started
    assert probe.returncode == 0, probe.stderr
    key = (tmp / "data" / "DEMO-MODE-database.key").read_text().splitlines()[-1].strip()
    rng = random.Random(args.seed)
    partial = complete_runs = killed_midway = 0
    for point in range(args.points):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlcipher3.dbapi2.connect(str(tmp / "data" / "teller-assist.db"))
        conn.execute(f"PRAGMA key = \"x'{key}'\"")
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batches, loaded = conn.execute(
            "SELECT count(*), coalesce(sum(rows_loaded), 0) FROM import_batch"
        ).fetchone()
        rows = conn.execute("SELECT count(*) FROM payroll_credit").fetchone()[0]
        if batches:  # it finished before the kill: start again from an empty database
            complete_runs += 1
            conn.execute("DELETE FROM payroll_credit")
            conn.execute("DELETE FROM import_batch")
            conn.commit()
        else:
            killed_midway += 1
        conn.close()
        if not ok or rows != loaded or batches not in (0, 1):
            partial += 1
            print(f"point {point}: integrity={ok} batches={batches} rows={rows} loaded={loaded}")
    print(f"full import of {args.rows:,} rows: {full:.2f} s")
    print(
        f"kills: {args.points}; killed mid-import: {killed_midway}; finished before the kill: {complete_runs}"
    )
    print(f"partial batches: {partial}  (target 0)")
    rerun = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True, check=False)
    print(f"re-run after the last kill: exit {rerun.returncode}")


if __name__ == "__main__":
    from _common import print_load_after

    main()
    print_load_after()
