"""The Debian package, for real: built, installed with apt into a clean bookworm root, used, upgraded
over a user's database, removed and purged. ``make package-test`` (root; minutes).

The steps run in order and share one root. The previous release is built from the commit before the
newest migration, so the upgrade has a schema to migrate; the package under test is built from this
working tree exactly as ``make package`` builds it. The installed program runs inside the root as an
ordinary user (``chroot --userspec``), with ``TELLER_ASSIST_KEY_STORE=demo-file`` (there is no keyring
service in a chroot). The login window is shown on a private Xvfb screen and photographed to
``build/package-test/login.png``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from teller_assist.store import migrate
from tests.helpers.extracts import MAN
from tests.helpers.surveys import walk_in_answers
from tests.package.chroot import CACHE, Root, base_tarball
from tests.package.conftest import unavailable
from tests.package.x11 import Watcher, Xvfb, screenshot

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "package-test"
MIGRATIONS = ROOT / "teller_assist" / "store" / "migrations" / "versions"
DEMO = {"TELLER_ASSIST_KEY_STORE": "demo-file"}
PASSWORD = "correct horse battery staple"
VALID_ID = "11010519491231002X"
LOGIN_TITLE = "操作员登录"

pytestmark = pytest.mark.slow


def sh(*cmd: str | Path, cwd: Path = ROOT, timeout: float = 1800) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{cmd}: {done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def field(deb: Path, name: str) -> str:
    return sh("dpkg-deb", "--field", deb, name).strip()


def previous_release() -> str:
    """The commit on this branch's own line before the one that brought the newest migration (a merge
    counts, compared with its first parent: a migration made on a side branch arrives with its merge)."""
    newest = sorted(MIGRATIONS.glob("[0-9]*.py"))[-1]
    added = sh(
        "git", "log", "--first-parent", "-m", "--diff-filter=A", "--format=%H", "-1", "--",
        newest.relative_to(ROOT),
    ).strip()  # fmt: skip
    assert added, f"{newest.name} is not in git history (a shallow clone?)"
    return f"{added}^"


def build(*args: str, out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    sh(sys.executable, ROOT / "installer" / "build_deb.py", "--out", out, *args)
    made = list(out.glob("*.deb"))
    assert len(made) == 1, f"not one package written to {out}: {made}"
    return made[0]


def recipe_key(ref: str) -> str:
    commit = sh("git", "rev-parse", ref).strip()
    digest = hashlib.sha256(commit.encode())
    for path in sorted((ROOT / "installer").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def debs() -> dict[str, Path]:
    """The previous release (cached by commit and recipe) and this tree's package."""
    if os.geteuid() != 0:
        unavailable("root (dpkg, chroot, mount)")
    for tool in ("dpkg-deb", "readelf", "git", "Xvfb"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} (sh installer/system-deps.sh package)")
    if shutil.which("debootstrap") is None and not any(CACHE.glob("*-minbase-*.tar")):
        unavailable("debootstrap (sh installer/system-deps.sh package)")
    OUT.mkdir(parents=True, exist_ok=True)
    ref = previous_release()
    cached = CACHE / f"teller-assist-previous-{recipe_key(ref)}.deb"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        old = build("--ref", ref, "--compression", "gzip", out=OUT / "previous")
        shutil.copy2(old, cached)
    new = build(out=OUT / "current")  # as `make package` builds it
    return {"old": cached, "new": new}


@pytest.fixture(scope="module")
def root(debs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Root]:
    base_tarball()
    chroot = Root.create(tmp_path_factory.mktemp("package") / "root")
    try:
        ok(chroot.run("apt-get", "update", "-q"))
        for name, deb in debs.items():
            shutil.copy2(deb, chroot.inside(f"/tmp/{name}.deb"))
        for user in ("teller", "teller2"):
            ok(chroot.run("useradd", "--create-home", "--shell", "/bin/sh", user))
        yield chroot
    finally:
        chroot.destroy()


