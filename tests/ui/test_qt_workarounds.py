"""PySide6 6.12.0 on Python 3.11 leaks a reference to None on every void call; the window guards
against it. Each case runs in its own interpreter, because the unguarded one is meant to abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CALLS = 150_000  # well past None's starting reference count (some tens of thousands)

SCRIPT = f"""
import sys
from PySide6.QtWidgets import QApplication, QLabel
from teller_assist.ui.app import make_application
from teller_assist.ui.qt_workarounds import leaks_none
app = make_application([]) if sys.argv[1] == "guarded" else QApplication([])
print("leaks" if leaks_none() else "sound", flush=True)
label = QLabel()
for i in range({CALLS}):
    label.setText(str(i % 10))
    if i % 100 == 0:
        app.processEvents()
print("survived", flush=True)
"""


def run(mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_window_survives_a_long_day_of_label_updates() -> None:
    guarded = run("guarded")
    assert guarded.returncode == 0, guarded.stderr[-2000:]
    assert guarded.stdout.split()[-1] == "survived"


def test_without_the_guard_the_defect_aborts_the_process() -> None:
    bare = run("bare")
    if bare.stdout.startswith("sound"):
        pytest.skip("this PySide6 and Python do not have the None reference leak")
    assert bare.returncode != 0 and "survived" not in bare.stdout
    assert "deallocating None" in bare.stderr


EMITS = 150_000  # well past True's starting reference count

EMIT_SCRIPT = f"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from teller_assist.ui.app import make_application
from teller_assist.ui.qt_workarounds import leaks_true
class Model(QObject):
    changed = Signal(int)
app = make_application([]) if sys.argv[1] == "guarded" else QApplication([])
print("leaks" if leaks_true() else "sound", flush=True)
model = Model()
model.changed.connect(lambda row: None)
for i in range({EMITS}):
    model.changed.emit(i)
    if i % 100 == 0:
        app.processEvents()
print("survived", flush=True)
"""


def run_emits(mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", EMIT_SCRIPT, mode], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_window_survives_a_long_day_of_signals_emitted_from_python() -> None:
    guarded = run_emits("guarded")
    assert guarded.returncode == 0, guarded.stderr[-2000:]
    assert guarded.stdout.split()[-1] == "survived"


def test_without_the_guard_signals_emitted_from_python_abort_the_process() -> None:
    bare = run_emits("bare")
    if bare.stdout.startswith("sound"):
        pytest.skip("this PySide6 and Python do not have the True reference leak")
    assert bare.returncode != 0 and "survived" not in bare.stdout
    assert "deallocating True or False" in bare.stderr
