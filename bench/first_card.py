"""Benchmark the first customer card after sign-in (issue 21): the real window, signed in, an ID typed.

    .venv/bin/python -u bench/first_card.py [--data-dir DIR] [--runs 7] [--cards 10] [--profile]

DIR is a demo-mode data folder holding a county (an empty or new one: a 20,000-person demo county is
made in it first; without ``--data-dir``, in a temporary folder). Each run is a fresh interpreter
starting Teller Assist through its own entry point (``cli.main([])``, byte-compiled in a temporary copy,
as installed; Qt offscreen). Only hooks that take the times are added. Two ways of coming to the
counter, the runs taking turns:

- **at once**: the sign-in confirmed the moment the login shows (it goes ahead when the database is
  open), and the first customer's ID typed the moment the sign-in is done: the start's background work
  (the documents' warm-up thread, the window's idle warm-up) is at its busiest;
- **paced**: the sign-in confirmed 2 s after the login shows (a person typing a login and a password),
  then the ID typed one key every 120 ms.

Timed: from the ID's 18th key (the key press sent to the field) to the end of the window's next paint
with the card on it (the top-level window's ``UpdateRequest`` handled: the card and the survey drawn),
for the first card after sign-in and for each later card (the window cleared as Esc clears it, then
the next ID, one key every 10 ms, 0.5 s apart). Customers are drawn at random from the county
(eligible or not, as they come). Beside each time, the GUI thread's own CPU time over the same span
(``time.thread_time()``): a card whose wall time is far above it waited (for the interpreter lock, a
worker thread holding it; for the disk; for the machine) rather than worked.
``--profile`` adds one run with the GUI thread's first card profiled (cProfile), printing the top
entries by cumulative time. Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import compiled_copy, print_load_after, print_machine

CHILD = r"""
import json, os, sys, time
from teller_assist import cli
from teller_assist.ui import main_window
from teller_assist.ui.workspaces import counter as workspace
from PySide6.QtCore import QEvent, QTimer, Qt

def failed(*exc):
    import traceback; traceback.print_exception(*exc); os._exit(1)
sys.excepthook = failed
ids = os.environ["BENCH_IDS"].split(",")
paced = os.environ["BENCH_MODE"] == "paced"
profile = None
if os.environ.get("BENCH_PROFILE") == os.environ["BENCH_MODE"]:
    import cProfile
    profile = cProfile.Profile()
state = {"key": None, "i": 0, "window": None, "signed": None}
cards = []  # (the 18th key to the card painted, in s; documents' warm-up running; idle warm-up done)
warmed = []

def finish():
    out = {"cards": cards, "signed_at": state["signed"]}
    if profile is not None:
        import io, pstats
        buf = io.StringIO()
        pstats.Stats(profile, stream=buf).sort_stats("cumulative").print_stats(35)
        out["profile"] = buf.getvalue()
    print(json.dumps(out), flush=True)
    os._exit(0)

def type_id(window, id_no, gap_ms):
    from PySide6.QtTest import QTest
    counter = window.counter
    field = counter.id_input
    def key(k):
        if k == len(id_no) - 1:
            state["cpu"] = time.thread_time()  # the GUI thread's own CPU time from here to the paint
            state["key"] = (time.perf_counter(), counter._warming is not None and counter._warming.is_alive(),
                            bool(warmed))
            if profile is not None and state["i"] == 0:
                profile.enable()
        QTest.keyClick(field, id_no[k])
        if k + 1 < len(id_no):
            if gap_ms:
                QTimer.singleShot(gap_ms, lambda: key(k + 1))
            else:
                key(k + 1)
    field.setFocus()
    key(0)

def next_customer():
    window = state["window"]
    state["i"] += 1
    if state["i"] >= len(ids):
        finish()
    window.counter.next_customer()  # what Esc does (its shortcut wants the active window)
    QTimer.singleShot(500, lambda: type_id(window, ids[state["i"]], 10))

handled = main_window.MainWindow.event
def event(self, e):
    result = handled(self, e)
    counter = getattr(self, "counter", None)  # (events come while the window is being built)
    card = counter.card if counter is not None else None
    if e.type() == QEvent.Type.UpdateRequest and state["key"] is not None and card is not None:
        took = time.perf_counter() - state["key"][0]
        if profile is not None and state["i"] == 0:
            profile.disable()
        if card.rid.value != ids[state["i"]]:
            print(f"card {card.rid.value} shown for {ids[state['i']]}", file=sys.stderr); os._exit(3)
        cards.append((took, state["key"][1], state["key"][2], time.thread_time() - state["cpu"]))
        state["key"] = None
        QTimer.singleShot(0, next_customer)
    return result
main_window.MainWindow.event = event

warm = workspace.CounterWorkspace._warm_up
def _warm_up(self):
    warm(self)
    warmed.append(True)
workspace.CounterWorkspace._warm_up = _warm_up

asked = main_window.MainWindow.ask_login
def ask_login(self, **kw):
    dialog = asked(self, **kw)
    state["window"] = self
    def confirm():
        dialog.login.setText(os.environ["BENCH_LOGIN"])
        dialog.password.setText(os.environ["BENCH_PASSWORD"])
        dialog.try_login()
    QTimer.singleShot(2000 if paced else 0, confirm)
    return dialog
main_window.MainWindow.ask_login = ask_login

