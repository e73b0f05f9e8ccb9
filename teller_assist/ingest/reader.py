"""Reading one extract file: its fingerprint and encoding, its header, then its rows as a stream.

Nothing here holds a whole file: the file is read twice as a stream (once for the SHA-256 and the
encoding check, once for the rows), so a 200 MB extract costs a few megabytes of memory.

The encoding: a file that is valid UTF-8 from end to end is UTF-8. Otherwise it must decode as GB18030
from end to end, and then no line of it may read as Chinese in UTF-8: a UTF-8 file with one GBK line
decodes as GB18030 too, and loading it so would turn every UTF-8 name into mojibake (张伟 → 寮犱紵).
A line counts as UTF-8 when it is valid UTF-8 with non-ASCII characters, reads there as Chinese text (CJK
ideographs and CJK or full-width punctuation only) and reads in GB18030 as characters outside the
common set (GB 2312's hanzi and punctuation). A real GB18030 line passes all three only by a rare accident.
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
MAX_FIELD = 1 << 16  # a longer field refuses its row (字段过长); across lines it is a runaway quote
CSV_FIELD_LIMIT = 1 << 24  # what the csv module may hold of one field before it gives up on the file
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
SHOWN_LINES = 5  # line numbers named in a message


class FileRefused(UserFacingError):
    """The whole file is refused before anything is written; the message says why and where."""

    exit_code = 2


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    encoding: str  # a Python codec name: "utf-8", "utf-8-sig", "gb18030" or the override
    has_nul: bool = False  # a NUL byte somewhere: rows are checked for it (refused, never stored)


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


def _lines(numbers: list[int], count: int) -> str:
    shown = "、".join(str(n) for n in numbers)
    return f"第{shown}行" + (f"等{count}行" if count > len(numbers) else "")


def _lines_en(numbers: list[int], count: int) -> str:
    shown = ", ".join(str(n) for n in numbers)
    more = f" and {count - len(numbers)} more" if count > len(numbers) else ""
    return f"line{'s' if count > 1 else ''} {shown}{more}"


def _is_ideograph(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3FFFF
        or 0xF900 <= code <= 0xFAFF
    )


def _reads_as_chinese(text: str) -> bool:
    """Every non-ASCII character a CJK ideograph or CJK, general or full-width punctuation; one hanzi."""
    ideographs = 0
    for ch in text:
        if ch < "\x80":
            continue
        code = ord(ch)
        if _is_ideograph(code):
            ideographs += 1
        elif not (
            0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F or code == 0xB7
        ):
            return False
    return ideographs > 0


def _unusual_in_gb18030(line: bytes) -> bool:
    """Whether GB18030 reads ``line`` as something beyond GB 2312's hanzi and punctuation (mojibake)."""
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        return True
    for ch in text:
        if ch < "\x80":
            continue
        try:
            row = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            return True
        if 0xA3 < row < 0xB0:  # kana, Greek, Cyrillic, pinyin, box drawing: not in a name
            return True
    return False


@dataclass
class _Disagreement:
    utf8: list[int] = field(default_factory=list)  # lines that read as Chinese in UTF-8 (the first few)
    utf8_count: int = 0
    other: list[int] = field(default_factory=list)  # lines that are not UTF-8 (the first few)
    other_count: int = 0


def _mixed_lines(path: Path) -> _Disagreement:
    """For a file that decodes as GB18030 but not as UTF-8: its lines that read as UTF-8 Chinese, and
    those that are not UTF-8 at all. Only the non-ASCII lines cost any work; a line is tried as UTF-8
    with replacement characters rather than an exception (faster on a GBK file, where nearly every
    line fails)."""
    found = _Disagreement()
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if line.isascii():
                continue
            text = line.decode("utf-8", "replace")
            if "\ufffd" in text:
                found.other_count += 1
                if len(found.other) < SHOWN_LINES:
                    found.other.append(number)
            elif _reads_as_chinese(text.lstrip("\ufeff")) and _unusual_in_gb18030(line):
                found.utf8_count += 1
                if len(found.utf8) < SHOWN_LINES:
                    found.utf8.append(number)
    return found


