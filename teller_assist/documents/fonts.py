"""The bundled CJK fonts for ReportLab, registered once per process (it takes ~0.2 s), embedded as
subsets. Characters the primary font lacks (䶮, 𠀀 in a name) are set in the fallback that has them."""

from __future__ import annotations

import functools
import threading
from html import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from teller_assist.resources import resource

PRIMARY = "TA-WQYMicroHei"
FALLBACKS = (("TA-HanaMinA", "HanaMinA.ttf"), ("TA-HanaMinB", "HanaMinB.ttf"))
_lock = threading.Lock()


@functools.cache
def _registered() -> dict[str, frozenset[int]]:
    """Register the fonts (once) and return each one's covered code points."""
    with _lock:
        fonts = [TTFont(PRIMARY, str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0)]
        fonts += [TTFont(name, str(resource("fonts", file))) for name, file in FALLBACKS]
        covered = {}
        for font in fonts:
            pdfmetrics.registerFont(font)
            covered[font.fontName] = frozenset(font.face.charToGlyph)
        pdfmetrics.registerFontFamily(
            PRIMARY, normal=PRIMARY, bold=PRIMARY, italic=PRIMARY, boldItalic=PRIMARY
        )
        return covered


def register() -> None:
    """Make the fonts available (call early, off the counter's critical path)."""
    _registered()


def markup(text: str) -> str:
    """``text`` escaped for a ReportLab paragraph, with characters the primary font lacks wrapped in
    the fallback font that has them. User-entered text always goes through here: ``<font size=40>``
    prints exactly as typed."""
    covered = _registered()
    primary = covered[PRIMARY]
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code in primary or ch in "\n\t ":
            out.append(escape(ch, quote=False))
            continue
        for name, _file in FALLBACKS:
            if code in covered[name]:
                out.append(f'<font name="{name}">{escape(ch, quote=False)}</font>')
                break
        else:
            out.append(escape(ch, quote=False))  # no font has it: ReportLab draws a blank box
    return "".join(out)
