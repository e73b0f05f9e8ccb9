"""A campaign's own rules (pure): the group's unified social credit code checked to its check character
(GB 32100-2015), a bureau only for a government organ, a village's groups, the code and the period; and
a roster's rows classified as members, each row accounted for and each person once."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teller_assist.campaigns.batch import decide_roster
from teller_assist.campaigns.campaign import CampaignInvalid, check_code, check_spec, check_uscc
from teller_assist.campaigns.members import plan_import, prequalify
from teller_assist.campaigns.roster import check_roster
from teller_assist.identity.uscc import ALPHABET
from teller_assist.identity.uscc import check_character as uscc_check
from teller_assist.prequal.group import GroupEvidence
from tests.helpers.extracts import COMPANY, GOV, rid, uscc
from tests.unit.test_prequal import POLICY
from tests.unit.test_roster_batch import card

TODAY = dt.date(2026, 11, 30)


def spec(**changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "code": "village-后白镇-2026",
        "scenario": "village",
        "group_name": "后白镇 后白村",
        "branch_code": "0101",
        "starts_on": dt.date(2026, 12, 1),
        "ends_on": dt.date(2027, 3, 31),
        "today": TODAY,
    }
    return check_spec(**(values | changes))  # type: ignore[arg-type]


# --- the group's code -------------------------------------------------------------------------------


def test_an_enterprise_is_known_by_a_valid_code_written_any_way() -> None:
    made = spec(scenario="enterprise", group_name="某某电子有限公司", group_uscc=" " + COMPANY.lower() + " ")
    assert made.group_uscc == COMPANY
    assert spec(scenario="bureau", group_name="县财政局", group_uscc=GOV).group_uscc == GOV


@given(
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
    st.sampled_from(ALPHABET),
)
def test_every_wrong_check_character_is_refused(region: str, org: str, wrong: str) -> None:
    first17 = "91" + region + org
    right = uscc_check(first17)
    assert check_uscc("enterprise", first17 + right) == first17 + right
    if wrong != right:
        with pytest.raises(CampaignInvalid, match="校验位错误"):
            check_uscc("enterprise", first17 + wrong)


@pytest.mark.parametrize(
    ("scenario", "code", "said"),
    [
        ("enterprise", None, "须填写企业的统一社会信用代码"),
        ("bureau", "", "须填写机关单位的统一社会信用代码"),
        ("enterprise", COMPANY[:-1], "长度错误"),
        ("enterprise", COMPANY[:8] + "I" + COMPANY[9:], "非法字符"),
        ("bureau", COMPANY, "整局活动的单位应为机关"),  # a company's staff are not civil servants
        ("bureau", uscc("12"), "该代码属于事业单位"),
    ],
)
def test_the_group_code_is_required_valid_and_of_the_right_kind(
    scenario: str, code: str | None, said: str
) -> None:
    with pytest.raises(CampaignInvalid, match=said):
        spec(scenario=scenario, group_name="单位", group_uscc=code)


def test_an_association_or_a_market_may_give_a_code_but_not_a_wrong_one() -> None:
    assert spec(scenario="association", group_name="个体劳动者协会").group_uscc is None
    assert spec(scenario="market", group_name="农贸市场", group_uscc=uscc("92")).group_uscc == uscc("92")
    with pytest.raises(CampaignInvalid, match="校验位错误"):
        spec(scenario="market", group_name="农贸市场", group_uscc=uscc("92")[:-1] + "0")


# --- the rest of the campaign -----------------------------------------------------------------------


def test_a_village_names_its_groups_once_each() -> None:
    assert spec(village_groups=[" 一组", "二 组", "三组"]).village_groups == ("一组", "二 组", "三组")
    with pytest.raises(CampaignInvalid, match="村民小组“一组”重复"):
        spec(village_groups=["一组", "一组 "])
    with pytest.raises(CampaignInvalid, match="只有整村活动才有村民小组"):
        spec(scenario="association", group_name="协会", village_groups=["一组"])


@pytest.mark.parametrize("bad", ["", "a b", "=cmd", "+1", "x" * 65, "a\u200bb"])
def test_a_code_is_one_word_a_spreadsheet_will_not_run(bad: str) -> None:
    with pytest.raises(CampaignInvalid):
        check_code(bad)


def test_the_period_and_the_indicator() -> None:
    with pytest.raises(CampaignInvalid, match="早于开始日"):
        spec(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2026, 12, 31))
    with pytest.raises(CampaignInvalid, match="活动期已于 2026-11-29 结束"):
        spec(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 11, 29))
    with pytest.raises(CampaignInvalid, match="正整数"):
        spec(indicator=0)
    with pytest.raises(CampaignInvalid, match="网点号无效"):
        spec(branch_code="01 01")
    assert spec(indicator=120, indicator_measure="granted").indicator == 120


# --- a roster's rows as members ----------------------------------------------------------------------

HEADER = ["身份证号", "姓名", "村民小组", "重点户", "评议", "评议人", "手机号", "户号"]
ZHANG, LI, WANG, QIAN, SUN = (rid(seq=s) for s in (71, 73, 75, 79, 83))


def decided(rows: list[tuple[int, list[str]]]):  # type: ignore[no-untyped-def]
    checked = check_roster(HEADER, rows, "village", TODAY)
    cards = {
        ZHANG: card(ZHANG, "张三"),
        LI: card(LI, "李四", holding=True),
        WANG: card(WANG, None),  # new to the bank
        QIAN: card(QIAN, "钱琪"),  # the roster says 钱七
        SUN: card(SUN, "孙八"),
    }
    return decide_roster(checked, {m.id_no: cards[m.id_no] for m in checked.members}, POLICY, TODAY)


ROWS = [
    (2, [ZHANG, "张三", "一组", "是", "好", "村委会 张主任", "13951234567", "H1"]),
    (3, [LI, "李四", "一组", "", "", "", "", "H1"]),
    (4, [WANG, "王五", "二组", "", "", "", "", "H2"]),
    (5, [QIAN, "钱七", "二组", "", "", "", "", "H3"]),  # name differs: refused, still their membership
    (6, ["32118319850314", "周九", "二组", "", "", "", "", "H3"]),  # a short ID: the row only
    (7, [ZHANG, "张三", "一组", "", "", "", "", "H1"]),  # the same person again: the row only
    (8, [SUN, "孙八", "五组", "", "", "", "", "H4"]),  # a group the village does not have
    (9, [rid(seq=85), "吴十", "二组", "", "", "", "1234", "H5"]),  # a bad phone, a valid ID
]


def test_every_row_is_a_member_once_or_a_refused_row_with_its_reason() -> None:
    plan = plan_import(decided(ROWS), TODAY, ("一组", "二组", "三组"))
    assert plan.rows == 8
    assert [(m.line_no, m.status) for m in plan.members] == [
        (2, "matched"), (3, "matched"), (4, "new_to_bank"), (5, "refused"), (8, "refused"), (9, "refused")
    ]  # fmt: skip
    assert [(r.line_no, r.reason_zh[:6]) for r in plan.refused] == [
        (5, "姓名与本行记"), (6, "身份证号无效"), (7, "与第2行重复"), (8, "村民小组“五"),
        (9, "手机号无效：")
    ]  # fmt: skip
    by_line = {m.line_no: m for m in plan.members}
    assert by_line[5].reason is not None and by_line[5].reason.startswith("姓名与本行记录不一致")
    assert by_line[8].reason == "村民小组“五组”不是本村的小组（一组、二组、三组）"
    zhang = by_line[2]
    assert (zhang.evaluation, zhang.evaluated_by, zhang.key_household, zhang.phone) == (
        "good", "村委会 张主任", True, "13951234567"
    )  # fmt: skip
    assert dict(zhang.extras) == {"village_group": "一组", "household": "H1"}  # typed columns not twice
    assert (plan.count("matched"), plan.count("new_to_bank"), plan.count("refused")) == (2, 1, 3)
    assert plan.holding == 1  # 李四 holds a line: a member like the rest, marked
    assert ZHANG not in repr(by_line[2])


def test_without_the_villages_groups_any_group_is_taken() -> None:
    plan = plan_import(decided(ROWS), TODAY)
    assert {m.line_no: m.status for m in plan.members}[8] == "matched"


def test_a_line_already_held_counts_once_and_the_new_get_the_base_line() -> None:
    village = GroupEvidence("village")
    pre = prequalify(
        [
            (card(ZHANG, "张三"), village),
            (card(LI, "李四", holding=True), village),
            (card(WANG, None), village),
        ],
        POLICY,
        TODAY,
    )
    assert (pre.decided, pre.eligible, pre.holding, pre.holding_fen) == (3, 2, 1, 120_000_00)
    assert pre.grantable["≤30,000"].people == 2 and pre.grantable["≤30,000"].exposure_fen == 60_000_00
    assert sum(t.people for t in pre.grantable.values()) == 2  # the holder is not granted again


def test_a_member_absent_from_a_new_roster_is_held_back_only_by_a_refused_row_that_could_be_them() -> None:
    from teller_assist.campaigns.members import held_back
    from teller_assist.campaigns.roster import Refusal

    a, b, c = rid(seq=11), rid(seq=13), rid(seq=15)
    typo = a[:9] + str((int(a[9]) + 1) % 10) + a[10:]
    refused = [
        Refusal(12, "3211", "张 三", "身份证号无效", "bad ID"),  # the same name, whitespace aside
        Refusal(9, typo, "张珊", "身份证校验位错误", "bad check digit"),  # the ID one character off a's
    ]
    held = held_back({a: "李四", b: "张三", c: "王五"}, refused)
    assert [(h.id_no, h.name, h.line_no) for h in held] == [(a, "李四", 9), (b, "张三", 12)]
    assert held_back({c: "王五"}, refused) == [] and held_back({b: "张三"}, []) == []
    far = a[:9] + "".join(str((int(x) + 1) % 10) for x in a[9:12]) + a[12:]  # three characters off
    assert held_back({a: "李四"}, [Refusal(3, far, "某人", "x", "x")]) == []
    assert held_back({a: ""}, [Refusal(3, "", "", "x", "x")]) == []  # no name matches no name
