"""Benchmark group campaigns (issue 17) on SQLite as shipped and on PostgreSQL:

1. a 10,000-member roster read, matched and pre-qualified (``campaign import``: the workbook read and
   checked, every member matched against the bank's records and decided, then stored): target <= 5 s;
2. 5,000 base-line applications submitted in one batch (``campaign submit``) and batch-approved by a
   second person (``campaign batch approve``), every application's own audit rows included:
   target <= 15 s for the two together.

    .venv/bin/python -u bench/campaigns.py --county DIR [--people 620000] [--engine sqlite|postgres|both]
        [--members 10000] [--base 5000] [--repeat 3] [--data-dir DIR]

``--county DIR`` holds the demo county's extracts (written there first when missing, ``--people`` of
them, without history). SQLite: ``--data-dir`` keeps the loaded demo-mode folder between runs (loaded
once). PostgreSQL: a throw-away durable server (fsync on), loaded each run. Each repetition uses a new
campaign of people not used before, so nobody already holds a line. Run at a small size to check the
script (``--people 3000 --members 800 --base 300 --repeat 1``); the full size is the issue's. ``--base 0``
times the roster import alone. Prints
figures with the machine's load; never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from sqlalchemy import select

from bench._common import print_load_after, print_machine, spread
from teller_assist.campaigns.campaign import check_spec
from teller_assist.demo.county import generate_county
from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.money import format_yuan
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.services import campaign_batches, campaigns
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_first_admin, add_operator
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from teller_assist.store.models import Application, Customer, NegativeListEntry
from teller_assist.store.operators import OperatorRecord
from tests.helpers.context import context_of
from tests.helpers.operators import PASSWORD

AS_OF = dt.date(2026, 11, 28)
HEADER = ["序号", "户号", "姓名", "身份证号", "评议", "评议人", "同意查询征信", "同意处理个人信息"]


def on_day(store: Store, policy: Policy) -> Context:
    """The context the batch services take: the store and the policy, on the bench's day."""
    return Context(store, load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}), policy, Clock.on(AS_OF))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def ensure_county(folder: Path, people: int) -> None:
    if any(folder.glob("customers_*.csv")):
        return
    print(f"generating {people:,} people into {folder} ...")
    seconds, _ = timed(lambda: generate_county(folder, people=people, seed=1, as_of=AS_OF, processes=2))
    print(f"  {seconds:.1f} s")


def staff(store: Store) -> tuple[OperatorRecord, OperatorRecord, OperatorRecord]:
    """Head office, a branch head who submits, a second branch head who approves (branch 0101)."""
    from teller_assist.store.operators import get_operator

    admin = get_operator(store, "bench-admin") or add_first_admin(
        context_of(store), login="bench-admin", name="bench-admin", password=PASSWORD, branch_code="0001"
    )
    people = []
    for login in ("bench-head1", "bench-head2"):
        found = get_operator(store, login)
        people.append(
            found
            or add_operator(
                context_of(store),
                admin,
                login=login,
                name=login,
                role="branch_head",
                password=PASSWORD,
                branch_code="0101",
            )
        )
    return admin, people[0], people[1]


def eligible_people(store: Store) -> Iterator[tuple[str, str]]:
    """The county's customers off the negative list, within the age band and without any application
    (a county loaded with its history has lines open: they would be skipped, not submitted), in a fixed
    random order."""
    with store.session() as s:
        listed = set(
            s.scalars(select(NegativeListEntry.id_no).where(NegativeListEntry.lifted_batch_id.is_(None)))
        )
        listed |= set(s.scalars(select(Application.id_no).distinct()))
        people = [
            (str(i), str(n))
            for i, n in s.execute(select(Customer.id_no, Customer.name))
            if i not in listed and n and 18 <= parse_resident_id(i, today=AS_OF).age_on(AS_OF) <= 65
        ]
    random.Random(7).shuffle(people)
    yield from people


def roster(folder: Path, name: str, people: list[tuple[str, str]], *, delivery: bool = False) -> Path:
    """The village's roster as the committee hands it over; with ``delivery`` also each member's
    村民小组 (about 200 people a group) and a mobile phone for four in five, as a letters run meets them."""
    book = Workbook()
    sheet = book.active
    sheet.append(["后白村村民名单"])
    sheet.append(HEADER + (["村民小组", "手机号"] if delivery else []))
    for i, (id_no, person) in enumerate(people, 1):
        evaluation = ("好", "村委会 张主任") if i % 10 == 0 else ("", "")
        extra = [f"{i // 200 + 1}组", f"139{i:08d}" if i % 5 else ""] if delivery else []
        sheet.append([i, f"H{i // 3:05d}", person, id_no, *evaluation, "是", "是", *extra])
    path = folder / name
    book.save(path)
    return path


def context(store: Store, policy: Policy) -> Context:
    """The services' context on the bench's day, with the default settings (the default masking)."""
    return Context(store, load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}), policy, Clock.on(AS_OF))


def new_campaign(ctx: Context, admin: OperatorRecord, code: str) -> None:
    spec = check_spec(
        code=code,
        scenario="village",
        group_name="后白镇后白村",
        branch_code="0101",
        starts_on=AS_OF,
        ends_on=AS_OF + dt.timedelta(days=120),
        today=AS_OF,
    )
    campaigns.create_campaign(ctx, admin, spec)


