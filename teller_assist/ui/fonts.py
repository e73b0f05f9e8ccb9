"""Register the bundled CJK fonts and make them the application font, with fallbacks for rare names."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from teller_assist.resources import FONT_FAMILIES, font_files


def install_fonts(point_size: int = 10) -> QFont:
    """Load the bundled fonts into Qt and return the application font (primary + fallbacks)."""
    loaded: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load the bundled font {path}")
        loaded.extend(QFontDatabase.applicationFontFamilies(font_id))
    families = [f for f in FONT_FAMILIES if f in loaded]
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(point_size)
    return font
