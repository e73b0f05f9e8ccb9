"""Printing through CUPS (``lp``): the branch printer from the settings, checked before anything is
issued, and every document saved first, so a missing printer, a missing CUPS or a queue that is really
"print to file" loses nothing and is said plainly."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from teller_assist.errors import UserFacingError

if TYPE_CHECKING:
    from teller_assist.services.documents import Issued

log = logging.getLogger(__name__)
TIMEOUT_S = 15


class PrintError(UserFacingError):
    exit_code = 6


@dataclass(frozen=True)
class PrinterState:
    name: str
    device: str


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise PrintError(
            "打印服务没有响应",
            "the print service (CUPS) did not answer",
            hint_zh="请检查打印服务或联系科技部",
        ) from None


def cups_available() -> bool:
    """CUPS's own tools are here (``lp``, ``lpstat``): the documents go to the queue as the PDFs they
    are. Elsewhere (Windows) the window prints through Qt."""
    return shutil.which("lp") is not None and shutil.which("lpstat") is not None


def check_printer(name: str) -> PrinterState:
    """The printer exists, is enabled, accepts jobs and really prints (not a "print to file" queue)."""
    if not name:
        raise PrintError(
            "未设置打印机",
            "no printer is set",
            hint_zh="请在设置中填写 printer，或用 --printer 指定",
            hint_en="set printer in the settings or pass --printer",
        )
    if not cups_available():
        raise PrintError(
            "本机没有安装打印服务（CUPS）",
            "CUPS (lp, lpstat) is not installed here",
            hint_zh="请安装 CUPS 或联系科技部；文书已保存，可稍后打印",
        )
    status = _run(["lpstat", "-p", name])
    text = (status.stdout + status.stderr).decode("utf-8", "replace")
    if status.returncode != 0 or f"printer {name} " not in text:
        raise PrintError(
            f"找不到打印机 {name}",
            f"no printer named {name}",
            hint_zh="请检查打印机名称（lpstat -p 可列出）",
        )
    if "disabled" in text:
        raise PrintError(f"打印机 {name} 已停用", f"printer {name} is disabled", hint_zh="请启用打印机后重试")
    device_out = _run(["lpstat", "-v", name]).stdout.decode("utf-8", "replace")
    match = re.search(r":\s*(\S+)\s*$", device_out.strip())
    device = match.group(1) if match else ""
    if device.startswith("file:") or device in ("/dev/null", "file:/dev/null"):
        raise PrintError(
            f"打印机 {name} 实际是“打印到文件”（{device}），纸质文书不会打出",
            f"printer {name} prints to a file ({device}), not on paper",
            hint_zh="请选择真实的打印机",
        )
    return PrinterState(name, device)


def save_copy(pdf: bytes, folder: Path, stem: str) -> Path:
    """Keep the document in the data folder whatever happens to the print job."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{stem}.pdf"
    part = path.with_name(path.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pdf)
    part.replace(path)
    return path


def submit(printer: PrinterState, path: Path, title: str) -> str:
    """Hand the PDF to CUPS; the job id (e.g. ``counter-1-42``)."""
    return Submission(printer, path, title).job()


class Submission:
    """A PDF being handed to CUPS: ``lp`` runs while the caller goes on (the counter renders its next
    document meanwhile); ``job()`` waits for its answer: the job id, or the printer's refusal."""

    def __init__(self, printer: PrinterState, path: Path, title: str) -> None:
        self.printer, self.path, self.title = printer, path, title
        args = ["lp", "-d", printer.name, "-t", title, "-n", "1", "--", str(path)]
        try:
            self._lp: subprocess.Popen[bytes] | None = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            self._failed = ""
        except OSError as exc:
            self._lp, self._failed = None, str(exc)

    def job(self) -> str:
        out = self._failed
        if self._lp is not None:
            try:
                stdout, stderr = self._lp.communicate(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._lp.kill()
                self._lp.communicate()
                raise PrintError(
                    "打印服务没有响应",
                    "the print service (CUPS) did not answer",
                    hint_zh="请检查打印服务或联系科技部",
                ) from None
            out = (stdout + stderr).decode("utf-8", "replace")
        match = re.search(r"request id is (\S+)", out)
        if self._lp is None or self._lp.returncode != 0 or not match:
            raise PrintError(
                f"打印机 {self.printer.name} 拒绝了打印任务：{out.strip()}",
                f"the printer refused the job: {out.strip()}",
                hint_zh=f"文书已保存在 {self.path}，可稍后打印",
            )
        log.info("print job %s on %s: %s", match.group(1), self.printer.name, self.title)
        return match.group(1)


@dataclass(frozen=True)
class Printed:
    """One document of a print run: issued (original or 副本, audited), kept, and sent or not."""

    kind: str
    copy_no: int  # 0 = the original
    saved: Path  # the copy kept in the data folder, whatever the printer did
    job: str | None  # the CUPS job; None when it was not sent (see the run's ``problem``)


@dataclass
class PrintRun:
    """What ``print_documents`` did: where the documents went, each document, and the first thing that
    kept paper from coming out (None when every document went to the printer)."""

    destination: str
    documents: list[Printed] = field(default_factory=list)
    problem: UserFacingError | None = None


Issue = Callable[[tuple[str, ...], str, Callable[["Issued"], None]], object]
"""Issues ``kinds`` for print to a destination, handing each document as it is recorded: the counter's
``CounterFlow.issue_documents``, or ``services.documents.issue_all`` on the command line."""


def print_documents(
    issue: Issue,
    kinds: tuple[str, ...],
    printer_name: str,
    folder: Path,
    stem: str,
    titled: Callable[[str, int], str],
) -> PrintRun:
    """The one print pipeline, for the window and the command line: the printer checked, then each
    document issued (``issue(kinds, destination, each)``, which records and audits it), kept in
    ``folder`` as ``{stem}-{kind}-{copy_no}.pdf``, and handed to CUPS. Each document's ``lp`` runs while
    the next one renders; the next goes to the printer only once the printer took the one before, so a
    refusal leaves the rest issued and kept, not sent. A missing, disabled or print-to-file printer
    issues and keeps every document, sends none, and says why (``problem``). ``titled(kind, copy_no)``:
    the job's title in the queue."""
    printer: PrinterState | None = None
    try:
        printer = check_printer(printer_name)
        run = PrintRun(printer.name)
    except PrintError as exc:
        run = PrintRun("file (printer unavailable)", problem=exc)
    sending: tuple[Printed, Submission] | None = None

    def answered() -> None:
        nonlocal sending
        if sending is None:
            return
        waiting, submission = sending
        sending = None
        try:
            job = submission.job()
        except PrintError as exc:
            run.problem = exc
            return
        run.documents[run.documents.index(waiting)] = replace(waiting, job=job)

    def keep(issued: Issued) -> None:
        nonlocal sending
        saved = save_copy(issued.pdf, folder, f"{stem}-{issued.kind}-{issued.copy_no}")
        document = Printed(issued.kind, issued.copy_no, saved, None)
        run.documents.append(document)
        answered()
        if printer is not None and run.problem is None:
            sending = document, Submission(printer, saved, titled(issued.kind, issued.copy_no))

    try:
        issue(kinds, run.destination, keep)
    except UserFacingError as exc:
        answered()
        run.problem = run.problem or exc
        return run
    answered()
    return run


def job_title(app_id: int, kind: str, copy_no: int) -> str:
    """A document's title in the print queue, as the bank's staff read it there."""
    from teller_assist.documents.templates import KINDS

    return f"{KINDS[kind]} {f'副本{copy_no}' if copy_no else '原件'} app{app_id}"