def run(name: str, store: Store, args: argparse.Namespace, policy: Policy) -> None:
    print(f"{name}:")
    admin, head1, head2 = staff(store)
    pool = eligible_people(store)
    folder = Path(tempfile.mkdtemp(prefix="ta-bench-campaigns-"))
    stamp = f"{time.time_ns() % 10**9}"
    ctx = context(store, policy)

    imports: list[float] = []
    for k in range(args.repeat):
        chosen = [next(pool) for _ in range(args.members)]
        path = roster(folder, f"roster-{k}.xlsx", chosen)
        code = f"bench-import-{stamp}-{k}"
        new_campaign(ctx, admin, code)
        began: dict[str, float] = {}

        def stage(name: str, _done: int, _total: int, began: dict[str, float] = began) -> None:
            began.setdefault(name, time.perf_counter())

        seconds, done = timed(
            lambda path=path, code=code, stage=stage: campaigns.import_roster(
                ctx, admin, code, path, progress=stage
            )
        )
        ended = time.perf_counter()
        imports.append(seconds)
        marks = [*began.values(), ended]
        stages = ", ".join(f"{name} {b - a:.2f}" for name, a, b in zip(began, marks, marks[1:], strict=False))
        print(
            f"  roster of {args.members:,}: read, matched, pre-qualified and stored in {seconds:.2f} s "
            f"(matched {done.plan.count('matched'):,}, eligible {done.plan.eligible:,}, "
            f"refused rows {len(done.plan.refused):,}; by stage, s: {stages})"
        )
    s = spread(imports)
    print(f"  => roster import: {s.text()}; target <= 5 s, ratio {s.median / 5:.2f}")

    if not args.base:  # --base 0: the roster import alone
        return
    submits: list[float] = []
    approves: list[float] = []
    ctx = on_day(store, policy)
    for k in range(args.repeat):
        chosen = [next(pool) for _ in range(args.base)]
        code = f"bench-batch-{stamp}-{k}"
        new_campaign(ctx, admin, code)
        campaigns.import_roster(ctx, admin, code, roster(folder, f"batch-{k}.xlsx", chosen))
        seq_before = store_audit.last_seq(store)
        t_submit, sub = timed(lambda code=code: campaign_batches.submit_campaign(ctx, head1, code))
        seq_mid = store_audit.last_seq(store)
        t_approve, approved = timed(
            lambda sub=sub: campaign_batches.approve_batch(ctx, head2, sub.batch_id, sms_sender="句容农商行")
        )
        seq_after = store_audit.last_seq(store)
        submits.append(t_submit)
        approves.append(t_approve)
        print(
            f"  batch of {args.base:,}: submitted {sub.submitted:,} ({sum(sub.skipped.values()):,} skipped: "
            f"{dict(sub.skipped) or '-'}) "
            f"in {t_submit:.2f} s with {seq_mid - seq_before:,} audit rows; approved "
            f"{len(approved.approved):,} ({format_yuan(approved.total)} yuan) in {t_approve:.2f} s with "
            f"{seq_after - seq_mid:,} audit rows; together {t_submit + t_approve:.2f} s"
        )
    both = spread([a + b for a, b in zip(submits, approves, strict=True)])
    print(
        f"  => submit {spread(submits).text()}, approve {spread(approves).text()}; together {both.text()}; "
        f"target <= 15 s, ratio {both.median / 15:.2f}"
    )
    seconds, verified = timed(lambda: store_audit.verify(store))
    print(
        f"  audit chain after the runs: {verified.rows:,} rows, ok={verified.ok} (checked in {seconds:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", type=Path, required=True)
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--base", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    print_machine("bench/campaigns.py", f"{args.repeat} of each, new people each time")
    ensure_county(args.county, args.people)
    policy = load_policy(default_policy_path())
    if args.engine in ("sqlite", "both"):
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ta-bench-campaigns-db-"))
        settings = load_settings(
            {
                "TELLER_ASSIST_DATA_DIR": str(data_dir),
                "TELLER_ASSIST_KEY_STORE": "demo-file",
                "TELLER_ASSIST_CONFIG": "/nonexistent",
            }
        )
        opened = open_database(settings)
        if opened.overview.empty:
            print(f"loading the county into SQLite at {data_dir} ...")
            seconds, _ = timed(lambda: import_paths(opened.store, [args.county], today=AS_OF))
            print(f"  {seconds:.1f} s")
        run("SQLite (SQLCipher, WAL, synchronous=FULL, as shipped)", opened.store, args, policy)
        opened.store.dispose()
    if args.engine in ("postgres", "both"):
        from tests.helpers.postgres import start_server

        server = start_server(durable=True)
        try:
            url = server.create_database("campaigns")
            opened = open_database(load_settings({"TELLER_ASSIST_CONFIG": "/nonexistent"}, database_url=url))
            print("loading the county into PostgreSQL ...")
            seconds, _ = timed(lambda: import_paths(opened.store, [args.county], today=AS_OF))
            print(f"  {seconds:.1f} s")
            with opened.store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            run("PostgreSQL (Unix socket, fsync on)", opened.store, args, policy)
            opened.store.dispose()
        finally:
            server.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB")
    print_load_after()


if __name__ == "__main__":
    main()
