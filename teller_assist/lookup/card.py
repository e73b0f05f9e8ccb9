"""The customer card: pure summaries of what the store knows about one resident ID.

The store hands over :class:`CardFacts` (rows, already narrowed to this person and the window); this
module turns them into a :class:`CustomerCard`. No database, no clock: the date is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from teller_assist.identity.regions import region_name
from teller_assist.identity.resident_id import ResidentId
from teller_assist.identity.uscc import OrgKind, classify
from teller_assist.vocabulary import OPEN_APPLICATION_STATUSES

FRESHNESS_DAYS = 2
SETTLED_MIN_OK_DEBITS = 10  # the default policy's "settled household" (spec/policy.md)


# --- facts from the store ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CustomerFacts:
    name: str
    phone: str | None
    branch_code: str | None
    region_code: str | None
    customer_no: str | None

    def __repr__(self) -> str:  # name and phone are personal data: never in a log or a traceback
        return f"CustomerFacts(branch={self.branch_code!r})"


@dataclass(frozen=True, slots=True)
class PayFact:
    pay_date: dt.date
    amount_fen: int
    employer_code: str
    employer_name: str

    def __repr__(self) -> str:  # pay is personal data
        return f"PayFact({self.pay_date}, employer={self.employer_code[:2]}…)"


@dataclass(frozen=True, slots=True)
class AgreementFact:
    agreement_no: str
    utility: str
    status: str
    signed_on: dt.date
    cancelled_on: dt.date | None
    ok_debits: int  # in the window
    failed_debits: int  # in the window


@dataclass(frozen=True, slots=True)
class TagFact:
    tag: str
    grade: str | None
    valid_until: dt.date | None


@dataclass(frozen=True, slots=True)
class TargetFact:
    campaign: str
    branch_code: str | None
    officer: str | None
    due_on: dt.date | None
    scenario: str | None


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    """A pre-credit application for this person (the latest few), as the card shows it."""

    id: int
    status: str  # submitted, approved, rejected, cancelled, signed, expired
    line_fen: int
    annual_rate_bp: int
    valid_until: dt.date | None
    agreement_no: str | None

    @property
    def open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES


@dataclass(frozen=True, slots=True)
class CardFacts:
    customer: CustomerFacts | None
    payroll: tuple[PayFact, ...]  # pay dates on or after the window start (the current month included)
    agreements: tuple[AgreementFact, ...]
    negative_reason: str | None  # the reason's category of an active listing; never the note
    tags: tuple[TagFact, ...]
    targets: tuple[TargetFact, ...]
    freshness: dict[str, dt.date]  # kind -> date of its latest extract
    applications: tuple[ApplicationFact, ...] = ()  # newest first

    def __repr__(self) -> str:
        return f"CardFacts(customer={self.customer is not None}, payroll={len(self.payroll)} credits)"


# --- the card ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Window:
    """The last 12 full calendar months before the decision date: [start, end)."""

    start: dt.date
    end: dt.date

    @classmethod
    def before(cls, day: dt.date, months: int = 12) -> Window:
        end = day.replace(day=1)
        index = end.year * 12 + end.month - 1 - months
        return cls(dt.date(index // 12, index % 12 + 1, 1), end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end


@dataclass(frozen=True, slots=True)
class PayrollSummary:
    months: int  # calendar months of the window with at least one credit
    total_fen: int  # credited in the window
    average_monthly_fen: int  # total / months with pay (rounded down to the fen)
    last_pay_date: dt.date | None  # the latest credit, the current month included
    employer: str | None  # of the latest credit in the window
    employer_code: str | None
    employer_kind: OrgKind | None
    months_by_kind: dict[OrgKind, int]  # months with pay from each kind of employer
    regularity: str  # "regular" (≥ 10 of 12 months), "irregular", "none"
    months_by_prefix: dict[str, int] = field(default_factory=dict)  # by the USCC's first two characters
    employer_by_prefix: dict[str, str] = field(default_factory=dict)  # the latest employer of each prefix

    @property
    def has_pay(self) -> bool:
        return self.months > 0


@dataclass(frozen=True, slots=True)
class WithholdingSummary:
    active_agreements: int
    by_utility: dict[str, int]  # active agreements per utility
    ok_debits: int
    failed_debits: int
    settled: bool
    agreements: tuple[AgreementFact, ...] = ()


@dataclass(frozen=True, slots=True)
class TagView:
    tag: str
    grade: str | None
    valid_until: dt.date | None
    valid: bool


@dataclass(frozen=True, slots=True)
class Freshness:
    kind: str
    latest: dt.date | None
    stale: bool  # older than two days, or never loaded


@dataclass(frozen=True, slots=True)
class CustomerCard:
    rid: ResidentId
    as_of: dt.date
    known: bool  # in the customer file (a bank customer), not merely seen in other extracts
    name: str | None
    gender: str
    age: int
    region: str
    phone: str | None
    branch_code: str | None
    customer_no: str | None
    payroll: PayrollSummary
    withholding: WithholdingSummary
    negative_listed: bool
    negative_category: str | None
    tags: tuple[TagView, ...]
    targets: tuple[TargetFact, ...]
    freshness: tuple[Freshness, ...]
    applications: tuple[ApplicationFact, ...] = field(default=())  # newest first

    @property
    def open_application(self) -> ApplicationFact | None:
        """The person's open pre-credit (submitted, approved or signed), if any: at most one exists."""
        return next((a for a in self.applications if a.open), None)

    def __repr__(self) -> str:  # name, phone and pay stay out of logs and tracebacks; the ID is masked
        return f"CustomerCard({self.rid}, known={self.known}, as_of={self.as_of})"

    @property
    def seen(self) -> bool:
        """Anything at all about this person: customer row, payroll, withholding, listing, tags, targets."""
        return (
            self.known
            or self.payroll.has_pay
            or bool(self.withholding.active_agreements or self.negative_listed or self.tags or self.targets)
        )

    @property
    def stale_kinds(self) -> list[str]:
        return [f.kind for f in self.freshness if f.stale]


