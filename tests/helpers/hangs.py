"""A database that stops answering, as a reading meets it: the function blocks until the test answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest


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
