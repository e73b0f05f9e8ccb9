"""A campaign's members granted in batches, still four eyes: which members a submission takes (and why
each other one is left out), and what an approver sees of a batch (count, total, bands, exceptions
first) and may approve in one step.

Pure: plain data in (each member with their card, group evidence, recorded survey and consents; each
application of a batch with what the service found out about its person), plain data out; the date is an
argument. The rules the database enforces for every application (maker ≠ checker, an authority that
covers the line, one open application per person) are enforced there again when the batch is written;
here they decide what is offered and what is said.

Submission, member by member, the first rule that applies:

- a member refused by the roster, or no longer on it, is not submitted;
- someone already holding or awaiting a pre-credit (from any campaign or the counter) is not submitted
  again: a person holds one line;
- someone whose application from this campaign an approver rejected is not submitted again by the
  campaign (the approver gave the reason; a new application goes through the counter);
- someone ineligible (on the negative list, or outside the age band) is refused, with the reason;
- both consents are needed to submit, as at the counter: from a completed survey, or from the roster
  (同意查询征信 and 同意处理个人信息 marked 是);
- everyone else is submitted at the grantable line: the base line without a survey, more only with a
  completed survey. A member whose evidence would support more than the base line (or a village's key
  household) and who has no completed survey is submitted at the base line and listed as *survey needed*.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from teller_assist import vocabulary
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.bands import Tally, band_of, empty_bands
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.group import GroupEvidence
from teller_assist.prequal.policy import CONSENTS, Policy
from teller_assist.prequal.survey import CheckedSurvey

__all__ = [
    "EXCEPTION_ZH",
    "HELD",
    "SKIP_ZH",
    "BatchItem",
    "BatchReview",
    "Candidate",
    "Consent",
    "Reviewed",
    "Skipped",
    "SubmissionPlan",
    "ToSubmit",
    "plan_submission",
    "review_batch",
    "survey_needed",
]

SKIP_ZH = vocabulary.GRANT_SKIP_ZH  # the words live in teller_assist.vocabulary
SKIP_REASONS = tuple(SKIP_ZH)

EXCEPTION_ZH = vocabulary.GRANT_EXCEPTION_ZH  # the words live in teller_assist.vocabulary
EXCEPTIONS = tuple(EXCEPTION_ZH)
HELD = frozenset({"own", "over_authority", "negative_list", "not_member"})
APPLICATION_STATUSES = ("submitted", "approved", "rejected", "cancelled", "signed", "expired")


@dataclass(frozen=True)
class Consent:
    """Both consents, when and by whom they were recorded, and from where (``survey`` or ``roster``)."""

    at: dt.datetime
    by: str
    source: str

    def as_json(self) -> dict[str, dict[str, str]]:
        moment = self.at.astimezone(dt.UTC).isoformat()
        return {c: {"at": moment, "by": self.by, "source": self.source} for c in CONSENTS}


@dataclass(frozen=True)
class Candidate:
    """One member of a campaign as a submission weighs them."""

    id_no: str
    name: str
    line_no: int
    status: str  # matched, new_to_bank, refused, removed
    card: CustomerCard
    evidence: GroupEvidence
    survey: CheckedSurvey | None = None  # a completed survey recorded for them, checked again now
    consent: Consent | None = None
    rejected_here: bool = False  # an application of theirs from this campaign was rejected

    def __repr__(self) -> str:  # no one's ID, name or answers in a log
        return f"Candidate(line {self.line_no}, {self.status})"


@dataclass(frozen=True)
class ToSubmit:
    candidate: Candidate
    decision: Decision
    consent: Consent
    survey_needed: bool  # at the base line; a survey could raise it

    @property
    def line_fen(self) -> int:
        return self.decision.grantable_fen


@dataclass(frozen=True)
class Skipped:
    line_no: int
    id_no: str
    name: str
    reason: str  # one of SKIP_REASONS
    detail: str = ""  # the decision's own reasons, for the ineligible

    def __repr__(self) -> str:
        return f"Skipped(line {self.line_no}, {self.reason})"


@dataclass
class SubmissionPlan:
    submit: list[ToSubmit] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def skipped_counts(self) -> dict[str, int]:
        counted = Counter(s.reason for s in self.skipped)
        return {reason: counted[reason] for reason in SKIP_REASONS}

    @property
    def total(self) -> int:
        """The lines to submit, in fen."""
        return sum(s.line_fen for s in self.submit)

    @property
    def with_survey(self) -> int:
        """Submitted with a completed survey (the line may then be above the base line)."""
        return sum(1 for s in self.submit if s.decision.survey_complete)

    @property
    def survey_needed(self) -> int:
        return sum(1 for s in self.submit if s.survey_needed)

    def bands(self) -> dict[str, Tally]:
        out = empty_bands()
        for s in self.submit:
            out[band_of(s.line_fen)].add(s.line_fen)
        return out


def _needs_survey(decision: Decision) -> bool:
    if decision.survey_complete:
        return False
    key = any(f.code == "key_household" and f.applies for f in decision.factors)
    return key or decision.potential_fen > decision.grantable_fen


def plan_submission(candidates: Sequence[Candidate], policy: Policy, as_of: dt.date) -> SubmissionPlan:
    """Which members a batch takes, at which line, and why each other one is left out (in roster order)."""
    plan = SubmissionPlan()
    for c in sorted(candidates, key=lambda c: c.line_no):
        if c.status in ("refused", "removed"):
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, c.status))
            continue
        if c.card.open_application is not None:
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, "holding"))
            continue
        if c.rejected_here:
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, "rejected"))
            continue
        decision = decide(c.card, c.survey, policy, as_of, c.evidence)
        if not decision.eligible:
            reason = "negative_list" if c.card.negative_listed else "ineligible"
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, reason, "；".join(decision.reasons)))
            continue
        if c.consent is None:
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, "no_consent"))
            continue
        if decision.grantable_fen <= 0 or decision.annual_rate is None:  # a policy with no base line
            plan.skipped.append(Skipped(c.line_no, c.id_no, c.name, "ineligible", "测算额度为零"))
            continue
        plan.submit.append(ToSubmit(c, decision, c.consent, _needs_survey(decision)))
    return plan


def survey_needed(snapshot: Mapping[str, Any]) -> bool:
    """From an application's decision snapshot: submitted without a completed survey while the evidence
    supported more than the line (or for a key household)."""
    if snapshot.get("survey_complete"):
        return False
    key = any(f.get("code") == "key_household" and f.get("applies") for f in snapshot.get("factors", ()))
    # a snapshot names its unit by its keys: ``*_fen`` since lines are fen, ``*_limit`` (yuan) before
    potential = snapshot.get("potential_fen", snapshot.get("potential_limit"))
    grantable = snapshot.get("grantable_fen", snapshot.get("grantable_limit"))
    return key or int(potential or 0) > int(grantable or 0)


# --- what the approver sees --------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    """One application of a batch, with what the service found out about its person now."""

    application_id: int
    version: int
    id_no: str
    name: str | None
    line_no: int | None  # the member's row in the latest roster; None when no longer a member
    line_fen: int
    status: str
    maker_id: int
    negative_now: bool  # on the negative list today
    member_now: bool  # still a member of the campaign (matched or new to the bank)
    survey_needed: bool
    checker_login: str | None = None
    reject_reason: str | None = None

    def __repr__(self) -> str:
        return f"BatchItem(app {self.application_id}, {self.status}, line_fen={self.line_fen})"


@dataclass(frozen=True)
class Reviewed:
    item: BatchItem
    exceptions: tuple[str, ...]  # in EXCEPTIONS order

    @property
    def approvable(self) -> bool:
        return self.item.status == "submitted" and not (set(self.exceptions) & HELD)


@dataclass
class BatchReview:
    """A batch as one approver sees it: every application, exceptions first; the figures exact."""

    items: list[Reviewed]
    authority_fen: int | None

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def total(self) -> int:
        return sum(r.item.line_fen for r in self.items)

    def by_status(self) -> dict[str, int]:
        counted = Counter(r.item.status for r in self.items)
        return {s: counted[s] for s in APPLICATION_STATUSES}

    def bands(self) -> dict[str, Tally]:
        out = empty_bands()
        for r in self.items:
            out[band_of(r.item.line_fen)].add(r.item.line_fen)
        return out

    def exception_counts(self) -> dict[str, int]:
        """Among the applications still waiting for a decision."""
        counted = Counter(e for r in self.items if r.item.status == "submitted" for e in r.exceptions)
        return {e: counted[e] for e in EXCEPTIONS}

    @property
    def approvable(self) -> list[Reviewed]:
        return [r for r in self.items if r.approvable]

    @property
    def approvable_total(self) -> int:
        return sum(r.item.line_fen for r in self.approvable)


def _exceptions(item: BatchItem, approver_id: int | None, authority_fen: int | None) -> tuple[str, ...]:
    found = {
        "own": approver_id is not None and item.maker_id == approver_id,
        "over_authority": authority_fen is not None and item.line_fen > authority_fen,
        "negative_list": item.negative_now,
        "not_member": not item.member_now,
        "survey_needed": item.survey_needed,
    }
    return tuple(e for e in EXCEPTIONS if found[e])


def review_batch(
    items: Sequence[BatchItem], *, approver_id: int | None, authority_fen: int | None
) -> BatchReview:
    """The batch for one approver (``authority_fen``: the largest line their role may approve, None when it
    may not approve at all): waiting applications with an exception first (those held back from a
    one-step approval before those only noted), then the rest, each in roster order."""

    def order(r: Reviewed) -> tuple[int, int, int]:
        waiting = r.item.status == "submitted"
        held = bool(set(r.exceptions) & HELD)
        rank = 0 if waiting and held else 1 if waiting and r.exceptions else 2 if waiting else 3
        return (rank, r.item.line_no if r.item.line_no is not None else 10**9, r.item.application_id)

    reviewed = [Reviewed(i, _exceptions(i, approver_id, authority_fen)) for i in items]
    return BatchReview(sorted(reviewed, key=order), authority_fen)
