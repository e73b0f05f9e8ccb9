"""Chinese line breaking for ReportLab paragraphs.

ReportLab's CJK wrapping knows the Japanese rule (禁則) for a handful of characters: its
``ALL_CANNOT_START`` lacks the full-width Chinese comma, semicolon, colon, exclamation and question
marks and the closing book-title mark, and it hangs at most one character. Chinese typesetting (GB/T
15834 and common practice) forbids a line to *start* with closing punctuation ，。、；：！？）》」』】〕…
and to *end* with an opening mark （《「『【〔“‘. :class:`ChineseParagraph` breaks lines by that rule:
a forbidden first character hangs at the end of the line above (at most one), and otherwise the break
moves back one character at a time until the next line starts with an allowed one.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import Paragraph, ParaLines
from reportlab.rl_config import _FUZZ

# ReportLab's own glyph and line builders for CJK text (not in the type stubs, stable since 2.x)
cjkU: Any = getattr(rl_paragraph, "cjkU")  # noqa: B009
makeCJKParaLine: Any = getattr(rl_paragraph, "makeCJKParaLine")  # noqa: B009

CANNOT_START = ALL_CANNOT_START + "，。、；：！？）》」』】〕〉…—·％‰”’"
CANNOT_END = ALL_CANNOT_END + "（《「『【〔〈“‘"
MAX_HANG = 1


def split_glyphs(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """Lines of single glyphs (ReportLab's CJK representation), broken by the Chinese rule."""
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, "utf8") for t in text)
        else:
            glyphs.append(cjkU(text, f, "utf8"))
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
            end = _better_break(glyphs, start, end)
        used = sum(_width(g, max_width) for g in glyphs[start:end])
        line_break = forced
        lines.append(
            makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used, line_break, calc_bounds)
        )
        start = end
    return ParaLines(kind=1, lines=lines)


def _width(glyph: Any, max_width: float) -> float:
    w = glyph.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        return float(w.normalizedValue(max_width))
    return float(w)


def _better_break(glyphs: list[Any], start: int, end: int) -> int:
    """Where the line [start, end) should really end so that the next line starts allowed."""
    hung = 0
    while end < len(glyphs) and str(glyphs[end]) in CANNOT_START and hung < MAX_HANG:
        end += 1  # hang it in the margin
        hung += 1
    candidate = end
    while (
        candidate < len(glyphs)
        and candidate - 1 > start
        and (str(glyphs[candidate]) in CANNOT_START or str(glyphs[candidate - 1]) in CANNOT_END)
    ):
        candidate -= 1  # carry the previous character down with it
    if candidate - 1 > start or candidate == end:
        return candidate
    return end  # a line of nothing but punctuation: give up rather than loop


class ChineseParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows the Chinese rule above (set ``wordWrap='CJK'``)."""

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
        return split_glyphs(self.frags, list(maxWidths), auto not in ("", "off"))