def fingerprint(path: Path, encoding: str | None = None) -> Fingerprint:
    """SHA-256, size and whether a NUL byte occurs, in one pass; then the encoding: strict UTF-8 (with or
    without BOM), else GB18030 when no line of it is UTF-8 (see the module's docstring)."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    has_nul = False
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            if not head:
                head = block[:3]
            digest.update(block)
            size += len(block)
            has_nul = has_nul or b"\0" in block
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
        return Fingerprint(digest.hexdigest(), size, codec, has_nul)
    utf8, utf8_line = _decode_all(path, "utf-8")
    if utf8:
        codec = "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"
        return Fingerprint(digest.hexdigest(), size, codec, has_nul)
    gb, line = _decode_all(path, "gb18030")
    if not gb:
        raise FileRefused(
            f"无法识别文件编码：第{utf8_line}行不是UTF-8，第{line}行不是GB18030，整个文件未导入",
            f"cannot tell the encoding: line {utf8_line} is not UTF-8 and line {line} is not GB18030; "
            "nothing was loaded",
            hint_zh="请向核心系统确认导出编码，或用 --encoding 指定",
            hint_en="ask for the encoding or give --encoding",
        )
    mixed = _mixed_lines(path)
    if mixed.utf8_count:
        raise FileRefused(
            f"文件混用了两种编码，整个文件未导入：{_lines(mixed.utf8, mixed.utf8_count)}是UTF-8，"
            f"{_lines(mixed.other, mixed.other_count)}不是UTF-8（GB18030/GBK）",
            f"the file mixes two encodings; nothing was loaded: {_lines_en(mixed.utf8, mixed.utf8_count)} "
            f"UTF-8, {_lines_en(mixed.other, mixed.other_count)} not UTF-8 (GB18030/GBK)",
            hint_zh="请核心系统用同一种编码重新导出；若确认整个文件是GB18030，可用 --encoding gb18030 导入",
            hint_en="ask for the file again in one encoding; if it is all GB18030, give --encoding gb18030",
        )
    return Fingerprint(digest.hexdigest(), size, "gb18030", has_nul)


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


# One row as read: (the line it begins on, its fields, the index of its first field longer than
# MAX_FIELD or -1). A plain tuple: a file has millions of rows.
RawRow = tuple[int, list[str], int]


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
        offset = 1 + self._line_offset
        while True:
            start = reader.line_num + offset
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise FileRefused(
                        f"第{start}行起有超过{CSV_FIELD_LIMIT}个字符的字段（可能是引号未闭合），整个文件未导入",
                        f"a field of more than {CSV_FIELD_LIMIT} characters from line {start} "
                        "(an unclosed quote?); nothing was loaded",
                        hint_zh="请核心系统重新导出该文件",
                        hint_en="ask for the file again",
                    ) from None
                raise FileRefused(
                    f"第{start}行起格式错误（引号未闭合或多余的引号），整个文件未导入：{exc}",
                    f"malformed quoting from line {start}; nothing was loaded: {exc}",
                    hint_zh="请核心系统重新导出该文件",
                    hint_en="ask for the file again",
                ) from None
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # blank line
            if max(map(len, fields)) > MAX_FIELD:
                index = next(i for i, value in enumerate(fields) if len(value) > MAX_FIELD)
                if "\n" in fields[index] or "\r" in fields[index]:
                    raise FileRefused(
                        f"第{start}行起有跨行的超长字段（引号未闭合），整个文件未导入",
                        f"a field running over many lines from line {start} (an unclosed quote); "
                        "nothing was loaded",
                        hint_zh="请核心系统重新导出该文件",
                        hint_en="ask for the file again",
                    )
                yield (start, fields, index)  # one line with a huge field: that row is refused
                continue
            yield (start, fields, -1)

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
