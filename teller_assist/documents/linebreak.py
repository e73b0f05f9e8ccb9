"""Chinese line breaking for ReportLab paragraphs.

ReportLab's CJK wrapping knows the Japanese rule (禁則) for a handful of characters: its
``ALL_CANNOT_START`` lacks the full-width Chinese comma, semicolon, colon, exclamation and question
marks and the closing book-title mark, and it hangs at most one character. Chinese typesetting (GB/T
15834 and common practice) forbids a line to *start* with closing punctuation ，。、；：！？）》」』】〕…
and to *end* with an opening mark （《「『【〔“‘. :class:`ChineseParagraph` breaks lines by that rule:
a forbidden first character hangs at the end of the line above (at most one), and otherwise the break
moves back one character at a time until the next line starts with an allowed one.

A figure is one word: a number with its grouping and decimals (53,900 · 70,509.20), with the ¥ before
it and its unit after it (元, 万元, %), an amount in capitals with its figures
(人民币捌万壹仟元整（¥81,000.00）), a date (2028年11月29日), a masked amount (***元), a run of Latin
letters and digits (an agreement number, a verification code) and a URL never break inside. Only a word
longer than a whole line is broken, where the line ends.
"""

from __future__ import annotations

import collections
import re
import threading
from dataclasses import dataclass
from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import Paragraph, ParaLines
from reportlab.rl_config import _FUZZ

from teller_assist.documents.fonts import PRIMARY

# ReportLab's own glyph and line builders for CJK text (not in the type stubs, stable since 2.x)
cjkU: Any = getattr(rl_paragraph, "cjkU")  # noqa: B009
makeCJKParaLine: Any = getattr(rl_paragraph, "makeCJKParaLine")  # noqa: B009
_paragraph_setup: Any = getattr(Paragraph, "_setup")  # noqa: B009  # parses the markup into fragments

CANNOT_START = ALL_CANNOT_START + "，。、；：！？）》」』】〕〉…—·％‰”’"
CANNOT_END = ALL_CANNOT_END + "（《「『【〔〈“‘"
MAX_HANG = 1

# What never breaks inside (see the module's docstring); matched on the paragraph's plain text.
_UNBREAKABLE = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*[A-Za-z0-9/#=_~\-]"  # a URL
    # an amount in capitals and its figures: 人民币捌万壹仟元整（¥81,000.00）
    r"|(?:人民币)?[壹贰叁肆伍陆柒捌玖][零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]*(?:（[¥￥][\d,.]+）)?"
    r"|\d{4}年\d{1,2}月\d{1,2}日"  # a date
    r"|[¥￥]?(?:\d[\d,.]*\d|\d)(?:万元|元|%|％|‰)?"  # a number, its currency sign and unit
    r"|\*+(?:万元|元)"  # a masked amount
    r"|[A-Za-z0-9](?:[A-Za-z0-9_.:/\-]*[A-Za-z0-9_/\-])?"  # a Latin word, agreement number, domain
)


def unbreakable(text: str) -> list[bool]:
    """For each position ``i`` of ``text``: True when a line must not break between ``i - 1`` and ``i``."""
    inside = [False] * (len(text) + 1)
    for match in _UNBREAKABLE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            inside[i] = True
    return inside


@dataclass(frozen=True, slots=True)
class _Text:
    """A paragraph's characters laid out once, for every width it is wrapped at (a paragraph in a table
    or kept with the next is wrapped several times): each position's character (``""`` for a
    ``<br/>``), its fragment, its width, whether it forces a break, whether no break may come before it."""

    chars: list[str]
    frags: list[Any]
    widths: list[float]
    forced: list[bool]
    inside: list[bool]


# advance widths by (font, size) and character: the same few hundred characters come back in every
# document, and ReportLab's stringWidth per character was the largest part of wrapping
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _prepare(frags: list[Any]) -> _Text | None:
    """The paragraph's positions, or ``None`` when a fragment is not plain text (an inline image)."""
    chars: list[str] = []
    owners: list[Any] = []
    widths: list[float] = []
    forced: list[bool] = []
    for f in frags:
        if hasattr(f, "cbDefn"):
            return None
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        key = (f.fontName, f.fontSize)
        table = _WIDTHS.get(key)
        if table is None:
            table = _WIDTHS[key] = {}
        breaks = hasattr(f, "lineBreak")
        for ch in text or ("",):
            width = table.get(ch)
            if width is None:
                width = table[ch] = stringWidth(ch, f.fontName, f.fontSize) if ch else 0.0
            chars.append(ch)
            owners.append(f)
            widths.append(width)
            forced.append(breaks)
    # one character per position (a <br/> holds none: a newline keeps the positions aligned)
    inside = unbreakable("".join(ch or "\n" for ch in chars))
    return _Text(chars, owners, widths, forced, inside)


