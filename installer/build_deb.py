"""Build the Debian package: ``make package`` (or ``python3 installer/build_deb.py``).

    python3 installer/build_deb.py [--ref GIT-REF] [--version DEBIAN-VERSION] [--out DIR]
                                   [--compression xz|gzip] [--level 0-9]

1. Stage the source: the working tree's files (tracked and new, not ignored), or ``--ref``'s tree from
   git; in both cases this checkout's ``installer/`` recipe is used (an older ref may predate it).
2. Stamp the version into the staged ``teller_assist/__init__.py`` (``teller-assist --version`` says
   which build is installed): ``<version>+<commits>.g<hash>`` unless ``--version`` gives one.
3. A build environment (``build/package/venv``) with the project's dependencies, at the versions the
   project's ``.venv`` holds when there is one (the versions ``make test`` tested), and PyInstaller.
4. The translations (``.qm``) built from ``resources/i18n/*.ts``; PyInstaller with
   ``installer/teller-assist.spec`` freezes the program into one folder.
5. The package tree: the folder under ``/opt/teller-assist``, ``/usr/bin/teller-assist``, the menu entry
   and icons, ``/etc/teller-assist/settings.toml`` (a commented conffile), the documentation, and
   ``Depends:`` read off the frozen files (each shared library they need that is not bundled, mapped to
   its Debian package with ``dpkg -S``). ``dpkg-deb`` builds ``teller-assist_<version>_<arch>.deb``.

Builds for the machine's own architecture (amd64 here; run it on an arm64 machine for arm64). Debian or
a Debian derivative is needed (dpkg, readelf from binutils), with the Qt runtime libraries installed
(``installer/system-deps.sh``). Nothing is downloaded at install time: the package carries its Python.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "package"
PACKAGE = "teller-assist"
PYINSTALLER = "pyinstaller>=6.10,<7"
MAINTAINER = "Teller Assist maintainers <teller-assist@example-rcb.cn>"


def venv_bin(venv: Path, name: str) -> Path:
    """A program in a virtual environment (``bin/`` here, ``Scripts\\`` on Windows)."""
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, check=False, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}")
    return done.stdout


def say(text: str) -> None:
    print(f"build_deb: {text}", flush=True)


# --- 1-2: the staged source and its version -------------------------------------------------------------


def stage_source(ref: str | None, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref:
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        shutil.rmtree(dest / "installer", ignore_errors=True)
        shutil.copytree(ROOT / "installer", dest / "installer")
        if not (dest / "resources" / "icons").exists():
            shutil.copytree(ROOT / "resources" / "icons", dest / "resources" / "icons")
    else:
        listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
        for name in filter(None, listed.split("\0")):
            source = ROOT / name
            if source.is_file():  # a tracked file deleted in the working tree is left out
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


def upstream_version(src: Path) -> str:
    text = (src / "teller_assist" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("no __version__ in teller_assist/__init__.py")
    return match.group(1)


def default_version(src: Path, ref: str | None) -> str:
    rev = ref or "HEAD"
    count = run("git", "rev-list", "--count", rev, cwd=ROOT).strip()
    short = run("git", "rev-parse", "--short=8", rev, cwd=ROOT).strip()
    version = f"{upstream_version(src)}+{count}.g{short}"
    if not ref and run("git", "status", "--porcelain", "--untracked-files=no", cwd=ROOT).strip():
        version += ".dirty"
    return version


def stamp_version(src: Path, version: str) -> None:
    init = src / "teller_assist" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    init.write_text(
        re.sub(r'^__version__ = "[^"]+"', f'__version__ = "{version}"', text, count=1, flags=re.M),
        encoding="utf-8",
    )


# --- 3: the build environment ---------------------------------------------------------------------------


def build_env(src: Path, python: str) -> Path:
    """The freezing environment, rebuilt only when the dependencies or their pinned versions change."""
    venv = BUILD / "venv"
    deps = tomllib.loads((src / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = ""
    project_python = venv_bin(ROOT / ".venv", "python.exe" if os.name == "nt" else "python")
    if project_python.exists():  # the versions `make test` ran against
        frozen = run(project_python, "-m", "pip", "freeze", "--exclude-editable")
        pins = "\n".join(line for line in frozen.splitlines() if "==" in line) + "\n"
    key = hashlib.sha256(json.dumps([deps, pins, PYINSTALLER, python]).encode()).hexdigest()
    stamp = venv / ".teller-assist-build"
    if stamp.exists() and stamp.read_text() == key:
        return venv
    say(f"creating the build environment {venv}")
    shutil.rmtree(venv, ignore_errors=True)
    run(python, "-m", "venv", venv)
    constraints = BUILD / "constraints.txt"
    constraints.write_text(pins, encoding="utf-8")
    python_exe = venv_bin(venv, "python.exe" if os.name == "nt" else "python")
    pip = [str(python_exe), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "-c", constraints, *deps, PYINSTALLER)
    stamp.write_text(key)
    return venv


# --- 4: translations and the frozen folder --------------------------------------------------------------


def build_translations(src: Path, venv: Path) -> None:
    out = src / "teller_assist" / "ui" / "i18n"
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted((src / "resources" / "i18n").glob("*.ts"))  # ours and the words qtbase lacks
    if not sources:
        raise SystemExit("no translation sources in resources/i18n")
    for ts in sources:
        run(venv_bin(venv, "pyside6-lrelease"), "-silent", ts, "-qm", out / ts.with_suffix(".qm").name)


def freeze(src: Path, venv: Path) -> Path:
    """PyInstaller with the shared spec: ``build/package/dist/teller-assist/``."""
    dist, work = BUILD / "dist", BUILD / "work"
    shutil.rmtree(dist, ignore_errors=True)
    env = {**os.environ, "TELLER_ASSIST_SRC": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    run(
        venv_bin(venv, "pyinstaller"), "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", dist, "--workpath", work, src / "installer" / "teller-assist.spec",
        env=env,
    )
    frozen = dist / PACKAGE
    if not (frozen / PACKAGE).exists() and not (frozen / f"{PACKAGE}.exe").exists():
        raise SystemExit(f"PyInstaller left no {frozen / PACKAGE}")
    return frozen


# --- 5: the package -------------------------------------------------------------------------------------


def elf_files(tree: Path) -> list[Path]:
    found = []
    for path in sorted(tree.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_from_system(tree: Path) -> tuple[set[str], str]:
    """The shared libraries the frozen files need and do not bundle, and the newest glibc symbol
    version any of them asks for."""
    elves = elf_files(tree)
    bundled = {p.name for p in tree.rglob("*")}
    needed: set[str] = set()
    glibc = (2, 17)
    for path in elves:
        dynamic = run("readelf", "-d", "-W", path)
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic))
        versions = run("readelf", "-V", "-W", path)
        for major, minor in re.findall(r"Name: GLIBC_(\d+)\.(\d+)", versions):
            glibc = max(glibc, (int(major), int(minor)))
    return {name for name in needed if name not in bundled}, f"{glibc[0]}.{glibc[1]}"


def debian_packages(sonames: set[str]) -> list[str]:
    """Map each soname to the Debian package that provides it on this machine."""
    cache = run("/sbin/ldconfig", "-p")
    arch_tag = {"amd64": "x86-64", "arm64": "AArch64", "i386": "", "armhf": "hard-float"}.get(arch(), "")
    packages: set[str] = set()
    missing = []
    for soname in sorted(sonames):
        paths = [
            m.group(2)
            for m in re.finditer(rf"^\s+{re.escape(soname)} \(([^)]*)\) => (\S+)$", cache, re.M)
            if arch_tag in m.group(1)
        ]
        if not paths:
            missing.append(soname)
            continue
        real = os.path.realpath(paths[0])
        owners = subprocess.run(["dpkg", "-S", real], capture_output=True, text=True, check=False).stdout
        if not owners:
            owners = subprocess.run(
                ["dpkg", "-S", paths[0]], capture_output=True, text=True, check=False
            ).stdout
        if not owners:
            missing.append(f"{soname} ({real}: no package)")
            continue
        packages.add(owners.split(":", 1)[0].split(",")[0].strip())
    if missing:
        raise SystemExit(
            "the frozen program needs libraries this machine lacks or no package owns: "
            + ", ".join(missing)
            + " (install the Qt runtime libraries: sh installer/system-deps.sh)"
        )
    return sorted(packages)


def arch() -> str:
    return run("dpkg", "--print-architecture").strip()


def tree_size_kib(tree: Path) -> int:
    total = 0
    for path in tree.rglob("*"):
        if path.is_symlink():
            total += 1
        elif path.is_file():
            total += (path.stat().st_size + 1023) // 1024
        elif path.is_dir():
            total += 4
    return total


def control(version: str, depends: list[str], installed_kib: int) -> str:
    return f"""Package: {PACKAGE}
