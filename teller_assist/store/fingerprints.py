"""Fingerprints of the secrets every desktop must share, recorded once by the first desktop to use one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.models import KeyFingerprint


def recorded(store: Store, name: str) -> str | None:
    with store.session() as s:
        row = s.get(KeyFingerprint, name)
        return row.fingerprint if row else None


def record(store: Store, name: str, fingerprint: str, now: dt.datetime) -> str:
    """Record ``fingerprint`` for ``name`` unless one is recorded already; the one that stands."""
    try:
        with store.write_session() as s:
            row = s.get(KeyFingerprint, name)
            if row is not None:
                return row.fingerprint
            s.add(KeyFingerprint(name=name, fingerprint=fingerprint, recorded_at=now))
        return fingerprint
    except IntegrityError:  # another desktop recorded one at the same moment: theirs stands
        standing = recorded(store, name)
        assert standing is not None
        return standing


def adopt(
    store: Store, name: str, fingerprint: str, now: dt.datetime, entry: AuditEntry, keep: Callable[[], None]
) -> str:
    """Adopt a secret whose fingerprint is ``fingerprint``: record it for ``name`` unless one is recorded
    already, append ``entry`` to the audit trail and call ``keep`` (which stores the secret outside the
    database, in the keyring) last, all in one transaction, so a secret is never kept unaudited. When a
    different fingerprint stands, nothing is done and that one is returned."""
    try:
        with store.write_session() as s:
            row = s.get(KeyFingerprint, name)
            if row is not None and row.fingerprint != fingerprint:
                return row.fingerprint
            if row is None:
                s.add(KeyFingerprint(name=name, fingerprint=fingerprint, recorded_at=now))
                try:
                    s.flush()
                except IntegrityError:
                    raise _RecordedMeanwhile from None
            audit.append(s, entry, now)
            keep()
        return fingerprint
    except _RecordedMeanwhile:  # another desktop recorded one at the same moment: theirs stands
        standing = recorded(store, name)
        assert standing is not None
        return standing if standing != fingerprint else adopt(store, name, fingerprint, now, entry, keep)


class _RecordedMeanwhile(Exception):
    pass
