"""Who did what, where, when: audited actions, the chain check, and the export for compliance staff."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from teller_assist.identity.masking import Masking, mask_free_text
from teller_assist.store import audit as store_audit
from teller_assist.store.audit import AuditEntry, VerifyResult
from teller_assist.store.engine import Store

ACTIONS_ZH = {
    "lookup": "查询客户",
    "reveal": "查看完整信息",
    "submit": "提交申请",
    "approve": "批准",
    "approve_refused": "批准被拒（无权或不符规则）",
    "reject": "拒绝",
    "reject_refused": "拒绝被拒（无权或不符规则）",
    "cancel": "撤销",
    "sign": "签约",
    "expire": "到期失效",
    "print": "打印",
    "reprint": "补打",
    "export": "导出",
    "import": "导入数据",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "lock": "锁屏",
    "unlock": "解锁",
    "user_add": "新增操作员",
    "user_disable": "停用操作员",
    "user_reset_password": "重置密码",
    "document_key_export": "导出文书验证密钥",
    "document_key_import": "导入文书验证密钥",
}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def workstation() -> str:
    return socket.gethostname()[:64] or "unknown"


def os_actor() -> str:
    """Who runs a command-line action that has no login: the OS account, marked as such."""
    try:
        return f"os:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "os:unknown"


def log(
    store: Store,
    action: str,
    *,
    operator: str | None,
    subject: str | None = None,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> int:
    entry = AuditEntry(action, operator, workstation(), subject, purpose, dict(detail or {}))
    return store_audit.record(store, entry, now or now_utc())


def verify(store: Store) -> VerifyResult:
    return store_audit.verify(store)


def export_csv(
    store: Store,
    out: Path,
    *,
    start: dt.date | None,
    end: dt.date | None,
    masking: Masking,
    operator: str | None,
) -> int:
    """Write audit rows from ``start`` to ``end`` (local dates, inclusive) as UTF-8 CSV with the chain
    hashes; resident IDs in subjects are masked. The export itself is audited. Returns the row count."""
    tz = dt.datetime.now().astimezone().tzinfo

    def moment(day: dt.date | None) -> dt.datetime | None:
        return None if day is None else dt.datetime.combine(day, dt.time(), tzinfo=tz)

    upto = None if end is None else end + dt.timedelta(days=1)
    count = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "seq",
                "at",
                "operator",
                "workstation",
                "action",
                "action_zh",
                "subject",
                "purpose",
                "detail",
                "prev_hash",
                "hash",
            ]
        )
        for r in store_audit.export_rows(store, moment(start), moment(upto)):
            w.writerow(
                [
                    r.seq,
                    r.at.astimezone(tz).isoformat(timespec="seconds"),
                    r.operator or "",
                    r.workstation,
                    r.action,
                    ACTIONS_ZH.get(r.action, r.action),
                    mask_free_text(r.subject or "", masking),
                    r.purpose or "",
                    mask_free_text(r.detail, masking),
                    r.prev_hash,
                    r.hash,
                ]
            )
            count += 1
    tmp.replace(out)
    log(
        store,
        "export",
        operator=operator,
        subject="audit",
        detail={
            "rows": count,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
    )
    return count
