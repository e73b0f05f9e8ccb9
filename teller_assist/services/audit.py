"""Who did what, where, when: audited actions, the chain check, and the export for compliance staff."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import socket
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.exports import private_csv
from teller_assist.identity.masking import mask_free_text
from teller_assist.store import audit as store_audit
from teller_assist.store.audit import AuditEntry, Finding, VerifyResult
from teller_assist.store.engine import Store

if TYPE_CHECKING:
    from teller_assist.services.context import Context

ACTIONS_ZH = vocabulary.AUDIT_ACTION_ZH  # the words live in teller_assist.vocabulary


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


FIELD_MAX = 64  # the audit row's operator, subject and purpose columns hold 64 characters


def check_purpose(purpose: str | None) -> None:
    """A lookup's purpose (typed by a person) fits its column, on both engines, or is refused plainly."""
    if purpose is not None and len(purpose) > FIELD_MAX:
        raise UserFacingError(
            f"查询目的过长（{len(purpose)}个字符，最多{FIELD_MAX}个）",
            f"the purpose is too long ({len(purpose)} characters, at most {FIELD_MAX})",
            hint_zh="请简要说明查询目的",
            hint_en="say the purpose in fewer words",
        )


def log(
    store: Store,
    action: str,
    *,
    operator: str | None,
    subject: str | None = None,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    station: str | None = None,
) -> int:
    """One audit row, committed on its own (inside the services; a face calls :func:`note`)."""
    check_purpose(purpose)
    entry = AuditEntry(action, operator, station or workstation(), subject, purpose, dict(detail or {}))
    return store_audit.record(store, entry, now or now_utc())


def note(
    ctx: Context,
    action: str,
    *,
    operator: str | None,
    subject: str | None = None,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> int:
    """One audit row for what a face did itself (a sign-out, a lock, an unlock), stamped by the context's
    clock at its workstation."""
    return log(
        ctx.store, action, operator=operator, subject=subject, purpose=purpose, detail=detail,
        now=ctx.now(), station=ctx.workstation,
    )  # fmt: skip


def rehearse(ctx: Context) -> None:
    """The lookup's audit write rehearsed and rolled back (``store.audit.rehearse``): nothing is kept."""
    entry = AuditEntry("lookup", None, ctx.workstation, None, None, {})
    store_audit.rehearse(ctx.store, entry, ctx.now())


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment, kept where the program cannot rewrite it (head office's file)."""

    seq: int
    hash: str
    at: dt.datetime
    database: str

    def line(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(), "database": self.database},
            ensure_ascii=False,
            separators=(",", ":"),
        )


class AnchorFileError(UserFacingError):
    pass


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors in a file ``audit anchor`` wrote (one JSON object a line; blank lines and ``#``
    comments ignored). A line that is not an anchor is refused, naming its number."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnchorFileError(
            f"锚点文件不存在：{path}", f"no anchor file {path}", hint_zh="请确认路径", hint_en="check it"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(
            f"无法读取锚点文件 {path}：{exc}", f"cannot read the anchor file {path}: {exc}"
        ) from None
    anchors = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            data = json.loads(line)
            seq, digest = data["seq"], data["hash"]
            if not isinstance(seq, int) or seq < 0 or not _HEX64.fullmatch(str(digest)):
                raise ValueError(line)
            at = dt.datetime.fromisoformat(data["at"])
            anchors.append(Anchor(seq, digest, at, str(data.get("database", ""))))
        except (ValueError, KeyError, TypeError):
            raise AnchorFileError(
                f"锚点文件第{number}行格式错误：{path}",
                f"line {number} of {path} is not an anchor",
                hint_zh="锚点文件只应由 teller-assist audit anchor 追加",
                hint_en="only teller-assist audit anchor should append to it",
            ) from None
    return anchors


_HEX64 = re.compile(r"[0-9a-f]{64}")


def verify(ctx: Context, anchors: Sequence[Anchor] = ()) -> VerifyResult:
    """The chain's own check, and against head office's anchors: a recomputed chain and a truncated one
    are both found. Two anchors that disagree about one row are a finding too."""
    by_seq: dict[int, str] = {}
    clashes: list[Finding] = []
    for a in anchors:
        if by_seq.setdefault(a.seq, a.hash) != a.hash:
            clashes.append(
                Finding(
                    a.seq,
                    f"锚点文件中第{a.seq}条有两个不同的哈希（来自不同的审计链？）",
                    f"the anchor file holds two hashes for row {a.seq} (anchors of another chain?)",
                )
            )
    result = store_audit.verify(ctx.store, by_seq)
    if clashes:
        return VerifyResult(result.rows, result.head_seq, (*result.findings, *clashes))
    return result


def anchor(ctx: Context, out: Path, *, operator: str | None) -> Anchor:
    """Check the chain (against the anchors ``out`` already holds), then append the head's sequence
    number and hash to ``out`` (created with mode 0600; refused if others may read or write it).
    A broken chain is not anchored: :class:`ChainBroken` carries the findings. The anchor is audited."""
    previous = read_anchors(out) if out.exists() else []
    if out.exists():
        mode = stat.S_IMODE(out.stat().st_mode)
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise AnchorFileError(
                f"锚点文件 {out} 的权限过宽（{oct(mode)}），其他用户可以读取或修改",
                f"the anchor file {out} is open to others (mode {oct(mode)})",
                hint_zh=f"执行 chmod 600 {out} 后重试",
                hint_en=f"run chmod 600 {out} and retry",
            )
    result = verify(ctx, previous)
    if not result.ok:
        raise ChainBroken(result)
    seq, digest = store_audit.chain_head(ctx.store)
    made = Anchor(seq, digest, ctx.now(), ctx.store.display)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(made.line() + "\n")
        f.flush()
        os.fsync(f.fileno())
    note(ctx, "audit_anchor", operator=operator, subject="audit", detail={"seq": seq, "hash": digest})
    return made


class ChainBroken(UserFacingError):
    exit_code = 4

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(
            f"审计链已被破坏（{len(result.findings)}处），不写锚点",
            f"the chain is broken ({len(result.findings)} findings); no anchor written",
            hint_zh="运行 teller-assist audit verify 查看",
            hint_en="run teller-assist audit verify to see them",
        )
        self.result = result


def export_csv(
    ctx: Context,
    out: Path,
    *,
    start: dt.date | None,
    end: dt.date | None,
    operator: str | None,
) -> int:
    """Write audit rows from ``start`` to ``end`` (local dates, inclusive) as UTF-8 CSV with the chain
    hashes (mode 0600, no cell a spreadsheet would evaluate); resident IDs and phones in subjects, purposes
    and details are masked. The export itself is audited: no audit row, no file. Returns the row count."""
    store, masking = ctx.store, ctx.settings.masking
    tz = dt.datetime.now().astimezone().tzinfo

    def moment(day: dt.date | None) -> dt.datetime | None:
        return None if day is None else dt.datetime.combine(day, dt.time(), tzinfo=tz)

    upto = None if end is None else end + dt.timedelta(days=1)
    count = 0
    header = (
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
    )
    with private_csv(out, header) as w:
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
                    mask_free_text(r.purpose or "", masking),
                    mask_free_text(r.detail, masking),
                    r.prev_hash,
                    r.hash,
                ]
            )
            count += 1
        # the file takes its name only once its audit row is committed (private_csv renames on success)
        note(
            ctx,
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
