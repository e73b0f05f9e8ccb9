"""A database that stops answering, as a reading meets it: the function blocks until the test answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot


def hang(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> tuple[threading.Event, list[str]]:
    """Replace ``owner.name`` by a call that waits (up to 30 s) for the returned event, then does what the
    original does; the list gets a line for each call that started waiting."""
    answer, hung = threading.Event(), []
    original: Callable[..., Any] = getattr(owner, name)

    def hanging(*args: Any, **kwargs: Any) -> Any:
        hung.append("reading")
        answer.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, hanging)
    return answer, hung


def sign_out_while_hung(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    window: Any,
    answer: threading.Event,
    hung: list[str],
    gone: Callable[[], bool],
) -> None:
    """With a reading of the window's waiting on ``hang``: sign out (the owner waits 200 ms, then lets
    the reading go), see that the sign-out did not wait for it (``gone``: the view went with it),
    answer, and see the reading end on its own and be gone. The caller then checks that nothing was
    shown."""
    from teller_assist.ui import tasks as ui_tasks

    monkeypatch.setattr(ui_tasks.Task, "OWNER_WAIT_MS", 200)
    qtbot.waitUntil(lambda: hung == ["reading"], timeout=3000)
    window.logout()
    assert gone() and window.operator is None  # signed out without waiting for it
    assert len(ui_tasks._LINGERING) == 1
    qtbot.wait(100)  # the view is deleted while its reading still runs
    answer.set()
    qtbot.waitUntil(lambda: not ui_tasks._LINGERING, timeout=10_000)  # ended on its own, and gone
