"""Benchmark: generate the whole demo county (620,000 people) and validate what was written.

Target (issue 2): under 2 minutes on this 2-core machine. Prints the figures; never run by the tests.

    .venv/bin/python bench/demo_county.py [--people N] [--out DIR] [--processes P]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import resource
import shutil
import tempfile
import time
from pathlib import Path

from teller_assist.demo.county import FORMATS, generate_county
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.identity.uscc import parse_uscc


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    from _common import print_machine

    print_machine("bench/demo_county.py", "one generation, then one validating read of every file")
    out = args.out or Path(tempfile.mkdtemp(prefix="ta-bench-county-"))
    target_s = 120.0
    started = time.perf_counter()
    summary = generate_county(
        out, people=args.people, seed=args.seed, as_of=dt.date(2026, 11, 28), processes=args.processes
    )
    elapsed = time.perf_counter() - started
    total_rows = sum(summary.rows.values())
    size = sum(p.stat().st_size for p in summary.files.values())
    for kind, rows in summary.rows.items():
        print(f"  {kind:<20} {rows:>10,} rows")
    print(f"people:        {args.people:,}")
    print(f"rows:          {total_rows:,} ({size / 1e6:,.0f} MB)")
    print(f"elapsed:       {elapsed:.1f} s  (target < {target_s:.0f} s, ratio {elapsed / target_s:.2f})")
    print(f"throughput:    {total_rows / elapsed:,.0f} rows/s")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS:      main {peak_self:.0f} MB, largest worker {peak_children:.0f} MB")
    started = time.perf_counter()
    problems = validate(summary.files)
    print(f"validation:    {'valid' if not problems else 'INVALID'} ({time.perf_counter() - started:.1f} s)")
    for problem in problems[:20]:
        print(f"  {problem}")
    if args.out is None:
        shutil.rmtree(out)


def validate(files: dict[str, Path]) -> list[str]:
    """Every ID valid and unique, every employer code valid, every debit's agreement present."""
    problems: list[str] = []
    today = dt.date(2026, 11, 28)

    def rows(kind: str) -> list[list[str]]:
        fmt = FORMATS[kind]
        text = files[kind].read_bytes().decode(fmt.encoding)
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter, strict=True))[1:]

    seen: set[str] = set()
    for row in rows("customers"):
        try:
            value = parse_resident_id(row[0], today=today).value
        except InvalidResidentId as exc:
            problems.append(f"customers: {exc}")
            continue
        if value in seen:
            problems.append(f"customers: duplicate ID {value[:4]}…")
        seen.add(value)
    for row in rows("payroll"):
        parse_uscc(row[2])
        if row[1].upper() not in seen:
            problems.append("payroll: unknown person")
    agreements = {r[0] for r in rows("utility_agreements")}
    problems += ["debit without agreement" for r in rows("utility_debits") if r[1] not in agreements]
    return problems


if __name__ == "__main__":
    from _common import print_load_after

    main()
    print_load_after()
