"""The default policy, exactly: eligibility, candidates, survey, uplift, cap, rounding, rate, validity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.identity.resident_id import check_character, parse_resident_id
from teller_assist.ingest.kinds import KINDS
from teller_assist.lookup.card import AgreementFact, CardFacts, PayFact, TagFact, build_card
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.policy import PolicyError, default_policy_path, load_policy, parse_policy
from teller_assist.prequal.survey import Survey, check_survey
from tests.helpers.extracts import COMPANY, GOV, uscc
from tests.helpers.surveys import walk_in_answers

AS_OF = dt.date(2026, 11, 28)
POLICY = load_policy(default_policy_path())
PUBLIC = uscc("12", "PB1234567")


def person(born: dt.date = dt.date(1985, 3, 14), seq: int = 21) -> str:
    first17 = f"321183{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


def card(
    *,
    born: dt.date = dt.date(1985, 3, 14),
    pay: list[tuple[int, int, str]] | None = None,
    tags: list[tuple[str, str | None, dt.date | None]] | None = None,
    negative: str | None = None,
    agreements: list[tuple[str, int, int]] | None = None,
    as_of: dt.date = AS_OF,
):  # type: ignore[no-untyped-def]
    """pay: (month offset back from the window end 1..12 (0 = this month), yuan, employer code)."""
    credits = []
    for back, yuan, code in pay or []:
        month_index = as_of.year * 12 + as_of.month - 1 - back
        credits.append(
            PayFact(
                dt.date(month_index // 12, month_index % 12 + 1, 5),
                yuan * 100,
                code,
                {GOV: "句容市财政局", PUBLIC: "句容市人民医院"}.get(code, "某公司"),
            )
        )
    facts = CardFacts(
        None,
        tuple(credits),
        tuple(
            AgreementFact(f"W{i}", "water", status, dt.date(2020, 1, 1), None, ok, failed)
            for i, (status, ok, failed) in enumerate(agreements or [])
        ),
        negative,
        tuple(TagFact(t, g, v) for t, g, v in tags or []),
        (),
        {},
    )
    rid = parse_resident_id(person(born), today=as_of)
    return build_card(rid, facts, as_of, tuple(KINDS))


def survey(income: int = 80_000, debts: int = 0, **extra: object) -> Survey:
    return Survey("walk_in", walk_in_answers(household_income=income, debts=debts, **extra))


def run(c, s: Survey | None = None, as_of: dt.date = AS_OF) -> Decision:  # type: ignore[no-untyped-def]
    return decide(c, check_survey(s, POLICY) if s else None, POLICY, as_of)


def codes(d: Decision) -> dict[str, int | None]:
    return {f.code: f.amount_fen for f in d.factors if f.applies}


def test_the_default_policy_loads_with_its_version_and_hash() -> None:
    assert POLICY.version == "2026.1" and len(POLICY.sha256) == 64
    # the file writes yuan (line.base = 30000); the policy holds fen
    assert (POLICY.base_fen, POLICY.cap_fen, POLICY.round_down_to_fen) == (30_000_00, 300_000_00, 1_000_00)
    assert set(POLICY.forms) == {
        "walk_in",
        "enterprise",
        "association",
        "bureau",
        "community",
        "market",
        "village",
    }
    enterprise = [f.key for f in POLICY.forms["enterprise"].fields]
    assert enterprise[-3:] == ["phone", "consent_credit_inquiry", "consent_personal_info"]
    assert enterprise[:5] == ["household_income", "debts", "owns_home", "owns_vehicle", "likely_need"]
    assert "household_income" in enterprise and "hr_evaluation" in enterprise
    assert POLICY.approval_fen == {"lobby_manager": 50_000_00, "branch_head": 300_000_00}
    assert [b.min_line_fen for b in POLICY.rate_bands][-1] == 0


@pytest.mark.parametrize(
    ("replace", "key"),
    [
        (("base = 30000", "base = -1"), "line.base"),
        (("cap = 300000", 'cap = "many"'), "line.cap"),
        (('annual_rate = "3.85"', "annual_rate = 3.85"), "rate.bands[0].annual_rate"),
        (("min_line = 0", "min_line = 1"), "rate.bands"),
        (('type = "yuan"', 'type = "money"'), "survey.forms.walk_in.fields[0].type"),
        (("[survey.forms.village]", "[survey.forms.hamlet]"), "survey.forms.hamlet"),
        (('tags = ["civil_servant"]', 'tags = ["mayor"]'), "line.civil_servant.tags"),
        (("max_age = 65", "max_age = 10"), "eligibility.max_age"),
    ],
)
def test_policy_errors_name_file_key_and_problem(tmp_path: Path, replace: tuple[str, str], key: str) -> None:
    text = default_policy_path().read_text(encoding="utf-8").replace(*replace, 1)
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode(), "bank.toml")
    assert info.value.key == key
    assert "bank.toml" in info.value.describe()


def test_base_line_without_survey_and_rate_band() -> None:
    d = run(card())
    assert d.eligible and d.grantable_fen == d.potential_fen == 30_000_00
    assert d.annual_rate == Decimal("4.85")
    assert d.valid_until == dt.date(2028, 11, 27)
    assert not d.survey_complete


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (dt.date(2008, 11, 28), True),  # exactly 18 today
        (dt.date(2008, 11, 29), False),  # 18 tomorrow
        (dt.date(1961, 11, 28), True),  # exactly 65 today: 65 is allowed
        (dt.date(1961, 11, 29), True),  # still 64
        (dt.date(1960, 11, 29), True),  # 65, 66 tomorrow
        (dt.date(1960, 11, 28), False),  # 66 today: over 65
    ],
)
def test_age_boundaries(born: dt.date, eligible: bool) -> None:
    c = card(born=born)
    d = run(c)
    assert d.eligible is (POLICY.min_age <= c.age <= POLICY.max_age) is eligible
    if not eligible:
        assert d.grantable_fen == 0 and d.annual_rate is None and d.reasons


def test_negative_list_shows_the_category_only() -> None:
    d = run(card(negative="court_defaulter"), survey())
    assert not d.eligible and d.reasons == ("在负面清单中（失信被执行人）",)


def test_payroll_needs_six_of_twelve_full_months() -> None:
    five = run(card(pay=[(m, 6000, COMPANY) for m in range(1, 6)] + [(0, 6000, COMPANY)]), survey(0))
    assert "payroll" not in codes(five) and five.grantable_fen == 30_000_00
    six = run(card(pay=[(m, 6000, COMPANY) for m in range(1, 7)]), survey(0))
    assert codes(six)["payroll"] == 60_000 * 100 and six.grantable_fen == 60_000_00
    outside = run(card(pay=[(m, 6000, COMPANY) for m in range(7, 14)]), survey(0))  # 13 months back: 6 in
    assert codes(outside)["payroll"] == 60_000 * 100


def test_civil_servant_and_public_institution_floors() -> None:
    gov = run(card(pay=[(m, 6000, GOV) for m in range(1, 9)]), survey(0))
    assert codes(gov)["civil_servant"] == 200_000 * 100 and gov.grantable_fen == 200_000_00
    evidence = next(f.evidence for f in gov.factors if f.code == "civil_servant")
    assert evidence == "近12个月中8个月由句容市财政局(机关)代发工资，月均6,000元 → 公务员保底200,000元"
    tagged = run(card(tags=[("civil_servant", None, None)]), survey(0))
    assert tagged.grantable_fen == 200_000_00
    expired = run(card(tags=[("civil_servant", None, dt.date(2026, 11, 27))]), survey(0))
    assert expired.grantable_fen == 30_000_00
    public = run(card(pay=[(m, 5000, PUBLIC) for m in range(1, 7)]), survey(0))
    assert public.grantable_fen == 100_000_00


@pytest.mark.parametrize(
    ("tag", "grade", "line"),
    [
        ("family_farm", "3", 100_000),
        ("family_farm", "4", 200_000),
        ("family_farm", "5", 300_000),
        ("family_farm", "2", 30_000),
        ("integrity_business", "A", 200_000),
        ("integrity_business", "B", 100_000),
        ("integrity_business", "C", 50_000),
    ],
)
def test_ratings(tag: str, grade: str, line: int) -> None:
    assert run(card(tags=[(tag, grade, None)]), survey(0)).grantable_fen == line * 100


def test_survey_formula_negative_and_uplift_cap_rounding() -> None:
    assert run(card(), survey(80_000, 10_000)).grantable_fen == 150_000_00
    negative = run(card(), survey(10_000, 500_000))
    assert negative.grantable_fen == 30_000_00  # the base line is still there
    assert codes(negative)["survey"] == -480_000 * 100
    settled = run(card(agreements=[("active", 10, 0)]), survey(50_000, 0))
    assert settled.grantable_fen == 110_000_00  # 100,000 + 10%
    not_settled = run(
        card(agreements=[("active", 12, 1), ("cancelled", 12, 0), ("active", 9, 0)]), survey(50_000, 0)
    )
    assert not_settled.grantable_fen == 100_000_00
    capped = run(card(agreements=[("active", 12, 0)]), survey(200_000, 0))
    assert capped.grantable_fen == 300_000_00 and "cap" in codes(capped)
    rounded = run(card(pay=[(m, 6543, COMPANY) for m in range(1, 13)]), survey(0))
    assert rounded.grantable_fen == 65_000_00 and codes(rounded)["rounding"] == -430 * 100


def test_uplift_applies_to_the_base_line_once_surveyed() -> None:
    assert run(card(agreements=[("active", 10, 0)]), survey(0)).grantable_fen == 33_000_00
    assert run(card(agreements=[("active", 10, 0)])).grantable_fen == 30_000_00  # no survey: the base


def test_rate_bands_edges_and_one_discount() -> None:
    def rate(income: int, tags: list[tuple[str, str | None, dt.date | None]] | None = None) -> Decimal | None:
        return run(card(tags=tags), survey(income)).annual_rate

    assert rate(50_000) == Decimal("4.35")  # 100,000
    assert rate(49_999) == Decimal("4.85")  # 99,000
    assert rate(100_000) == Decimal("3.85")  # 200,000
    assert rate(99_999) == Decimal("4.35")  # 199,000
    both = [("party_member", None, None), ("veteran", None, None)]
    assert rate(100_000, both) == Decimal("3.65")  # minus 0.20 once, not twice


def test_missing_consent_and_answers() -> None:
    d = run(card(), survey(consent_personal_info=False, owns_home=None, phone="12345"))
    assert not d.survey_complete and d.grantable_fen == 30_000_00
    assert "consent_personal_info" in d.missing and "owns_home" in d.missing
    assert "phone" in d.problems


def test_potential_line_shown_before_the_survey() -> None:
    d = run(card(pay=[(m, 6000, GOV) for m in range(1, 13)], agreements=[("active", 12, 0)]))
    assert d.grantable_fen == 30_000_00 and d.potential_fen == 220_000_00
    assert any(f.code == "survey_required" for f in d.factors)


@given(
    income=st.integers(0, 2_000_000),
    debts=st.integers(0, 2_000_000),
    extra=st.integers(0, 500_000),
    months=st.integers(0, 12),
    salary=st.integers(1, 60_000),
    settled=st.booleans(),
)
def test_properties_base_to_cap_and_income_monotone(
    income: int, debts: int, extra: int, months: int, salary: int, settled: bool
) -> None:
    c = card(
        pay=[(m, salary, COMPANY) for m in range(1, months + 1)],
        agreements=[("active", 12, 0)] if settled else [],
    )
    low = run(c, survey(income, debts))
    high = run(c, survey(income + extra, debts))
    for d in (low, high):
        assert 30_000_00 <= d.grantable_fen <= 300_000_00
        assert d.grantable_fen % 1000_00 == 0
    assert high.grantable_fen >= low.grantable_fen


@given(
    st.integers(min_value=1_000, max_value=99_999),
    st.integers(min_value=1, max_value=9_999_999),
    st.integers(min_value=0, max_value=999_999),
)
def test_the_decisions_words_mask_every_income_and_debt_and_keep_the_line(
    monthly: int, income: int, debts: int
) -> None:
    from teller_assist.identity.masking import mask_personal_amounts
    from teller_assist.money import yuan_text

    decision = run(card(pay=[(back, monthly, GOV) for back in range(1, 13)]), survey(income, debts))
    words = "\n".join(f.evidence for f in decision.factors)
    masked = "\n".join(mask_personal_amounts(f.evidence) for f in decision.factors)
    personal = (
        f"月均{yuan_text(monthly * 100)}元",
        f"申报家庭年收入{yuan_text(income * 100)}元",
        f"负债{yuan_text(debts * 100)}元",
    )
    for figure in personal:
        assert figure in words  # the engine says it (so the masking below is tested, not vacuous)
        assert figure not in masked
    for masked_figure in ("月均***元", "申报家庭年收入***元", "负债***元", "10倍月均工资***元", "= ***元"):
        assert masked_figure in masked
    # the candidates an income gives are masked with it (tests/unit/test_masking_arithmetic.py); the
    # line itself, rounded to the policy's step, is the bank's offer and stays
    assert f"额度{yuan_text(decision.grantable_fen)}元适用年利率" in masked


@pytest.mark.parametrize(
    ("income", "debts", "line", "rounding_yuan"),
    [
        (33_000, 1, 65_000, -999),  # 65,999: to the nearest would be 66,000
        (32_750, 0, 65_000, -500),  # 65,500, a half: half-up would be 66,000
        (32_500, 1, 64_000, -999),  # 64,999
        (15_500, 1, 30_000, -999),  # 30,999 over the base line: not 31,000
        (33_000, 0, 66_000, None),  # 66,000 exactly: nothing to round
    ],
)
def test_the_line_is_rounded_down_never_to_the_nearest(
    income: int, debts: int, line: int, rounding_yuan: int | None
) -> None:
    decision = run(card(), survey(income, debts))
    assert decision.grantable_fen == line * 100
    assert codes(decision).get("rounding") == (None if rounding_yuan is None else rounding_yuan * 100)


def test_rounding_down_counts_the_fen() -> None:
    # payroll: 11 months of 6,600 and one of 6,599 average 6,599.91 (to the fen) -> 65,999.10
    payroll = run(card(pay=[(m, 6600, COMPANY) for m in range(1, 12)] + [(12, 6599, COMPANY)]), survey(0))
    assert codes(payroll)["payroll"] == 6_599_910
    assert payroll.grantable_fen == 65_000_00 and codes(payroll)["rounding"] == -99_910
    # 59,999 from the survey, +10% settled household = 65,998.90 -> 65,000
    settled = run(card(agreements=[("active", 12, 0)]), survey(30_000, 1))
    assert codes(settled)["settled_household"] == 599_990
    assert settled.grantable_fen == 65_000_00 and codes(settled)["rounding"] == -99_890
