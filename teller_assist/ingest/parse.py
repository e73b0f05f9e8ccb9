"""Parse one extract file into chunks of stored rows and refused rows: inline, or in a helper process.

The helper process lets parsing (pure Python, one core) overlap the database's writing (the other core)
on big files. Both ways yield the same items: first the file's :class:`Header`, then :class:`Chunk`s.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teller_assist.ingest.fields import RowError
from teller_assist.ingest.kinds import KINDS
from teller_assist.ingest.reader import MAX_FIELD, FileRefused, RowStream

CHUNK_ROWS = 5_000
QUEUE_CHUNKS = 8  # at most this many parsed chunks wait for the database: bounded memory
PARENT_POLL = 0.5  # seconds between the helper's looks at whether the importer still runs
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class ParsedHeader:
    present: frozenset[str]
    warnings: list[str]


@dataclass
class Chunk:
    good: list[tuple[object, ...]] = field(default_factory=list)
    lines: list[int] | range = field(default_factory=list)  # the line each good row begins on
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, the row as read)
    bytes_read: int = 0


SHOWN_FIELD = 200  # of a refused row's fields, this many characters are kept
NUL_REASON = "含有空字符（NUL）"


def _as_read(fields: list[str], delimiter: str) -> str:
    """A refused row as it is kept: its fields joined, each cut to ``SHOWN_FIELD``, NUL shown as ␀."""
    raw = delimiter.join(v if len(v) <= SHOWN_FIELD else v[:SHOWN_FIELD] + "…" for v in fields)
    return raw.replace("\0", "\u2400")


def parse_file(
    path: Path,
    kind_name: str,
    encoding: str,
    today: dt.date,
    latest: dt.date,
    has_nul: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> Generator[ParsedHeader | Chunk, None, None]:
    """The file's header, then its rows in chunks. ``latest``: the date no event may come after (the
    extract's date). ``has_nul``: the file holds a NUL byte somewhere, so rows are checked for it."""
    kind = KINDS[kind_name]
    with RowStream(path, kind, encoding) as stream:
        header = stream.header
        yield ParsedHeader(header.present, list(header.warnings))
        positions, width, delimiter, parse = header.positions, header.width, header.delimiter, kind.parse
        in_order = positions == list(range(width))  # the usual file: the kind's columns, in its order
        good: list[tuple[object, ...]] = []
        lines: list[int] = []
        bad: list[tuple[int, str, str]] = []
        for line, fields, too_long in stream:
            if len(fields) != width:
                bad.append(
                    (line, f"列数不符：表头{width}列，本行{len(fields)}列", _as_read(fields, delimiter))
                )
            elif too_long >= 0:
                reason = f"字段过长（第{too_long + 1}列超过{MAX_FIELD}个字符）"
                bad.append((line, reason, _as_read(fields, delimiter)))
            elif has_nul and any("\0" in value for value in fields):
                bad.append((line, NUL_REASON, _as_read(fields, delimiter)))
            else:
                try:
                    good.append(
                        parse(
                            fields if in_order else ["" if p is None else fields[p] for p in positions],
                            today,
                            latest,
                        )
                    )
                    lines.append(line)
                except RowError as exc:
                    bad.append((line, str(exc), _as_read(fields, delimiter)))
            if len(good) + len(bad) >= chunk_rows:
                yield _chunk(good, lines, bad, stream.bytes_read)
                good, lines, bad = [], [], []
        yield _chunk(good, lines, bad, stream.bytes_read)


def _chunk(
    good: list[tuple[object, ...]], lines: list[int], bad: list[tuple[int, str, str]], read: int
) -> Chunk:
    """A chunk, its line numbers a range when they follow each other (the usual case): a range is a few
    bytes to pass to the importer, a list of 5,000 numbers is not."""
    if lines and lines[-1] - lines[0] == len(lines) - 1:
        return Chunk(good, range(lines[0], lines[-1] + 1), bad, read)
    return Chunk(good, lines, bad, read)


def _die_with_parent(parent: int) -> None:
    """End this helper as soon as the importer that started it ends, however it ends (a SIGKILL too).

    On Linux the kernel sends SIGKILL when the parent goes (``prctl(PR_SET_PDEATHSIG)``); everywhere, a
    thread also looks every half second whether the parent is still ours, and ends the process at once
    (``os._exit``: no waiting for the queue's feeder thread, which would block on a pipe nobody reads).
    The resource tracker ends by itself once no process holds its pipe, that is once both are gone.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the thread below does it
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:  # also when the parent died before prctl above took effect
                os._exit(0)
            time.sleep(PARENT_POLL)

    threading.Thread(target=watch, name="teller-assist-parent-watch", daemon=True).start()


def _child(
    path: str,
    kind_name: str,
    encoding: str,
    today: dt.date,
    latest: dt.date,
    has_nul: bool,
    out: Any,
    parent: int,
) -> None:
    _die_with_parent(parent)

    def put(item: object) -> bool:
        while True:
            try:
                out.put(item, timeout=1.0)
                return True
            except queue.Full:
                if os.getppid() != parent:  # the importer died (killed): stop, never block forever
                    return False

    try:
        for item in parse_file(Path(path), kind_name, encoding, today, latest, has_nul):
            if not put(item):
                return
    except FileRefused as exc:
        put(("refused", exc.message_zh, exc.message_en, exc.hint_zh, exc.hint_en))
        return
    except BaseException as exc:
        put(("error", repr(exc)))
        return
    put(None)


def parse_file_in_child(
    path: Path, kind_name: str, encoding: str, today: dt.date, latest: dt.date, has_nul: bool = False
) -> Generator[ParsedHeader | Chunk, None, None]:
    """The same items as :func:`parse_file`, parsed by a helper process while the caller writes."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue(maxsize=QUEUE_CHUNKS)
    process = context.Process(
        target=_child,
        args=(str(path), kind_name, encoding, today, latest, has_nul, out, os.getpid()),
        daemon=True,
        name="teller-assist-parse",
    )
    process.start()
    try:
        while True:
            try:
                item = out.get(timeout=5.0)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(
                        f"the parsing process ended unexpectedly (exit code {process.exitcode})"
                    ) from None
                continue
            if item is None:
                return
            if isinstance(item, tuple):
                if item[0] == "refused":
                    raise FileRefused(item[1], item[2], hint_zh=item[3], hint_en=item[4])
                raise RuntimeError(f"the parsing process failed: {item[1]}")
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=5)
        out.close()
        out.join_thread()