def _line(
    text: _Text, start: int, end: int, max_width: float, used: float, forced: bool, bounds: bool
) -> Any:
    """ReportLab's CJK line for positions [start, end): one glyph run per fragment (not per character)."""
    chars, frags = text.chars, text.frags
    runs = []
    i = start
    while i < end:
        f = frags[i]
        j = i + 1
        while j < end and frags[j] is f:
            j += 1
        runs.append(cjkU("".join(chars[i:j]), f, "utf8"))
        i = j
    return makeCJKParaLine(runs, max_width, used, max_width - used, forced, bounds)


def split_lines(text: _Text, max_widths: list[float], calc_bounds: bool) -> Any:
    """Lines broken by the Chinese rule, in ReportLab's CJK representation."""
    chars, widths, forced_at = text.chars, text.widths, text.forced
    lines: list[Any] = []
    start = 0
    n = len(chars)
    limit = len(max_widths) - 1
    while start < n:
        max_width = max_widths[min(len(lines), limit)]
        used = 0.0
        end = start
        forced = False
        while end < n:
            if forced_at[end]:  # <br/>
                end += 1
                forced = True
                break
            width = widths[end]
            if used + width > max_width + _FUZZ and end > start:
                break
            used += width
            end += 1
        if end < n and not forced:
            end = _better_break(chars, start, end, text.inside)
        used = sum(widths[start:end])
        lines.append(_line(text, start, end, max_width, used, forced, calc_bounds))
        start = end
    return ParaLines(kind=1, lines=lines)


def split_glyphs(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """Lines of ``frags`` broken by the Chinese rule (ReportLab's CJK representation)."""
    text = _prepare(frags)
    if text is None:
        return _split_glyphs_slowly(frags, max_widths, calc_bounds)
    return split_lines(text, max_widths, calc_bounds)


def _split_glyphs_slowly(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """The same, one ReportLab glyph per character: for paragraphs with an inline image (not in our
    templates), whose widths ReportLab computes itself."""
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, "utf8") for t in text)
        else:
            glyphs.append(cjkU(text, f, "utf8"))
    inside = unbreakable("".join(str(g) or "\n" for g in glyphs))
    lines: list[Any] = []
    start = 0
    n = len(glyphs)
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        end = start
        forced = False
        while end < n:
            g = glyphs[end]
            if hasattr(g.frag, "lineBreak"):  # <br/>
                end += 1
                forced = True
                break
            width = _width(g, max_width)
            if used + width > max_width + _FUZZ and end > start:
                break
            used += width
            end += 1
        if end < n and not forced:
            end = _better_break([str(g) for g in glyphs], start, end, inside)
        used = sum(_width(g, max_width) for g in glyphs[start:end])
        lines.append(
            makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used, forced, calc_bounds)
        )
        start = end
    return ParaLines(kind=1, lines=lines)


def _width(glyph: Any, max_width: float) -> float:
    w = glyph.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        return float(w.normalizedValue(max_width))
    return float(w)


def _better_break(glyphs: list[str], start: int, end: int, inside: list[bool] | None = None) -> int:
    """Where the line [start, end) should really end: not inside a figure or a URL, and so that the next
    line starts with an allowed character and this one does not end with an opening mark."""
    keep = inside or [False] * (len(glyphs) + 1)
    hung = 0
    while end < len(glyphs) and glyphs[end] in CANNOT_START and hung < MAX_HANG and not keep[end]:
        end += 1  # hang it in the margin
        hung += 1
    n = len(glyphs)

    def allowed(at: int, whole_words: bool) -> bool:
        return at >= n or not (
            glyphs[at] in CANNOT_START or glyphs[at - 1] in CANNOT_END or (whole_words and keep[at])
        )

    for whole_words in (True, False):  # a word longer than the line is broken rather than looping
        candidate = end
        while candidate - 1 > start and not allowed(candidate, whole_words):
            candidate -= 1  # carry the previous character down with it
        if allowed(candidate, whole_words):
            return candidate
    return end  # a line of nothing but punctuation: give up rather than loop


class _Parsed:
    """A paragraph's markup as ReportLab's parser left it, its positions once laid out, and its lines
    for each set of widths it was broken at (the same terms at the same width in every document)."""

    __slots__ = ("bullet", "drawn", "frags", "lines", "style", "text")

    def __init__(self, style: Any, frags: Any, bullet: Any) -> None:
        self.style, self.frags, self.bullet = style, frags, bullet
        self.text: _Text | None = None
        self.lines: dict[tuple[tuple[float, ...], bool], Any] = {}
        self.drawn: dict[tuple[Any, ...], list[str]] = {}  # see ChineseParagraph.draw


# the characters whose codes in the embedded font are the same in every document drawn on a canvas
# with this seed (see fonts.seed): the seeded ones, and ASCII, which ReportLab places first itself
_FIXED_CODES: dict[str, frozenset[str]] = {}


