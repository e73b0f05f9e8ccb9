"""The package test runs only when asked (``make package-test``): it builds two packages, makes a clean
Debian root and installs into it, which takes minutes and root. ``make test`` leaves it out."""

from __future__ import annotations

import os

import pytest

ASKED = os.environ.get("TELLER_ASSIST_PACKAGE_TEST") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ASKED:
        return
    left_out = [item for item in items if "tests/package/" in item.nodeid]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


def unavailable(why: str) -> None:
    """Where the test cannot run: skip on a developer's machine, fail in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"the package test needs {why}")
    pytest.skip(f"the package test needs {why}")
