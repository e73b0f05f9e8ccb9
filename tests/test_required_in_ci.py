"""A missing tool skips a test on a developer's machine and fails it in CI, for programs (pdftotext),
Python modules (zxing-cpp) and servers (PostgreSQL, CUPS) alike."""

from __future__ import annotations

import pytest

from tests.helpers import required

ABSENT_PROGRAM = "teller-assist-no-such-program"
ABSENT_MODULE = "teller_assist_no_such_module"


@pytest.mark.parametrize(
    "need", [lambda: required.program(ABSENT_PROGRAM), lambda: required.module(ABSENT_MODULE)]
)
def test_a_missing_tool_fails_in_ci_and_skips_locally(monkeypatch: pytest.MonkeyPatch, need: object) -> None:
    assert callable(need)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        need()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"no_such|no-such"):
        need()


def test_present_tools_are_handed_over() -> None:
    assert required.program("sh").endswith("/sh")
    assert required.module("json").dumps([1]) == "[1]"
