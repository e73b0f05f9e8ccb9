"""Build the Windows installer on a Windows build machine: ``py -3.11 installer\\build_windows.py``.

UNTESTED: written beside the Debian build, which is tested; no Windows machine was at hand. The
freezing is the same (``installer/teller-assist.spec``, PyInstaller, one folder); Inno Setup
(``installer/windows/teller-assist.iss``) makes ``dist\\teller-assist-<version>-setup.exe``.

What the build machine needs (see installer/windows/README.md): Windows 10 or 11 x64, Python 3.11+ x64
from python.org (with the ``py`` launcher), Git for Windows (``git`` and ``tar`` on PATH), Inno Setup 6
(``ISCC.exe``), and the network to PyPI for the build environment.

    py -3.11 installer\\build_windows.py [--ref GIT-REF] [--version VERSION] [--iscc PATH-TO-ISCC.exe]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_deb import (  # the shared steps live beside the Debian build
    BUILD,
    ROOT,
    build_env,
    build_translations,
    default_version,
    freeze,
    run,
    say,
    stage_source,
    stamp_version,
)

ISCC_PLACES = (
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe",
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "Inno Setup 6" / "ISCC.exe",
)


def windows_version(version: str) -> str:
    """Inno Setup's VersionInfoVersion wants up to four numbers: 0.1.0+99.gabc -> 0.1.0.99."""
    base, _, local = version.partition("+")
    count = local.split(".", 1)[0] if local else "0"
    return f"{base}.{count if count.isdigit() else 0}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--ref", help="build this git commit or tag instead of the working tree")
    parser.add_argument("--version", help="the version (default: <version>+<commits>.g<hash>)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--iscc", type=Path, help="ISCC.exe (default: Inno Setup 6's usual places)")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    if os.name != "nt":
        raise SystemExit("build_windows.py runs on Windows; on Debian use `make package`")
    iscc = args.iscc or next((p for p in ISCC_PLACES if p.exists()), None)
    if iscc is None or not Path(iscc).exists():
        raise SystemExit("Inno Setup 6 (ISCC.exe) is needed: https://jrsoftware.org/isdl.php, or --iscc")

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
    (frozen / "BUILD").write_text(f"teller-assist {version}\n", encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    say("making the installer with Inno Setup")
    run(
        iscc,
        f"/DAppVersion={version}",
        f"/DAppNumericVersion={windows_version(version)}",
        f"/DSourceDir={frozen}",
        f"/DOutputDir={args.out}",
        ROOT / "installer" / "windows" / "teller-assist.iss",
    )
    setup = args.out / f"teller-assist-{version}-setup.exe"
    if not setup.exists():
        raise SystemExit(f"Inno Setup wrote no {setup}")
    size = setup.stat().st_size / 1e6
    unpacked = sum(p.stat().st_size for p in frozen.rglob("*") if p.is_file()) / 1e6
    print(f"{setup}\n  installer {size:.1f} MB; installed {unpacked:.0f} MB", flush=True)
    shutil.rmtree(BUILD / "work", ignore_errors=True)


if __name__ == "__main__":
    main()
