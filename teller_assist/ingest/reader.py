"""Reading one extract file: its fingerprint and encoding, its header, then its rows as a stream.

Nothing here holds a whole file: the file is read twice as a stream (once for the SHA-256 and the
encoding check, once for the rows), so a 200 MB extract costs a few megabytes of memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.ingest.kinds import KINDS, Kind, normalise_header

BLOCK = 1 << 20
DELIMITERS = (",", "|", "\t")
MAX_FIELD = 1 << 16  # a field longer than this is a runaway quote, not data


class FileRefused(UserFacingError):
    """The whole file is refused before anything is written; the message says why and where."""

    exit_code = 2


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    encoding: str  # a Python codec name: "utf-8", "utf-8-sig", "gb18030" or the override


def _decode_all(path: Path, codec: str) -> tuple[bool, int]:
    """Whether the whole file decodes strictly with ``codec``; on failure, the line where it broke."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    line = 1
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return False, line + block[: exc.start].count(b"\n")
            line += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, line
    return True, line


def fingerprint(path: Path, encoding: str | None = None) -> Fingerprint:
    """SHA-256 and size in one pass, then the encoding: strict UTF-8 (with or without BOM), else GB18030."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            if not head:
                head = block[:3]
            digest.update(block)
            size += len(block)
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise FileRefused(f"未知的文件编码：{encoding}", f"unknown encoding {encoding!r}") from None
        ok, line = _decode_all(path, codec)
        if not ok:
            raise FileRefused(
                f"文件第{line}行不是有效的{encoding}编码",
                f"line {line} is not valid {encoding}",
                hint_zh="请确认编码，或不指定 --encoding 让程序自动识别",
                hint_en="check the encoding, or leave --encoding out to detect it",
            )
        return Fingerprint(digest.hexdigest(), size, codec)
    utf8, _ = _decode_all(path, "utf-8")
    if utf8:
        return Fingerprint(digest.hexdigest(), size, "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8")
    gb, line = _decode_all(path, "gb18030")
    if gb:
        return Fingerprint(digest.hexdigest(), size, "gb18030")
    raise FileRefused(
        f"无法识别文件编码：既不是UTF-8也不是GB18030（第{line}行）",
        f"cannot tell the encoding: neither UTF-8 nor GB18030 (line {line})",
        hint_zh="请向核心系统确认导出编码，或用 --encoding 指定",
        hint_en="ask for the encoding or give --encoding",
    )


@dataclass
class Header:
    delimiter: str
    positions: list[int | None]  # for each of the kind's columns, its position in the file
    width: int  # fields in the header line
    present: frozenset[str]  # the kind's columns the file has
    warnings: list[str] = field(default_factory=list)


def parse_header(kind: Kind, first_line: str) -> Header:
    aliases = kind.header_aliases()
    best: tuple[int, int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        try:
            names = next(csv.reader([first_line], delimiter=delimiter, strict=True), [])
        except csv.Error:
            continue
        score = sum(normalise_header(n) in aliases for n in names)
        candidate = (score, len(names), delimiter, names)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None or best[0] == 0:
        raise FileRefused(
            f"无法识别表头：第1行没有“{kind.zh}”文件的任何列名",
            f"the first line has none of the column names of a {kind.name} file",
            hint_zh="第一行应为列名（中文或英文），分隔符为逗号、竖线或制表符",
            hint_en="the first line must hold the column names; delimiter , | or TAB",
        )
    _score, width, delimiter, names = best
    positions: dict[str, int] = {}
    warnings: list[str] = []
    for index, raw in enumerate(names):
        column = aliases.get(normalise_header(raw))
        if column is None:
            warnings.append(f"未知列“{raw.strip()}”已忽略 (unknown column ignored)")
        elif column in positions:
            raise FileRefused(f"列“{raw.strip()}”重复出现", f"column {column!r} appears twice")
        else:
            positions[column] = index
    missing = [c for c in kind.columns if c.required and c.name not in positions]
    if missing:
        listed = "、".join(f"{c.zh}({c.name})" for c in missing)
        raise FileRefused(
            f"缺少必需的列：{listed}，整个文件未导入",
            f"required columns missing: {', '.join(c.name for c in missing)}",
            hint_zh="请核心系统按数据规范重新导出",
            hint_en="ask for the file again in the agreed format",
        )
    return Header(
        delimiter=delimiter,
        positions=[positions.get(c.name) for c in kind.columns],
        width=width,
        present=frozenset(positions),
        warnings=warnings,
    )


class _CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read, for progress by bytes."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    fields: list[str]


class RowStream:
    """The rows of one file after its header, with the line each begins on."""

    def __init__(self, path: Path, kind: Kind, encoding: str) -> None:
        self.path = path
        self.kind = kind
        self._raw = _CountingReader(path.open("rb"))
        self._text = io.TextIOWrapper(io.BufferedReader(self._raw, BLOCK), encoding=encoding, newline="")
        first = self._text.readline()
        if not first.strip():
            self.close()
            raise FileRefused("文件为空或第1行没有表头", "the file is empty or has no header line")
        self.header = parse_header(kind, first.rstrip("\r\n"))
        self._reader = csv.reader(self._text, delimiter=self.header.delimiter, strict=True)
        self._line_offset = 1  # the header line

    @property
    def bytes_read(self) -> int:
        return self._raw.count

    def __iter__(self) -> Iterator[RawRow]:
        reader = self._reader
        while True:
            start = reader.line_num + 1 + self._line_offset
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRefused(
                    f"第{start}行起格式错误（引号未闭合或多余的引号），整个文件未导入：{exc}",
                    f"malformed quoting from line {start}; nothing was loaded: {exc}",
                    hint_zh="请核心系统重新导出该文件",
                    hint_en="ask for the file again",
                ) from None
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # blank line
            if any(len(value) > MAX_FIELD for value in fields):
                raise FileRefused(
                    f"第{start}行起有超长字段（可能是引号未闭合），整个文件未导入",
                    f"a runaway field from line {start} (an unclosed quote?); nothing was loaded",
                )
            yield RawRow(start, fields)

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> RowStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise FileRefused(
            f"未知的数据类型：{name}",
            f"unknown kind {name!r}",
            hint_zh="可用类型：" + "、".join(KINDS),
            hint_en="kinds: " + ", ".join(KINDS),
        ) from None