Version: {version}
Architecture: {arch()}
Maintainer: {MAINTAINER}
Installed-Size: {installed_kib}
Depends: {", ".join(depends)}
Suggests: gnome-keyring, cups
Section: misc
Priority: optional
Homepage: https://m.example-rcb.cn/teller-assist
Description: 柜面授信助手 Teller Assist: walk-in pre-credit at the bank counter
 Identify a walk-in customer by resident ID, show what the bank knows,
 pre-qualify a credit line, survey, one-step four-eyes approval, and print
 the pre-credit agreement. A desktop program with a teller-assist command.
 .
 The program carries its own Python runtime and libraries under
 /opt/teller-assist; nothing is downloaded at install time. Each user's
 data (an encrypted database, backups, logs) lives in that user's home
 folder and is never removed by removing or purging the package.
"""


COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: teller-assist

Files: *
License: GPL-3.0-or-later
 The program. On Debian systems the licence is in /usr/share/common-licenses/GPL-3.

Files: opt/teller-assist/_internal/teller_assist/_resources/fonts/wqy-microhei.ttc
License: Apache-2.0 or GPL-3+ with font exception
 See opt/teller-assist/_internal/teller_assist/_resources/fonts/LICENSE-wqy-microhei.txt

Files: opt/teller-assist/_internal/teller_assist/_resources/fonts/HanaMin*.ttf
License: Hanazono Font License or OFL-1.1
 See opt/teller-assist/_internal/teller_assist/_resources/fonts/LICENSE-hanazono.txt

Files: opt/teller-assist/_internal/*
License: various
 The bundled Python runtime (PSF-2.0), Qt 6 and PySide6 (LGPL-3.0; the Qt libraries are
 separate shared files under opt/teller-assist/_internal/PySide6/Qt/lib and can be replaced),
 SQLAlchemy and Alembic (MIT), psycopg (LGPL-3.0), ReportLab (BSD), keyring (MIT), argon2-cffi (MIT),
 python-stdnum (LGPL-2.1+), sqlcipher3 (zlib), platformdirs (MIT), cn2an (MIT), pyserial (BSD).
"""


