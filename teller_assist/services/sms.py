"""The SMS outbox for the bank's SMS platform: export what is queued, each text exactly once."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.exports import SpreadsheetWriter, part_path
from teller_assist.files import open_private
from teller_assist.services.context import Context
from teller_assist.store import sms as store_sms
from teller_assist.store.audit import AuditEntry
from teller_assist.store.sms import OutboxRow

log = logging.getLogger(__name__)
COLUMNS = ("mobile", "content", "ref")


def export(ctx: Context, out: Path, *, operator: str) -> int:
    """Write the queued texts to ``out`` (UTF-8 CSV: mobile, content, ref) and mark them exported,
    audited in the same transaction. The file is complete on disk before anything is marked; if the
    marking or its audit row fails, the file is removed and the texts stay queued. The phone appears
    in full only here, so the file is readable by its owner only (mode 0600). Returns the count."""
    if out.exists():
        raise UserFacingError(
            f"文件 {out} 已存在，为免重复发送不覆盖",
            f"{out} exists; not overwritten, to avoid sending twice",
            hint_zh="请换一个文件名",
            hint_en="choose another file name",
        )
    part = part_path(out)

    def write(rows: list[OutboxRow]) -> None:
        with open_private(part, "utf-8") as f:
            w = SpreadsheetWriter(f)
            w.writerow(COLUMNS)
            for r in rows:
                w.writerow([r.phone, r.text, f"APP{r.application_id}"])
            f.flush()
            os.fsync(f.fileno())

    def entry(batch: str, count: int) -> AuditEntry:
        return AuditEntry(
            "export", operator, ctx.workstation, "sms", None, {"rows": count, "batch": batch}
        )

    try:
        batch, count = store_sms.export_pending(ctx.store, write, ctx.now(), entry)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if count:
        part.replace(out)
    log.info("sms export %s: %d texts", batch, count)
    return count
