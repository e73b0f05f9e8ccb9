"""The customer card's summaries: the 12-full-month window, payroll, withholding, tags, freshness."""

from __future__ import annotations

import dataclasses
import datetime as dt

from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.identity.uscc import OrgKind
from teller_assist.lookup.card import (
    AgreementFact,
    CardFacts,
    CustomerFacts,
    PayFact,
    TagFact,
    Window,
    build_card,
    freshness_of,
    summarise_payroll,
    summarise_withholding,
)
from tests.helpers.extracts import COMPANY, GOV, MAN, uscc

AS_OF = dt.date(2026, 11, 28)
KINDS = ("customers", "payroll")


def pay(day: dt.date, yuan: int = 6000, code: str = GOV, name: str = "句容市财政局") -> PayFact:
    return PayFact(day, yuan * 100, code, name)


def test_window_is_the_twelve_full_months_before_the_date() -> None:
    w = Window.before(AS_OF)
    assert (w.start, w.end) == (dt.date(2025, 11, 1), dt.date(2026, 11, 1))
    assert dt.date(2025, 11, 1) in w and dt.date(2026, 10, 31) in w
    assert dt.date(2026, 11, 1) not in w and dt.date(2025, 10, 31) not in w
    assert Window.before(dt.date(2026, 1, 1)) == Window(dt.date(2025, 1, 1), dt.date(2026, 1, 1))


def test_payroll_months_average_and_the_current_month_excluded() -> None:
    credits = (
        *(pay(dt.date(2026, m, 10), 6000 + m) for m in range(1, 11)),
        pay(dt.date(2026, 3, 25), 1000),  # a second credit in March: still one month
        pay(dt.date(2026, 11, 10), 99999),  # this month: not in the window, but the last pay date
    )
    s = summarise_payroll(credits, Window.before(AS_OF))
    assert s.months == 10
    assert s.total_fen == sum((6000 + m) * 100 for m in range(1, 11)) + 100000
    assert s.average_monthly_fen == s.total_fen // 10
    assert s.last_pay_date == dt.date(2026, 11, 10)
    assert s.employer == "句容市财政局" and s.employer_kind is OrgKind.GOVERNMENT_ORGAN
    assert s.months_by_kind == {OrgKind.GOVERNMENT_ORGAN: 10}
    assert s.regularity == "regular"


def test_payroll_by_employer_kind_and_irregular() -> None:
    credits = (
        pay(dt.date(2026, 1, 5)),
        pay(dt.date(2026, 2, 5)),
        pay(dt.date(2026, 3, 5), code=COMPANY, name="公司"),
    )
    s = summarise_payroll(credits, Window.before(AS_OF))
    assert s.months == 3 and s.regularity == "irregular"
    assert s.months_by_kind == {OrgKind.GOVERNMENT_ORGAN: 2, OrgKind.COMPANY: 1}
    assert s.employer == "公司" and s.employer_kind is OrgKind.COMPANY
    none = summarise_payroll((), Window.before(AS_OF))
    assert (none.months, none.average_monthly_fen, none.regularity, none.employer) == (0, 0, "none", None)


def test_settled_household_rule() -> None:
    def agreement(ok: int, failed: int, status: str = "active") -> AgreementFact:
        return AgreementFact("W", "water", status, dt.date(2020, 1, 1), None, ok, failed)

    assert summarise_withholding((agreement(10, 0),)).settled
    assert not summarise_withholding((agreement(9, 0),)).settled
    assert not summarise_withholding((agreement(12, 1),)).settled
    assert not summarise_withholding((agreement(12, 0, "cancelled"),)).settled
    both = summarise_withholding((agreement(12, 1), agreement(10, 0)))
    assert both.settled and both.active_agreements == 2 and both.ok_debits == 22 and both.failed_debits == 1
    assert both.by_utility == {"water": 2}


