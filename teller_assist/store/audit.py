"""The audit trail: append-only rows chained by SHA-256, and the check that finds a broken chain.

Each row's hash covers its own fields and the previous row's hash, so an edited row no longer matches
its hash, a removed or moved row breaks the link to its neighbour, and the head row (the last sequence
number and hash, updated with every append) shows a removed tail. Appends lock the head row, so they
are serial on both engines and sequence numbers have no gaps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import DateTime, String, Text, cast, func, insert, select
from sqlalchemy.orm import Session

from teller_assist.store.engine import Store
from teller_assist.store.models import AuditEvent, AuditHead

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """What happened, by whom, where: never personal data in ``detail``."""

    action: str
    operator: str | None
    workstation: str
    subject: str | None = None
    purpose: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime
    operator: str | None
    workstation: str
    action: str
    subject: str | None
    purpose: str | None
    detail: str
    prev_hash: str
    hash: str


def row_hash(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    operator: str | None,
    workstation: str,
    action: str,
    subject: str | None,
    purpose: str | None,
    detail: str,
) -> str:
    body = json.dumps(
        [
            seq,
            at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            operator,
            workstation,
            action,
            subject,
            purpose,
            detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def append(session: Session, entry: AuditEntry, now: dt.datetime) -> int:
    """Add one row inside the caller's transaction (so the action and its audit row commit together).

    On PostgreSQL the row goes through ``teller_assist_audit_append`` (migration 0011), which computes
    the same hash in the database: the program's role needs no write privilege on the audit tables."""
    at = now.astimezone(dt.UTC)
    detail = json.dumps(dict(entry.detail), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if session.get_bind().dialect.name == "postgresql":
        return int(
            session.execute(
                select(
                    func.teller_assist_audit_append(
                        cast(at, DateTime(timezone=True)),
                        cast(entry.operator, String),
                        cast(entry.workstation, String),
                        cast(entry.action, String),
                        cast(entry.subject, String),
                        cast(entry.purpose, String),
                        cast(detail, Text),
                    )
                )
            ).scalar_one()
        )
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    seq = head.seq + 1
    digest = row_hash(
        head.hash,
        seq,
        at,
        entry.operator,
        entry.workstation,
        entry.action,
        entry.subject,
        entry.purpose,
        detail,
    )
    session.add(
        AuditEvent(
            seq=seq,
            at=at,
            operator=entry.operator,
            workstation=entry.workstation,
            action=entry.action,
            subject=entry.subject,
            purpose=entry.purpose,
            detail=detail,
            prev_hash=head.hash,
            hash=digest,
        )
    )
    head.seq = seq
    head.hash = digest
    session.flush()
    return seq


def append_many(session: Session, entries: Sequence[AuditEntry], now: dt.datetime) -> None:
    """Add one row per entry, in order, inside the caller's transaction: the same rows and hashes as
    :func:`append` called for each, written in bulk (a batch's thousands of applications, each with
    its own row). PostgreSQL: through ``teller_assist_audit_append``, pipelined; SQLite: the head read
    and moved once."""
    if not entries:
        return
    at = now.astimezone(dt.UTC)
    details = [
        json.dumps(dict(e.detail), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for e in entries
    ]
    if session.get_bind().dialect.name == "postgresql":
        raw: Any = session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.executemany(
                "SELECT teller_assist_audit_append(%s::timestamptz, %s::varchar, %s::varchar, "
                "%s::varchar, %s::varchar, %s::varchar, %s::text)",
                [
                    (at, e.operator, e.workstation, e.action, e.subject, e.purpose, detail)
                    for e, detail in zip(entries, details, strict=True)
                ],
            )
        return
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    seq, prev = head.seq, head.hash
    rows = []
    for e, detail in zip(entries, details, strict=True):
        seq += 1
        digest = row_hash(prev, seq, at, e.operator, e.workstation, e.action, e.subject, e.purpose, detail)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "operator": e.operator,
                "workstation": e.workstation,
                "action": e.action,
                "subject": e.subject,
                "purpose": e.purpose,
                "detail": detail,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    session.execute(insert(AuditEvent), rows)
    head.seq, head.hash = seq, prev
    session.flush()


def record(store: Store, entry: AuditEntry, now: dt.datetime) -> int:
    """Append one row in its own transaction."""
    with store.write_session() as s:
        return append(s, entry, now)


class _RolledBack(Exception):
    pass


def rehearse(store: Store, entry: AuditEntry, now: dt.datetime) -> None:
    """Everything ``record`` does but the commit, then rolled back: nothing is kept (no row, no sequence
    number, the chain's head unchanged). The window does this once at idle, so the first customer's
    lookup does not pay for the first write's statements being prepared and the connection's first
    write lock."""
    with contextlib.suppress(_RolledBack), store.write_session() as s:
        append(s, entry, now)
        raise _RolledBack


@dataclass(frozen=True)
class Finding:
    seq: int
    problem_zh: str
    problem_en: str


@dataclass(frozen=True)
class VerifyResult:
    rows: int
    head_seq: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings


def _rows(
    session: Session, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> Iterator[AuditRow]:
    stmt = select(
        AuditEvent.seq,
        AuditEvent.at,
        AuditEvent.operator,
        AuditEvent.workstation,
        AuditEvent.action,
        AuditEvent.subject,
        AuditEvent.purpose,
        AuditEvent.detail,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.seq)
    if start is not None:
        stmt = stmt.where(AuditEvent.at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.at < end)
    for r in session.execute(stmt.execution_options(yield_per=2000)):
        yield AuditRow(**r._asdict())


def verify(store: Store, anchors: Mapping[int, str] | None = None) -> VerifyResult:
    """Check the chain; with ``anchors`` (sequence number -> hash, kept where the program cannot write)
    also check that each anchored row still has its hash (a recomputed chain) and still exists (a
    truncated chain whose head was moved back)."""
    anchors = {seq: digest for seq, digest in (anchors or {}).items() if seq > 0}
    findings: list[Finding] = []
    expected_seq, prev, count = 1, GENESIS, 0
    with store.session() as s:
        head = s.scalars(select(AuditHead).where(AuditHead.id == 1)).one_or_none()
        for r in _rows(s):
            count += 1
            if r.seq != expected_seq:
                findings.append(
                    Finding(
                        r.seq,
                        f"第{expected_seq}至{r.seq - 1}条记录缺失",
                        f"rows {expected_seq}..{r.seq - 1} missing",
                    )
                )
            if r.prev_hash != prev:
                findings.append(
                    Finding(
                        r.seq,
                        "与前一条记录的链接断开（前一条被删除、修改或调换）",
                        "chain broken: the row before was removed, altered or moved",
                    )
                )
            again = row_hash(
                r.prev_hash, r.seq, r.at, r.operator, r.workstation, r.action, r.subject, r.purpose, r.detail
            )
            if again != r.hash:
                findings.append(
                    Finding(r.seq, "记录内容被修改", "row altered: its hash does not match its fields")
                )
            anchored = anchors.get(r.seq)
            if anchored is not None and anchored != r.hash:
                findings.append(
                    Finding(
                        r.seq,
                        "与锚点记录的哈希不符：此条或之前的记录被改写后重新计算了哈希",
                        "differs from the anchored hash: this row or an earlier one was rewritten and "
                        "the chain recomputed",
                    )
                )
            expected_seq, prev = r.seq + 1, r.hash
    last = expected_seq - 1
    if anchors and max(anchors) > last:
        beyond = max(anchors)
        findings.append(
            Finding(
                beyond,
                f"审计链比锚点短：锚点记录到第{beyond}条，现只到第{last}条（末尾记录被删除）",
                f"the chain is shorter than an anchor: anchored up to row {beyond}, the last row is "
                f"{last} (rows removed from the end)",
            )
        )
    if head is None:
        findings.append(Finding(0, "审计链头记录缺失", "the chain's head row is missing"))
        head_seq = 0
    else:
        head_seq = head.seq
        if head.seq != last or head.hash != prev:
            findings.append(
                Finding(
                    head.seq,
                    f"审计链末尾记录缺失（链头为第{head.seq}条，实有至第{last}条）",
                    f"rows removed from the end (head says {head.seq}, last row is {last})",
                )
            )
    return VerifyResult(count, head_seq, tuple(findings))


def chain_head(store: Store) -> tuple[int, str]:
    """The head's sequence number and hash (what an anchor keeps)."""
    with store.session() as s:
        row = s.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
        return int(row.seq), str(row.hash)


def export_rows(store: Store, start: dt.datetime | None, end: dt.datetime | None) -> Iterator[AuditRow]:
    with store.session() as s:
        yield from _rows(s, start, end)


def last_seq(store: Store) -> int:
    """The head's sequence number: it changes with every audited action (cheap change detection)."""
    with store.session() as s:
        return s.scalars(select(AuditHead.seq).where(AuditHead.id == 1)).one()
