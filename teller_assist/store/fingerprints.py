"""Fingerprints of the secrets every desktop must share, recorded once by the first desktop to use one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

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
