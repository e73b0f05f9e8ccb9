"""Benchmark pre-qualification on the full demo county.

    .venv/bin/python bench/prequal.py --data-dir DIR   # a demo-mode data folder holding the county

1. One decision (the pure engine, on cards already built): target <= 0.2 ms.
2. `simulate` over every customer, one policy: target <= 60 s, peak memory <= 500 MB.
Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from teller_assist.money import format_yuan
from teller_assist.prequal.engine import decide
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.prequal.survey import Survey, check_survey
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.lookup import lookup
from teller_assist.services.simulate import simulate
from teller_assist.settings import load_settings
from teller_assist.store.queries import customer_ids
from tests.helpers.context import context_of
from tests.helpers.surveys import walk_in_answers

AS_OF = dt.date(2026, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    from _common import print_machine

    print_machine(
        "bench/prequal.py",
        "10,000 decisions without and with a survey, each once; simulate over the county once",
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
    policy = load_policy(default_policy_path())
    ids = customer_ids(store)
    cards = [lookup(context_of(store), i, as_of=AS_OF) for i in random.Random(5).sample(ids, 10_000)]
    survey = check_survey(
        Survey("walk_in", walk_in_answers(household_income=90_000, debts=10_000)),
        policy,
    )
    for label, checked in (("no survey", None), ("completed survey", survey)):
        times = []
        for card in cards:
            started = time.perf_counter()
            decide(card, checked, policy, AS_OF)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(
            f"one decision ({label}, 10,000 cards): p50 {statistics.median(times):.3f} ms, "
            f"p99 {times[int(len(times) * 0.99) - 1]:.3f} ms (target <= 0.2 ms)"
        )
    del cards
    started = time.perf_counter()
    result = simulate(Context(store, settings, policy), [policy], as_of=AS_OF)
    elapsed = time.perf_counter() - started
    run = result.runs[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"simulate over {run.people:,} customers: {elapsed:.1f} s (target <= 60 s), peak RSS {rss:.0f} MB "
        f"(target <= 500 MB); coverage {run.coverage:.2%}, "
        f"exposure as is {format_yuan(run.now.total.exposure_fen)} yuan, "
        f"evidence confirmed {format_yuan(run.confirmed.total.exposure_fen)} yuan"
    )
    store.dispose()


if __name__ == "__main__":
    from _common import print_load_after

    main()
    print_load_after()
