"""County-wide simulation for head office: what a policy would grant, and what a change would cost.

Runs the decision engine over every customer twice: as things stand (no survey: the base line) and
assuming the evidence is confirmed (the potential line). Coverage must be 100%: every eligible person
gets a line. Results by line band and by the evidence that set the line, optionally against a second
policy file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from teller_assist.identity.resident_id import ResidentId
from teller_assist.lookup.card import Window, build_card
from teller_assist.prequal.bands import Tally, band_of, empty_bands
from teller_assist.prequal.engine import decide
from teller_assist.prequal.policy import Policy
from teller_assist.services.context import Context
from teller_assist.store.cards import iter_all_card_facts


@dataclass
class Column:
    """One way of counting (as things stand, or with the evidence confirmed) under one policy."""

    by_band: dict[str, Tally] = field(default_factory=empty_bands)
    by_evidence: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)


@dataclass
class PolicyRun:
    policy_version: str
    policy_sha256: str
    people: int = 0
    eligible: int = 0
    with_line: int = 0
    ineligible_reasons: dict[str, int] = field(default_factory=dict)
    now: Column = field(default_factory=Column)
    confirmed: Column = field(default_factory=Column)

    @property
    def coverage(self) -> float:
        return self.with_line / self.eligible if self.eligible else 1.0


@dataclass
class Simulation:
    as_of: dt.date
    runs: list[PolicyRun]
    seconds: float = 0.0


def simulate(
    ctx: Context, policies: list[Policy], *, as_of: dt.date, progress: Callable[[int], None] | None = None
) -> Simulation:
    """Every customer's decision as of ``as_of`` under each of ``policies`` (the one in force and the one
    it would be compared with), tallied."""
    store = ctx.store
    window = Window.before(as_of)
    runs = [PolicyRun(p.version, p.sha256) for p in policies]
    kinds: tuple[str, ...] = ()  # data freshness is not part of a simulation
    n = 0
    for id_no, facts in iter_all_card_facts(store, window.start, window.end):
        card = build_card(ResidentId(id_no), facts, as_of, kinds)
        for policy, run in zip(policies, runs, strict=True):
            d = decide(card, None, policy, as_of)
            run.people += 1
            if not d.eligible:
                key = "负面清单" if any("负面清单" in r for r in d.reasons) else "年龄"
                run.ineligible_reasons[key] = run.ineligible_reasons.get(key, 0) + 1
                continue
            run.eligible += 1
            if d.grantable_fen > 0:
                run.with_line += 1
            as_is = "base" if d.grantable_fen == policy.base_fen else d.source
            for column, line_fen, source in (
                (run.now, d.grantable_fen, as_is),
                (run.confirmed, d.potential_fen, d.source),
            ):
                column.total.add(line_fen)
                column.by_band[band_of(line_fen)].add(line_fen)
                column.by_evidence.setdefault(source, Tally()).add(line_fen)
        n += 1
        if progress is not None and n % 10_000 == 0:
            progress(n)
    return Simulation(as_of, runs)