def assemble(frozen: Path, version: str, out_dir: Path, compression: str, level: int) -> Path:
    tree = BUILD / "deb"
    shutil.rmtree(tree, ignore_errors=True)
    debian = ROOT / "installer" / "debian"
    opt = tree / "opt" / PACKAGE
    shutil.copytree(frozen, opt, symlinks=True)
    (opt / "BUILD").write_text(f"{PACKAGE} {version}\n", encoding="utf-8")
    usr_bin = tree / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / PACKAGE).symlink_to(f"/opt/{PACKAGE}/{PACKAGE}")
    share = tree / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(debian / f"{PACKAGE}.desktop", share / "applications" / f"{PACKAGE}.desktop")
    icons = ROOT / "resources" / "icons"
    for size, name in (("256x256", "teller-assist.png"), ("128x128", "teller-assist-128.png"),
                       ("48x48", "teller-assist-48.png")):
        folder = share / "icons" / "hicolor" / size / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / name, folder / f"{PACKAGE}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / "teller-assist.svg", scalable / f"{PACKAGE}.svg")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT, encoding="utf-8")
    etc = tree / "etc" / PACKAGE
    etc.mkdir(parents=True)
    shutil.copy2(debian / "settings.toml", etc / "settings.toml")
    for path in tree.rglob("*"):  # dpkg-deb wants sane modes; the frozen tree keeps its own x bits
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)

    sonames, glibc = needed_from_system(opt)
    depends = [f"libc6 (>= {glibc})", *[p for p in debian_packages(sonames) if p != "libc6"]]
    meta = tree / "DEBIAN"
    meta.mkdir()
    (meta / "control").write_text(control(version, depends, tree_size_kib(tree) - 4), encoding="utf-8")
    (meta / "conffiles").write_text(f"/etc/{PACKAGE}/settings.toml\n", encoding="utf-8")
    for script in ("postrm",):
        shutil.copy2(debian / script, meta / script)
        (meta / script).chmod(0o755)
    sums = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(tree)
        if rel.parts[0] != "DEBIAN" and rel.parts[0] != "etc":
            sums.append(f"{hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()}  {rel}")
    (meta / "md5sums").write_text("\n".join(sums) + "\n", encoding="utf-8")

    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_{arch()}.deb"
    run("dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}", "--build", tree, deb)
    return deb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--ref", help="build this git commit or tag instead of the working tree")
    parser.add_argument("--version", help="the Debian version (default: <version>+<commits>.g<hash>)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .deb goes (dist/)")
    parser.add_argument("--compression", choices=("xz", "gzip"), default="xz")
    # xz -1: 93 MB in about a minute; -6 makes 82 MB but takes several times as long (BENCHMARKS.md)
    parser.add_argument("--level", type=int, default=1, choices=range(10), metavar="0-9")
    parser.add_argument("--python", default=os.environ.get("PYTHON", "python3"))
    args = parser.parse_args()
    for tool in ("dpkg-deb", "dpkg", "readelf", "git"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed to build the package (apt-get install dpkg binutils git)")

    src = BUILD / "src"
    say(f"staging {'the working tree' if not args.ref else args.ref}")
    stage_source(args.ref, src)
    version = args.version or default_version(src, args.ref)
    stamp_version(src, version)
    venv = build_env(src, args.python)
    say("building the translations")
    build_translations(src, venv)
    say(f"freezing {version} with PyInstaller")
    frozen = freeze(src, venv)
    say("assembling the package")
    deb = assemble(frozen, version, args.out, args.compression, args.level)
    info = run("dpkg-deb", "--field", deb, "Installed-Size", "Depends")
    size = deb.stat().st_size
    print(f"{deb}\n  package {size / 1e6:.1f} MB; {info.strip()}", flush=True)


if __name__ == "__main__":
    main()
