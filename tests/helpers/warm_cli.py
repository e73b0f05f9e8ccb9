"""Command-line runs without paying the interpreter's imports each time.

A command-line test runs `python -m teller_assist ...` as an operator would, in its own process with its
own environment, and reads its exit code, stdout and stderr. Most of each run (about 1.5 of 2 s on the
2-core test machine) is importing SQLAlchemy, the models and the command modules, the same for every
run. So one process per test worker imports them once (the "warm" process, started on first use) and
forks a child for each command: the child is a new process with the command's environment, its own
stdin, stdout and stderr and its own exit code, running the package's entry point exactly as
``python -m teller_assist`` does; only the imports are shared, as a fork shares them.

The warm process holds no thread, no database connection and no open file of a test when it forks (it
only imports), and nothing it imports reads the environment at import time (``settings.load_settings``
reads it when called). A test that needs a fresh interpreter (start-up itself, imports, signals sent
from outside) runs ``run_cli(..., fresh=True)``.
"""

from __future__ import annotations

import atexit
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
from typing import IO, Any

# The warm process: import, then serve one request at a time on fds 3 (requests) and 4 (answers).
_WARM = r"""
import io, json, os, struct, sys, time, signal, traceback
import teller_assist.__main__ as entry  # noqa: F401  (the package and its entry point)
from teller_assist import cli
import teller_assist.services.audit, teller_assist.services.database  # noqa: F401
import teller_assist.services.operators, teller_assist.store.models  # noqa: F401

requests = os.fdopen(3, "rb", buffering=0)
answers = os.fdopen(4, "wb", buffering=0)

def read_exactly(n):
    data = b""
    while len(data) < n:
        part = requests.read(n - len(data))
        if not part:
            return None
        data += part
    return data

def child(req):
    os.setsid()  # its own process group: a timeout kills what it started too
    stdin = os.open(req["stdin_path"], os.O_RDONLY) if req["stdin_path"] else os.open(os.devnull, os.O_RDONLY)
    out = os.open(req["stdout_path"], os.O_WRONLY)
    err = os.open(req["stderr_path"], os.O_WRONLY)
    for fd, target in ((stdin, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.close(3); os.close(4)
    os.environ.clear()
    os.environ.update(req["env"])
    os.chdir(req["cwd"])
    enc = req["encoding"]
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=enc)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=enc, write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=enc, errors="backslashreplace",
                                  line_buffering=True)
    sys.argv = [entry.__file__, *req["args"]]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 1
    try:
        code = cli.main(req["args"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, int) and exc.code is not None:
            print(exc.code, file=sys.stderr)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    try:
        import threading, atexit
        threading._shutdown()  # as an interpreter does at exit: wait for the threads it must wait for
        atexit._run_exitfuncs()
        sys.stdout.flush(); sys.stderr.flush()
    except BaseException:
        traceback.print_exc()
    os._exit(code if isinstance(code, int) else 1)

answers.write(b"ready\n")
while True:
    head = read_exactly(4)
    if head is None:
        break
    req = json.loads(read_exactly(struct.unpack(">I", head)[0]))
    pid = os.fork()
    if pid == 0:
        child(req)
    deadline = time.monotonic() + req["timeout"]
    status = None
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
        elif time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            status = "timeout"
        else:
            time.sleep(0.005)
    code = None if status == "timeout" else os.waitstatus_to_exitcode(status)
    body = json.dumps({"code": code}).encode()
    answers.write(struct.pack(">I", len(body)) + body)
"""


class _Warm:
    def __init__(self) -> None:
        req_r, self.req_w = os.pipe()
        self.ans_r, ans_w = os.pipe()
        clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")}
        os.set_inheritable(req_r, True)
        os.set_inheritable(ans_w, True)
        # the child's fds 3 and 4 are these two ends (dup'd into place before exec)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", f"import os; os.dup2({req_r}, 3); os.dup2({ans_w}, 4); exec({_WARM!r})"],
            pass_fds=(req_r, ans_w),
            stdin=subprocess.DEVNULL,
            env=clean,
        )
        os.close(req_r)
        os.close(ans_w)
        self.answers: IO[bytes] = os.fdopen(self.ans_r, "rb", buffering=0)
        if self.answers.readline() != b"ready\n":
            raise RuntimeError("the warm command-line process did not start")
        self.lock = threading.Lock()

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            part = self.answers.read(n - len(data))
            if not part:
                raise RuntimeError("the warm command-line process ended")
            data += part
        return data

    def run(
        self, args: list[str], env: dict[str, str], stdin: str | None, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        encoding = "utf-8"
        with tempfile.TemporaryDirectory(prefix="ta-cli-") as tmp:
            paths = {k: os.path.join(tmp, k) for k in ("stdin", "stdout", "stderr")}
            for name in ("stdout", "stderr"):
                open(paths[name], "wb").close()
            if stdin is not None:
                with open(paths["stdin"], "w", encoding=encoding) as f:
                    f.write(stdin)
            request = {
                "args": args,
                "env": env,
                "cwd": os.getcwd(),
                "encoding": encoding,
                "timeout": timeout,
                "stdin_path": paths["stdin"] if stdin is not None else None,
                "stdout_path": paths["stdout"],
                "stderr_path": paths["stderr"],
            }
            body = json.dumps(request).encode()
            with self.lock:
                os.write(self.req_w, struct.pack(">I", len(body)) + body)
                answer: dict[str, Any] = json.loads(self._read(struct.unpack(">I", self._read(4))[0]))
            with open(paths["stdout"], encoding=encoding, errors="replace") as f:
                out = f.read()
            with open(paths["stderr"], encoding=encoding, errors="replace") as f:
                err = f.read()
        argv = [sys.executable, "-m", "teller_assist", *args]
        if answer["code"] is None:
            raise subprocess.TimeoutExpired(argv, timeout, output=out, stderr=err)
        return subprocess.CompletedProcess(argv, answer["code"], out, err)

    def close(self) -> None:
        os.close(self.req_w)
        self.proc.wait(timeout=10)


_warm: _Warm | None = None


def run_warm(
    args: list[str], env: dict[str, str], stdin: str | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """The command run in a child forked from the warm process (started on first use)."""
    global _warm
    if _warm is None or _warm.proc.poll() is not None:
        _warm = _Warm()
        atexit.register(_warm.close)
    return _warm.run(args, env, stdin, timeout)
