"""A masked income is not derivable from what is shown beside it.

The counter found "月均***元 → 10倍月均工资73,778.70元" on the card, in the approver's queue and on the
paper: ten times a masked figure, shown, is the figure. Here every masked face of one decision — the card
for machines, the factors under the survey and in ``prequal``, the decision as JSON, the approver's queue
and the printed reasons — is read for numbers, and none may give the monthly pay, the declared income or
the debts back through the multiples the policy uses. These call the services' formatting functions only
(no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from hypothesis import assume, example, given
from hypothesis import strategies as st

from teller_assist.identity.masking import Masking, mask_personal_amounts
from teller_assist.money import format_yuan
from teller_assist.prequal.engine import Decision
from teller_assist.prequal.workflow import Status, rate_bp
from teller_assist.services.applications import applied_factors
from teller_assist.services.documents import document_data
from teller_assist.services.lookup import card_to_json
from teller_assist.services.prequal import decision_to_json
from teller_assist.settings import Paths, Settings
from teller_assist.store.applications import ApplicationRecord
from tests.helpers.extracts import COMPANY
from tests.unit.test_prequal import AS_OF, POLICY, card, run, survey

MASKING = Masking()
MONEY = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)元")  # the engine writes every amount in yuan, with 元
FIGURE = re.compile(r"-?\d+(?:\.\d+)?")


def numbers(texts: Iterable[str]) -> set[Fraction]:
    """Every amount written in ``texts``, in yuan."""
    return {Fraction(m.group(1).replace(",", "")) for text in texts for m in MONEY.finditer(text)}


def figures(values: Iterable[object]) -> set[Fraction]:
    """The amounts a machine reads (JSON values): those that are numbers."""
    return {Fraction(str(v)) for v in values if v is not None and FIGURE.fullmatch(str(v))}


def record_of(decision: Decision, id_no: str) -> ApplicationRecord:
    """The application as submission stores it: the decision's snapshot (unmasked) and its line."""
    assert decision.annual_rate is not None and decision.valid_until is not None
    now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    return ApplicationRecord(
        1, id_no, "王五", "walk_in", Status.APPROVED, 2, "{}", "{}", json.dumps(decision_to_json(decision)),
        decision.policy_version, decision.policy_sha256, decision.grantable_fen,
        rate_bp(decision.annual_rate), None, "ws", 1, "teller1", 2, "head1", "branch_head", 300_000_00,
        now, now, None, "YSX20261128000001", decision.valid_until, None, None,
    )  # fmt: skip


def shown(decision: Decision, c: object) -> set[Fraction]:
    """The amounts each masked face shows of the decision (and the card)."""
    record = record_of(decision, c.rid.value)  # type: ignore[attr-defined]
    paper = document_data(
        record, "agreement", Settings(Paths(Path("unused.toml"), Path("unused"))), MASKING, b"k" * 32,
        copy=False, today=AS_OF, full_id=False,
    )  # fmt: skip
    machine = decision_to_json(decision, MASKING)
    looked_up = card_to_json(c, MASKING)  # type: ignore[arg-type]
    texts = [
        *(MASKING.amounts(f.evidence) for f in decision.factors),  # the window's factors, prequal
        *(f["evidence"] for f in machine["factors"]),  # prequal --json
        *(MASKING.amounts(e) for e in applied_factors(record)),  # the approver's queue
        *paper.reasons,  # the agreement and the letter
    ]
    machine_amounts = [f["amount"] for f in machine["factors"]]
    machine_amounts += [format_yuan(machine[k], grouping=False) for k in ("grantable_fen", "potential_fen")]
    machine_amounts += [looked_up["payroll"]["average_monthly"], looked_up["payroll"]["total"]]  # lookup
    return numbers(texts) | figures(machine_amounts)


def revealing(avg_fen: int, income: int, debts: int, settled: bool) -> tuple[set[Fraction], set[Fraction]]:
    """(the personal figures, the figures the engine computes from them before rounding), in yuan."""
    k, m, p = POLICY.payroll_multiple, POLICY.survey_income_multiple, POLICY.settled_uplift_percent
    personal = {Fraction(avg_fen, 100), Fraction(income)} | ({Fraction(debts)} if debts else set())
    derived: set[Fraction] = {Fraction(m * income)}
    for candidate_fen in (avg_fen * k, (m * income - debts) * 100):
        uplift = candidate_fen * p // 100
        derived |= {Fraction(candidate_fen, 100)}
        if settled:
            derived |= {Fraction(uplift, 100), Fraction(candidate_fen + uplift, 100)}
    return personal, derived


