"""Benchmark a campaign's notification (issue 17, item 6): 5,000 granted members' agreements and letters
rendered into kept PDFs (the data folder's ``printed/``, as the counter keeps them) and merged print files
in delivery order, by ``teller-assist campaign letters CODE --out DIR`` run as its own process (its worker
processes included). Target: <= 60 s on two cores, memory flat, within 1.5x of the single-document time x
count / cores measured in the same run.

    .venv/bin/python -u bench/campaign_letters.py --county DIR [--people 620000] [--letters 5000]
        [--repeat 1] [--data-dir DIR] [--workers N] [--documents both|letter|agreement]

``--county DIR`` holds the demo county's extracts (written there first when missing). SQLite as shipped
(the engine whose writes are slowest); ``--data-dir`` keeps the loaded folder between runs. Each
repetition grants a new village campaign of people not used before (submitted and batch-approved
in-process, not timed), then times the command from launch to exit while sampling its process tree's
summed RSS. The single-document time: one member's agreement and letter (or the one ``--documents``
names) rendered in this process (the median CPU time of 40 members, warm), times the count, over the
cores.
Prints the machine's load before and after; never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import print_load_after, print_machine, run_measured, spread
from bench.campaigns import AS_OF, ensure_county, new_campaign, roster, staff, timed
from teller_assist.documents.render import render
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services import campaign_batches, campaigns, documents
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.settings import load_settings
from teller_assist.store import applications as store_apps
from teller_assist.store import campaigns as store_campaigns
from tests.helpers.operators import PASSWORD


def granted(ctx: Context, people: list[tuple[str, str]], code: str, folder: Path) -> int:
    """A village campaign of ``people`` (村民小组 of ~200, households of 3, four in five with a mobile
    phone), submitted and approved."""
    store = ctx.store
    admin, head1, head2 = staff(store)
    new_campaign(ctx, admin, code)
    path = roster(folder, f"{code}.xlsx", people, delivery=True)
    campaigns.import_roster(ctx, admin, code, path)
    sub = campaign_batches.submit_campaign(ctx, head1, code)
    assert sub.batch_id is not None
    done = campaign_batches.approve_batch(ctx, head2, sub.batch_id)
    return len(done.approved)


def single_document_seconds(
    ctx: Context, code: str, kinds: tuple[str, ...] = ("agreement", "letter"), samples: int = 40
) -> float:
    """One member's documents (``kinds``) rendered here, warm: the median CPU time over ``samples``
    members (the CPU, not the wall clock: rendering is all CPU, and the wall clock of a few
    milliseconds caught whatever else the machine did)."""
    store, settings = ctx.store, ctx.settings
    campaign = store_campaigns.get(store, code)
    assert campaign is not None
    members = store_campaigns.granted_here(store, campaign.id, ("approved",))[:samples]
    key = documents.document_key(ctx)
    times = []
    for i, m in enumerate([members[0], *members]):
        record = store_apps.get_application(store, m.application_id)
        assert record is not None
        started = time.process_time()
        for kind in kinds:
            render(
                documents.document_data(
                    record, kind, settings, settings.masking, key, copy=False, today=AS_OF, full_id=True
                )
            )
        if i:  # the first warms the renderer
            times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", type=Path, required=True)
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--letters", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--workers", type=int, help="render processes (default: the command's own choice)")
    parser.add_argument(
        "--documents",
        choices=("both", "letter", "agreement"),
        default="both",
        help="what each member is issued (the command's --documents): both, or the letter or agreement alone",
    )
    args = parser.parse_args()
    print_machine("bench/campaign_letters.py", f"{args.repeat}, new people each time")
    cores = os.cpu_count() or 1
    ensure_county(args.county, args.people)
    policy = load_policy(default_policy_path())
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ta-bench-letters-db-"))
    env = {
        "TELLER_ASSIST_DATA_DIR": str(data_dir),
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": "/nonexistent",
    }
    settings = load_settings(env)
    opened = open_database(settings)
    store = opened.store
    ctx = Context(store, settings, policy, Clock.on(AS_OF))
    if opened.overview.empty:
        print(f"loading the county into SQLite at {data_dir} ...")
        seconds, _ = timed(lambda: import_paths(store, [args.county], today=AS_OF))
        print(f"  {seconds:.1f} s")
    from bench.campaigns import eligible_people

    pool = eligible_people(store)
    # people already on a campaign hold or await a line: skip them
    with store.connection() as conn:
        from sqlalchemy import text

        taken = {str(r[0]) for r in conn.execute(text("SELECT DISTINCT id_no FROM application"))}
    folder = Path(tempfile.mkdtemp(prefix="ta-bench-letters-"))
    stamp = f"{time.time_ns() % 10**9}"
    walls, ratios, peaks = [], [], []
    for k in range(args.repeat):
        chosen: list[tuple[str, str]] = []
        while len(chosen) < args.letters:
            person = next(pool)
            if person[0] not in taken:
                chosen.append(person)
                taken.add(person[0])
        code = f"bench-letters-{stamp}-{k}"
        seconds, count = timed(lambda c=chosen, code=code: granted(ctx, c, code, folder))
        print(f"  campaign {code}: {count:,} granted (set-up, not timed: {seconds:.1f} s)")
        kinds = {"both": ("agreement", "letter"), "letter": ("letter",), "agreement": ("agreement",)}[
            args.documents
        ]
        one = single_document_seconds(ctx, code, kinds)
        out = folder / f"out-{k}"
        cmd = [sys.executable, "-m", "teller_assist", "campaign", "letters", code, "--out", str(out),
               "--as-of", AS_OF.isoformat(), "--json", "--user", "bench-head1",
               "--password-stdin", "--documents", args.documents]  # fmt: skip
        if args.workers is not None:
            cmd += ["--workers", str(args.workers)]
        load_before = os.getloadavg()[0]
        run = run_measured(cmd, {**os.environ, **env}, stdin=PASSWORD + "\n")
        floor = one * count / cores
        ratio = run.seconds / floor
        walls.append(run.seconds)
        ratios.append(ratio)
        peaks.append(run.peak_tree_mb)
        pages = sum(f.stat().st_size for f in out.glob("*.pdf")) / 2**20
        said = json.loads(run.stdout)
        assert said["originals"] == len(kinds) * count, said
        print(
            f"  {count:,} people: {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU, "
            f"peak RSS {run.peak_tree_mb:.0f} MB summed over {run.processes} processes; one member's "
            f"{'+'.join(kinds)} {one * 1000:.1f} ms x {count:,} / {cores} cores = {floor:.1f} s, "
            f"ratio {ratio:.2f}; "
            f"merged files {len(list(out.glob('*.pdf')))} ({pages:.0f} MB), {said['rendered_ahead']:,} "
            f"documents rendered by workers; load {load_before:.2f} at its start"
        )
    w, r, p = spread(walls), spread(ratios), spread(peaks)
    print(f"  => wall {w.text()}; target <= 60 s, ratio to target {w.median / 60:.2f}")
    print(f"  => ratio to single-document x count / cores {r.text('x', 2)}; target <= 1.5x")
    print(f"  => peak RSS summed {p.text('MB', 0)}")
    store.dispose()
    print_load_after()


if __name__ == "__main__":
    main()
