"""A frozen window leaves every thread's stack in crash-reports/; a window that kept answering leaves
nothing behind."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from teller_assist.ui.stall_watch import StallWatch


def test_a_gui_thread_that_stops_answering_leaves_every_threads_stack(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "crash-reports"
    watch = StallWatch(folder, seconds=0.3)
    watch.start()
    try:
        time.sleep(1.0)  # the GUI thread is stuck: nothing re-arms the watch
    finally:
        watch.stop()
    written = watch.path.read_text(encoding="utf-8")
    assert watch.path.parent == folder and watch.path.name.startswith("stall-")
    assert "most recent call first" in written
    assert "test_a_gui_thread_that_stops_answering_leaves_every_threads_stack" in written  # where it hung
    assert oct(watch.path.stat().st_mode & 0o777) == "0o600"


def test_a_window_that_kept_answering_leaves_nothing_and_old_empty_files_go(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "crash-reports"
    folder.mkdir()
    (folder / "stall-20261128T000000000000Z.txt").write_text("", encoding="utf-8")  # a killed run's
    kept = folder / "stall-20261127T000000000000Z.txt"
    kept.write_text("Thread 0x1 (most recent call first):\n", encoding="utf-8")  # a real stall: kept
    watch = StallWatch(folder, seconds=0.3)
    watch.start()
    qtbot.wait(1000)  # the event loop runs and re-arms it, well past 0.3 s
    watch.stop()
    assert sorted(p.name for p in folder.iterdir()) == [kept.name]


def test_two_windows_on_one_data_folder_leave_each_others_watch_alone(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "crash-reports"
    first = StallWatch(folder, seconds=5)
    first.start()
    second = StallWatch(folder, seconds=5)  # the second window starts: the first's file is not a leftover
    second.start()
    assert first.path.exists() and second.path.exists() and first.path != second.path
    first.stop()  # the first window closes: no FileNotFoundError, nothing left of it
    assert not first.path.exists() and second.path.exists()
    second.stop()
    assert list(folder.iterdir()) == []
