"""Benchmark checking a group's roster (issue 17): a 10,000-member roster read, checked, matched against
the bank's records and pre-qualified.

    .venv/bin/python bench/roster_check.py --data-dir DIR [--members 10000] [--repeat 3]

DIR is a demo-mode data folder holding a demo county (teller-assist demo-data, then import). The roster
is a village workbook (.xlsx) of members drawn from the county's customers (with their names as the bank
has them, a tenth with the committee's evaluation), and, separately, the same as UTF-8 CSV. Target:
<= 5 s for 10,000 members. Prints the figures with the machine's load; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from sqlalchemy import select

from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services.campaigns import check_roster_file
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from teller_assist.store.models import Customer

AS_OF = dt.date.today()  # the demo county is made as of today
HEADER = ["序号", "户号", "姓名", "身份证号", "村民小组", "评议", "评议人"]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{dt.datetime.now():%Y-%m-%d %H:%M}; {load()}; {args.members:,} members, {args.repeat} repetitions"
    )
    settings = load_settings(
        {
            "TELLER_ASSIST_DATA_DIR": str(args.data_dir),
            "TELLER_ASSIST_KEY_STORE": "demo-file",
            "TELLER_ASSIST_CONFIG": "/nonexistent",
        }
    )
    opened = open_database(settings)
    store = opened.store
    with store.session() as session:
        people = list(session.execute(select(Customer.id_no, Customer.name)))
    print(f"county: {len(people):,} customers")
    chosen = random.Random(7).sample(people, args.members)
    rows = []
    for i, (id_no, name) in enumerate(chosen, 1):
        evaluation = ("好", "村委会 张主任") if i % 10 == 0 else ("", "")
        rows.append([i, f"H{i // 3:05d}", name, id_no, f"第{i % 12 + 1}组", *evaluation])
    folder = Path(tempfile.mkdtemp(prefix="ta-roster-"))
    book = Workbook()
    sheet = book.active
    sheet.append(["后白村村民名单"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    xlsx = folder / "roster.xlsx"
    book.save(xlsx)
    csv_path = folder / "roster.csv"
    csv_path.write_text("\n".join(",".join(map(str, r)) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    ctx = Context(store, settings, load_policy(default_policy_path()), Clock.on(AS_OF))
    for path in (xlsx, csv_path):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            check = check_roster_file(ctx, path, "village", operator="os:bench")
            times.append(time.perf_counter() - started)
        d = check.decision
        median = statistics.median(times)
        print(
            f"{path.suffix}: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f});"
            " target <= 5 s,"
            f" ratio {median / 5:.2f}; members {len(d.decided):,}, refused {len(d.refused):,},"
            f" eligible {d.eligible:,}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB; {load()}")
    store.dispose()


if __name__ == "__main__":
    main()
