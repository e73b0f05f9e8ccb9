"""The decision engine: (customer card, survey or none, policy, date) -> an explained decision.

Pure: no database, no clock. Money is integer fen, in and out; the limits are rounded down to the policy's
unit (whole thousands of yuan in the bundled policy), so they are whole yuan, in fen.
Every candidate, adjustment, cap and rounding that was considered is listed with its amount and its
evidence in words staff can read to the customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from teller_assist.lookup.card import CustomerCard
from teller_assist.money import FEN_PER_YUAN, format_yuan, yuan_text
from teller_assist.prequal.group import EVALUATION_ZH, GroupEvidence, till_months
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import CheckedSurvey
from teller_assist.vocabulary import CANDIDATE_ZH, NEGATIVE_ZH, TAG_ZH, UTILITY_ZH


@dataclass(frozen=True)
class Factor:
    code: str
    amount_fen: int | None  # the candidate or adjustment in fen; None where no amount applies
    applies: bool
    evidence: str

    @property
    def amount_yuan(self) -> str | None:
        return None if self.amount_fen is None else format_yuan(self.amount_fen, grouping=False)


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[str, ...]
    grantable_fen: int  # the line that may be granted now, in fen (a multiple of the rounding unit)
    potential_fen: int  # the line a completed survey could reach, in fen
    annual_rate: Decimal | None  # percent, e.g. Decimal("3.85")
    valid_until: dt.date | None
    policy_version: str
    policy_sha256: str
    factors: tuple[Factor, ...]
    survey_complete: bool
    missing: tuple[str, ...]
    problems: dict[str, str] = field(default_factory=dict)
    scenario: str = "walk_in"
    source: str = "base"  # the candidate that set the potential line (payroll, civil_servant, survey, ...)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def decide(
    card: CustomerCard,
    survey: CheckedSurvey | None,
    policy: Policy,
    as_of: dt.date,
    group: GroupEvidence | None = None,
) -> Decision:
    """The decision for one person; ``group`` is their row of a group campaign, when they are on one."""
    factors: list[Factor] = []
    reasons: list[str] = []
    complete = survey is not None and survey.complete
    missing = survey.missing if survey is not None else ()
    problems = dict(survey.problems) if survey is not None else {}
    scenario = survey.form.scenario if survey is not None else group.scenario if group else "walk_in"

    # --- eligibility --------------------------------------------------------------------------------
    age = card.rid.age_on(as_of)
    if age < policy.min_age:
        reasons.append(f"年龄{age}岁，未满{policy.min_age}周岁")
    elif age > policy.max_age:
        reasons.append(f"年龄{age}岁，超过{policy.max_age}周岁")
    factors.append(
        Factor(
            "age",
            None,
            policy.min_age <= age <= policy.max_age,
            f"年龄{age}岁（准入{policy.min_age}至{policy.max_age}周岁）",
        )
    )
    if policy.exclude_negative_list and card.negative_listed:
        category = NEGATIVE_ZH.get(card.negative_category or "", "其他原因")
        reasons.append(f"在负面清单中（{category}）")
        factors.append(Factor("negative_list", None, False, f"在负面清单中（{category}）"))
    if reasons:
        return Decision(
            False,
            tuple(reasons),
            0,
            0,
            None,
            None,
            policy.version,
            policy.sha256,
            tuple(factors),
            complete,
            missing,
            problems,
            scenario,
        )

    # --- candidates -----------------------------------------------------------------------------------
    base = policy.base_fen
    candidates: list[Factor] = [Factor("base", base, True, f"基础授信额度{yuan_text(base)}元，人人可得")]
    p = card.payroll
    if p.months >= policy.payroll_min_months:
        amount = p.average_monthly_fen * policy.payroll_multiple
        kind = f"({p.employer_kind.zh})" if p.employer_kind else ""
        candidates.append(
            Factor(
                "payroll",
                amount,
                True,
                f"近12个月中{p.months}个月由{p.employer}{kind}代发工资，月均{yuan_text(p.average_monthly_fen)}元"
                f" → {policy.payroll_multiple}倍月均工资{yuan_text(amount)}元",
            )
        )
    else:
        candidates.append(
            Factor(
                "payroll", None, False, f"近12个月代发工资{p.months}个月，不足{policy.payroll_min_months}个月"
            )
        )

    valid_tags = {t.tag: t for t in card.tags if t.valid}

    def months_for(prefixes: tuple[str, ...]) -> tuple[int, str | None]:
        months = sum(p.months_by_prefix.get(prefix, 0) for prefix in prefixes)
        employer = next((p.employer_by_prefix[x] for x in prefixes if x in p.employer_by_prefix), None)
        return months, employer

    cs_months, cs_employer = months_for(policy.civil_servant_prefixes)
    cs_tag = next((t for t in policy.civil_servant_tags if t in valid_tags), None)
    cs_amount = policy.civil_servant_floor_fen
    if cs_months >= policy.civil_servant_min_months:
        candidates.append(
            Factor(
                "civil_servant",
                cs_amount,
                True,
                f"近12个月中{cs_months}个月由{cs_employer}(机关)代发工资，月均{yuan_text(p.average_monthly_fen)}元"
                f" → 公务员保底{yuan_text(cs_amount)}元",
            )
        )
    elif cs_tag is not None:
        candidates.append(
            Factor("civil_servant", cs_amount, True, f"有效的公务员标签 → 公务员保底{yuan_text(cs_amount)}元")
        )
    rules = policy.group
    if (
        group is not None
        and group.scenario == "bureau"
        and group.permanent_staff
        and rules.bureau_staff_civil_servant
        and not any(c.code == "civil_servant" for c in candidates)
    ):
        staff = f"{group.group_name or '单位'}名单注明在编 → 公务员保底{yuan_text(cs_amount)}元"
        candidates.append(Factor("civil_servant", cs_amount, True, staff))
    if group is not None and group.scenario == "market":
        months, total = till_months(group.till_sales_fen, as_of, rules.till_window_months)
        if months >= rules.till_min_months:
            average = total // months
            amount = average * rules.till_multiple
            candidates.append(
                Factor(
                    "till_sales",
                    amount,
                    True,
                    f"近{rules.till_window_months}个月中{months}个月有收银记录，月均{yuan_text(average)}元"
                    f" → {rules.till_multiple}倍月均销售额{yuan_text(amount)}元",
                )
            )
        else:
            candidates.append(
                Factor(
                    "till_sales",
                    None,
                    False,
                    f"近{rules.till_window_months}个月有收银记录{months}个月，不足{rules.till_min_months}个月"
                    "（自报营业额不提高额度）",
                )
            )
    pi_months, pi_employer = months_for(policy.public_prefixes)
    if pi_months >= policy.public_min_months:
        pi_amount = policy.public_floor_fen
        candidates.append(
            Factor(
                "public_institution",
                pi_amount,
                True,
                f"近12个月中{pi_months}个月由{pi_employer}(事业单位)代发工资"
                f" → 事业单位保底{yuan_text(pi_amount)}元",
            )
        )
    for code, tag_name, grades, label in (
        ("family_farm", policy.family_farm_tag, policy.family_farm_grades_fen, "家庭农场"),
        ("integrity_business", policy.integrity_tag, policy.integrity_grades_fen, "诚信经营户"),
    ):
        tag = valid_tags.get(tag_name)
        if tag is None:
            continue
        grade = (tag.grade or "").upper()
        if grade in grades:
            amount = grades[grade]
            grade_unit = "星" if code == "family_farm" else "级"
            evidence = f"有效的{label}评定（{grade}{grade_unit}） → {yuan_text(amount)}元"
            candidates.append(Factor(code, amount, True, evidence))
        else:
            candidates.append(Factor(code, None, False, f"{label}评定等级{grade or '未知'}不在授信档位内"))
    if survey is not None:
        income = survey.values.get(policy.survey_income_field)
        debts = survey.values.get(policy.survey_debts_field)
        if isinstance(income, int) and isinstance(debts, int):
            amount = (policy.survey_income_multiple * income - debts) * FEN_PER_YUAN  # answers in yuan
            candidates.append(
                Factor(
                    "survey",
                    amount,
                    True,
                    f"申报家庭年收入{yuan_text(income * FEN_PER_YUAN)}元×{policy.survey_income_multiple}"
                    f" − 负债{yuan_text(debts * FEN_PER_YUAN)}元 = {yuan_text(amount)}元",
                )
            )
    factors.extend(candidates)

    # --- the line: largest candidate, settled-household uplift, cap, rounding ----------------------------
    best = max(
        (c for c in candidates if c.applies and c.amount_fen is not None), key=lambda c: c.amount_fen or 0
    )
    line = best.amount_fen or 0
    factors.append(
        Factor(
            "largest_candidate",
            line,
            True,
            f"取最高候选额度：{CANDIDATE_ZH.get(best.code, best.code)}{yuan_text(line)}元",
        )
    )
    settled = next(
        (
            a
            for a in card.withholding.agreements
            if a.status == "active"
            and a.ok_debits >= policy.settled_min_ok_debits
            and a.failed_debits <= policy.settled_max_failed_debits
        ),
        None,
    )
    if settled is not None:
        uplift = line * policy.settled_uplift_percent // 100
        line += uplift
        factors.append(
            Factor(
                "settled_household",
                uplift,
                True,
                f"代扣{UTILITY_ZH.get(settled.utility, settled.utility)}近12个月成功{settled.ok_debits}次、"
                "无失败，稳定户上浮"
                f"{policy.settled_uplift_percent}% → +{yuan_text(uplift)}元",
            )
        )
    else:
        factors.append(
            Factor(
                "settled_household",
                0,
                False,
                f"无近12个月成功代扣{policy.settled_min_ok_debits}次以上且无失败的有效代扣协议，不上浮",
            )
        )
    if group is not None and group.evaluation and group.scenario in rules.evaluation_scenarios:
        said = EVALUATION_ZH[group.evaluation]
        who = (group.evaluated_by or "").strip()
        if not who:
            unsigned = f"评议为{said}，但未注明评议人（须为群体评议），不计入"
            factors.append(Factor("group_evaluation", None, False, unsigned))
        elif group.evaluation == "good" and complete:
            uplift = (best.amount_fen or 0) * rules.good_uplift_percent // 100
            line += uplift
            factors.append(
                Factor(
                    "group_evaluation",
                    uplift,
                    True,
                    f"{who}评议为好，上浮{rules.good_uplift_percent}% → +{yuan_text(uplift)}元",
                )
            )
        elif group.evaluation == "good":
            factors.append(
                Factor(
                    "group_evaluation",
                    0,
                    False,
                    f"{who}评议为好，完成调查后上浮{rules.good_uplift_percent}%",
                )
            )
        elif group.evaluation == "poor" and rules.poor_base_only:
            factors.append(
                Factor(
                    "group_evaluation",
                    base - line,
                    True,
                    f"{who}评议为差，只授予基础额度{yuan_text(base)}元",
                )
            )
            line = base
        else:
            factors.append(Factor("group_evaluation", 0, False, f"{who}评议为{said}，不调整额度"))
    if group is not None and group.scenario == "village" and group.key_household:
        factors.append(Factor("key_household", None, True, "村委会列为重点户：安排入户调查"))
    cap = policy.cap_fen
    if line > cap:
        factors.append(Factor("cap", cap - line, True, f"超过上限，按上限{yuan_text(cap)}元"))
        line = cap
    unit = policy.round_down_to_fen
    rounded = line // unit * unit
    if rounded != line:
        factors.append(
            Factor(
                "rounding",
                rounded - line,
                True,
                f"向下取整到{yuan_text(unit)}元：{yuan_text(line)}元 → {yuan_text(rounded)}元",
            )
        )
    potential = rounded

    if complete or not policy.survey_required_above_base:
        grantable = potential
    else:
        grantable = base
        if potential > base:
            factors.append(
                Factor(
                    "survey_required",
                    base - potential,
                    True,
                    f"完成调查前只授予基础额度{yuan_text(base)}元；完成调查最高可达{yuan_text(potential)}元",
                )
            )

    # --- rate and validity --------------------------------------------------------------------------------
    band = next(b for b in policy.rate_bands if grantable >= b.min_line_fen)
    rate = band.annual_rate
    factors.append(Factor("rate_band", None, True, f"额度{yuan_text(grantable)}元适用年利率{rate}%"))
    discount_tag = next((t for t in policy.discount_tags if t in valid_tags), None)
    if discount_tag is not None and policy.discount_points:
        rate = max(Decimal("0"), rate - policy.discount_points)
        factors.append(
            Factor(
                "rate_discount",
                None,
                True,
                f"有效的{TAG_ZH.get(discount_tag, discount_tag)}标签，"
                f"利率优惠{policy.discount_points}个百分点 → {rate}%",
            )
        )
    valid_until = add_years(as_of, policy.validity_years) - dt.timedelta(days=1)
    return Decision(
        True,
        (),
        grantable,
        potential,
        rate,
        valid_until,
        policy.version,
        policy.sha256,
        tuple(factors),
        complete,
        missing,
        problems,
        scenario,
        best.code,
    )
