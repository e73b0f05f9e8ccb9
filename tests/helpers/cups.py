"""A throw-away CUPS scheduler for the tests: its own configuration, spool and socket in a temporary
folder, a cups-pdf queue (a real print queue whose "paper" is a PDF file), a print-to-file queue and a
disabled one. Clients reach it through ``CUPS_SERVER``. cupsd needs root (CI runs as root).

cups-pdf reads its configuration only from ``/etc/cups`` (compiled in): ``cups-pdf-NAME.conf`` for a
queue whose device is ``cups-pdf:/NAME``. The server writes one such file of its own, named after its
folder, whose ``Out`` puts the "paper" in that folder — never in the account's home, which is where the
default configuration (``Out ${HOME}/PDF``, the home from the password database, not ``$HOME``) would
put it — and removes it when it stops."""

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
CUPS_PDF_CONFIG_DIR = Path("/etc/cups")  # cups-pdf's CP_CONFIG_PATH
CONFIG_PREFIX = "cups-pdf-ta-"


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

    @property
    def setup_name(self) -> str:
        """The cups-pdf set-up of this server: device ``cups-pdf:/NAME``, ``/etc/cups/cups-pdf-NAME.conf``."""
        return "ta-" + self.root.name.removeprefix("ta-cups-")

    @property
    def config_file(self) -> Path:
        return CUPS_PDF_CONFIG_DIR / f"cups-pdf-{self.setup_name}.conf"

    @property
    def output_dir(self) -> Path:
        return self.root / "pdf-out"

    def output_dirs(self) -> list[Path]:
        """Where cups-pdf puts the "printed" files: this server's own folder, whoever printed them."""
        return [self.output_dir]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        self.config_file.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _remove_stale_configs() -> None:
    """The cups-pdf files of servers whose folder is gone (a test run that was killed)."""
    for conf in CUPS_PDF_CONFIG_DIR.glob(CONFIG_PREFIX + "*.conf"):
        with contextlib.suppress(OSError):
            out = next(
                (
                    line.split(None, 1)[1].strip()
                    for line in conf.read_text(encoding="utf-8").splitlines()
                    if line.startswith("Out ")
                ),
                None,
            )
            if out is None or not Path(out).parent.exists():
                conf.unlink()


def _write_cups_pdf_config(server: CupsServer) -> None:
    """This server's cups-pdf configuration: every file in its own folder, whoever prints."""
    root = server.root
    _write(
        server.config_file,
        f"""# written by the Teller Assist tests for the CUPS server in {root}; removed when it stops
Out {server.output_dir}
AnonDirName {server.output_dir}
Spool {root}/cups-pdf-spool
Log {root}/log
Grp lp
""",
    )


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
    if not CUPS_PDF_CONFIG_DIR.is_dir():
        raise CupsUnavailable(f"{CUPS_PDF_CONFIG_DIR} is missing: CUPS is not installed properly")
    _remove_stale_configs()
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
        _write_cups_pdf_config(server)
        own_pdf = f"cups-pdf:/{server.setup_name}"
        for name, device in (
            ("TA-PDF", own_pdf),
            ("TA-FILE", "file:/dev/null"),
            ("TA-OFF", own_pdf),
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