@pytest.fixture(scope="module")
def state() -> dict[str, Any]:
    return {}


def as_user(
    root: Root, user: str, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return root.run("teller-assist", *args, user=user, env={**DEMO, **env}, stdin=stdin)


def status(root: Root) -> str:
    done = root.run("dpkg-query", "-W", "-f=${db:Status-Status}|${Version}", "teller-assist")
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def data_dir(root: Root, user: str) -> Path:
    return root.inside(f"/home/{user}/.local/share/teller-assist")


def stats(root: Root, user: str) -> dict[str, int]:
    view = json.loads(ok(as_user(root, user, "db", "stats", "--json")))
    return {kind: item["rows"] for kind, item in view["kinds"].items()}


def demo_import(root: Root, user: str, people: int, seed: int) -> dict[str, int]:
    """A demo county written and imported by the installed program (three chunks on two worker
    processes: the frozen program's spawned workers are exercised too)."""
    folder = f"/home/{user}/extracts"
    ok(as_user(root, user, "demo-data", "--people", str(people), "--seed", str(seed), "--processes", "2",
               "--out", folder))
    # rows per file, the header left out (some extracts are GB18030, as the core system writes them)
    written = {p.name.rsplit("_", 1)[0]: len(p.read_bytes().splitlines()) - 1
               for p in root.inside(folder).glob("*.csv")}
    assert written["customers"] == people
    files = json.loads(ok(as_user(root, user, "import", folder, "--json")))["files"]
    loaded = {item["kind"]: item["loaded"] for item in files}
    assert {item["status"] for item in files} == {"loaded"}, files
    assert loaded == written and {item["rejected"] for item in files} == {0}, (loaded, written)
    return loaded


# --- the steps, in order ----------------------------------------------------------------------------------


def test_the_package_is_built_with_what_a_desktop_needs(debs: dict[str, Path], state: dict[str, Any]) -> None:
    new, old = debs["new"], debs["old"]
    assert field(new, "Package") == "teller-assist"
    assert field(new, "Architecture") == sh("dpkg", "--print-architecture").strip()
    state["old_version"], state["new_version"] = field(old, "Version"), field(new, "Version")
    sh("dpkg", "--compare-versions", state["new_version"], "gt", state["old_version"])
    depends = {d.split()[0] for d in field(new, "Depends").split(", ")}
    # the Qt runtime libraries the PySide6 wheels need from the system
    assert {"libc6", "libegl1", "libfontconfig1", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0",
            "libxcb-icccm4", "libx11-xcb1", "libcups2", "libdbus-1-3", "libglib2.0-0"} <= depends
    assert not any(d.startswith(("python3", "libpython")) for d in depends)  # it carries its own Python
    listing = sh("dpkg-deb", "--contents", new)
    for path in (
        "./opt/teller-assist/teller-assist",
        "./usr/bin/teller-assist -> /opt/teller-assist/teller-assist",
        "./usr/share/applications/teller-assist.desktop",
        "./usr/share/icons/hicolor/scalable/apps/teller-assist.svg",
        "./usr/share/icons/hicolor/48x48/apps/teller-assist.png",
        "./etc/teller-assist/settings.toml",
        "_internal/teller_assist/ui/i18n/teller_assist_en.qm",
        "_internal/teller_assist/_resources/fonts/wqy-microhei.ttc",
        "_internal/teller_assist/_resources/fonts/HanaMinB.ttf",
        "_internal/teller_assist/_resources/policy/default.toml",
        f"_internal/teller_assist/store/migrations/versions/{sorted(MIGRATIONS.glob('[0-9]*.py'))[-1].name}",
    ):
        assert path in listing, path
    assert "QtQml" not in listing and "libqwayland" not in listing and "qmltooling" not in listing
    scratch = OUT / "control"
    shutil.rmtree(scratch, ignore_errors=True)
    sh("dpkg-deb", "--control", new, scratch)
    assert (scratch / "conffiles").read_text().split() == ["/etc/teller-assist/settings.toml"]
    sh("dpkg-deb", "-x", new, OUT / "unpacked")
    desktop = (OUT / "unpacked" / "usr/share/applications/teller-assist.desktop").read_text(encoding="utf-8")
    assert "Name[zh_CN]=柜面授信助手" in desktop and "Exec=teller-assist" in desktop
    if shutil.which("desktop-file-validate"):
        sh("desktop-file-validate", OUT / "unpacked" / "usr/share/applications/teller-assist.desktop")
    shutil.rmtree(OUT / "unpacked")
    state["figures"] = {
        "package_bytes": new.stat().st_size,
        "installed_kib": int(field(new, "Installed-Size")),
    }


def test_apt_installs_the_previous_release_into_a_clean_root(root: Root, state: dict[str, Any]) -> None:
    assert status(root) == "unknown"
    ok(root.run("apt-get", "install", "-y", "-q", "/tmp/old.deb"))
    assert status(root) == f"installed|{state['old_version']}"
    assert ok(as_user(root, "teller", "--version")).strip() == f"teller-assist {state['old_version']}"
    # the bank's IT edits the system-wide settings (a conffile): the upgrade must keep the edit
    conf = root.inside("/etc/teller-assist/settings.toml")
    conf.write_text(
        'locked = ["branch_code"]\nbranch_code = "0101"\nbranch_name = "华阳支行"\n' + conf.read_text(),
        encoding="utf-8",
    )
    state["conffile"] = conf.read_text(encoding="utf-8")


def first_operator(root: Root, user: str, login: str) -> None:
    """The first operator of a new database: a head-office administrator where the build has
    `users add-first-admin` (operator administration needs one), else a plain `users add` (older builds)."""
    made = as_user(root, user, "users", "add-first-admin", login, "--name", "张三", "--branch", "0101",
                   "--password-stdin", stdin=PASSWORD + "\n")
    if made.returncode == 2 and "invalid choice" in made.stderr:
        made = as_user(root, user, "users", "add", login, "--name", "张三", "--role", "teller", "--branch",
                       "0101", "--password-stdin", stdin=PASSWORD + "\n")
    ok(made)


def test_a_user_keeps_a_database_with_the_previous_release(root: Root, state: dict[str, Any]) -> None:
    first_operator(root, "teller", "t1")
    state["loaded"] = demo_import(root, "teller", 4100, 7)
    current = ok(as_user(root, "teller", "db", "current"))
    assert migrate.HEAD not in current.split(":")[-1], current  # the previous schema
    state["old_revision"] = re.search(r": (\d{4})", current).group(1)  # type: ignore[union-attr]
    db = data_dir(root, "teller") / "teller-assist.db"
    state["db_hash"] = sha256(db)


def test_apt_upgrades_to_this_build_and_the_users_data_survives_migrated(
    root: Root, state: dict[str, Any]
) -> None:
    db = data_dir(root, "teller") / "teller-assist.db"
    ok(root.run("apt-get", "install", "-y", "-q", "/tmp/new.deb"))
    assert status(root) == f"installed|{state['new_version']}"
    assert ok(as_user(root, "teller", "--version")).strip() == f"teller-assist {state['new_version']}"
    assert root.inside("/etc/teller-assist/settings.toml").read_text(encoding="utf-8") == state["conffile"]
    assert sha256(db) == state["db_hash"]  # the package never touches a user's data
    assert f"needs upgrade to {migrate.HEAD}" in ok(as_user(root, "teller", "db", "current"))
    refused = as_user(root, "teller", "db", "stats")  # a command does not upgrade by itself
    assert refused.returncode == 2 and "teller-assist db upgrade" in refused.stderr, refused.stderr
    upgraded = ok(as_user(root, "teller", "db", "upgrade"))  # as the window does at start: a backup first
    assert f"{state['old_revision']} → {migrate.HEAD}" in upgraded, upgraded
    assert stats(root, "teller") == state["loaded"]
    assert f"{migrate.HEAD} — 最新 up to date" in ok(as_user(root, "teller", "db", "current"))
    backups = list((data_dir(root, "teller") / "backups").glob("*.db"))
    assert backups, "no backup before the migration"
    users = json.loads(ok(as_user(root, "teller", "users", "list", "--json")))
    assert [u["login"] for u in users] == ["t1"]


def test_the_installed_program_checks_an_id_and_imports_a_demo_county(
    root: Root, state: dict[str, Any]
) -> None:
    assert ok(root.run("sh", "-c", "command -v teller-assist")).strip() == "/usr/bin/teller-assist"
    valid = ok(as_user(root, "teller2", "id", "check", VALID_ID))
    assert "有效 valid" in valid and VALID_ID not in valid  # masked
    bad = as_user(root, "teller2", "id", "check", VALID_ID[:-1] + "1")
    assert bad.returncode != 0 and "无效 invalid" in bad.stdout + bad.stderr and "Traceback" not in bad.stderr
    loaded = demo_import(root, "teller2", 4100, 11)
    assert loaded["customers"] == 4100
    assert stats(root, "teller2") == loaded


def test_the_installed_program_approves_and_writes_the_agreement(root: Root) -> None:
    """Four eyes and a PDF: the frozen program's ReportLab, bundled fonts and QR code at work."""
    first_operator(root, "teller2", "a2")  # operators are added by a head-office administrator
    for login, role in (("t2", "teller"), ("h2", "branch_head")):
        ok(as_user(root, "teller2", "users", "add", login, "--name", login, "--role", role, "--branch",
                   "0101", "--user", "a2", "--password-stdin", stdin=f"{PASSWORD}\n{PASSWORD}\n"))
    survey = root.inside("/home/teller2/survey.json")
    survey.write_text(json.dumps({"scenario": "walk_in", "answers": walk_in_answers()}), encoding="utf-8")
    os.chmod(survey, 0o644)
    applied = json.loads(ok(as_user(root, "teller2", "apply", MAN, "--name", "王五", "--survey",
                                    "/home/teller2/survey.json", "--json", "--user", "t2",
                                    "--password-stdin", stdin=PASSWORD + "\n")))
    assert applied["status"] == "submitted"
    own = as_user(root, "teller2", "approve", str(applied["id"]), "--user", "t2", "--password-stdin",
                  stdin=PASSWORD + "\n")
    assert own.returncode != 0  # the maker cannot approve their own
    approved = json.loads(ok(as_user(root, "teller2", "approve", str(applied["id"]), "--json", "--user",
                                     "h2", "--password-stdin", stdin=PASSWORD + "\n")))
    assert approved["status"] == "approved" and approved["agreement_no"]
    ok(as_user(root, "teller2", "document", "agreement", str(applied["id"]), "--out",
               "/home/teller2/agreement.pdf"))
    text = sh("pdftotext", root.inside("/home/teller2/agreement.pdf"), "-")
    assert "预授信协议" in text and approved["agreement_no"] in text and "王五" in text
    # two parts: the bank keeps the first with the full ID, the customer takes the second, masked
    pages = ["".join(page.split()) for page in text.split("\f") if page.strip()]
    bank = "".join(p for p in pages if p.startswith("第一联银行留存联"))
    customer = "".join(p for p in pages if p.startswith("第二联客户联"))
    assert bank and customer, pages
    assert MAN in bank and MAN not in customer and approved["id_masked"] in customer


def test_the_installed_program_reads_the_banks_locked_settings(root: Root) -> None:
    done = as_user(root, "teller", "config", "show", "--json", TELLER_ASSIST_BRANCH_CODE="9999")
    view = json.loads(ok(done))
    system = "system /etc/teller-assist/settings.toml"
    assert view["branch_code"] == {
        "value": "0101", "source": f"{system} (ignored TELLER_ASSIST_BRANCH_CODE) (locked)"
    }
    assert view["branch_name"] == {"value": "华阳支行", "source": system}
    assert "branch_code is locked" in done.stderr


def test_the_installed_program_starts_to_its_login_window(root: Root, state: dict[str, Any]) -> None:
    with Xvfb() as display, Watcher(display) as watcher:
        started = time.time()
        command = root.command("teller-assist", user="teller", env={**DEMO, "DISPLAY": display})
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            shown = watcher.wait_for(LOGIN_TITLE, timeout=120)
            time.sleep(2)  # the database opens behind the login; let the window settle for the picture
            assert process.poll() is None, "the program quit"
            titles = [watcher.title(w) for w in watcher.windows_titled("")]
            x, y, width, height = watcher.geometry(shown.window)
            picture = screenshot(display, OUT / "login.png")
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
    state["figures"]["login_seconds"] = round(shown.painted - started, 2)
    assert any(t.startswith(LOGIN_TITLE) for t in titles), titles
    assert any(t.startswith("柜面授信助手") for t in titles), titles
    assert width >= 150 and height >= 80, (width, height)
    assert "Traceback" not in err.decode(errors="replace"), err.decode(errors="replace")[-3000:]
    from PySide6.QtGui import QImage  # the picture: the login dialog drawn, not a blank screen

    image = QImage(str(picture))
    assert image.width() >= x + width and image.height() >= y + height
    dialog = {image.pixel(x + dx, y + dy) for dx in range(width) for dy in range(height)}
    assert len(dialog) > 10, "the login dialog is blank in the picture"  # labels, fields, a button
    window = {image.pixel(px, py) for px in range(0, x) for py in range(0, 200)}
    assert len(window) > 10, "the main window beside the dialog is blank"
    print(f"\nlogin window photographed: {picture}")


def test_remove_keeps_the_users_data_and_the_banks_settings(root: Root, state: dict[str, Any]) -> None:
    db = data_dir(root, "teller") / "teller-assist.db"
    before = {user: sha256(data_dir(root, user) / "teller-assist.db") for user in ("teller", "teller2")}
    removed = root.run("apt-get", "remove", "-y", "-q", "teller-assist")
    ok(removed)
    assert "data in their home folders" in removed.stdout + removed.stderr  # postrm says so
    assert status(root) == f"config-files|{state['new_version']}"
    for gone in (
        "/opt/teller-assist",
        "/usr/bin/teller-assist",
        "/usr/share/applications/teller-assist.desktop",
        "/usr/share/icons/hicolor/scalable/apps/teller-assist.svg",
    ):
        assert not os.path.lexists(root.inside(gone)), gone
    assert root.inside("/etc/teller-assist/settings.toml").read_text(encoding="utf-8") == state["conffile"]
    assert {user: sha256(data_dir(root, user) / "teller-assist.db") for user in before} == before
    assert (data_dir(root, "teller") / "backups").is_dir() and (data_dir(root, "teller") / "logs").is_dir()
    assert db.exists()


def test_purge_removes_the_packages_own_files_and_never_a_users_data(
    root: Root, state: dict[str, Any]
) -> None:
    before = {user: sha256(data_dir(root, user) / "teller-assist.db") for user in ("teller", "teller2")}
    purged = root.run("apt-get", "purge", "-y", "-q", "teller-assist")
    ok(purged)
    assert "data in their home folders" in purged.stdout + purged.stderr  # postrm says so
    assert status(root) in ("unknown", "not-installed|")
    assert not root.inside("/etc/teller-assist").exists()
    assert {user: sha256(data_dir(root, user) / "teller-assist.db") for user in before} == before
    assert root.inside("/home/teller/.local/share/teller-assist/DEMO-MODE-database.key").exists()
    figures = state["figures"]
    print(
        f"\npackage {figures['package_bytes'] / 1e6:.1f} MB, "
        f"installed {figures['installed_kib'] / 1024:.0f} MiB, "
        f"login shown {figures['login_seconds']} s after launch (first start in the root)"
    )
    (OUT / "figures.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
