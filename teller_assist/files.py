"""Files and folders that hold personal data: private to the user who runs the program."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(folder: Path) -> str | None:
    """Create ``folder`` (mode 0700) or take away what group and others may do there.

    Returns a warning (Chinese and English) when the folder stays open to others, ``None`` when it is
    private. Windows keeps a user's application data private through its own access lists: nothing to do.
    """
    if os.name == "nt":
        return None
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if not mode & 0o077:
        return None
    try:
        folder.chmod(mode & ~0o077 | PRIVATE_DIR)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (
            f"数据文件夹 {folder} 其他用户也可访问（权限 {mode:04o}），且无法改为仅本人可用：{reason}；"
            f"请执行 chmod 700 {folder} "
            f"(the data folder {folder} is open to other users (mode {mode:04o}) and could not be made "
            f"private: {reason}; run chmod 700 on it)"
        )
    return None


def open_private(path: Path, encoding: str) -> TextIO:
    """``path`` opened for writing text, created or truncated, readable and writable by its owner only
    (also when it existed with a wider mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        if os.name != "nt":
            os.fchmod(fd, PRIVATE_FILE)
        return open(fd, "w", encoding=encoding, newline="")  # the caller closes it
    except BaseException:
        os.close(fd)
        raise
