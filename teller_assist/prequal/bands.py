"""Line bands: how head office counts lines in a simulation, a roster's totals and the KPI reports."""

from __future__ import annotations

from dataclasses import dataclass

BANDS: tuple[tuple[str, int, int | None], ...] = (  # (label, above, up to) in whole yuan; None: no end
    ("0", -1, 0),
    ("≤30,000", 0, 30_000),
    ("30,001–50,000", 30_000, 50_000),
    ("50,001–100,000", 50_000, 100_000),
    ("100,001–200,000", 100_000, 200_000),
    ("200,001以上", 200_000, None),  # a bank's policy may set a cap above the default 300,000
)


def band_of(line: int) -> str:
    """The band a line (whole yuan, not negative) falls in."""
    if line < 0:
        raise ValueError(f"a line cannot be negative: {line}")
    return next(label for label, low, high in BANDS if low < line and (high is None or line <= high))


@dataclass
class Tally:
    people: int = 0
    exposure: int = 0  # whole yuan

    def add(self, line: int) -> None:
        self.people += 1
        self.exposure += line


def empty_bands() -> dict[str, Tally]:
    return {label: Tally() for label, _low, _high in BANDS}