signed = main_window.MainWindow.sign_in
def sign_in(self, operator):
    signed(self, operator)
    state["signed"] = time.perf_counter()
    type_id(self, ids[0], 120 if paced else 0)
main_window.MainWindow.sign_in = sign_in
QTimer.singleShot(120_000, lambda: (print("timed out", file=sys.stderr), os._exit(2)))
cli.main([])
"""


def prepare(data_dir: Path | None, tmp: Path) -> tuple[dict[str, str], list[str], str]:
    """The environment of a demo-mode data folder with a county and a teller to sign in, the county's
    IDs, and where the county came from."""
    from teller_assist.services.database import open_database
    from teller_assist.services.imports import Importer, demo_county
    from teller_assist.settings import load_settings
    from teller_assist.store.operators import get_operator
    from teller_assist.store.queries import customer_ids
    from tests.helpers.context import context_of
    from tests.helpers.operators import make_operator

    folder = tmp / "data" if data_dir is None else data_dir
    env = {
        **os.environ,
        "TELLER_ASSIST_DATA_DIR": str(folder),
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "TELLER_ASSIST_CONFIG": str(tmp / "none.toml"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    store = open_database(load_settings(env)).store
    try:
        made = not customer_ids(store)
        if made:
            demo_county(context_of(store), tmp, by=Importer.os_account(), people=20_000)
        if get_operator(store, "bench-card") is None:
            make_operator(store, "bench-card")
        ids = customer_ids(store)
    finally:
        store.dispose()
    where = f"{folder}" + (" (a 20,000-person demo county made by this run)" if made else "")
    return env, ids, where


def run_child(env: dict[str, str], mode: str, ids: list[str], profile: bool = False) -> dict[str, object]:
    from tests.helpers.operators import PASSWORD

    child = {
        **env,
        "BENCH_MODE": mode,
        "BENCH_IDS": ",".join(ids),
        "BENCH_LOGIN": "bench-card",
        "BENCH_PASSWORD": PASSWORD,
    }
    if profile:
        child["BENCH_PROFILE"] = mode
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=child, capture_output=True, text=True, timeout=180
    )
    if out.returncode != 0:
        raise RuntimeError(f"the window's run failed ({out.returncode}): {out.stderr[-3000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, "
        f"max {max(values) * 1000:.1f}, n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cards", type=int, default=10, help="cards per run, the first included")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print_machine(
        "bench/first_card.py",
        f"{args.runs} fresh processes per way (at once, paced; taking turns), {args.cards} cards each",
    )
    tmp = Path(tempfile.mkdtemp(prefix="ta-bench-card-"))
    try:
        env, ids, where = prepare(args.data_dir, tmp)
        env = {**env, **compiled_copy(Path(__file__).resolve().parents[1], tmp / "compiled")}
        print(f"county: {where} ({len(ids):,} customers)", flush=True)
        rng = random.Random(21)
        modes = ("at-once", "paced")
        first: dict[str, list[float]] = {m: [] for m in modes}
        later: dict[str, list[float]] = {m: [] for m in modes}
        first_cpu: dict[str, list[float]] = {m: [] for m in modes}
        later_cpu: dict[str, list[float]] = {m: [] for m in modes}
        busy: dict[str, int] = {m: 0 for m in modes}
        idle_done: dict[str, int] = {m: 0 for m in modes}
        run_child(env, "at-once", rng.sample(ids, 2))  # warm the page cache once
        for i in range(args.runs):
            for mode in modes if i % 2 == 0 else modes[::-1]:
                result = run_child(env, mode, rng.sample(ids, args.cards))
                cards = result["cards"]
                assert isinstance(cards, list) and len(cards) == args.cards, result
                first[mode].append(cards[0][0])
                busy[mode] += bool(cards[0][1])
                idle_done[mode] += bool(cards[0][2])
                later[mode].extend(c[0] for c in cards[1:])
                first_cpu[mode].append(cards[0][3])
                later_cpu[mode].extend(c[3] for c in cards[1:])
            print(
                f"  run {i + 1}: first card at once {first['at-once'][-1] * 1000:.1f} ms, "
                f"paced {first['paced'][-1] * 1000:.1f} ms; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        for mode in modes:
            label = "at once (ID typed the moment the sign-in is done)" if mode == "at-once" else (
                "paced (sign-in after 2 s, a key every 120 ms)"
            )
            print(f"{label}:")
            print(f"  first card after sign-in: {ms(first[mode])} (target <= 50 ms)")
            print(
                f"    the documents' warm-up still running at the 18th key in {busy[mode]} of {args.runs} "
                f"runs; the window's idle warm-up done in {idle_done[mode]}"
            )
            later_sorted = sorted(later[mode])
            p99 = later_sorted[min(len(later_sorted) - 1, round(0.99 * (len(later_sorted) - 1)))]
            print(f"  later cards: {ms(later[mode])}, p99 {p99 * 1000:.1f} ms")
            print(
                f"  the GUI thread's own CPU time: first card {ms(first_cpu[mode])}; "
                f"later cards {ms(later_cpu[mode])}"
            )
        for mode in modes if args.profile else ():
            result = run_child(env, mode, rng.sample(ids, 2), profile=True)
            cards = result["cards"]
            assert isinstance(cards, list)
            took = cards[0][0] * 1000
            print(f"profiled run ({mode}), the GUI thread's first card {took:.1f} ms under cProfile:")
            print(result["profile"])
        print_load_after()
    finally:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"elapsed {time.perf_counter() - started:.0f} s")