def summarise_payroll(credits: tuple[PayFact, ...], window: Window) -> PayrollSummary:
    if not credits:  # most of a county: nothing to walk through
        return PayrollSummary(0, 0, 0, None, None, None, None, {}, "none", {}, {})
    start, end = window.start, window.end
    months: set[tuple[int, int]] = set()
    kind_months: dict[OrgKind, set[tuple[int, int]]] = {}
    prefix_months: dict[str, set[tuple[int, int]]] = {}
    prefix_latest: dict[str, PayFact] = {}
    total = 0
    latest_inside: PayFact | None = None
    latest_any: dt.date | None = None
    for c in credits:  # one pass: this runs for every card a teller opens
        day = c.pay_date
        if latest_any is None or day > latest_any:
            latest_any = day
        if not start <= day < end:
            continue
        month = (day.year, day.month)
        months.add(month)
        kind_months.setdefault(classify(c.employer_code), set()).add(month)
        prefix = c.employer_code[:2]
        prefix_months.setdefault(prefix, set()).add(month)
        if prefix not in prefix_latest or day > prefix_latest[prefix].pay_date:
            prefix_latest[prefix] = c
        total += c.amount_fen
        if latest_inside is None or (day, c.employer_code) > (
            latest_inside.pay_date,
            latest_inside.employer_code,
        ):
            latest_inside = c
    n = len(months)
    return PayrollSummary(
        months=n,
        total_fen=total,
        average_monthly_fen=total // n if n else 0,
        last_pay_date=latest_any,
        employer=latest_inside.employer_name if latest_inside else None,
        employer_code=latest_inside.employer_code if latest_inside else None,
        employer_kind=classify(latest_inside.employer_code) if latest_inside else None,
        months_by_kind={kind: len(m) for kind, m in kind_months.items()},
        regularity="none" if n == 0 else ("regular" if n >= 10 else "irregular"),
        months_by_prefix={p: len(m) for p, m in prefix_months.items()},
        employer_by_prefix={p: c.employer_name for p, c in prefix_latest.items()},
    )


def summarise_withholding(
    agreements: tuple[AgreementFact, ...], min_ok: int = SETTLED_MIN_OK_DEBITS
) -> WithholdingSummary:
    active = 0
    by_utility: dict[str, int] = {}
    ok = failed = 0
    settled = False
    for a in agreements:  # one pass, no Counter: this runs for every member of a roster
        ok += a.ok_debits
        failed += a.failed_debits
        if a.status == "active":
            active += 1
            by_utility[a.utility] = by_utility.get(a.utility, 0) + 1
            settled = settled or (a.ok_debits >= min_ok and a.failed_debits == 0)
    return WithholdingSummary(
        active_agreements=active,
        by_utility=by_utility,
        ok_debits=ok,
        failed_debits=failed,
        settled=settled,
        agreements=agreements,
    )


def freshness_of(latest: dict[str, dt.date], as_of: dt.date, kinds: tuple[str, ...]) -> tuple[Freshness, ...]:
    """Each kind's latest extract and whether it is stale on ``as_of`` (older than two days, or never)."""
    return tuple(
        Freshness(kind, latest.get(kind), kind not in latest or (as_of - latest[kind]).days > FRESHNESS_DAYS)
        for kind in kinds
    )


def build_card(
    rid: ResidentId,
    facts: CardFacts,
    as_of: dt.date,
    kinds: tuple[str, ...],
    *,
    window: Window | None = None,
    freshness: tuple[Freshness, ...] | None = None,
) -> CustomerCard:
    """The card from the facts. ``window`` and ``freshness`` (:func:`freshness_of` the same facts'
    freshness) may be passed in when many cards share them: the same card, not worked out again."""
    window = window or Window.before(as_of)
    customer = facts.customer
    region_code = rid.region_code
    return CustomerCard(
        rid=rid,
        as_of=as_of,
        known=customer is not None,
        name=customer.name if customer else None,
        gender=rid.gender,
        age=rid.age_on(as_of),
        region=region_name(region_code).name,
        phone=customer.phone if customer else None,
        branch_code=customer.branch_code if customer else None,
        customer_no=customer.customer_no if customer else None,
        payroll=summarise_payroll(facts.payroll, window),
        withholding=summarise_withholding(facts.agreements),
        negative_listed=facts.negative_reason is not None,
        negative_category=facts.negative_reason,
        tags=tuple(
            TagView(t.tag, t.grade, t.valid_until, t.valid_until is None or t.valid_until >= as_of)
            for t in facts.tags
        ),
        targets=facts.targets,
        freshness=freshness if freshness is not None else freshness_of(facts.freshness, as_of, kinds),
        applications=facts.applications,
    )
