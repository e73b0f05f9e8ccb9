"""Draw the program's icon: a green rounded square with a white 信 (credit), as SVG, PNG and ICO.

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icon.py

Writes resources/icons/teller-assist.{svg,png,ico} (and 48/128 px PNGs for the menu). The character is
taken from the bundled WenQuanYi Micro Hei and turned into a path, so the SVG needs no font to show.
Run again only to change the design; the files are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZE = 256.0
GREEN = "#17774d"  # a rural commercial bank's green, flat: every SVG renderer draws it alike


def glyph_path() -> QPainterPath:
    font_id = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise SystemExit("the bundled font did not load")
    font = QFont(families[0])
    font.setPixelSize(170)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, "信")
    box = path.boundingRect()
    return path.translated(SIZE / 2 - box.center().x(), SIZE / 2 - box.center().y() + 4)


def background() -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(8, 8, SIZE - 16, SIZE - 16), 48, 48)
    return path


def svg_d(path: QPainterPath) -> str:
    parts: list[str] = []
    i = 0
    while i < path.elementCount():
        e = path.elementAt(i)
        if e.isMoveTo():
            parts.append(f"M{e.x:.1f} {e.y:.1f}")
            i += 1
        elif e.isLineTo():
            parts.append(f"L{e.x:.1f} {e.y:.1f}")
            i += 1
        else:  # a cubic: this element and the next two
            c1, c2 = path.elementAt(i + 1), path.elementAt(i + 2)
            parts.append(f"C{e.x:.1f} {e.y:.1f} {c1.x:.1f} {c1.y:.1f} {c2.x:.1f} {c2.y:.1f}")
            i += 3
    return "".join(parts) + "Z"


def write_svg(glyph: QPainterPath) -> None:
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>柜面授信助手 Teller Assist</title>
  <rect x="8" y="8" width="240" height="240" rx="48" fill="{GREEN}"/>
  <path fill="#ffffff" fill-rule="nonzero" d="{svg_d(glyph)}"/>
</svg>
"""
    (OUT / "teller-assist.svg").write_text(svg, encoding="utf-8")


def render(glyph: QPainterPath, px: int) -> QImage:
    image = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(px / SIZE, px / SIZE)
    painter.fillPath(background(), QColor(GREEN))
    glyph.setFillRule(Qt.FillRule.WindingFill)
    painter.fillPath(glyph, QColor("#ffffff"))
    painter.end()
    return image


def main() -> None:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    glyph = glyph_path()
    write_svg(glyph)
    sizes = ((256, "teller-assist.png"), (128, "teller-assist-128.png"), (48, "teller-assist-48.png"))
    for px, name in sizes:
        if not render(glyph, px).save(str(OUT / name)):
            raise SystemExit(f"could not write {name}")
    if not render(glyph, 256).save(str(OUT / "teller-assist.ico"), "ICO"):
        raise SystemExit("could not write the .ico")
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
