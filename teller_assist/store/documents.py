"""Document issues in the database: which copy this is, recorded with its audit row; and which issued
documents the customer signed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
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
