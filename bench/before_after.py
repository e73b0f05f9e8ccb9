"""Before and after a reshape, in one run: the card, cold-start and counter-flow benches on an older
checkout (OLD, e.g. the commit before issue 16's reshape, 5cc7b70) and on this one (NEW), interleaved in
pairs with the order alternating, then one table: each figure's median and min-max for both, the
per-pair new/old ratio, and new against the figure BENCHMARKS.md records (within 10 % or not).

    git worktree add --detach ../old 5cc7b70 && (cd ../old && python3 -m venv .venv &&
        .venv/bin/pip install -e '.[test]')
    .venv/bin/python -u bench/before_after.py --old ../old --data DIR \
        --prepare COUNTY_DATA_DIR DEMO_DATA_DIR        # once: the four folders below, then the run
    .venv/bin/python -u bench/before_after.py --old ../old --data DIR [--pairs 5] [--benches card,flow,window]

DIR holds four data folders: ``card-old`` and ``demo-old`` (a loaded county and a demo county, upgraded
by the old code) and ``card-new`` and ``demo-new`` (the same files upgraded by this code): the schemas
differ, so each code gets its own copy. ``--prepare`` makes them from two data folders of an older
schema.

Which script measures which code:
- card: this checkout's bench/lookup_card.py (with its bench/_common.py) for BOTH, the code chosen by
  PYTHONPATH (the script needs only services.lookup, services.audit and store.*, as old as issue 4);
- cold start and counter flow: each tree's own bench/counter_flow.py (this one drives the counter
  workspace, ``window.counter``, which an older window may not have); a fresh copy of the demo county
  per run;
- the window (issue 4): each tree's own bench/window_timing.py.

Nothing in either checkout is changed except the byte code an older counter_flow.py writes itself
(``compileall``), removed again after each of its runs. Every bench's raw output is kept under --logs.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import print_load_after, print_machine

HERE = Path(__file__).resolve().parent.parent
# set from the command line by main()
OLD = NEW = DATA = WORK = LOGS = HERE
PAIRS, CF_RUNS, CF_CUSTOMERS, TIMEOUT = 5, 3, 5, 900
BENCHES: list[str] = []
NICE = ""

# (measure key, label, BENCHMARKS.md figure, its date and where, unit)
REFERENCE = [
    ("card_p50", "card p50 (lookup_card, SQLite, 620k)", 0.240, "2026-11-28, schema 0004", "ms"),
    ("card_p99", "card p99", 0.576, "2026-11-28, schema 0004", "ms"),
    ("card_ratio50", "card / floor p50 (floor method changed 11-30)", 1.50, "2026-11-28", "x"),
    ("card_audited50", "counter's lookup with audit row p50", 1.13, "2026-11-30, issue 21", "ms"),
    ("cold_empty", "cold: empty QMainWindow paint (calibration)", 152, "2026-11-29, round 3", "ms"),
    ("cold_login", "cold: login painted, taking keys", 224, "2026-11-29, round 3", "ms"),
    ("cold_login_ratio", "cold: login / empty QMainWindow", 1.47, "2026-11-29, round 3", "x"),
    ("cold_data", "cold: database open behind the login", 762, "2026-11-29, round 3", "ms"),
    ("cold_signed", "cold: signed in at once, ID field ready", 1073, "2026-11-29, round 3", "ms"),
    ("flow_total", "flow p50 (each tree's own key script)", 1076, "2026-11-29 (run 2: 1,184)", "ms"),
    ("flow_identify", "flow: identify step p50", 9.3, "2026-11-29 (run 2: 9.9)", "ms"),
    ("win_paint", "window_timing: cold to first paint", 304, "2026-11-28, schema 0004", "ms"),
    ("win_ready", "window_timing: cold to data ready", 927, "2026-11-28, schema 0004", "ms"),
    ("win_card50", "window_timing: ID to card painted p50", 5.3, "2026-11-28, schema 0004", "ms"),
    ("win_card99", "window_timing: ID to card painted p99", 9.8, "2026-11-28, schema 0004", "ms"),
]
# the issue-22 figure of main's own flow measure (a different key script and printing through lp)
FLOW22 = (1411, "2026-11-30 16:26, 20 flows, issue 22's keys")

NUM = r"([\d,]+(?:\.\d+)?)"


def num(text: str) -> float:
    return float(text.replace(",", ""))


def parse_card(out: str) -> dict[str, float]:
    got = {}
    if m := re.search(rf"card assembly \(services\.lookup\): p50 {NUM} ms\s+p99 {NUM} ms", out):
        got["card_p50"], got["card_p99"] = num(m[1]), num(m[2])
    if m := re.search(rf"ratio to the floor: p50 {NUM}x\s+p99 {NUM}x", out):
        got["card_ratio50"] = num(m[1])
    if m := re.search(rf"audit row committed .*?p50 {NUM} ms\s+p99 {NUM} ms", out):
        got["card_audited50"] = num(m[1])
    return got


def parse_flow(out: str) -> dict[str, float]:
    got = {}
    # main prints two cold-start blocks; the byte-compiled one ("as installed") is the one to compare
    # (the old script byte-compiles the checkout and prints one block, "byte-compiled")
    blocks = re.split(r"(?m)^cold start", out)
    block = next((b for b in blocks if "byte-compiled" in b.split("\n", 1)[0]), "")
    pats = {
        "cold_empty": rf"empty QMainWindow, launch to first paint:\s+{NUM} ms",
        "cold_login": rf"the login painted, taking keys:\s+{NUM} ms",
        "cold_data": rf"database open behind the login:\s+{NUM} ms",
        "cold_signed": rf"the ID field ready:\s+{NUM} ms",
    }
    for key, pat in pats.items():
        if m := re.search(pat, block):
            got[key] = num(m[1])
    if "cold_login" in got and "cold_empty" in got:
        got["cold_login_ratio"] = got["cold_login"] / got["cold_empty"]
    if m := re.search(
        rf"(?:the scripted flow, typing excluded|from the ID to signed[^:]*): p50 {NUM} ms", out
    ):
        got["flow_total"] = num(m[1])
    if m := re.search(rf"identify: 18th character[^\n]*?p50\s+{NUM}", out):
        got["flow_identify"] = num(m[1])
    return got


def parse_window(out: str) -> dict[str, float]:
    got = {}
    if m := re.search(rf"first painted window median {NUM} ms, data ready median {NUM} ms", out):
        got["win_paint"], got["win_ready"] = num(m[1]), num(m[2])
    if m := re.search(rf"to the card painted \(\d+ customers\): p50 {NUM} ms, p99 {NUM} ms", out):
        got["win_card50"], got["win_card99"] = num(m[1]), num(m[2])
    return got


def fresh_copy(src: Path, name: str) -> Path:
    dest = WORK / name
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True)
    (dest / ".ready").unlink(missing_ok=True)
    return dest


def drop_old_byte_code() -> None:
    # the old counter_flow.py runs compileall into its checkout; window_timing's cold start must not
    # inherit that byte code (the 2026-11-28 window figures compiled from source at each start)
    for cache in (OLD / "teller_assist").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def run(tag: str, tree: Path, argv: list[str], env_extra: dict[str, str] | None = None) -> str:
    env = {**os.environ, **(env_extra or {})}
    cmd = (NICE.split() if NICE else []) + argv
    started = time.time()
    log = LOGS / f"{tag}.log"
    print(f"  {time.strftime('%H:%M:%S')} {tag}: {' '.join(argv)}", flush=True)
    try:
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err, rc = f"TIMEOUT after {TIMEOUT} s", -1
    log.write_text(
        f"$ (cd {tree} && {' '.join(cmd)})\nrc={rc} took {time.time() - started:.1f} s\n"
        f"--- stdout\n{out}\n--- stderr\n{err}\n"
    )
    if rc != 0 and "the card was never painted" in err:
        print(
            "    (known: window_timing.py's card-paint step fails in both trees; its cold start is kept)",
            flush=True,
        )
    elif rc != 0:
        print(f"    FAILED rc={rc}; see {log}", flush=True)
    return out


def bench_card(ver: str, tree: Path, folder: Path, i: int) -> dict[str, float]:
    script = WORK / "xbench" / "bench" / "lookup_card.py"
    out = run(
        f"card-{ver}-{i}",
        tree,
        [f"{tree}/.venv/bin/python", "-u", str(script), "--data-dir", str(folder)],
        {"PYTHONPATH": str(tree)},
    )
    return parse_card(out)


def on_demo_copy(tag: str, ver: str, tree: Path, i: int, script: str, *more: str) -> str:
    """``script`` of ``tree`` on a fresh copy of the demo county (removed after), its output."""
    folder = fresh_copy(DATA / f"demo-{ver}", f"{tag}-{ver}-{i}")
    try:
        argv = [".venv/bin/python", "-u", script, "--data-dir", str(folder), *more]
        return run(f"{tag}-{ver}-{i}", tree, argv)
    finally:
        if ver == "old":
            drop_old_byte_code()
        shutil.rmtree(folder, ignore_errors=True)


def bench_flow(ver: str, tree: Path, i: int) -> dict[str, float]:
    more = ("--runs", str(CF_RUNS), "--customers", str(CF_CUSTOMERS))
    return parse_flow(on_demo_copy("flow", ver, tree, i, "bench/counter_flow.py", *more))


def bench_window(ver: str, tree: Path, i: int) -> dict[str, float]:
    return parse_window(on_demo_copy("window", ver, tree, i, "bench/window_timing.py"))


def git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True).stdout.strip()


def spread(values: list[float], unit: str) -> str:
    if not values:
        return "-"
    d = 3 if unit == "ms" and max(values) < 10 else (2 if unit == "x" else 0)
    if unit == "ms" and 1 <= max(values) < 10:
        d = 1
    m, lo, hi = statistics.median(values), min(values), max(values)
    return f"{m:,.{d}f} ({lo:,.{d}f}-{hi:,.{d}f})"


def prepare(card_src: Path, demo_src: Path) -> None:
    """The four data folders, once: each source copied and upgraded by the old code, then that copy
    copied and upgraded by this code (``teller-assist db upgrade``, a demo key store)."""
    DATA.mkdir(parents=True, exist_ok=True)
    for kind, src in (("card", card_src), ("demo", demo_src)):
        for ver, tree, base in (("old", OLD, src), ("new", NEW, DATA / f"{kind}-old")):
            dest = DATA / f"{kind}-{ver}"
            if (dest / ".ready").exists():
                continue
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(base, dest, symlinks=True)
            for leftover in ("teller-assist.db-shm", "crash-reports", "backups", ".ready"):
                target = dest / leftover
                shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(
                    missing_ok=True
                )
            env = {
                **os.environ,
                "TELLER_ASSIST_DATA_DIR": str(dest),
                "TELLER_ASSIST_KEY_STORE": "demo-file",
                "TELLER_ASSIST_CONFIG": "/nonexistent/settings.toml",
            }
            print(f"  {kind}-{ver}: upgraded by {tree}", flush=True)
            subprocess.run(
                [f"{tree}/.venv/bin/teller-assist", "db", "upgrade"], cwd=tree, env=env, check=True
            )
            shutil.rmtree(dest / "backups", ignore_errors=True)
            (dest / ".ready").touch()


def main() -> None:
    import argparse

    global OLD, NEW, DATA, WORK, LOGS, PAIRS, CF_RUNS, CF_CUSTOMERS, TIMEOUT, BENCHES, NICE
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--old", type=Path, required=True, help="the older checkout, with its .venv")
    p.add_argument("--new", type=Path, default=HERE, help="the newer checkout (default: this one)")
    p.add_argument("--data", type=Path, required=True, help="card-old, card-new, demo-old, demo-new")
    p.add_argument("--prepare", nargs=2, type=Path, metavar=("COUNTY", "DEMO"), help="make --data first")
    p.add_argument("--work", type=Path, default=Path("/tmp/before-after-work"))
    p.add_argument(
        "--logs", type=Path, default=Path(f"/tmp/before-after-logs/{time.strftime('%Y%m%d-%H%M%S')}")
    )
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--runs", type=int, default=3, help="counter_flow.py --runs (cold starts per kind)")
    p.add_argument("--customers", type=int, default=5, help="counter_flow.py --customers")
    p.add_argument("--benches", default="card,flow,window")
    p.add_argument("--timeout", type=int, default=900, help="seconds a bench may take")
    p.add_argument("--nice", default="", help='e.g. "nice -n 10" for a smoke run on a busy machine')
    a = p.parse_args()
    OLD, NEW, DATA, WORK, LOGS = a.old.resolve(), a.new.resolve(), a.data, a.work, a.logs
    PAIRS, CF_RUNS, CF_CUSTOMERS, TIMEOUT = a.pairs, a.runs, a.customers, a.timeout
    BENCHES, NICE = a.benches.split(","), a.nice
    print_machine(
        "bench/before_after.py",
        f"{PAIRS} pairs of old and new, order alternating; counter_flow.py --runs {CF_RUNS} "
        f"--customers {CF_CUSTOMERS}",
    )
    if a.prepare:
        prepare(*a.prepare)
    LOGS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    old_head, new_head = git(OLD, "rev-parse", "--short", "HEAD"), git(NEW, "rev-parse", "--short", "HEAD")
    main_head = git(NEW, "rev-parse", "--short", "main")
    load_start = os.getloadavg()
    t_start = time.time()
    print(
        f"old {OLD} at {old_head}, new {NEW} at {new_head} (main is {main_head}); logs in {LOGS}", flush=True
    )

    trees = {"old": OLD, "new": NEW}
    results: dict[str, dict[str, list[float]]] = {"old": defaultdict(list), "new": defaultdict(list)}
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)  # per-pair (old, new)
    drop_old_byte_code()
    card_dirs = {}
    if "card" in BENCHES:
        xb = WORK / "xbench" / "bench"
        xb.mkdir(parents=True, exist_ok=True)
        for name in ("lookup_card.py", "_common.py"):  # main's script, for both trees
            (xb / name).write_text(git(NEW, "show", f"HEAD:bench/{name}") + "\n")
        for ver in trees:
            print(f"  copying the 620,000-person county for {ver} ...", flush=True)
            card_dirs[ver] = fresh_copy(DATA / f"card-{ver}", f"card-{ver}")
    try:
        for i in range(PAIRS):
            order = ["old", "new"] if i % 2 == 0 else ["new", "old"]
            print(f"pair {i + 1} of {PAIRS} ({' then '.join(order)})", flush=True)
            for bench in BENCHES:
                got = {}
                for ver in order:
                    if bench == "card":
                        got[ver] = bench_card(ver, trees[ver], card_dirs[ver], i)
                    elif bench == "flow":
                        got[ver] = bench_flow(ver, trees[ver], i)
                    elif bench == "window":
                        got[ver] = bench_window(ver, trees[ver], i)
                    for key, value in got[ver].items():
                        results[ver][key].append(value)
                for key in set(got["old"]) & set(got["new"]):
                    pairs[key].append((got["old"][key], got["new"][key]))
    finally:
        for folder in card_dirs.values():
            shutil.rmtree(folder, ignore_errors=True)
    load_end = os.getloadavg()

    print()
    print(f"old = {old_head}, new = {new_head}; {PAIRS} pairs; took {(time.time() - t_start) / 60:.1f} min")
    print(
        f"load at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}; "
        f"at end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}"
    )
    head = [
        "measure",
        "BENCHMARKS.md (date)",
        "old median (min-max)",
        "new median (min-max)",
        "new/old (per-pair median, min-max)",
        "new/BM",
        "within 10%",
    ]
    rows = []
    for key, label, ref, date, unit in REFERENCE:
        old, new = results["old"].get(key, []), results["new"].get(key, [])
        if not old and not new:
            continue
        ratios = [n / o for o, n in pairs.get(key, []) if o]
        r = f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "-"
        nb = statistics.median(new) / ref if new else None
        worst = max(
            [x for x in (nb, statistics.median(ratios) if ratios else None) if x is not None], default=None
        )
        verdict = "-" if worst is None or "calibration" in label else ("yes" if worst <= 1.10 else "NO")
        rows.append(
            [
                label,
                f"{ref:,g} {unit} ({date})",
                spread(old, unit),
                spread(new, unit),
                r,
                f"{nb:.2f}" if nb else "-",
                verdict,
            ]
        )
    widths = [max(len(str(r[c])) for r in [head, *rows]) for c in range(len(head))]
    for r in [head, ["-" * w for w in widths], *rows]:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    if results["new"].get("flow_total"):
        nb = statistics.median(results["new"]["flow_total"]) / FLOW22[0]
        print(f"main's flow against its own method's figure, {FLOW22[0]:,} ms ({FLOW22[1]}): {nb:.2f}")
    if not results["new"].get("win_card50"):
        print(
            "not measured: window_timing.py's ID-to-card-painted step (it fails with 'the card was never "
            "painted' on both trees, a break that predates the reshape); use flow's identify step instead"
        )
    print(
        "within 10% = both new/old (per-pair median) and new/BENCHMARKS <= 1.10; "
        "lower is better for every row"
    )
    print(
        "notes: the flow rows compare different key scripts (old: F4, Tab-answered survey, the preview's "
        "Enter; new: issue 22's six keys) and printing paths (old: Qt rasterising at 300 dpi; new: lp), so "
        "old/new there is not the reshape alone. The old code also lacks issue 21's and 22's speed work."
    )
    print_load_after()


if __name__ == "__main__":
    main()
