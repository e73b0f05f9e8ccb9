"""Look a walk-in customer up: the resident ID in, the customer card out."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from teller_assist.identity.masking import Masking
from teller_assist.identity.resident_id import ResidentId, parse_resident_id
from teller_assist.ingest.kinds import KINDS
from teller_assist.lookup.card import CustomerCard, Window, build_card, freshness_of
from teller_assist.prequal.workflow import rate_text
from teller_assist.services import audit
from teller_assist.services.context import Context
from teller_assist.store.cards import fetch_card_facts, fetch_many_card_facts
from teller_assist.store.engine import Store

KIND_NAMES = tuple(KINDS)
log = logging.getLogger(__name__)


def lookup(ctx: Context, raw_id: str | ResidentId, *, as_of: dt.date) -> CustomerCard:
    """The card for a resident ID as of ``as_of`` (raises ``InvalidResidentId`` naming the rule a bad ID
    broke). Not audited: the faces show a card through :func:`lookup_audited` or the counter flow."""
    rid = raw_id if isinstance(raw_id, ResidentId) else parse_resident_id(raw_id, today=as_of)
    log.debug("card for %s as of %s", Masking().resident_id(rid.value), as_of)  # masked at the source too
    window = Window.before(as_of)
    facts = fetch_card_facts(ctx.store, rid.value, window.start, window.end)
    return build_card(rid, facts, as_of, KIND_NAMES)


def lookup_audited(
    ctx: Context, rid: ResidentId, *, as_of: dt.date, operator: str, purpose: str, reveal: bool = False
) -> CustomerCard:
    """The card as of ``as_of`` (the day asked for), with the audit rows a lookup owes: one ``lookup``
    row under ``operator`` for its ``purpose``, and with ``reveal`` (the incomes to be shown in full) a
    ``reveal`` row as well."""
    card = lookup(ctx, rid, as_of=as_of)
    audit.note(ctx, "lookup", operator=operator, subject=rid.value, purpose=purpose)
    if reveal:
        fields = {"fields": ["income"]}
        audit.note(ctx, "reveal", operator=operator, subject=rid.value, purpose=purpose, detail=fields)
    return card


def lookup_many(store: Store, ids: list[str], *, as_of: dt.date) -> dict[str, CustomerCard]:
    """The cards of many valid resident IDs at once (a roster's members): the same cards as
    :func:`lookup`, read seven statements per thousand people."""
    window = Window.before(as_of)
    facts = fetch_many_card_facts(store, ids, window.start, window.end)
    freshness = next((freshness_of(f.freshness, as_of, KIND_NAMES) for f in facts.values()), ())
    return {
        id_no: build_card(
            parse_resident_id(id_no, today=as_of),
            facts[id_no],
            as_of,
            KIND_NAMES,
            window=window,
            freshness=freshness,  # the same extracts' dates for everyone: worked out once
        )
        for id_no in ids
    }


def local_hook_token(demo_file: Path | None = None) -> str:
    """The bearer token the teller system's local hook must present (from the OS keyring)."""
    from teller_assist.security.keys import hook_token

    return hook_token(demo_file)


def yuan(fen: int) -> str:
    """Integer fen as a decimal string of yuan: 600000 -> "6000.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def card_to_json(card: CustomerCard, masking: Masking, *, reveal_income: bool = False) -> dict[str, Any]:
    """The card for machines (``lookup --json``): personal numbers masked (the payroll's figures too,
    unless an audited ``--reveal`` asked for them), never the negative-list note."""
    p, w = card.payroll, card.withholding

    def income(fen: int) -> str:
        return yuan(fen) if reveal_income else masking.income(yuan(fen))

    return {
        "id_masked": masking.resident_id(card.rid.value),
        "name": card.name,
        "customer": card.known,
        "seen": card.seen,
        "gender": card.gender,
        "age": card.age,
        "region": card.region,
        "phone_masked": masking.phone(card.phone) if card.phone else None,
        "branch_code": card.branch_code,
        "as_of": card.as_of.isoformat(),
        "payroll": {
            "months": p.months,
            "average_monthly": income(p.average_monthly_fen),
            "total": income(p.total_fen),
            "employer": p.employer,
            "employer_kind": p.employer_kind.zh if p.employer_kind else None,
            "last_pay_date": p.last_pay_date.isoformat() if p.last_pay_date else None,
            "regularity": p.regularity,
            "months_by_kind": {k.zh: n for k, n in p.months_by_kind.items()},
        },
        "withholding": {
            "active_agreements": w.active_agreements,
            "by_utility": w.by_utility,
            "ok_debits": w.ok_debits,
            "failed_debits": w.failed_debits,
            "settled": w.settled,
        },
        "negative": {"listed": card.negative_listed, "category": card.negative_category},
        "tags": [
            {
                "tag": t.tag,
                "grade": t.grade,
                "valid": t.valid,
                "valid_until": t.valid_until.isoformat() if t.valid_until else None,
            }
            for t in card.tags
        ],
        "targets": [
            {
                "campaign": t.campaign,
                "branch_code": t.branch_code,
                "officer": t.officer,
                "due_on": t.due_on.isoformat() if t.due_on else None,
                "scenario": t.scenario,
            }
            for t in card.targets
        ],
        "applications": [
            {
                "id": a.id,
                "status": a.status,
                "open": a.open,
                "limit_fen": a.line_fen,
                "annual_rate": rate_text(a.annual_rate_bp),
                "valid_until": a.valid_until.isoformat() if a.valid_until else None,
                "agreement_no": a.agreement_no,
            }
            for a in card.applications
        ],
        "freshness": {f.kind: f.latest.isoformat() if f.latest else None for f in card.freshness},
        "stale": card.stale_kinds,
    }
