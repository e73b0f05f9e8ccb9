"""A seeded spread of decisions for the engine's golden test: people of every age edge, with and without
payroll (to the fen), tags and grades, the negative list, settled households, surveys, group evidence
(evaluations, bureau staff, till sales, key households), under the bundled policy and under variants
with other rounding units, floors and caps.

Each case is plain JSON (so a file can keep it); :func:`decide_case` builds the card and decides it.
:func:`lines` and :func:`rest_digest` read a decision as the golden file keeps it, whichever version of
the engine made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from typing import Any

from teller_assist.identity.resident_id import check_character, parse_resident_id
from teller_assist.ingest.kinds import KINDS
from teller_assist.lookup.card import AgreementFact, CardFacts, PayFact, TagFact, build_card
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.group import GroupEvidence, full_months_before
from teller_assist.prequal.policy import Policy, default_policy_path, parse_policy
from teller_assist.prequal.survey import Survey, check_survey
from tests.helpers.extracts import COMPANY, GOV, uscc
from tests.helpers.surveys import walk_in_answers

AS_OF = dt.date(2026, 11, 28)
PUBLIC = uscc("12", "PB1234567")
EMPLOYERS = {COMPANY: "某公司", GOV: "句容市财政局", PUBLIC: "句容市人民医院"}
VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {  # the bundled file, and edits of its text
    "default": (),
    "round_500": (("round_down_to = 1000", "round_down_to = 500"), ("base = 30000", "base = 30500")),
    "round_100": (("round_down_to = 1000", "round_down_to = 100"), ("cap = 300000", "cap = 250100")),
    "round_1": (("round_down_to = 1000", "round_down_to = 1"), ("base = 30000", "base = 30001")),
    "round_10000": (
        ("round_down_to = 1000", "round_down_to = 10000"),
        ("base = 30000", "base = 40000"),
        ("cap = 300000", "cap = 500000"),
    ),
}
_POLICIES: dict[str, Policy] = {}


def policy(variant: str) -> Policy:
    if variant not in _POLICIES:
        text = default_policy_path().read_text(encoding="utf-8")
        for old, new in VARIANTS[variant]:
            assert old in text, old
            text = text.replace(old, new, 1)
        _POLICIES[variant] = parse_policy(text.encode("utf-8"), f"<{variant}>")
    return _POLICIES[variant]


def cases(n: int = 600, seed: int = 20261130) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        age = rng.choice([17, 18, 30, 45, 60, 65, 66]) if rng.random() < 0.15 else rng.randint(19, 64)
        born = dt.date(AS_OF.year - age, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        employer = rng.choice([COMPANY, COMPANY, GOV, PUBLIC])
        months = rng.choice([0, 0, 3, 5, 6, 7, 9, 12])
        monthly_fen = rng.choice([rng.randint(1_000_00, 30_000_00), rng.randint(1_000, 3_000_000)])
        pay = [[back, monthly_fen + rng.randint(-99, 99), employer] for back in range(1, months + 1)]
        tags = []
        if rng.random() < 0.2:
            tags.append(["civil_servant", None, rng.choice([None, "2025-01-01", "2027-12-31"])])
        if rng.random() < 0.2:
            tags.append(["family_farm", rng.choice(["2", "3", "4", "5"]), None])
        if rng.random() < 0.2:
            tags.append(["integrity_business", rng.choice(["A", "B", "C", "D"]), None])
        agreements = [["active", rng.randint(0, 15), rng.randint(0, 3)]] if rng.random() < 0.3 else []
        survey = None
        if rng.random() < 0.6:
            survey = {
                "household_income": rng.choice([0, rng.randint(1, 400_000), rng.randint(10_000, 90_000)]),
                "debts": rng.choice([0, 0, rng.randint(1, 200_000)]),
            }
        group = None
        if rng.random() < 0.5:
            scenario = rng.choice(["village", "enterprise", "association", "bureau", "community", "market"])
            till = {}
            if scenario == "market":
                for day in full_months_before(AS_OF, 6)[: rng.randint(0, 6)]:
                    till[day.isoformat()] = rng.randint(0, 20_000_000)
            group = {
                "scenario": scenario,
                "evaluation": rng.choice([None, "good", "fair", "poor"]),
                "evaluated_by": rng.choice([None, "村委会"]),
                "permanent_staff": rng.random() < 0.3,
                "till_sales_fen": till,
                "key_household": rng.random() < 0.2,
            }
        out.append(
            {
                "n": i,
                "policy": rng.choice(list(VARIANTS)),
                "born": born,
                "seq": 100 + i % 800,
                "pay": pay,
                "tags": tags,
                "negative": "fraud" if rng.random() < 0.05 else None,
                "agreements": agreements,
                "survey": survey,
                "group": group,
            }
        )
    return out


def decide_case(case: dict[str, Any]) -> Decision:
    credits = []
    for back, fen, code in case["pay"]:
        month_index = AS_OF.year * 12 + AS_OF.month - 1 - back
        day = dt.date(month_index // 12, month_index % 12 + 1, 5)
        credits.append(PayFact(day, fen, code, EMPLOYERS[code]))
    facts = CardFacts(
        None,
        tuple(credits),
        tuple(
            AgreementFact(f"W{i}", "water", status, dt.date(2020, 1, 1), None, ok, failed)
            for i, (status, ok, failed) in enumerate(case["agreements"])
        ),
        case["negative"],
        tuple(TagFact(t, g, dt.date.fromisoformat(v) if v else None) for t, g, v in case["tags"]),
        (),
        {},
    )
    first17 = f"321183{dt.date.fromisoformat(case['born']):%Y%m%d}{case['seq']:03d}"
    rid = parse_resident_id(first17 + check_character(first17), today=AS_OF)
    card = build_card(rid, facts, AS_OF, tuple(KINDS))
    p = policy(case["policy"])
    checked = None
    if case["survey"] is not None:
        checked = check_survey(Survey("walk_in", walk_in_answers(**case["survey"])), p)
    group = None
    if case["group"] is not None:
        g = dict(case["group"])
        g["till_sales_fen"] = {dt.date.fromisoformat(k): v for k, v in g["till_sales_fen"].items()}
        group = GroupEvidence(**g)
    return decide(card, checked, p, AS_OF, group=group)


def lines(d: Decision) -> dict[str, int]:
    """The decision's lines under the names the engine gave them: whole yuan (``grantable_limit``,
    ``potential_limit``) before lines were fen, fen (``grantable_fen``, ``potential_fen``) since."""
    names = ("grantable_limit", "potential_limit", "grantable_fen", "potential_fen")
    return {name: getattr(d, name) for name in names if hasattr(d, name)}


def rest_digest(d: Decision) -> str:
    """Everything else the decision says, as a short digest: eligibility and reasons, rate, validity, the
    evidence's source, and every factor with its amount (fen in both versions) and its words."""
    rest = [
        d.eligible,
        list(d.reasons),
        None if d.annual_rate is None else str(d.annual_rate),
        None if d.valid_until is None else d.valid_until.isoformat(),
        d.source,
        d.survey_complete,
        list(d.missing),
        [[f.code, f.amount_fen, f.applies, f.evidence] for f in d.factors],
    ]
    text = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
