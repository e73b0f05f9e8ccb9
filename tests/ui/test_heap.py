"""The window's long-lived parts leave the garbage collector's sight once per process each, and no
collection runs while one is being built."""

from __future__ import annotations

import gc

from teller_assist.ui import heap


def test_a_part_settles_once_per_process() -> None:
    kept = [[n] for n in range(1000)]  # tracked containers alive at the moment
    before = gc.get_freeze_count()
    heap.settled("a test's part")
    frozen = gc.get_freeze_count()
    assert frozen >= before + len(kept)
    more = [[n] for n in range(1000)]
    heap.settled("a test's part")
    assert gc.get_freeze_count() == frozen, "settled again: each window would freeze its moment's garbage"
    assert len(more) == 1000


def test_no_collection_while_a_part_is_built_and_it_settles_after() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with heap.building("a test's fonts"):
        assert not gc.isenabled()
        glyphs = {n: [n] for n in range(5000)}
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(glyphs)
    with heap.building("a test's fonts"):  # built before: nothing to hold back
        assert gc.isenabled()


def test_the_collector_comes_back_when_the_building_fails() -> None:
    try:
        with heap.building("a test's failing part"):
            raise RuntimeError("the fonts are missing")
    except RuntimeError:
        pass
    assert gc.isenabled()
