"""Writing a report a person asked for (``--out FILE``): private to its owner, whole or not at all, and
audited before it appears."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.files import PRIVATE_FILE

__all__ = ["check_suffix", "write_private"]


def check_suffix(out: Path, allowed: tuple[str, ...]) -> str:
    """The file's format from its name (``.xlsx``, ``.pdf``), or a clear refusal before any work."""
    suffix = out.suffix.lower()
    if suffix not in allowed:
        shown = " 或 ".join(allowed)
        raise UserFacingError(
            f"不支持的文件格式：{out.name}",
            f"unsupported file format: {out.name}",
            hint_zh=f"文件名应以 {shown} 结尾",
            hint_en=f"name the file {' or '.join(allowed)}",
        )
    return suffix


def write_private(out: Path, data: bytes, audited: Callable[[], None]) -> None:
    """Write ``data`` to ``out.part`` (mode 0600), call ``audited`` (the audit row), then move it over
    ``out``. A file that cannot be written is said plainly; nothing half-written is left, and without
    its audit row no file appears."""
    tmp = out.with_name(out.name + ".part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            if os.name != "nt":
                os.fchmod(fh.fileno(), PRIVATE_FILE)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserFacingError(
            f"无法写入 {out}：{exc.strerror}",
            f"cannot write {out}: {exc.strerror}",
            hint_zh="请检查文件夹是否存在、是否有写权限",
            hint_en="check that the folder exists and can be written",
        ) from None
    try:
        audited()
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserFacingError(
            f"无法写入 {out}：{exc.strerror}",
            f"cannot write {out}: {exc.strerror}",
            hint_zh="请换一个文件名或文件夹",
            hint_en="choose another file name or folder",
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
