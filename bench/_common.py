"""What every benchmark prints about the run, and how paired figures are summarised.

A figure means little without the machine it came from and how busy it was: each script calls
:func:`print_machine` first (date, CPUs, load averages, Python, repetitions) and :func:`print_load_after`
last, so a reader of ``BENCHMARKS.md`` can tell a quiet run from a busy one. Paired measurements (the
project and its floor taking turns in separate processes) are summarised by :func:`pairs_summary`:
medians with their min-max, and the median of the per-pair ratios, not a ratio of medians.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def machine_line() -> str:
    one, five, fifteen = os.getloadavg()
    cpus = os.cpu_count() or 0
    return (
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %z}; {cpus} CPUs ({platform.machine()}); "
        f"load {one:.2f} {five:.2f} {fifteen:.2f}; Python {platform.python_version()}"
    )


def print_machine(script: str, repetitions: str) -> None:
    """The first lines of every benchmark: which script, where, how busy, how many repetitions."""
    print(f"{script}: {machine_line()}")
    print(f"  repetitions: {repetitions}")
    sys.stdout.flush()


def print_load_after() -> None:
    one, five, fifteen = os.getloadavg()
    print(f"load at the end: {one:.2f} {five:.2f} {fifteen:.2f}")


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    n: int

    def text(self, unit: str = "s", digits: int = 1) -> str:
        return (
            f"{self.median:.{digits}f} {unit} (min {self.low:.{digits}f}, max {self.high:.{digits}f}, "
            f"n={self.n})"
        )


def spread(values: Sequence[float]) -> Spread:
    return Spread(statistics.median(values), min(values), max(values), len(values))


def pairs_summary(shipped: Sequence[float], floor: Sequence[float]) -> tuple[Spread, Spread, Spread]:
    """The project's figures, the floor's, and the per-pair ratios (each pair run back to back)."""
    assert len(shipped) == len(floor) and shipped
    ratios = [s / f for s, f in zip(shipped, floor, strict=True)]
    return spread(shipped), spread(floor), spread(ratios)


def compiled_copy(root: Path, dest: Path) -> dict[str, str]:
    """A byte-compiled copy of ``teller_assist`` in ``dest`` (never the checkout), as an installed wheel
    has it (pip compiles a wheel's modules when it installs it), and the environment that makes a fresh
    interpreter import that copy: first on the path, the current folder and a script's folder left off
    it (``PYTHONSAFEPATH``, so the checkout cannot shadow the copy), the resources read from the checkout.

    Not ``PYTHONPYCACHEPREFIX``: that moves the byte code of every module, the standard library's and
    the installed libraries' too, so with ``PYTHONDONTWRITEBYTECODE`` (set on this machine) all of them
    would compile from source at every start."""
    package = dest / "teller_assist"
    shutil.copytree(root / "teller_assist", package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    return {
        "PYTHONPATH": str(dest),
        "PYTHONSAFEPATH": "1",
        "TELLER_ASSIST_RESOURCES": str(root / "resources"),
    }


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    peak_tree_mb: float  # the largest sum of RSS over the process and all its descendants at one moment
    processes: int  # how many processes the tree held at most
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the process and the descendants it waited for


def run_measured(
    cmd: Sequence[str], env: dict[str, str], interval: float = 0.05, stdin: str | None = None
) -> ProcessRun:
    """Run a command as a whole process, timed from launch to exit by the wall clock, while its
    process tree's summed RSS is sampled every ``interval`` seconds (helpers and resource trackers
    included, which ``getrusage`` would report apart or not at all). Runs must not overlap: the CPU
    time is the difference of this process's waited-for children's usage."""
    import resource
    import threading
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)

    peak = [0, 0]
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        env=env,
        stdin=subprocess.PIPE if stdin is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def sample() -> None:
        while proc.poll() is None:
            tree = _children()
            pids, todo = [], [proc.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            total = sum(_rss_kb(p) for p in pids)
            peak[0] = max(peak[0], total)
            peak[1] = max(peak[1], len(pids))
            time.sleep(interval)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = proc.communicate(stdin)
    seconds = time.perf_counter() - started
    watcher.join()
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ProcessRun(seconds, peak[0] / 1024, peak[1], out, cpu)