def test_card_for_a_stranger_and_freshness() -> None:
    rid = parse_resident_id(MAN, today=AS_OF)
    facts = CardFacts(None, (), (), None, (), (), {"customers": dt.date(2026, 11, 26)})
    card = build_card(rid, facts, AS_OF, KINDS)
    assert not card.known and not card.seen and card.name is None
    assert card.age == 41 and card.gender == "M" and card.region == "镇江市句容市"
    assert [(f.kind, f.stale) for f in card.freshness] == [("customers", False), ("payroll", True)]
    stale = build_card(
        rid, CardFacts(None, (), (), None, (), (), {"customers": dt.date(2026, 11, 25)}), AS_OF, KINDS
    )
    assert stale.stale_kinds == ["customers", "payroll"]


def test_a_card_from_shared_window_and_freshness_is_the_same_card() -> None:
    """Many cards at once pass the window and the freshness worked out once: nothing changes, and a
    person with no pay and no agreements gets the same empty summaries as the general path's."""
    rid = parse_resident_id(MAN, today=AS_OF)
    latest = {"customers": dt.date(2026, 11, 26)}
    for facts in (
        CardFacts(None, (), (), None, (), (), latest),
        CardFacts(
            CustomerFacts("张三", None, "0101", "321183", None),
            (pay(dt.date(2026, 3, 5)), pay(dt.date(2025, 10, 5))),
            (AgreementFact("W1", "water", "cancelled", dt.date(2020, 1, 1), None, 3, 1),),
            "fraud",
            (),
            (),
            latest,
        ),
    ):
        shared = build_card(
            rid,
            facts,
            AS_OF,
            KINDS,
            window=Window.before(AS_OF),
            freshness=freshness_of(latest, AS_OF, KINDS),
        )
        assert shared == build_card(rid, facts, AS_OF, KINDS)
    outside = summarise_payroll((pay(dt.date(2025, 10, 5)),), Window.before(AS_OF))
    empty = summarise_payroll((), Window.before(AS_OF))
    assert empty == dataclasses.replace(outside, last_pay_date=None)
    cancelled = summarise_withholding(
        (AgreementFact("W1", "water", "cancelled", dt.date(2020, 1, 1), None, 3, 1),)
    )
    assert (cancelled.active_agreements, cancelled.by_utility, cancelled.ok_debits, cancelled.settled) == (
        0,
        {},
        3,
        False,
    )
    assert summarise_withholding(()) == dataclasses.replace(
        cancelled, ok_debits=0, failed_debits=0, agreements=()
    )


def test_card_tags_and_negative_category() -> None:
    rid = parse_resident_id(MAN, today=AS_OF)
    facts = CardFacts(
        CustomerFacts("张三", "13951234567", "0101", "321183", "62"),
        (),
        (),
        "court_defaulter",
        (
            TagFact("party_member", None, AS_OF),
            TagFact("family_farm", "3", dt.date(2026, 11, 27)),
            TagFact("veteran", None, None),
        ),
        (),
        {},
    )
    card = build_card(rid, facts, AS_OF, KINDS)
    assert card.known and card.negative_listed and card.negative_category == "court_defaulter"
    assert [(t.tag, t.valid) for t in card.tags] == [
        ("party_member", True),
        ("family_farm", False),
        ("veteran", True),
    ]
    assert uscc("12")[:2] == "12"


def test_reprs_keep_personal_data_out_of_logs_and_tracebacks() -> None:
    rid = parse_resident_id(MAN, today=AS_OF)
    facts = CardFacts(
        CustomerFacts("张三", "13951234567", "0101", "321183", "62"),
        (pay(dt.date(2026, 5, 5), 8523),),
        (),
        None,
        (),
        (),
        {},
    )
    card = build_card(rid, facts, AS_OF, KINDS)
    for text in (repr(card), repr(facts), repr(facts.payroll[0]), str([card])):
        assert MAN not in text and "13951234567" not in text and "张三" not in text and "8523" not in text
    from teller_assist.prequal.survey import Survey

    survey = Survey("walk_in", {"household_income": 80000, "phone": "13951234567"})
    assert "80000" not in repr(survey) and "13951234567" not in repr(survey)
