"""Line bands: how head office counts lines in a simulation, a roster's totals and the KPI reports."""

from __future__ import annotations

from dataclasses import dataclass

from teller_assist.money import FEN_PER_YUAN

# (label, above, up to) in whole yuan, as the labels say; None: no end
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", -1, 0),
    ("≤30,000", 0, 30_000),
    ("30,001–50,000", 30_000, 50_000),
    ("50,001–100,000", 50_000, 100_000),
    ("100,001–200,000", 100_000, 200_000),
    ("200,001以上", 200_000, None),  # a bank's policy may set a cap above the default 300,000
)


def band_of(line_fen: int) -> str:
    """The band a line (in fen, not negative) falls in."""
    if line_fen < 0:
        raise ValueError(f"a line cannot be negative: {line_fen}")
    return next(
        label
        for label, low, high in BANDS
        if low * FEN_PER_YUAN < line_fen and (high is None or line_fen <= high * FEN_PER_YUAN)
    )


@dataclass
class Tally:
    people: int = 0
    exposure_fen: int = 0

    def add(self, line_fen: int) -> None:
        self.people += 1
        self.exposure_fen += line_fen


def empty_bands() -> dict[str, Tally]:
    return {label: Tally() for label, _low, _high in BANDS}
