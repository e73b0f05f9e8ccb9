"""A roster pre-qualified in one go: each member matched against what the bank knows, decided with the
group's evidence, and counted by line band.

Pure: the checked roster, each member's card (built by the service from the store) and the policy in; the
date is an argument. A member whose name differs from the bank's record is refused here (the group must
say which is right; the bank's name is not shown back to the group). Someone who already holds an open
pre-credit is decided as everyone else and marked: a person's line counts once, however many campaigns
they are on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from teller_assist.campaigns.roster import CheckedRoster, Member, Refusal
from teller_assist.lookup.card import ApplicationFact, CustomerCard
from teller_assist.prequal.bands import Tally, band_of, empty_bands
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.policy import Policy

PROGRESS_EVERY = 500  # members decided between two progress reports

NAME_DIFFERS = (
    "姓名与本行记录不一致，请核对身份证后更正",
    "the name differs from the bank's record; check the ID card",
)


@dataclass(frozen=True)
class MemberDecision:
    member: Member
    known: bool  # a customer of the bank (in its customer file), else new to the bank
    decision: Decision
    holding: ApplicationFact | None  # an open pre-credit already held (from any campaign or the counter)


@dataclass
class RosterDecision:
    scenario: str
    decided: list[MemberDecision] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    grantable: dict[str, Tally] = field(default_factory=empty_bands)
    potential: dict[str, Tally] = field(default_factory=empty_bands)

    @property
    def eligible(self) -> int:
        return sum(1 for d in self.decided if d.decision.eligible)

    @property
    def known(self) -> int:
        return sum(1 for d in self.decided if d.known)

    @property
    def holding(self) -> int:
        return sum(1 for d in self.decided if d.holding is not None)

    @property
    def ineligible(self) -> list[MemberDecision]:
        return [d for d in self.decided if not d.decision.eligible]


def same_name(roster: str, bank: str) -> bool:
    """Names compare without spaces and with one kind of middle dot (the roster's is already cleaned)."""
    plain = "".join(bank.split())
    for dot in "•．":
        plain = plain.replace(dot, "·")
    return "".join(roster.split()) == plain


def decide_roster(
    checked: CheckedRoster,
    cards: Mapping[str, CustomerCard],
    policy: Policy,
    as_of: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> RosterDecision:
    """Every member decided without a survey (the base line, and what the evidence would support once
    surveyed); ``cards`` holds a card for every member's ID. ``progress`` is told (members decided,
    members) every ``PROGRESS_EVERY`` members and at the end."""
    out = RosterDecision(checked.scenario, refused=list(checked.refused))
    total = len(checked.members)
    for done, member in enumerate(checked.members):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        card = cards[member.id_no]
        if card.known and card.name and not same_name(member.name, card.name):
            out.refused.append(Refusal(member.line_no, member.id_no, member.name, *NAME_DIFFERS))
            continue
        decision = decide(card, None, policy, as_of, member.evidence)
        out.decided.append(MemberDecision(member, card.known, decision, card.open_application))
        out.grantable[band_of(decision.grantable_fen)].add(decision.grantable_fen)
        out.potential[band_of(decision.potential_fen)].add(decision.potential_fen)
    out.refused.sort(key=lambda r: r.line_no)
    if progress is not None:
        progress(total, total)
    return out
