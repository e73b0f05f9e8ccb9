"""Start a throw-away PostgreSQL server for the test session (initdb + pg_ctl in a temp folder).

PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to the ``postgres`` user
and is started through ``runuser``. The server listens on a Unix socket in its own folder only.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql"
    )


@dataclass
class PostgresServer:
    root: Path
    bindir: Path
    user: str | None  # run as this OS user (when we are root)
    durable: bool = False  # keep fsync, synchronous_commit and full_page_writes on (benchmarks)

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(args)} failed: {result.stderr or result.stdout}")

    def start(self) -> None:
        data = self.root / "data"
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        self.resume()

    def resume(self) -> None:
        """Start (or start again after :meth:`pause`) the server on its existing data folder."""
        data = self.root / "data"
        opts = f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c max_connections=50"
        if not self.durable:  # the tests need no crash safety from their throw-away server
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            opts,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def pause(self) -> None:
        """Stop the server as an outage would (every connection cut), keeping its data for resume()."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        try:
            data = self.root / "data"
            if (data / "postmaster.pid").exists():  # not left paused by its test
                self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def require_password(self, role: str) -> None:
        """From now on ``role`` signs in with its password (SCRAM) on the socket; everyone else as before."""
        import psycopg

        hba = self.root / "data" / "pg_hba.conf"
        rules = hba.read_text(encoding="utf-8")
        hba.write_text(f"local all {role} scram-sha-256\n{rules}", encoding="utf-8")
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("SELECT pg_reload_conf()")

    def create_owned_database(self, role: str, password: str | None = None) -> str:
        """An ordinary (non-superuser) login role and a database it owns, named ``<role>_db``."""
        import psycopg

        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN" + (f" PASSWORD '{password}'" if password else ""))
            conn.execute(f'CREATE DATABASE "{role}_db" OWNER {role}')
        return f"{role}_db"


def start_server(*, durable: bool = False) -> PostgresServer:
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="ta-pg-"))
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        try:
            pw = pwd.getpwnam(user)
        except KeyError:
            raise PostgresUnavailable("running as root but there is no 'postgres' user") from None
        os.chown(root, pw.pw_uid, pw.pw_gid)
    root.chmod(0o755)
    server = PostgresServer(root, bindir, user, durable)
    socket_dir = server.socket_dir
    socket_dir.mkdir()
    if user:
        os.chown(socket_dir, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
    server.start()
    return server
