"""The command line's one password reader: a prompt, or with ``--password-stdin`` one line of standard
input per password. Never from the command line itself."""

from __future__ import annotations

import sys
from typing import TextIO

from teller_assist.errors import UserFacingError


class PasswordReader:
    """Passwords from a prompt, or with ``--password-stdin`` from standard input, one line each in the
    order the command's help gives (the acting operator's first, then a new one). Never from the
    command line. At a prompt a new password is asked twice."""

    def __init__(self, from_stdin: bool, stream: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self.stream = stream
        self.lines = 0

    def _line(self, what_zh: str, what_en: str) -> str:
        stream = self.stream or sys.stdin
        line = stream.readline()
        self.lines += 1
        if not line:
            raise UserFacingError(
                f"标准输入第{self.lines}行缺失：应为{what_zh}",
                f"standard input has no line {self.lines}: expected {what_en}",
                hint_zh="每个密码一行，顺序见 --help",
                hint_en="one password a line, in the order --help gives",
            )
        return line.rstrip("\r\n")

    def existing(self, what_zh: str, what_en: str) -> str:
        """A password someone has (asked once)."""
        if self.from_stdin:
            return self._line(what_zh, what_en)
        import getpass

        return getpass.getpass(f"{what_zh} {what_en}: ")

    def new(self, what_zh: str, what_en: str) -> str:
        """A password being chosen (asked twice at a prompt)."""
        if self.from_stdin:
            return self._line(what_zh, what_en)
        import getpass

        first = getpass.getpass(f"{what_zh} {what_en}: ")
        if getpass.getpass("再次输入 again: ") != first:
            raise UserFacingError("两次输入的密码不一致", "the passwords do not match")
        return first


def read_login_password(from_stdin: bool) -> str:
    """The signing-in operator's password (one line with ``--password-stdin``)."""
    return PasswordReader(from_stdin).existing("密码", "password")
