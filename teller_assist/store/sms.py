"""The SMS outbox: queued inside the approval's transaction, exported exactly once."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from teller_assist.store import audit
from teller_assist.store.applications import with_retries
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import SmsOutbox


@dataclass(frozen=True)
class OutboxRow:
    id: int
    application_id: int
    phone: str
    text: str
    queued_at: dt.datetime

    def __repr__(self) -> str:  # the phone stays out of logs
        return f"OutboxRow(#{self.id}, app {self.application_id})"


def enqueue(session: Any, application_id: int, phone: str, text: str, now: dt.datetime) -> None:
    """Queue a text inside the caller's transaction (the approval's)."""
    session.add(SmsOutbox(application_id=application_id, phone=phone, text=text, queued_at=now))


def pending_count(store: Store) -> int:
    with store.session() as s:
        return len(s.scalars(select(SmsOutbox.id).where(SmsOutbox.exported_at.is_(None))).all())


def export_pending(
    store: Store,
    write: Callable[[list[OutboxRow]], None],
    now: dt.datetime,
    entry: Callable[[str, int], AuditEntry],
) -> tuple[str, int]:
    """Hand every text not yet exported to ``write`` and mark them exported, with the audit row
    ``entry(batch, count)``, in one transaction: if ``write`` or the audit row fails nothing is marked;
    two exports at once never both take a row. Returns the batch name and the count."""
    batch = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"

    def work(s: Session) -> tuple[str, int]:
        rows = s.execute(
            select(
                SmsOutbox.id, SmsOutbox.application_id, SmsOutbox.phone, SmsOutbox.text, SmsOutbox.queued_at
            )
            .where(SmsOutbox.exported_at.is_(None))
            .order_by(SmsOutbox.id)
            .with_for_update(skip_locked=True)
        ).all()
        picked = [OutboxRow(*r) for r in rows]
        if picked:
            write(picked)
            s.execute(
                update(SmsOutbox)
                .where(SmsOutbox.id.in_([r.id for r in picked]), SmsOutbox.exported_at.is_(None))
                .values(exported_at=now, export_batch=batch)
            )
        audit.append(s, entry(batch, len(picked)), now)
        return batch, len(picked)

    return with_retries(store, work)
