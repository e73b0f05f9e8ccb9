"""Where the bundled resources (fonts, policy, templates, translations) are.

In a checkout they are ``resources/`` at the repository root; an installed wheel carries them as
``teller_assist/_resources``. ``TELLER_ASSIST_RESOURCES`` overrides both (a frozen installer build).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    override = os.environ.get("TELLER_ASSIST_RESOURCES")
    if override:
        return Path(override)
    installed = _PACKAGE / "_resources"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "resources"


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {path} (reinstall Teller Assist)")
    return path


# The interface and document fonts, primary first; later ones fill in what earlier ones lack.
FONT_FILES = ("wqy-microhei.ttc", "HanaMinA.ttf", "HanaMinB.ttf")
FONT_FAMILIES = ("WenQuanYi Micro Hei", "HanaMinA", "HanaMinB")


def font_files() -> list[Path]:
    return [resource("fonts", name) for name in FONT_FILES]
