"""The program's log and crash reports, private by construction.

Every record passes one filter before it is written anywhere: resident-ID-like and mobile-like numbers
are masked, and the password in any connection string (``scheme://user:secret@host``) or ``password=``
pair is replaced by ``***``. This runs on the final formatted text, tracebacks included, so a value
that slips into an exception message or a ``repr`` is still masked. The log rotates (2 MB x 5) in the
data folder; a crash report is that log's last lines plus the masked traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from teller_assist.identity.masking import Masking, mask_free_text

LOGGER_NAME = "teller_assist"
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)(?P<secret>[^@\s]+)(?P<at>@)")
_PAIR_PASSWORD = re.compile(r"(?i)(?P<head>\b(?:password|passwd|pwd)\s*[=:]\s*)(?P<secret>[^\s&;,'\"]+)")


def redact(text: str, masking: Masking | None = None) -> str:
    """``text`` with IDs and phones masked and connection-string passwords replaced."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}***{m['at']}", text)
    text = _PAIR_PASSWORD.sub(lambda m: f"{m['head']}***", text)
    return mask_free_text(text, masking or Masking())


class PrivateFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole text (message, arguments and traceback)."""

    def __init__(self, masking: Masking | None = None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.masking = masking or Masking()

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.masking)


def log_file(data_dir: Path) -> Path:
    return data_dir / "logs" / "teller-assist.log"


def setup_logging(data_dir: Path, masking: Masking | None = None, *, level: int = logging.INFO) -> Path:
    """Send the program's log to a rotating file in the data folder (idempotent). Returns its path."""
    path = log_file(data_dir)
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, "teller_assist", False):
            if Path(getattr(handler, "baseFilename", "")) == path:
                return path
            logger.removeHandler(handler)
            handler.close()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.teller_assist = True  # type: ignore[attr-defined]
    handler.setFormatter(PrivateFormatter(masking))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return path


def write_crash_report(
    data_dir: Path,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    masking: Masking | None = None,
) -> Path:
    """A crash report for IT support: the masked traceback. Returns its path."""
    folder = data_dir / "crash-reports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"crash-{stamp}.txt"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    path.write_text(redact(text, masking), encoding="utf-8")
    logging.getLogger(LOGGER_NAME).critical(
        "unexpected error, report %s", path.name, exc_info=(exc_type, exc, tb)
    )
    return path


def install_crash_handler(data_dir: Path, masking: Masking | None = None) -> None:
    """Unexpected errors are written, masked, to a crash report, then shown as usual (also masked)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            path = write_crash_report(data_dir, exc_type, exc, tb, masking)
            where = f"\n崩溃报告 crash report: {path}"
        except OSError:
            where = ""
        sys.stderr.write(
            redact("".join(traceback.format_exception(exc_type, exc, tb)), masking) + where + "\n"
        )

    sys.excepthook = hook
