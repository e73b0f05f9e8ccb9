"""The window's long-lived objects kept out of Python's full garbage collections.

A full (generation-2) collection scans every object the program holds, with the interpreter's lock held:
on the counter's heap (Qt's wrappers, the database layer, the documents' fonts: about a million objects)
one takes 70-110 ms, and the event loop stalls that long, wherever it falls: while a card reader is
polled, while a card is painted (BENCHMARKS.md, the window's reader check). Most of that heap is made
once, at start, and lives as long as the program. :func:`settled` moves what is alive at such a moment
out of the collector's sight (``gc.freeze``), so later collections scan only what was made after it.

Once per process for each part: the garbage of that moment (cycles not yet collected) is kept with it,
which is a few objects once, but would add up if every window a test process makes did it again."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_settled: set[str] = set()


def settled(part: str) -> None:
    """``part`` of the program is made and stays: what is alive now leaves the collector's sight."""
    if part not in _settled:
        _settled.add(part)
        gc.freeze()


@contextlib.contextmanager
def building(part: str) -> Iterator[None]:
    """While ``part`` is built, no collection (its hundreds of thousands of new objects would set off
    full ones, each scanning the whole heap); then it is :func:`settled`."""
    if part in _settled:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        settled(part)
        gc.enable()
