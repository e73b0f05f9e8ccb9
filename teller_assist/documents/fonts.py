"""The bundled CJK fonts for ReportLab, registered once per process (it takes ~0.2 s), embedded as
subsets. Characters the primary font lacks (䶮, 𠀀 in a name) are set in the fallback that has them; the
fallbacks are registered when a text first needs one.

A process renders many documents (a campaign's letters: thousands), so the fonts are set up for that:
each font file is mapped, not read (its pages are the operating system's, shared by every process that
renders, and only the glyphs used are ever read in); and a subset that was built once, with its
compressed font program, is kept for the next document that embeds the same characters in the same
order (:func:`seed` makes that the usual case). The bytes embedded are exactly ReportLab's.
"""

from __future__ import annotations

import collections
import functools
import mmap
import threading
import zlib
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from teller_assist.resources import resource

PRIMARY = "TA-WQYMicroHei"
FALLBACKS = (("TA-HanaMinA", "HanaMinA.ttf"), ("TA-HanaMinB", "HanaMinB.ttf"))
KEPT_SUBSETS = 32  # per font: a campaign's documents use a handful of distinct subsets
_lock = threading.Lock()


class _Mapped:
    """A font file for ReportLab's reader: ``read()`` hands over a read-only map of the file."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def read(self) -> mmap.mmap:
        return self._map


class _GlyphTable:
    """The ``glyf`` table as ReportLab's subsetter reads it (a slice per glyph), without copying the
    whole table (megabytes) for every subset."""

    def __init__(self, data: Any, start: int) -> None:
        self.data, self.start = data, start

    def __getitem__(self, part: slice) -> bytes:
        return bytes(self.data[self.start + part.start : self.start + part.stop])


class _Face(TTFontFace):
    """ReportLab's typeface, keeping the subsets it builds. A subset depends only on the font and the
    characters in it, in order; what is kept is exactly what ReportLab builds."""

    def get_table(self, tag: str) -> Any:
        pos, length = self.get_table_pos(tag)
        data = self.__dict__["_ttf_data"]  # the mapped file
        if tag == "glyf":
            return _GlyphTable(data, pos)
        return bytes(data[pos : pos + length])

    def makeSubset(self, subset: Sequence[int]) -> bytes:
        kept: collections.OrderedDict[tuple[int, ...], bytes] = self.__dict__.setdefault(
            "_kept", collections.OrderedDict()
        )
        key = tuple(subset)
        with _lock:
            program = kept.get(key)
            if program is not None:
                kept.move_to_end(key)
                return program
        program = super().makeSubset(subset)
        with _lock:
            kept[key] = program
            if len(kept) > KEPT_SUBSETS:
                kept.popitem(last=False)
        return program

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        descriptor = super().addSubsetObjects(doc, fontname, subset)  # type: ignore[no-untyped-call]
        stream = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if isinstance(stream, pdfdoc.PDFStream) and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [_KEPT_FLATE]
        return descriptor


class _KeptFlate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter, remembering the last font programs it compressed (a kept subset's
    program is the same bytes object every time, so the lookup costs nothing)."""

    def __init__(self) -> None:
        self._kept: collections.OrderedDict[bytes, bytes] = collections.OrderedDict()

    def encode(self, text: Any) -> bytes:
        if not isinstance(text, bytes):
            return super().encode(text)
        with _lock:
            packed = self._kept.get(text)
            if packed is not None:
                self._kept.move_to_end(text)
                return packed
        packed = zlib.compress(text)
        with _lock:
            self._kept[text] = packed
            if len(self._kept) > KEPT_SUBSETS * (1 + len(FALLBACKS)):
                self._kept.popitem(last=False)
        return packed


_KEPT_FLATE = _KeptFlate()


_WIDTHS_KEPT: collections.OrderedDict[tuple[Any, ...], bytes] = collections.OrderedDict()


class _KeptWidths(pdfdoc.PDFArray):
    """A subset's glyph widths, formatted as ReportLab formats them, once per distinct subset: a kept
    subset's few hundred numbers were formatted again for every document that embedded it."""

    def format(self, document: Any, IND: bytes = b"\n ") -> bytes:
        key = (tuple(self.sequence), self.multiline, rl_config.pdfMultiLine, IND)
        with _lock:
            done = _WIDTHS_KEPT.get(key)
            if done is not None:
                _WIDTHS_KEPT.move_to_end(key)
                return done
        done = super().format(document, IND)
        with _lock:
            _WIDTHS_KEPT[key] = done
            if len(_WIDTHS_KEPT) > KEPT_SUBSETS * (1 + len(FALLBACKS)):
                _WIDTHS_KEPT.popitem(last=False)
        return done


