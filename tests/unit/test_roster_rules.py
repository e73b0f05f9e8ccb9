"""A group's roster: headers mapped per scenario, every row a member or a refusal a clerk understands."""

from __future__ import annotations

import datetime as dt

import pytest

from teller_assist.campaigns.roster import RosterError, check_roster, map_header
from tests.helpers.extracts import MAN, WOMAN, rid, uscc

TODAY = dt.date(2026, 11, 30)
VILLAGE = [
    "序号",
    "户号",
    "户主",
    "姓名",
    "身份证号码",
    "村民小组",
    "联系电话",
    "重点户",
    "评议",
    "评议人",
    "评议日期",
]


def village(*rows: list[str]):  # type: ignore[no-untyped-def]
    return check_roster(VILLAGE, [(i + 2, row) for i, row in enumerate(rows)], "village", TODAY)


def test_headers_by_the_templates_words_and_the_groups_own() -> None:
    positions = map_header([" 身份证号 ", "姓名*", "手机号码", "部门", "在编"], "bureau")
    assert positions == {"id_no": 0, "name": 1, "phone": 2, "department": 3, "permanent_staff": 4}
    assert map_header(["公民身份号码", "客户姓名"], "enterprise") == {"id_no": 0, "name": 1}


@pytest.mark.parametrize(
    ("header", "scenario", "said"),
    [
        (["身份证号", "姓名", "工资"], "enterprise", "第3列的表头“工资”不是整企名单的列"),
        (["身份证号", "姓名", "在编"], "enterprise", "第3列的表头“在编”不是整企名单的列"),
        (["身份证号", "手机号"], "village", "名单缺少必填列：姓名"),
        (["身份证号", "姓名", "证件号码"], "village", "“身份证号”列出现了两次（第1列和第3列）"),
        (["身份证号", "姓名"], "galaxy", "未知的场景"),
    ],
)
def test_a_roster_the_bank_cannot_read_is_refused_whole_with_the_headers_it_accepts(
    header: list[str], scenario: str, said: str
) -> None:
    with pytest.raises(RosterError, match=said) as refused:
        map_header(header, scenario)
    if "不是" in said:
        assert "身份证号" in refused.value.hint_zh  # the accepted headers, so the clerk can fix it


def test_members_carry_their_scenario_columns_and_evidence() -> None:
    checked = village(
        [
            "1",
            "H001",
            "张三",
            "张三",
            MAN,
            "第三组",
            "139 5123 4567",
            "是",
            "好",
            "后白村委会 张主任",
            "2026年11月2日",
        ],
        ["2", "H001", "张三", "李四", WOMAN, "第三组", "", "", "一般", "后白村委会 张主任", "2026-11-02"],
    )
    assert checked.rows == 2 and not checked.refused
    first, second = checked.members
    assert (first.line_no, first.id_no, first.name, first.phone) == (2, MAN, "张三", "13951234567")
    assert first.fields["household"] == "H001" and first.fields["village_group"] == "第三组"
    assert first.evidence.key_household and first.evidence.evaluation == "good"
    assert first.evidence.evaluated_by == "后白村委会 张主任"
    assert first.evidence.evaluated_on == dt.date(2026, 11, 2)
    assert not second.evidence.key_household and second.evidence.evaluation == "fair" and second.phone is None


def test_every_bad_row_is_refused_with_its_reason_and_the_rest_kept() -> None:
    good = ["", "H9", "王五", "王五", rid(seq=41), "一组", "", "", "", "", ""]
    checked = village(
        good,
        ["", "H9", "王五", "王六", rid(seq=41), "一组", "", "", "", "", ""],  # the same ID again
        ["", "H8", "", "赵七", MAN[:-1] + ("0" if MAN[-1] != "0" else "1"), "一组", "", "", "", "", ""],
        ["", "H8", "", "张", rid(seq=43), "一组", "", "", "", "", ""],
        ["", "H8", "", "钱八", rid(seq=45), "一组", "1395123456", "", "", "", ""],
        ["", "H8", "", "孙九", rid(seq=47), "一组", "", "也许", "", "", ""],
        ["", "H8", "", "周十", rid(seq=49), "一组", "", "", "较好", "", ""],
        ["", "H8", "", "吴一", rid(seq=51), "一组", "", "", "好", "村委会", "2027-01-01"],
        ["", "", "", "", "", "", "", "", "", "", ""],  # a blank row: read past
    )
    assert [m.line_no for m in checked.members] == [2]
    reasons = {r.line_no: r.reason_zh for r in checked.refused}
    assert reasons == {
        3: "与第2行重复（同一身份证号）",
        4: "身份证号无效：身份证校验位错误",
        5: "姓名：姓名至少两个汉字",
        6: "手机号无效：手机号应为11位",
        7: "“重点户”应填 是 或 否，实为“也许”",
        8: "“评议”应填 好、一般 或 差，实为“较好”",
        9: "评议日期晚于今天",
    }
    assert checked.rows == 8  # every non-blank row accounted for


def test_a_name_spaced_out_to_line_up_is_read_as_one_name() -> None:
    checked = check_roster(
        ["身份证号", "姓名"],
        [(2, [MAN, "赵\u3000六"]), (3, [WOMAN, " 欧阳  修文 "]), (4, [rid(seq=91), "Anna  Lee"])],
        "enterprise",
        TODAY,
    )
    assert [m.name for m in checked.members] == ["赵六", "欧阳修文", "Anna Lee"]


def test_bureau_staff_market_shops_and_community_consents() -> None:
    bureau = check_roster(
        ["身份证号", "姓名", "在编"], [(2, [MAN, "张三", "是"]), (3, [WOMAN, "李四", "否"])], "bureau", TODAY
    )
    assert [m.evidence.permanent_staff for m in bureau.members] == [True, False]
    shop = uscc("92", "MA1234567")
    market = check_roster(
        ["身份证号", "姓名", "商铺号", "统一社会信用代码"],
        [(2, [MAN, "张三", "A-12", shop.lower()]), (3, [WOMAN, "李四", "A-13", shop[:-1] + "0"])],
        "market",
        TODAY,
    )
    assert market.members[0].fields["shop_uscc"] == shop and market.members[0].evidence.scenario == "market"
    assert market.refused[0].reason_zh.startswith("商铺统一社会信用代码无效")
    community = check_roster(
        ["身份证号", "姓名", "手机号", "同意查询征信", "同意处理个人信息"],
        [(2, [MAN, "张三", "13951234567", "是", "是"]), (3, [WOMAN, "李四", "13951234568", "是", "否"])],
        "community",
        TODAY,
    )
    assert (
        len(community.members) == 1
        and community.refused[0].reason_zh == "未同意处理个人信息：登记需要本人同意"
    )
