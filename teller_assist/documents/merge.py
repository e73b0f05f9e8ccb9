"""Print files made of the documents this program renders, one after another, copied byte for byte.

The documents come from ReportLab (``documents.render``): a classic cross-reference table, every object's
dictionary in plain text, every stream's ``/Length`` given directly. Each document's objects are copied
with their numbers moved up past the ones before, its pages hung under one page tree, its catalog, page
tree and information dictionary left out; no stream is decoded or re-encoded, so a page prints exactly as
the kept document prints (fonts embedded as they were). A general PDF library parses every object (the
fonts' width tables) and took 15 ms a document; this takes a fraction of a millisecond. Not a general
merger: a file it does not recognise raises ``MergeError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\s*$")
_OBJ = re.compile(rb"(\d+) 0 obj\s*")
_REF = re.compile(rb"\b(\d+) 0 R\b")
_LENGTH = re.compile(rb"/Length (\d+)(?! \d+ R)")
_ROOT = re.compile(rb"/Root (\d+) 0 R")
_INFO = re.compile(rb"/Info (\d+) 0 R")
_PAGES = re.compile(rb"/Pages (\d+) 0 R")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_PARENT = re.compile(rb"/Parent \d+ 0 R")
HEADER = b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n"
PAGES = 2  # the merged file's page tree; its catalog is object 1


class MergeError(Exception):
    """Not a document this program rendered (or a damaged one)."""


def _objects(pdf: bytes, where: str) -> tuple[dict[int, tuple[bytes, bytes | None]], bytes]:
    """Each object: its number -> (its text up to any stream, the stream's data or None); the trailer."""
    found = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if found is None:
        raise MergeError(f"{where}: no startxref")
    at = int(found.group(1))
    if pdf[at : at + 4] != b"xref":
        raise MergeError(f"{where}: no cross-reference table")
    trailer_at = pdf.find(b"trailer", at)
    lines = pdf[at:trailer_at].split(b"\n")[1:]
    offsets: dict[int, int] = {}
    i = 0
    while i < len(lines):
        head = _SUBSECTION.match(lines[i].strip())
        if head is None:
            i += 1
            continue
        first, count = int(head.group(1)), int(head.group(2))
        for k in range(count):
            entry = lines[i + 1 + k]
            if entry[17:18] == b"n":
                offsets[first + k] = int(entry[:10])
        i += 1 + count
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for number, offset in offsets.items():
        head = _OBJ.match(pdf, offset)
        if head is None or int(head.group(1)) != number:
            raise MergeError(f"{where}: object {number} is not where the table says")
        start = head.end()
        end = pdf.find(b"endobj", start)
        stream = pdf.find(b"stream", start, end if end >= 0 else len(pdf))
        if stream < 0:
            objects[number] = (pdf[start:end].rstrip(), None)
            continue
        text = pdf[start:stream]
        length = _LENGTH.search(text)
        if length is None:
            raise MergeError(f"{where}: object {number}'s stream has no direct /Length")
        data = stream + len(b"stream")
        data += 2 if pdf[data : data + 2] == b"\r\n" else 1
        objects[number] = (text.rstrip(), pdf[data : data + int(length.group(1))])
    return objects, pdf[trailer_at:]


class Merger:
    """A print file being written: ``add`` each document in order, then ``close``."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.kids: list[int] = []
        self.next = PAGES + 1
        out.write(HEADER)
        self.at = len(HEADER)

    def _write(self, number: int, text: bytes, stream: bytes | None) -> None:
        self.offsets[number] = self.at
        chunk = b"%d 0 obj\n" % number + text
        if stream is not None:
            chunk += b"\nstream\n" + stream + b"\nendstream"
        chunk += b"\nendobj\n"
        self.out.write(chunk)
        self.at += len(chunk)

    def add(self, pdf: bytes, where: str = "document") -> None:
        try:
            objects, trailer = _objects(pdf, where)
        except (ValueError, IndexError) as exc:
            raise MergeError(f"{where}: {exc}") from None
        root, info = _ROOT.search(trailer), _INFO.search(trailer)
        if root is None or int(root.group(1)) not in objects:
            raise MergeError(f"{where}: no catalog")
        pages = _PAGES.search(objects[int(root.group(1))][0])
        kids = None if pages is None else _KIDS.search(objects.get(int(pages.group(1)), (b"", None))[0])
        if pages is None or kids is None:
            raise MergeError(f"{where}: no flat page tree")
        left_out = {int(root.group(1)), int(pages.group(1))} | ({int(info.group(1))} if info else set())
        numbers = {n: self.next + i for i, n in enumerate(sorted(set(objects) - left_out))}
        self.next += len(numbers)

        def renumber(m: re.Match[bytes]) -> bytes:
            old = int(m.group(1))
            if old not in numbers:
                raise MergeError(f"{where}: object {old} refers to what the print file leaves out")
            return b"%d 0 R" % numbers[old]

        page_numbers = [int(n) for n in _REF.findall(kids.group(1))]
        for old, new in numbers.items():
            text, stream = objects[old]
            if old in page_numbers:  # hung under the print file's page tree
                text = _PARENT.sub(b"/Parent \x00", text)
            text = _REF.sub(renumber, text).replace(b"/Parent \x00", b"/Parent %d 0 R" % PAGES)
            self._write(new, text, stream)
        self.kids += [numbers[n] for n in page_numbers]

    def close(self) -> int:
        """The page tree, the catalog, the table and the trailer; returns the pages written."""
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self._write(PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.kids), kids), None)
        self._write(1, b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES, None)
        size = self.next
        table = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self.offsets.get(number)
            table.append(b"%010d 00000 n \n" % offset if offset is not None else b"0000000000 00000 f \n")
        table.append(b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, self.at))
        self.out.write(b"".join(table))
        return len(self.kids)


def merge_files(sources: Iterable[Path], out: Path) -> int:
    """Write ``out`` (atomically) from the documents in ``sources``, in order; returns its pages."""
    part = out.with_name(out.name + ".part")
    try:
        with part.open("wb") as f:
            merger = Merger(f)
            for source in sources:
                merger.add(source.read_bytes(), source.name)
            pages = merger.close()
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(out)
    return pages