def shared_lines(parsed: _Parsed, text: _Text, max_widths: list[float], bounds: bool) -> Any:
    """The paragraph's lines at these widths, broken once for every paragraph of the same markup and
    style (the same terms at the same width in every document of a campaign): ReportLab only reads them,
    when it draws a paragraph and when it splits one over two pages (a test renders a document through
    shared lines, split paragraphs included, and finds the very bytes rendered without them)."""
    key = (tuple(max_widths), bounds)
    with _parsed_lock:
        lines = parsed.lines.get(key)
    if lines is None:
        lines = split_lines(text, max_widths, bounds)
        with _parsed_lock:
            if len(parsed.lines) < 8:
                parsed.lines[key] = lines
    return lines


# paragraphs parsed, by markup and style: a campaign's documents repeat the same terms thousands of
# times (the paragraphs only read their fragments)
_PARSED: collections.OrderedDict[tuple[str, Any, Any, int], _Parsed] = collections.OrderedDict()
_PARSED_KEPT = 512
_parsed_lock = threading.Lock()


class ChineseParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows the Chinese rule above (set ``wordWrap='CJK'``)."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None or not isinstance(text, str) or not isinstance(bulletText, (str, type(None))):
            _paragraph_setup(self, text, style, bulletText, frags, cleaner)
            return
        key = (text, style, bulletText, self.caseSensitive)
        with _parsed_lock:
            parsed = _PARSED.get(key)
            if parsed is not None:
                _PARSED.move_to_end(key)
        if parsed is None:
            _paragraph_setup(self, text, style, bulletText, None, cleaner)
            parsed = _Parsed(self.style, self.frags, self.bulletText)
            with _parsed_lock:
                _PARSED[key] = parsed
                if len(_PARSED) > _PARSED_KEPT:
                    _PARSED.popitem(last=False)
        else:
            self.text, self.frags, self.style = cleaner(text), parsed.frags, parsed.style
            self.bulletText, self.debug = parsed.bullet, 0
        self._ta_parsed = parsed

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        already = getattr(self, "blPara", None)
        if already is not None and getattr(self, "_splitpara", False):
            return already
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        bounds = auto not in ("", "off")
        parsed = self.__dict__.get("_ta_parsed")
        if parsed is not None and parsed.frags is self.frags:
            if parsed.text is None:
                parsed.text = _prepare(self.frags)
            text = parsed.text
            if text is not None:
                return shared_lines(parsed, text, list(maxWidths), bounds)
        else:
            cached = self.__dict__.get("_ta_text")
            if cached is None or cached[0] is not self.frags:
                cached = self._ta_text = (self.frags, _prepare(self.frags))
            text = cached[1]
        if text is None:
            return _split_glyphs_slowly(self.frags, list(maxWidths), bounds)
        return split_lines(text, list(maxWidths), bounds)

    def draw(self) -> None:
        """ReportLab's drawing; for a paragraph of shared lines whose every character has the same
        code in every document drawn with this canvas's seed, what the drawing added to the page is
        kept and added again for the next document: it depends only on the lines, the paragraph's
        size and style, and the canvas's state as the drawing starts, all in the key. A test renders
        documents through kept drawings and finds the very bytes drawn without them."""
        key = self._drawn_key()
        if key is None:
            super().draw()
            return
        parsed: _Parsed = self.__dict__["_ta_parsed"]
        canvas: Any = self.canv
        with _parsed_lock:
            code = parsed.drawn.get(key)
        if code is not None:
            canvas._code.extend(code)
            return
        start = len(canvas._code)
        super().draw()
        with _parsed_lock:
            if len(parsed.drawn) < 8:
                parsed.drawn[key] = canvas._code[start:]

    def _drawn_key(self) -> tuple[Any, ...] | None:
        parsed = self.__dict__.get("_ta_parsed")
        canvas: Any = getattr(self, "canv", None)
        seed = getattr(canvas, "seed", "")
        if parsed is None or parsed.text is None or not seed or parsed.frags is not self.frags:
            return None
        lines = self.__dict__.get("blPara")
        at = next((k for k, v in parsed.lines.items() if v is lines), None)
        if at is None or any(getattr(f, "link", None) or f.fontName != PRIMARY for f in parsed.frags):
            # lines of its own (a split paragraph's part), a link's annotation, or a font other than
            # the seeded one (which the seed registered in the document already)
            return None
        fixed = _FIXED_CODES.get(seed)
        if fixed is None:
            fixed = _FIXED_CODES[seed] = frozenset(seed) | frozenset(map(chr, range(32, 128))) | {""}
        if not fixed.issuperset(parsed.text.chars):
            return None  # a person's own characters: their codes depend on the document
        return (
            seed, at, self.width, self.height, self.bulletText, tuple(getattr(self, "_offsets", ())),
            getattr(self, "_JustifyLast", False), canvas._fontname, canvas._fontsize, canvas._leading,
            repr(canvas._fillColorObj), repr(canvas._strokeColorObj),
        )  # fmt: skip
