"""Pre-qualify a customer: the card, the survey if any, the bank's policy -> an explained decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from teller_assist.identity.masking import MASKED_AMOUNT, Masking, masks_factor_amount
from teller_assist.identity.resident_id import ResidentId
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.engine import Decision, Factor, decide
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.prequal.survey import Survey, check_survey
from teller_assist.services.context import Context
from teller_assist.services.lookup import lookup_audited
from teller_assist.settings import Settings


def active_policy(settings: Settings, override: Path | None = None) -> Policy:
    """The policy in force: ``--policy``, else the ``policy_file`` setting, else the bundled default."""
    if override is not None:
        return load_policy(override)
    if settings.policy_file:
        return load_policy(Path(settings.policy_file))
    return load_policy(default_policy_path())


def decide_for_card(card: CustomerCard, survey: Survey | None, policy: Policy, as_of: dt.date) -> Decision:
    checked = check_survey(survey, policy) if survey is not None else None
    return decide(card, checked, policy, as_of)


def prequalify_audited(
    ctx: Context,
    rid: ResidentId,
    *,
    survey: Survey | None,
    as_of: dt.date,
    operator: str,
    reveal: bool = False,
) -> tuple[CustomerCard, Decision]:
    """:func:`prequalify` under the context's policy, with the lookup's audit rows (purpose ``prequal``;
    a ``reveal`` row when the incomes and debts are to be shown in full)."""
    policy = ctx.in_force()
    card = lookup_audited(ctx, rid, as_of=as_of, operator=operator, purpose="prequal", reveal=reveal)
    return card, decide_for_card(card, survey, policy, as_of)


def decision_to_json(decision: Decision, masking: Masking | None = None) -> dict[str, Any]:
    """The decision for machines; with ``masking``, the incomes and debts in its words masked, and every
    figure computed from them, in the words and in the factors' amounts."""

    def words(text: str) -> str:
        return masking.amounts(text) if masking is not None else text

    def amount(f: Factor) -> str | None:
        if masking is not None and f.amount_fen is not None and masks_factor_amount(f.code, decision.source):
            return MASKED_AMOUNT
        return f.amount_yuan

    return {
        "eligible": decision.eligible,
        "reasons": list(decision.reasons),
        "grantable_fen": decision.grantable_fen,
        "potential_fen": decision.potential_fen,
        "annual_rate": str(decision.annual_rate) if decision.annual_rate is not None else None,
        "valid_until": decision.valid_until.isoformat() if decision.valid_until else None,
        "policy_version": decision.policy_version,
        "policy_sha256": decision.policy_sha256,
        "scenario": decision.scenario,
        "factors": [
            {"code": f.code, "amount": amount(f), "applies": f.applies, "evidence": words(f.evidence)}
            for f in decision.factors
        ],
        "survey_complete": decision.survey_complete,
        "missing": list(decision.missing),
        "problems": decision.problems,
    }
