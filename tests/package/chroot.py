"""A clean Debian root to install the package into: a minimal bookworm made with debootstrap (the
tarball cached between runs), entered with chroot. Needs root, debootstrap (or the cached tarball) and
the Debian mirror for the package's dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SUITE = "bookworm"
MIRROR = os.environ.get("TELLER_ASSIST_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CACHE = Path(os.environ.get("TELLER_ASSIST_PACKAGE_CACHE", "/var/cache/teller-assist-package-test"))
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def base_tarball(cache: Path = CACHE) -> Path:
    """The minimal root as a tarball: from the cache, or made now with debootstrap (about 1.5 min)."""
    tarball = cache / f"{SUITE}-minbase-{arch()}.tar"
    if tarball.exists():
        return tarball
    if shutil.which("debootstrap") is None:
        raise RuntimeError("debootstrap is needed to make the clean root (apt-get install debootstrap)")
    cache.mkdir(parents=True, exist_ok=True)
    work = cache / f"{SUITE}-minbase.work"
    if work.exists():
        _refuse_if_mounted(work)
        shutil.rmtree(work)
    subprocess.run(
        ["debootstrap", "--variant=minbase", SUITE, str(work), MIRROR],
        check=True,
        capture_output=True,
        timeout=1200,
    )
    _refuse_if_mounted(work)
    partial = tarball.with_suffix(".partial")
    subprocess.run(["tar", "--numeric-owner", "-C", str(work), "-cf", str(partial), "."], check=True)
    partial.rename(tarball)
    shutil.rmtree(work)
    return tarball


def mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve()).rstrip("/") + "/"
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as info:
        for line in info:
            point = line.split()[4].replace("\\040", " ")
            if (point + "/").startswith(prefix):
                points.append(point)
    return points


def _refuse_if_mounted(path: Path) -> None:
    left = mounts_under(path)
    if left:
        raise RuntimeError(f"still mounted under {path}: {left}; not deleting it")


class Root:
    """A clean root: ``create``, ``mount`` (proc, dev, shm, the X socket folder, the apt cache),
    ``run`` commands inside, ``destroy`` (unmounts first, and refuses to delete while anything is
    still mounted there)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.mounted: list[Path] = []

    @classmethod
    def create(cls, path: Path, cache: Path = CACHE) -> Root:
        tarball = base_tarball(cache)
        path.mkdir(parents=True, exist_ok=False)
        subprocess.run(["tar", "--numeric-owner", "-C", str(path), "-xf", str(tarball)], check=True)
        shutil.copy2("/etc/resolv.conf", path / "etc" / "resolv.conf")
        root = cls(path)
        root.mount(cache)
        return root

    def _mount(self, target: Path, *args: str) -> None:
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", *args, str(target)], check=True, capture_output=True)
        self.mounted.append(target)

    def mount(self, cache: Path) -> None:
        self._mount(self.path / "proc", "-t", "proc", "proc")
        self._mount(self.path / "dev", "--bind", "/dev")
        # POSIX semaphores (the worker processes of the import and the demo generator) need /dev/shm
        self._mount(self.path / "dev" / "shm", "-t", "tmpfs", "-o", "mode=1777", "shm")
        Path("/tmp/.X11-unix").mkdir(mode=0o1777, exist_ok=True)
        self._mount(self.path / "tmp" / ".X11-unix", "--bind", "/tmp/.X11-unix")
        archives = cache / f"apt-archives-{arch()}"  # downloaded .debs, kept for the next run
        (archives / "partial").mkdir(parents=True, exist_ok=True)
        self._mount(self.path / "var" / "cache" / "apt" / "archives", "--bind", str(archives))

    def unmount(self) -> None:
        for target in reversed(self.mounted):
            done = subprocess.run(["umount", str(target)], capture_output=True, check=False)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)
        self.mounted.clear()

    def destroy(self) -> None:
        self.unmount()
        _refuse_if_mounted(self.path)
        shutil.rmtree(self.path)

    def inside(self, path: str) -> Path:
        """A path inside the root, as seen from outside."""
        return self.path / path.lstrip("/")

    def command(self, *cmd: str, user: str | None = None, env: dict[str, str] | None = None) -> list[str]:
        home = f"/home/{user}" if user else "/root"
        base = {"PATH": PATH, "LANG": "C.UTF-8", "HOME": home, "DEBIAN_FRONTEND": "noninteractive"}
        spec = [f"--userspec={user}:{user}"] if user else []
        pairs = [f"{k}={v}" for k, v in {**base, **(env or {})}.items()]
        return ["chroot", *spec, str(self.path), "env", "-i", *pairs, *cmd]

    def run(
        self,
        *cmd: str,
        user: str | None = None,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
        timeout: float = 900,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*cmd, user=user, env=env),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
