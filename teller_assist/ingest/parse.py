"""Parse one extract file into chunks of stored rows and refused rows: inline, or in a helper process.

The helper process lets parsing (pure Python, one core) overlap the database's writing (the other core)
on big files. Both ways yield the same items: first the file's :class:`Header`, then :class:`Chunk`s.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from teller_assist.ingest.fields import RowError
from teller_assist.ingest.kinds import KINDS
from teller_assist.ingest.reader import FileRefused, RowStream

CHUNK_ROWS = 5_000
QUEUE_CHUNKS = 8  # at most this many parsed chunks wait for the database: bounded memory


@dataclass(frozen=True)
class ParsedHeader:
    present: frozenset[str]
    warnings: list[str]


@dataclass
class Chunk:
    good: list[tuple[object, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, the row as read)
    bytes_read: int = 0


def parse_file(
    path: Path, kind_name: str, encoding: str, today: dt.date, chunk_rows: int = CHUNK_ROWS
) -> Generator[ParsedHeader | Chunk, None, None]:
    kind = KINDS[kind_name]
    with RowStream(path, kind, encoding) as stream:
        header = stream.header
        yield ParsedHeader(header.present, list(header.warnings))
        positions, width, delimiter, parse = header.positions, header.width, header.delimiter, kind.parse
        chunk = Chunk()
        for raw in stream:
            fields = raw.fields
            if len(fields) != width:
                chunk.bad.append(
                    (raw.line, f"列数不符：表头{width}列，本行{len(fields)}列", delimiter.join(fields))
                )
            else:
                try:
                    chunk.good.append(parse([None if p is None else fields[p] for p in positions], today))
                    chunk.lines.append(raw.line)
                except RowError as exc:
                    chunk.bad.append((raw.line, str(exc), delimiter.join(fields)))
            if len(chunk.good) + len(chunk.bad) >= chunk_rows:
                chunk.bytes_read = stream.bytes_read
                yield chunk
                chunk = Chunk()
        chunk.bytes_read = stream.bytes_read
        yield chunk


def _child(path: str, kind_name: str, encoding: str, today: dt.date, out: Any, parent: int) -> None:
    def put(item: object) -> bool:
        while True:
            try:
                out.put(item, timeout=1.0)
                return True
            except queue.Full:
                if os.getppid() != parent:  # the importer died (killed): stop, never block forever
                    return False

    try:
        for item in parse_file(Path(path), kind_name, encoding, today):
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
    path: Path, kind_name: str, encoding: str, today: dt.date
) -> Generator[ParsedHeader | Chunk, None, None]:
    """The same items as :func:`parse_file`, parsed by a helper process while the caller writes."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue(maxsize=QUEUE_CHUNKS)
    process = context.Process(
        target=_child,
        args=(str(path), kind_name, encoding, today, out, os.getpid()),
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
