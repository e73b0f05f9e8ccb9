"""Errors shown to people, as opposed to bugs.

A :class:`UserFacingError` carries a message in the user's words (Chinese first, English after) and
what to do next. The command line prints it as one line and exits with its ``exit_code``; the window
shows it in a message box. Anything else that escapes is a bug and gets a traceback.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose message is meant for the person using the program."""

    exit_code: int = 2

    def __init__(
        self, message_zh: str, message_en: str = "", *, hint_zh: str = "", hint_en: str = ""
    ) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en
        self.hint_zh = hint_zh
        self.hint_en = hint_en

    def describe(self) -> str:
        """One line: Chinese, then English, then what to do."""
        parts = [self.message_zh]
        if self.message_en:
            parts.append(f"({self.message_en})")
        text = " ".join(parts)
        hint = " ".join(p for p in (self.hint_zh, f"({self.hint_en})" if self.hint_en else "") if p)
        return f"{text} — {hint}" if hint else text
