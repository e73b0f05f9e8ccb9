"""Printing through a real CUPS queue (cups-pdf: the "paper" is a PDF file we can count pages of),
and the plain messages for a missing printer, a disabled one and a print-to-file queue."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.helpers import required
from tests.helpers.cli import run_cli
from tests.helpers.cups import CupsServer
from tests.helpers.extracts import MAN, rid
from tests.integration.test_documents import approved_application


def landed(
    server: CupsServer, since: float, count: int, timeout: float = 30, besides: frozenset[Path] = frozenset()
) -> list[Path]:
    """The files cups-pdf wrote since ``since`` (other than ``besides``), once there are ``count``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            p
            for folder in server.output_dirs()
            if folder.is_dir()
            for p in folder.glob("*.pdf")
            if newer(p, since) and p not in besides
        ]
        if len(found) >= count and all(complete(p) for p in found):
            return sorted(found)
        time.sleep(0.2)
    return []


def newer(path: Path, since: float) -> bool:
    try:
        return path.stat().st_mtime >= since
    except FileNotFoundError:  # cups-pdf renames its file when done; seen mid-rename
        return False


def complete(pdf: Path) -> bool:
    """cups-pdf writes the file in place: it is done when poppler can read it."""
    pdfinfo = required.program("pdfinfo")
    return subprocess.run([pdfinfo, str(pdf)], capture_output=True, check=False).returncode == 0


def pages(pdf: Path) -> int:
    pdfinfo = required.program("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def test_the_agreement_authorisation_and_letter_come_out_of_a_real_queue(
    cups_server: CupsServer, env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, **cups_server.env}
    app = approved_application(env, tmp_path, MAN)
    since = time.time() - 1
    done = run_cli("print", str(app["id"]), "--printer", "TA-PDF", env=env)
    assert done.returncode == 0, done.stderr
    assert "预授信协议（原件）" in done.stdout and "授信告知函（原件）" in done.stdout
    assert "个人信用信息查询及个人信息处理授权书（原件）" in done.stdout
    out = landed(cups_server, since, 3)
    assert len(out) == 3, "cups-pdf wrote nothing"
    # the letter's one page, the authorisation's two, the agreement's two parts of two
    assert sorted(pages(p) for p in out) == [1, 2, 4]
    assert all(cups_server.output_dir in p.parents for p in out)  # never the account's home
    # printing again gives copies, marked on the paper
    since = time.time() - 1
    again = run_cli("print", str(app["id"]), "--printer", "TA-PDF", "--kind", "agreement", env=env)
    assert again.returncode == 0 and "副本1" in again.stdout, again.stderr
    copy = landed(cups_server, since, 1, besides=frozenset(out))
    assert copy and pages(copy[-1]) == 4
    # the printed file went through pdftops and Ghostscript, which drop the text layer of CJK fonts;
    # the kept copy of what was sent still says 副本
    kept = Path(env["TELLER_ASSIST_DATA_DIR"]) / "printed" / f"app{app['id']}-agreement-1.pdf"
    pdftotext = required.program("pdftotext")
    text = subprocess.run([pdftotext, str(kept), "-"], capture_output=True, text=True, check=True).stdout
    assert "副本" in "".join(text.split())


def test_missing_disabled_and_print_to_file_printers_are_said_plainly_and_nothing_is_lost(
    cups_server: CupsServer, env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, **cups_server.env}
    app = approved_application(env, tmp_path, rid(seq=95))
    saved_dir = Path(env["TELLER_ASSIST_DATA_DIR"]) / "printed"
    for printer, says in (
        ("NO-SUCH", "找不到打印机 NO-SUCH"),
        ("TA-OFF", "已停用"),
        ("TA-FILE", "打印到文件"),
    ):
        before = set(saved_dir.glob("*.pdf")) if saved_dir.exists() else set()
        done = run_cli("print", str(app["id"]), "--printer", printer, "--kind", "letter", env=env)
        assert done.returncode == 6 and says in done.stderr and "已保存" in done.stderr, done.stderr
        new = set(saved_dir.glob("*.pdf")) - before
        assert len(new) == 1 and pages(next(iter(new))) == 1  # the document is kept for later


def test_no_cups_at_all(env: dict[str, str], tmp_path: Path) -> None:
    app = approved_application(env, tmp_path, MAN)
    done = run_cli("print", str(app["id"]), "--printer", "X", env={**env, "PATH": "/nonexistent"})
    assert done.returncode == 6 and "CUPS" in done.stderr and "已保存" in done.stderr


def test_a_queue_refusing_jobs_keeps_every_document_and_sends_none_after_the_refusal(
    cups_server: CupsServer, env: dict[str, str], tmp_path: Path
) -> None:
    """The one print pipeline (the window's and this command's): the printer takes no job (enabled, but
    not accepting), so the first document's ``lp`` is refused; every document is still issued and kept,
    the rest are not sent, and the exit says so."""
    env = {**env, **cups_server.env}
    app = approved_application(env, tmp_path, rid(seq=96))
    reject = required.program("cupsreject")
    accept = required.program("cupsaccept")
    subprocess.run([reject, "TA-PDF"], env={**env}, check=True, capture_output=True)
    try:
        done = run_cli("print", str(app["id"]), "--printer", "TA-PDF", env=env)
    finally:
        subprocess.run([accept, "TA-PDF"], env={**env}, check=True, capture_output=True)
    assert done.returncode == 6 and "拒绝了打印任务" in done.stderr, done.stderr
    assert "已送打印机" not in done.stdout
    kept = sorted((Path(env["TELLER_ASSIST_DATA_DIR"]) / "printed").glob(f"app{app['id']}-*.pdf"))
    assert [p.name.split("-")[1] for p in kept] == ["agreement", "authorization", "letter"]
    assert done.stderr.count("未打印 not printed：") == 3  # each kept, none sent
