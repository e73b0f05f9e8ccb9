"""Document issues in the database: which copy this is, recorded with its audit row; and which issued
documents the customer signed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from teller_assist.store import audit
from teller_assist.store.applications import with_retries
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import DocumentIssue, DocumentSignature

SIGNED_KINDS = ("agreement", "authorization")  # the documents the customer signs at the counter


@dataclass(frozen=True)
class IssueRecord:
    application_id: int
    kind: str
    copy_no: int
    issued_at: dt.datetime
    operator: str
    destination: str


def issued_count(store: Store, application_id: int, kind: str) -> int:
    with store.session() as s:
        return _count(s, application_id, kind)


def _count(s: Session, application_id: int, kind: str) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(DocumentIssue)
            .where(DocumentIssue.application_id == application_id, DocumentIssue.kind == kind)
        )
        or 0
    )


def record_issue(
    store: Store,
    *,
    application_id: int,
    kind: str,
    operator: str,
    workstation: str,
    destination: str,
    sha256: str,
    now: dt.datetime,
    expected_copy_no: int,
) -> IssueRecord | None:
    """Record the issue as copy number ``expected_copy_no`` (0 = the original) with its audit row;
    None when another desktop issued that number first (render again as the next copy)."""

    def work(s: Session) -> IssueRecord | None:
        if _count(s, application_id, kind) != expected_copy_no:
            return None
        s.add(
            DocumentIssue(
                application_id=application_id,
                kind=kind,
                copy_no=expected_copy_no,
                issued_at=now,
                operator=operator,
                workstation=workstation,
                destination=destination,
                sha256=sha256,
            )
        )
        audit.append(
            s,
            AuditEntry(
                "reprint" if expected_copy_no else "print",
                operator,
                workstation,
                f"app:{application_id}",
                None,
                {"kind": kind, "copy_no": expected_copy_no, "to": destination, "sha256": sha256},
            ),
            now,
        )
        return IssueRecord(application_id, kind, expected_copy_no, now, operator, destination)

    return with_retries(store, work)


@dataclass(frozen=True)
class NewIssue:
    """A document to record as issued: copy number ``copy_no`` (0 = the original) of ``kind``."""

    application_id: int
    kind: str
    copy_no: int
    operator: str
    workstation: str
    destination: str
    sha256: str


def record_issues(store: Store, issues: Sequence[NewIssue], now: dt.datetime) -> list[bool]:
    """Record many issues in one transaction, each with its own audit row, exactly as
    :func:`record_issue` records one: for each, whether it was recorded (False: another desktop issued
    that copy number first, so it must be rendered again as the next copy)."""
    if not issues:
        return []

    def work(s: Session) -> list[bool]:
        ids = sorted({i.application_id for i in issues})
        counts: dict[tuple[int, str], int] = {}
        for app_id, kind, n in s.execute(
            select(DocumentIssue.application_id, DocumentIssue.kind, func.count())
            .where(DocumentIssue.application_id.in_(ids))
            .group_by(DocumentIssue.application_id, DocumentIssue.kind)
        ):
            counts[(int(app_id), str(kind))] = int(n)
        done: list[bool] = []
        rows: list[dict[str, object]] = []
        entries: list[AuditEntry] = []
        for i in issues:
            key = (i.application_id, i.kind)
            if counts.get(key, 0) != i.copy_no:
                done.append(False)
                continue
            counts[key] = i.copy_no + 1
            done.append(True)
            rows.append(
                {
                    "application_id": i.application_id,
                    "kind": i.kind,
                    "copy_no": i.copy_no,
                    "issued_at": now,
                    "operator": i.operator,
                    "workstation": i.workstation,
                    "destination": i.destination,
                    "sha256": i.sha256,
                }
            )
            entries.append(
                AuditEntry(
                    "reprint" if i.copy_no else "print",
                    i.operator,
                    i.workstation,
                    f"app:{i.application_id}",
                    None,
                    {"kind": i.kind, "copy_no": i.copy_no, "to": i.destination, "sha256": i.sha256},
                )
            )
        if rows:
            s.execute(insert(DocumentIssue), rows)
            audit.append_many(s, entries, now)
        return done

    return with_retries(store, work)


def record_signatures(
    s: Session,
    application_id: int,
    kinds: tuple[str, ...],
    *,
    operator: str,
    workstation: str,
    now: dt.datetime,
) -> tuple[str, ...]:
    """Inside the signature's own transaction: the customer signed each of ``kinds`` that was issued
    (printed or saved). Returns the kinds recorded; a document never issued was never signed."""
    issued = set(
        s.scalars(
            select(DocumentIssue.kind)
            .where(DocumentIssue.application_id == application_id, DocumentIssue.kind.in_(kinds))
            .distinct()
        )
    )
    done = tuple(kind for kind in kinds if kind in issued)
    for kind in done:
        s.add(
            DocumentSignature(
                application_id=application_id,
                kind=kind,
                signed_at=now,
                operator=operator,
                workstation=workstation,
            )
        )
    s.flush()
    return done


def signatures(store: Store, application_id: int) -> dict[str, dt.datetime]:
    """When the customer signed each document of the application (kind -> time)."""
    with store.session() as s:
        rows = s.execute(
            select(DocumentSignature.kind, DocumentSignature.signed_at).where(
                DocumentSignature.application_id == application_id
            )
        )
        return {kind: at for kind, at in rows}
