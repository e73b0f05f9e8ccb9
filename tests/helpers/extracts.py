"""Build small extract files for tests, in any encoding and delimiter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from teller_assist.identity.resident_id import check_character
from teller_assist.identity.uscc import check_character as uscc_check


def rid(region: str = "321183", born: dt.date = dt.date(1985, 3, 14), seq: int = 21) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def uscc(prefix: str = "11", org: str = "MB1234567") -> str:
    first17 = f"{prefix}321183{org}"
    return first17 + uscc_check(first17)


def write(folder: Path, name: str, lines: list[str], *, encoding: str = "utf-8", newline: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


MAN = rid(seq=21)  # odd: male
WOMAN = rid(seq=22)
OLD = rid("321123", dt.date(1950, 6, 1), 31)
GOV = uscc("11")
COMPANY = uscc("91", "MA1B2C3D4")
