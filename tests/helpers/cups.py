"""A throw-away CUPS scheduler for the tests: its own configuration, spool and socket in a temporary
folder, a cups-pdf queue (a real print queue whose "paper" is a PDF file), a print-to-file queue and a
disabled one. Clients reach it through ``CUPS_SERVER``. cupsd needs root (CI runs as root)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")


class CupsUnavailable(RuntimeError):
    pass


@dataclass
class CupsServer:
    root: Path
    pid: int
    printers: dict[str, str] = field(default_factory=dict)

    @property
    def socket(self) -> str:
        return str(self.root / "run" / "cups.sock")

    @property
    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": self.socket}

    def output_dirs(self) -> list[Path]:
        """Where cups-pdf puts the "printed" files (the submitting user's ~/PDF, or the anonymous folder)."""
        return [Path.home() / "PDF", Path("/var/spool/cups-pdf/ANONYMOUS")]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        shutil.rmtree(self.root, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def start_cups() -> CupsServer:
    cupsd, lpadmin = (
        shutil.which("cupsd") or "/usr/sbin/cupsd",
        shutil.which("lpadmin") or "/usr/sbin/lpadmin",
    )
    missing = [str(p) for p in (Path(cupsd), Path(lpadmin), BACKEND, PPD) if not p.exists()]
    if missing:
        raise CupsUnavailable(
            "CUPS or cups-pdf missing (" + ", ".join(missing) + "); install with: "
            "apt-get install -y cups printer-driver-cups-pdf"
        )
    if os.geteuid() != 0:
        raise CupsUnavailable("a private CUPS scheduler needs root")
    root = Path(tempfile.mkdtemp(prefix="ta-cups-"))
    for sub in ("etc/ppd", "spool/tmp", "cache", "log", "run"):
        (root / sub).mkdir(parents=True)
    _write(
        root / "etc/cupsd.conf",
        f"""Listen {root}/run/cups.sock
LogLevel warn
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
""",
    )
    _write(
        root / "etc/cups-files.conf",
        f"""ServerRoot {root}/etc
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/run
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
FileDevice Yes
User lp
Group lp
SystemGroup root
""",
    )
    subprocess.run(["chown", "-R", "root:lp", str(root)], check=True)
    subprocess.run(["chmod", "-R", "g+rwX,o+x", str(root)], check=True)
    subprocess.run(
        [cupsd, "-c", str(root / "etc/cupsd.conf"), "-s", str(root / "etc/cups-files.conf")], check=True
    )
    pid_file = root / "run" / "cupsd.pid"
    socket = root / "run" / "cups.sock"
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = (
        int(
            subprocess.run(
                ["pgrep", "-f", str(root / "etc/cupsd.conf")], capture_output=True, text=True, check=False
            ).stdout.split()[0]
        )
        if not pid_file.exists()
        else int(pid_file.read_text())
    )
    server = CupsServer(root, pid)
    env = {**os.environ, **server.env}
    try:
        if not socket.exists():
            raise CupsUnavailable(
                "cupsd did not start: " + (root / "log/error_log").read_text(errors="replace")
            )
        for name, device in (
            ("TA-PDF", "cups-pdf:/"),
            ("TA-FILE", "file:/dev/null"),
            ("TA-OFF", "cups-pdf:/"),
        ):
            subprocess.run(
                [lpadmin, "-p", name, "-E", "-v", device, "-P", str(PPD)],
                env=env,
                check=True,
                capture_output=True,
            )
            server.printers[name] = device
        subprocess.run(["cupsdisable", "TA-OFF"], env=env, check=True, capture_output=True)
    except (subprocess.CalledProcessError, CupsUnavailable) as exc:
        server.stop()
        raise CupsUnavailable(f"could not set up the test printers: {exc}") from None
    return server