class _Font(TTFont):
    """ReportLab's TrueType font, its subsets' width arrays formatted once (``_KeptWidths``) and their
    ToUnicode maps made once (``_to_unicode``); the objects and bytes embedded are ReportLab's."""

    def addObjects(self, doc: Any) -> None:
        super().addObjects(doc)
        for font in doc.idToObject["BasicFonts"].dict.values():
            widths = getattr(font, "Widths", None)
            if type(widths) is pdfdoc.PDFArray and all(type(w) in (int, float) for w in widths.sequence):
                widths.__class__ = _KeptWidths


@functools.lru_cache(maxsize=KEPT_SUBSETS * (1 + len(FALLBACKS)))
def _to_unicode_kept(fontname: str, subset: tuple[int, ...]) -> str:
    return str(_MAKE_TO_UNICODE(fontname, list(subset)))


def _to_unicode(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode map of a subset, made once per distinct subset."""
    return _to_unicode_kept(fontname, tuple(subset))


_MAKE_TO_UNICODE = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode  # what TTFont.addObjects calls for each subset


def _font(name: str, path: Path, subfont: int = 0) -> TTFont:
    font = _Font(name, _Mapped(path), subfontIndex=subfont)  # ReportLab reads a file-like too
    font.face.__class__ = _Face
    return font


@functools.cache
def _registered() -> dict[str, frozenset[int]]:
    """Register the primary font (once) and return its covered code points."""
    with _lock:
        font = _font(PRIMARY, resource("fonts", "wqy-microhei.ttc"), subfont=0)
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(
            PRIMARY, normal=PRIMARY, bold=PRIMARY, italic=PRIMARY, boldItalic=PRIMARY
        )
        return {PRIMARY: frozenset(font.face.charToGlyph)}


@functools.cache
def _fallbacks() -> dict[str, frozenset[int]]:
    """Register the fallback fonts (once, when a text first needs one: most processes never do, and
    their tables are tens of megabytes) and return each one's covered code points."""
    _registered()
    with _lock:
        covered = {}
        for name, file in FALLBACKS:
            font = _font(name, resource("fonts", file))
            pdfmetrics.registerFont(font)
            covered[name] = frozenset(font.face.charToGlyph)
        return covered


def register(fallbacks: bool = True) -> None:
    """Make the fonts available (call early, off the counter's critical path); without ``fallbacks``
    only the primary font, the others waiting until a text needs one (a campaign's render workers)."""
    _registered()
    if fallbacks:
        _fallbacks()


def seed(doc: Any, characters: str) -> None:
    """Place ``characters`` (a template's own text, the same for every document of a kind) first in the
    primary font's subsets of the PDF document ``doc``, in a fixed order, before any text is drawn:
    every such document then embeds the same leading subsets, built and compressed once per process,
    and a person's own characters (a name, the reasons) go into a small subset of their own. What is
    printed does not change; a character seeded but not drawn costs its glyph in the file."""
    covered = _registered()[PRIMARY]
    text = "".join(sorted({ch for ch in characters if ord(ch) > 0x7F and ord(ch) in covered}))
    font: Any = pdfmetrics.getFont(PRIMARY)  # a TTFont
    font.splitString(text, doc)
    # a person's own characters start a subset of their own (ReportLab starts one at each multiple
    # of 256), so the seeded ones stay the same whoever the document is for
    state = font.state[doc]
    state.nextCode = (state.nextCode + 0xFF) & ~0xFF


def markup(text: str) -> str:
    """``text`` escaped for a ReportLab paragraph, with characters the primary font lacks wrapped in
    the fallback font that has them. User-entered text always goes through here: ``<font size=40>``
    prints exactly as typed."""
    primary = _registered()[PRIMARY]
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code in primary or ch in "\n\t ":
            out.append(escape(ch, quote=False))
            continue
        covered = _fallbacks()
        for name, _file in FALLBACKS:
            if code in covered[name]:
                out.append(f'<font name="{name}">{escape(ch, quote=False)}</font>')
                break
        else:
            out.append(escape(ch, quote=False))  # no font has it: ReportLab draws a blank box
    return "".join(out)