MULTIPLIERS = {
    Fraction(1),
    Fraction(POLICY.payroll_multiple),
    Fraction(POLICY.survey_income_multiple),
    Fraction(POLICY.payroll_multiple * (100 + POLICY.settled_uplift_percent), 100),
    Fraction(POLICY.survey_income_multiple * (100 + POLICY.settled_uplift_percent), 100),
    Fraction(POLICY.payroll_multiple * POLICY.settled_uplift_percent, 100),
}


@given(
    pay=st.lists(st.integers(2_000, 40_000), min_size=12, max_size=12),
    cents=st.integers(1, 99),
    income=st.integers(10_000, 400_000),
    debts=st.one_of(st.just(0), st.integers(10_000, 200_000)),  # never mistaken for a month count
    settled=st.booleans(),
)
@example(pay=[7_377] * 12, cents=87, income=120_000, debts=0, settled=False)  # the counter's 73,778.70
@example(pay=[2_000] * 12, cents=1, income=31_000, debts=10_001, settled=False)  # next to the base line
@example(pay=[2_000] * 11 + [14_000], cents=1, income=10_000, debts=10_000, settled=True)  # uplift = step
def test_no_masked_face_gives_an_income_or_debt_away_by_arithmetic(
    pay: list[int], cents: int, income: int, debts: int, settled: bool
) -> None:
    c = card(
        pay=[(back, yuan, COMPANY) for back, yuan in enumerate(pay, 1)],
        agreements=[("active", 12, 0)] if settled else [],
    )
    c = dataclasses.replace(
        c, payroll=dataclasses.replace(c.payroll, average_monthly_fen=c.payroll.average_monthly_fen + cents)
    )
    decision = run(c, survey(income, debts))
    avg_fen = c.payroll.average_monthly_fen
    personal, derived = revealing(avg_fen, income, debts, settled)
    # what the bank may show: its fixed figures and the line, rounded to the policy's step (a band)
    legit = {Fraction(decision.grantable_fen, 100), Fraction(decision.potential_fen, 100)}
    legit |= numbers(f.evidence for f in decision.factors if f.code not in ("payroll", "survey"))
    legit -= personal | derived
    # the policy's own figures are shown to everyone: one that equals a personal figure gives nothing away
    assume(
        not (personal | derived)
        & {Fraction(f, 100) for f in (POLICY.base_fen, POLICY.cap_fen, POLICY.round_down_to_fen)}
    )
    # a rounded line that happens to equal an exact multiple gives the income only by coincidence
    lines = {Fraction(decision.grantable_fen, 100), Fraction(decision.potential_fen, 100)}
    assume(not any(n / k in personal for n in lines for k in MULTIPLIERS))
    assume(not (personal | derived) & lines)

    assert numbers(f.evidence for f in decision.factors) & derived  # the engine says them: the test bites
    amounts = shown(decision, c)
    assert not amounts & personal, amounts & personal
    assert not amounts & derived, amounts & derived
    for n in amounts - legit:
        for k in MULTIPLIERS:
            assert n / k not in personal, (n, k)


def test_the_rule_masks_the_derived_figures_and_keeps_the_banks_own() -> None:
    payroll = "近12个月中12个月由某公司(企业)代发工资，月均7,377.87元 → 10倍月均工资73,778.70元"
    assert (
        mask_personal_amounts(payroll)
        == "近12个月中12个月由某公司(企业)代发工资，月均***元 → 10倍月均工资***元"
    )
    assert (
        mask_personal_amounts("申报家庭年收入120,000元×2 − 负债0元 = 240,000元")
        == "申报家庭年收入***元×2 − 负债***元 = ***元"
    )
    assert mask_personal_amounts("取最高候选额度：代发工资73,778.70元") == "取最高候选额度：代发工资***元"
    assert mask_personal_amounts("取最高候选额度：调查申报240,000元") == "取最高候选额度：调查申报***元"
    assert (
        mask_personal_amounts("代扣水费近12个月成功12次、无失败，稳定户上浮10% → +7,377.87元")
        == "代扣水费近12个月成功12次、无失败，稳定户上浮10% → +***元"
    )
    rounding = "向下取整到1,000元：81,156.57元 → 81,000元"
    assert mask_personal_amounts(rounding) == "向下取整到1,000元：***元 → 81,000元"
    for kept in (
        "基础授信额度30,000元，人人可得",
        "取最高候选额度：公务员保底200,000元",
        "有效的家庭农场评定（3星） → 100,000元",
        "超过上限，按上限300,000元",
        "完成调查前只授予基础额度30,000元；完成调查最高可达81,000元",
        "额度81,000元适用年利率4.35%",
    ):
        assert mask_personal_amounts(kept) == kept
