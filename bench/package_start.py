"""Benchmark the installed program's cold start to the login against the same build from the checkout.

    .venv/bin/python bench/package_start.py --root DIR    # a root where apt installed the package
    .venv/bin/python bench/package_start.py --deb FILE    # or: the package's files, unpacked
                                            [--runs 9] [--also NAME=COMMAND ...]

Both programs are started the same way in the same run, interleaved, as ``bench/counter_flow.py``
starts them: the launch time taken just before the process is spawned, a fresh process each time, one
run of each first to warm the page cache, the checkout byte-compiled (an installed copy carries
compiled modules). The installed copy is a frozen executable that takes no hook, so both are timed from
outside on a private Xvfb screen (``tests/package/x11.py``): the login dialog (操作员登录) mapped, and
its contents first painted (no longer one flat colour). Same data folder for both (demo mode, one
operator, so the login is what shows).

``--root DIR`` runs ``chroot DIR /usr/bin/teller-assist`` (the package test's root, as installed by
apt: its own libraries); ``--deb FILE`` unpacks the package with ``dpkg-deb -x`` and runs
``opt/teller-assist/teller-assist`` from there with this machine's libraries. ``--also`` adds another
candidate to the same interleaving (e.g. a venv build). Prints figures; never run by the tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.package.chroot import mounts_under  # noqa: E402 (after the path)
from tests.package.x11 import Watcher, Xvfb  # noqa: E402

LOGIN_TITLE = "操作员登录"


def prepare_data(data_dir: Path) -> None:
    """A demo-mode data folder with one operator, made with the checkout's command line."""
    env = {**_base_env(), "TELLER_ASSIST_DATA_DIR": str(data_dir)}
    if (data_dir / "teller-assist.db").exists():
        return
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "teller-assist"), "users", "add", "bench-login", "--name", "bench",
         "--role", "teller", "--branch", "0101", "--password-stdin"],
        input="correct horse battery staple\n", env=env, text=True, capture_output=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"could not prepare the data folder: {done.stderr}")


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELLER_ASSIST_", "QT_"))}
    env.update({"TELLER_ASSIST_KEY_STORE": "demo-file", "TELLER_ASSIST_CONFIG": "/nonexistent/settings.toml"})
    return env


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(command: list[str], env: dict[str, str], display: str) -> tuple[float, float, float]:
    with Watcher(display) as watcher:
        t0 = time.time()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            shown = watcher.wait_for(LOGIN_TITLE, timeout=60)
            cpu = cpu_seconds(process.pid)  # chroot, env and the program exec in turn: one pid
        except TimeoutError:
            process.kill()
            _, err = process.communicate()
            text = err.decode(errors="replace")[-2000:]
            raise SystemExit(f"{command[-1]}: no login window\n{text}") from None
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return shown.mapped - t0, shown.painted - t0, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--root", type=Path, help="a root where the package is installed (chroot)")
    where.add_argument("--deb", type=Path, help="the package file, to unpack and run from")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--also", action="append", default=[], metavar="NAME=COMMAND")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="ta-bench-"))
    try:
        if args.root:
            points = set(mounts_under(args.root))
            for mounted in ("proc", "dev", "tmp/.X11-unix"):
                if str((args.root / mounted).resolve()) not in points:
                    raise SystemExit(f"mount {mounted} in {args.root} first (tests/package/chroot.py)")
            data_in_root = Path("/tmp/ta-bench-data")
            data_dir = args.root / data_in_root.relative_to("/")
            shutil.rmtree(data_dir, ignore_errors=True)
            installed = ["chroot", str(args.root), "/usr/bin/teller-assist"]
            installed_data = str(data_in_root)
        else:
            unpacked = scratch / "root"
            subprocess.run(["dpkg-deb", "-x", str(args.deb), str(unpacked)], check=True)
            data_dir = scratch / "data"
            installed = [str(unpacked / "opt" / "teller-assist" / "teller-assist")]
            installed_data = str(data_dir)
        prepare_data(data_dir)
        # as installed: a wheel's modules are byte-compiled when pip installs it (this checkout is editable)
        subprocess.run([sys.executable, "-m", "compileall", "-q", "teller_assist"], check=True, cwd=ROOT)

        with Xvfb() as display:
            env = {**_base_env(), "DISPLAY": display}
            candidates: dict[str, tuple[list[str], dict[str, str]]] = {
                "checkout": ([str(ROOT / ".venv" / "bin" / "teller-assist")],
                             {**env, "TELLER_ASSIST_DATA_DIR": str(data_dir)}),
                "installed": (installed, {**env, "TELLER_ASSIST_DATA_DIR": installed_data}),
            }
            for extra in args.also:
                name, _, command = extra.partition("=")
                candidates[name] = (command.split(), {**env, "TELLER_ASSIST_DATA_DIR": str(data_dir)})
            for command, cenv in candidates.values():  # warm the page cache once for each
                one_start(command, cenv, display)
            mapped: dict[str, list[float]] = {name: [] for name in candidates}
            painted: dict[str, list[float]] = {name: [] for name in candidates}
            cpu: dict[str, list[float]] = {name: [] for name in candidates}
            for _ in range(args.runs):
                for name, (command, cenv) in candidates.items():
                    m, p, c = one_start(command, cenv, display)
                    mapped[name].append(m)
                    painted[name].append(p)
                    cpu[name].append(c)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    base = statistics.median(painted["checkout"])
    base_cpu = statistics.median(cpu["checkout"])
    print(f"cold start to the login, median of {args.runs} (interleaved, fresh processes, Xvfb, "
          "checkout byte-compiled; CPU = the process's user+system time until the login was painted):")
    for name in candidates:
        med_m, med_p, med_c = (statistics.median(x[name]) for x in (mapped, painted, cpu))
        print(f"  {name:<10} login mapped {med_m * 1000:6.0f} ms, painted {med_p * 1000:6.0f} ms "
              f"(range {min(painted[name]) * 1000:.0f}-{max(painted[name]) * 1000:.0f} ms) "
              f"{med_p / base:.2f}x the checkout; CPU {med_c * 1000:5.0f} ms {med_c / base_cpu:.2f}x")
    ratio = statistics.median(painted["installed"]) / base
    print(f"installed / checkout: {ratio:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
