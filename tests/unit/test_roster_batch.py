"""A roster decided in one go: matched, refused when the name differs, decided with the group's evidence,
counted by line band; a line already held is marked, never counted twice as new."""

from __future__ import annotations

import datetime as dt

from teller_assist.campaigns.batch import decide_roster, same_name
from teller_assist.campaigns.roster import check_roster
from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.ingest.kinds import KINDS
from teller_assist.lookup.card import ApplicationFact, CardFacts, CustomerFacts, build_card
from teller_assist.prequal.bands import band_of
from tests.helpers.extracts import rid
from tests.unit.test_prequal import POLICY

TODAY = dt.date(2026, 11, 30)
HEADER = ["身份证号", "姓名", "评议", "评议人"]
ZHANG, LI, WANG, ZHAO, QIAN = (rid(seq=s) for s in (71, 73, 75, 77, 79))
OLD = rid(born=dt.date(1955, 1, 1), seq=81)  # 71 on the decision date: over the policy's 65


def card(id_no: str, name: str | None, *, negative: str | None = None, holding: bool = False):  # type: ignore[no-untyped-def]
    customer = CustomerFacts(name, None, "0101", None, "C1") if name else None
    held = (ApplicationFact(9, "signed", 120_000_00, 385, dt.date(2028, 1, 1), "YSX1"),) if holding else ()
    facts = CardFacts(customer, (), (), negative, (), (), {}, held)
    return build_card(parse_resident_id(id_no, today=TODAY), facts, TODAY, tuple(KINDS))


def test_a_village_roster_decided_in_one_go() -> None:
    checked = check_roster(
        HEADER,
        [
            (2, [ZHANG, "张三", "好", "村委会"]),
            (3, [LI, "李四", "差", "村委会"]),
            (4, [WANG, "王五", "", ""]),  # new to the bank
            (5, [ZHAO, "赵 六", "", ""]),  # the bank writes 赵六
            (6, [QIAN, "钱七", "", ""]),  # the bank knows 钱琪
            (7, [OLD, "孙八", "", ""]),
            (8, ["1234", "周九", "", ""]),
        ],
        "village",
        TODAY,
    )
    cards = {
        ZHANG: card(ZHANG, "张三", holding=True),
        LI: card(LI, "李四", negative="fraud"),
        WANG: card(WANG, None),
        ZHAO: card(ZHAO, "赵六"),
        QIAN: card(QIAN, "钱琪"),
        OLD: card(OLD, "孙八"),
    }
    out = decide_roster(checked, cards, POLICY, TODAY)
    assert [(r.line_no, r.reason_zh[:7]) for r in out.refused] == [
        (6, "姓名与本行记录"),
        (8, "身份证号无效："),
    ]
    by_line = {d.member.line_no: d for d in out.decided}
    assert sorted(by_line) == [2, 3, 4, 5, 7]
    assert by_line[2].holding is not None and out.holding == 1  # marked, decided like the rest
    assert not by_line[3].decision.eligible and "负面清单" in by_line[3].decision.reasons[0]
    assert not by_line[7].decision.eligible and "超过65周岁" in by_line[7].decision.reasons[0]
    assert not by_line[4].known and by_line[5].known and out.known == 4 and out.eligible == 3
    # without a survey everyone eligible gets the base line; the good evaluation waits for the survey
    assert {d.decision.grantable_fen for d in out.decided if d.decision.eligible} == {30_000_00}
    assert out.grantable["≤30,000"].people == 3 and out.grantable["≤30,000"].exposure_fen == 90_000_00
    assert out.grantable["0"].people == 2


def test_names_compare_as_written_on_the_id_card() -> None:
    assert same_name("阿依古丽·买买提", "阿依古丽•买买提") and same_name("赵六", "赵 六")
    assert not same_name("钱七", "钱琪")


def test_bands_take_any_line_a_policy_allows() -> None:
    fen = (0, 1, 30_000_00, 30_000_01, 30_001_00, 200_000_00, 200_000_01, 500_000_00)
    assert [band_of(x) for x in fen] == [
        "0", "≤30,000", "≤30,000", "30,001–50,000", "30,001–50,000", "100,001–200,000", "200,001以上",
        "200,001以上",
    ]  # fmt: skip
