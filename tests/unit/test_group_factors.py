"""The group campaigns' scenario factors (spec/programme.md, "Scenario factors"), figure by figure.

Expected lines are worked out by hand from the spec's defaults: a 80,000 yuan household income with no
debts is a survey candidate of 160,000 (2 x 80,000); the base line is 30,000; the civil-servant floor
200,000; the line is rounded down to 1,000.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from teller_assist.identity.masking import mask_personal_amounts
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.group import GroupEvidence, full_months_before
from teller_assist.prequal.policy import GroupFactors, PolicyError, default_policy_path, parse_policy
from teller_assist.prequal.survey import check_survey
from tests.unit.test_prequal import AS_OF, POLICY, card, survey

COMMITTEE = "后白村委会 张主任"


def run(group: GroupEvidence | None, income: int | None = 80_000, **card_args: object) -> Decision:
    checked = check_survey(survey(income), POLICY) if income is not None else None
    return decide(card(**card_args), checked, POLICY, AS_OF, group)  # type: ignore[arg-type]


def factor(d: Decision, code: str):  # type: ignore[no-untyped-def]
    return next(f for f in d.factors if f.code == code)


def test_no_group_changes_nothing() -> None:
    assert run(None).grantable_fen == 160_000_00
    assert not [f for f in run(None).factors if f.code in ("group_evaluation", "till_sales", "key_household")]


def test_a_good_evaluation_raises_the_largest_candidate_by_a_fifth_with_a_completed_survey() -> None:
    d = run(GroupEvidence("enterprise", evaluation="good", evaluated_by=COMMITTEE))
    assert d.grantable_fen == d.potential_fen == 192_000_00  # 160,000 + 32,000
    f = factor(d, "group_evaluation")
    assert f.applies and f.amount_fen == 3_200_000
    assert f.evidence == f"{COMMITTEE}评议为好，上浮20% → +32,000元"


def test_a_good_evaluation_waits_for_the_survey() -> None:
    d = run(GroupEvidence("village", evaluation="good", evaluated_by=COMMITTEE), income=None)
    assert d.grantable_fen == d.potential_fen == 30_000_00
    assert not factor(d, "group_evaluation").applies
    assert "完成调查后上浮20%" in factor(d, "group_evaluation").evidence


def test_both_uplifts_are_shares_of_the_largest_candidate() -> None:
    d = run(
        GroupEvidence("association", evaluation="good", evaluated_by="协会秘书长"),
        agreements=[("active", 12, 0)],
    )
    assert d.grantable_fen == 208_000_00  # 160,000 + 16,000 (settled) + 32,000 (good)


def test_a_poor_evaluation_limits_the_person_to_the_base_line_and_says_why() -> None:
    d = run(GroupEvidence("village", evaluation="poor", evaluated_by=COMMITTEE))
    assert d.eligible and d.grantable_fen == d.potential_fen == 30_000_00
    assert factor(d, "group_evaluation").evidence == f"{COMMITTEE}评议为差，只授予基础额度30,000元"


def test_fair_changes_nothing_and_an_evaluation_without_its_evaluator_does_not_count() -> None:
    assert (
        run(GroupEvidence("enterprise", evaluation="fair", evaluated_by="人事处")).grantable_fen == 160_000_00
    )
    unsigned = run(GroupEvidence("enterprise", evaluation="poor", evaluated_by=" "))
    assert unsigned.grantable_fen == 160_000_00
    assert not factor(unsigned, "group_evaluation").applies
    assert "未注明评议人" in factor(unsigned, "group_evaluation").evidence


def test_evaluations_count_only_in_the_scenarios_the_policy_names() -> None:
    d = run(GroupEvidence("market", evaluation="poor", evaluated_by="市场管理处"))
    assert d.grantable_fen == 160_000_00 and not [f for f in d.factors if f.code == "group_evaluation"]


def test_permanent_staff_on_a_bureau_roster_is_civil_servant_evidence() -> None:
    staff = GroupEvidence("bureau", group_name="句容市农业农村局", permanent_staff=True)
    with_survey = run(staff, income=10_000)
    assert with_survey.grantable_fen == 200_000_00 and with_survey.source == "civil_servant"
    assert (
        factor(with_survey, "civil_servant").evidence == "句容市农业农村局名单注明在编 → 公务员保底200,000元"
    )
    before = run(staff, income=None)
    assert (before.grantable_fen, before.potential_fen) == (30_000_00, 200_000_00)
    not_staff = run(dataclasses.replace(staff, permanent_staff=False), income=10_000)
    assert not_staff.grantable_fen == 30_000_00  # 2 x 10,000 = 20,000 < base


def months_back(*backs: int) -> list[dt.date]:
    return [full_months_before(AS_OF, 12)[back - 1] for back in backs]


def test_the_window_is_the_full_months_before_the_decision_date() -> None:
    assert full_months_before(AS_OF, 6) == [dt.date(2026, m, 1) for m in (10, 9, 8, 7, 6, 5)]
    assert full_months_before(dt.date(2026, 2, 10), 3) == [
        dt.date(2026, 1, 1),
        dt.date(2025, 12, 1),
        dt.date(2025, 11, 1),
    ]


def test_till_records_in_three_of_six_months_give_three_times_the_average() -> None:
    sales = {
        dt.date(2026, 10, 1): 100_000_00,
        dt.date(2026, 9, 1): 80_000_00,
        dt.date(2026, 7, 1): 60_000_00,
        dt.date(2026, 11, 1): 900_000_00,  # this month: not a full month, not counted
        dt.date(2026, 4, 1): 900_000_00,  # seven months back: outside the window
    }
    d = run(GroupEvidence("market", till_sales_fen=sales), income=10_000)
    assert d.grantable_fen == 240_000_00 and d.source == "till_sales"  # 3 x 80,000
    f = factor(d, "till_sales")
    assert f.evidence == "近6个月中3个月有收银记录，月均80,000元 → 3倍月均销售额240,000元"
    assert mask_personal_amounts(f.evidence) == "近6个月中3个月有收银记录，月均***元 → 3倍月均销售额***元"


def test_two_months_of_till_records_are_not_enough_and_a_declared_turnover_does_not_count() -> None:
    sales = {dt.date(2026, 10, 1): 100_000_00, dt.date(2026, 9, 1): 80_000_00}
    d = run(GroupEvidence("market", till_sales_fen=sales), income=10_000)
    assert d.grantable_fen == 30_000_00
    assert not factor(d, "till_sales").applies and "自报营业额不提高额度" in factor(d, "till_sales").evidence


def test_a_village_key_household_gets_a_survey_task_noted() -> None:
    d = run(GroupEvidence("village", key_household=True), income=None)
    assert factor(d, "key_household").evidence == "村委会列为重点户：安排入户调查"
    assert d.grantable_fen == 30_000_00


def test_the_evaluation_uplift_is_masked_with_the_incomes() -> None:
    text = f"{COMMITTEE}评议为好，上浮20% → +32,000元"
    assert mask_personal_amounts(text) == f"{COMMITTEE}评议为好，上浮20% → +***元"


def test_evidence_is_checked() -> None:
    with pytest.raises(ValueError, match="evaluation must be one of"):
        GroupEvidence("village", evaluation="excellent")
    with pytest.raises(ValueError, match="first day of their month"):
        GroupEvidence("market", till_sales_fen={dt.date(2026, 10, 5): 1})


def policy_with(group_table: str) -> bytes:
    text = default_policy_path().read_text(encoding="utf-8")
    start = text.index("[line.group]")
    end = text.index("# Annual rate by the granted line")
    return (text[:start] + group_table + "\n" + text[end:]).encode("utf-8")


def test_the_policy_file_sets_every_figure_and_may_leave_the_table_out() -> None:
    assert parse_policy(policy_with(""), "old.toml").group == GroupFactors()
    changed = parse_policy(
        policy_with("[line.group]\ntill_multiple = 2\ngood_uplift_percent = 10\n"), "x.toml"
    )
    assert changed.group.till_multiple == 2 and changed.group.good_uplift_percent == 10
    sales = {m: 80_000_00 for m in months_back(1, 2, 3)}
    d = decide(
        card(),
        check_survey(survey(10_000), changed),
        changed,
        AS_OF,
        GroupEvidence("market", till_sales_fen=sales),
    )
    assert d.grantable_fen == 160_000_00  # 2 x 80,000
    for bad, key in (
        ("[line.group]\nbonus = 5\n", "line.group.bonus"),
        ("[line.group]\ntill_min_months = 7\n", "line.group.till_min_months"),
        ('[line.group]\nevaluation_scenarios = ["galaxy"]\n', "line.group.evaluation_scenarios"),
    ):
        with pytest.raises(PolicyError, match=key.replace(".", r"\.")):
            parse_policy(policy_with(bad), "bad.toml")
