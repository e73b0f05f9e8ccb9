"""What a test needs from the machine: where it is missing, skip locally and fail in CI (``CI`` set), so
a CI run never passes by skipping what it was meant to check."""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest


def missing(what: str, why: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {why}")
    pytest.skip(why)


def program(name: str) -> str:
    """The path of the program ``name`` (pdftotext, ...)."""
    path = shutil.which(name)
    if path is None:
        missing(name, f"{name} is not installed")
    return path


def module(name: str) -> ModuleType:
    """The Python module ``name`` (zxingcpp, ...)."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(name, f"the Python module {name} cannot be imported: {exc}")
