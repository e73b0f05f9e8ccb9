"""What the campaign entry desk writes and reads beyond ``store.campaigns``: one person registered on the
spot as a member (the community desk), and the survey drafts of many people read at once (the entry
grid's roster)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select, update

from teller_assist.store import audit
from teller_assist.store.audit import AuditEntry
from teller_assist.store.campaigns import CHUNK, M, _locked_open
from teller_assist.store.drafts import DraftRecord
from teller_assist.store.engine import Store
from teller_assist.store.models import SurveyDraft

__all__ = ["AlreadyMember", "Registered", "drafts_for", "register_member"]

SD = cast(Table, SurveyDraft.__table__)


class AlreadyMember(Exception):
    """The person is already a member of the campaign (not removed): their roster line."""

    def __init__(self, line_no: int) -> None:
        super().__init__(line_no)
        self.line_no = line_no


@dataclass(frozen=True)
class Registered:
    line_no: int
    again: bool  # a member once removed, registered again


def register_member(
    store: Store,
    code: str,
    *,
    id_no: str,
    name: str,
    phone: str,
    status: str,
    by: str,
    at: dt.datetime,
    entry: Callable[[int], AuditEntry],
) -> Registered:
    """Add one person to campaign ``code`` on the next roster line, both consents given now by ``by``,
    with its audit row (``entry`` is given the line), in one transaction under the campaign's lock. A
    person already a member raises :class:`AlreadyMember`; one removed by a later roster comes back on a
    new line. A closed or missing campaign raises as ``store.campaigns`` does and writes nothing."""
    with store.write_session() as s:
        cid = _locked_open(s, code)
        before = s.execute(
            select(M.c.status, M.c.line_no).where(M.c.campaign_id == cid, M.c.id_no == id_no)
        ).one_or_none()
        if before is not None and before.status != "removed":
            raise AlreadyMember(int(before.line_no))
        line_no = int(s.execute(select(func.coalesce(func.max(M.c.line_no), 0)).where(M.c.campaign_id == cid))
                      .scalar_one()) + 1  # fmt: skip
        values = {
            "name": name,
            "phone": phone,
            "status": status,
            "reason": None,
            "line_no": line_no,
            "consent_at": at,
            "consent_by": by,
            "updated_at": at,
        }
        if before is None:
            s.execute(insert(M).values(campaign_id=cid, id_no=id_no, added_at=at, extras="{}", **values))
        else:
            s.execute(update(M).where(M.c.campaign_id == cid, M.c.id_no == id_no).values(**values))
        audit.append(s, entry(line_no), at)
    return Registered(line_no, before is not None)


def drafts_for(store: Store, ids: Sequence[str]) -> dict[str, DraftRecord]:
    """The survey drafts kept for any of ``ids``, by resident ID (a few statements per 5,000 people)."""
    out: dict[str, DraftRecord] = {}
    with store.connection() as conn:
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            for r in conn.execute(
                select(SD.c.id_no, SD.c.scenario, SD.c.answers, SD.c.operator, SD.c.updated_at).where(
                    SD.c.id_no.in_(chunk)
                )
            ):
                out[str(r.id_no)] = DraftRecord(str(r.id_no), r.scenario, r.answers, r.operator, r.updated_at)
    return out
