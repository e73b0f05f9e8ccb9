"""A market's till records (merchant, month, sales), on SQLite and PostgreSQL: read from the file the
market hands over, matched to the campaign's merchants by resident ID or by the shop's code, kept with
the membership (a corrected roster keeps them), and read by the policy's market factor into the
decision with its evidence, every figure from the policy file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.campaigns.roster import RosterError
from teller_assist.campaigns.till import check_till, parse_month
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import campaign_batches as batches
from teller_assist.services import campaigns
from teller_assist.services.campaigns import CampaignRefused
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.engine import Store
from tests.helpers.extracts import COMPANY, MAN, WOMAN, rid, write
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 30)  # the window: the six full months May to October 2026
NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
CODE = "market-城南-2026"
STRANGER = rid(seq=77)
MASKING = Masking()


def bank_knows(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261129.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{MAN},张三,男,19850314,13951234567,,C1,0101,321183",
            f"{WOMAN},李四,女,19850314,,,C2,0101,321183",
        ],
    )
    assert [f.status for f in import_paths(store, [folder], today=TODAY).files] == ["loaded"]


def sheet(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


ROSTER = [
    ["序号", "姓名", "身份证号", "商铺", "商铺统一社会信用代码"],
    [1, "张三", MAN, "A-12 张记粮油", COMPANY],
    [2, "李四", WOMAN, "B-03 李家水产", ""],
]


def market(ctx: Context, team: Team, tmp_path: Path, scenario: str = "market") -> None:
    bank_knows(ctx.store, tmp_path / "extracts")
    spec = check_spec(
        code=CODE, scenario=scenario, group_name="城南农贸市场", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
    )  # fmt: skip
    campaigns.create_campaign(ctx.at(NOW), team.head.operator, spec)
    rows = ROSTER if scenario == "market" else [r[:3] for r in ROSTER]
    campaigns.import_roster(
        ctx.at(NOW), team.head.operator, CODE, sheet(tmp_path / "商户名单.xlsx", rows)
    )  # fmt: skip


TILL = [
    ["城南农贸市场 商户收银流水（2026年5月至11月）"],
    ["序号", "经营者姓名", "身份证号", "商铺统一社会信用代码", "月份", "销售额（元）"],
    [1, "张三", MAN, "", "2026-05", "90000.00"],
    [2, "张三", MAN, "", "2026年7月", 75000],
    [3, "张三", "", COMPANY, "2026/09", "81,000.50"],  # by the shop's code
    [4, "张三", MAN, "", "202610", 0],  # a month with records and no sales counts
    [5, "李四", WOMAN, "", "2026-08", 60000],
    [6, "李四", WOMAN, "", "2026-09", 60000],  # two months: not enough
    [7, "王五", STRANGER, "", "2026-09", 50000],  # not on the campaign
    [8, "张三", MAN, "", "2026-11", 50000],  # this month is not over
    [9, "张三", MAN, "", "2026-05", 1],  # the same month again
    [10, "李四", WOMAN, "", "2026-10", "六万"],  # not an amount
]


def market_survey(**changes: object) -> Survey:
    answers: dict[str, object] = {
        "shop_name": "张记粮油",
        "monthly_till_sales": 500000,  # declared: does not raise the line
        "phone": "13951234567",
        "consent_credit_inquiry": True,
        "consent_personal_info": True,
    }
    return Survey("market", answers | changes)


def factor(decision, code: str):  # type: ignore[no-untyped-def]
    [found] = [f for f in decision.factors if f.code == code]
    return found


def test_till_records_load_onto_the_merchants_and_give_the_policys_candidate_with_its_evidence(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    market(ctx, team, tmp_path)
    done = campaigns.import_till(
        ctx.at(NOW), team.head.operator, CODE, sheet(tmp_path / "收银流水.xlsx", TILL)
    )  # fmt: skip
    assert (done.rows, done.months, done.merchants, done.changed) == (10, 6, 2, 2)
    assert [(r.line_no, r.reason_zh[:6]) for r in done.refused] == [
        (9, "该商户不在本"), (10, "2026年1"), (11, "与第3行重复"), (12, "“销售额”不")
    ]  # fmt: skip
    stored = {m.id_no: m for m in store_campaigns.members(store, done.campaign.id)}
    assert json.loads(stored[MAN].extras["till_sales"]) == {
        "2026-05": 9_000_000, "2026-07": 7_500_000, "2026-09": 8_100_050, "2026-10": 0
    }  # fmt: skip
    with store.connection() as conn:
        [(who, detail)] = conn.execute(
            text("SELECT operator, detail FROM audit_event WHERE action = 'campaign_till_import'")
        ).all()
    assert who == "head1" and json.loads(detail)["months"] == 6
    assert all(i not in detail for i in (MAN, WOMAN, STRANGER, COMPANY))

    # four months with records: (90,000 + 75,000 + 81,000.50 + 0) / 4 = 61,500.12, x3 = 184,500.36
    zhang = batches.record_survey(ctx.on(TODAY), team.teller.operator, CODE, MAN, market_survey())
    till = factor(zhang.decision, "till_sales")
    assert till.applies and till.amount_fen == 3 * 6_150_012
    assert "近6个月中4个月有收银记录" in till.evidence and "3倍月均销售额" in till.evidence
    li = batches.record_survey(
        ctx.on(TODAY),
        team.teller.operator,
        CODE,
        WOMAN,
        market_survey(shop_name="李家水产"),
    )
    assert not factor(li.decision, "till_sales").applies
    assert "有收银记录2个月，不足3个月" in factor(li.decision, "till_sales").evidence

    # every figure is the policy's: two months suffice and the candidate is twice the average
    toml = default_policy_path().read_text(encoding="utf-8")
    changed = tmp_path / "policy.toml"
    changed.write_text(
        toml.replace("till_min_months = 3", "till_min_months = 2").replace(
            "till_multiple = 3", "till_multiple = 2"
        ),
        encoding="utf-8",
    )
    other = load_policy(changed)
    again = batches.record_survey(
        dataclasses.replace(ctx, policy=other).on(TODAY),
        team.teller.operator,
        CODE,
        WOMAN,
        market_survey(shop_name="李家水产"),
    )
    assert factor(again.decision, "till_sales").amount_fen == 2 * 6_000_000
    assert "2倍月均销售额" in factor(again.decision, "till_sales").evidence

    # a corrected roster keeps the till records; the member's shown columns do not carry them
    corrected = sheet(tmp_path / "更正.xlsx", [*ROSTER[:2], [2, "李四", WOMAN, "B-04", ""]])
    campaigns.import_roster(ctx.on(TODAY), team.head.operator, CODE, corrected)
    kept = {m.id_no: m for m in store_campaigns.members(store, done.campaign.id)}
    assert kept[WOMAN].extras["shop"] == "B-04" and json.loads(kept[WOMAN].extras["till_sales"]) == {
        "2026-08": 6_000_000, "2026-09": 6_000_000
    }  # fmt: skip
    shown = campaigns.show_campaign(ctx.on(TODAY), team.head.operator, CODE, members=True)
    assert shown.member_lines is not None and len(shown.member_lines) == 2
    assert all("till_sales" not in line.extras for line in shown.member_lines)


def test_till_records_only_for_a_market_campaign_and_only_by_its_managers(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    market(ctx, team, tmp_path, scenario="association")
    path = sheet(tmp_path / "收银流水.xlsx", TILL)
    with pytest.raises(CampaignRefused, match="收银记录只用于整市场活动"):
        campaigns.import_till(ctx.on(TODAY), team.head.operator, CODE, path)
    with pytest.raises(CampaignRefused, match="导入收银记录到"):
        campaigns.import_till(ctx.on(TODAY), team.teller.operator, CODE, path)
    with store.connection() as conn:
        reasons = [
            json.loads(d)["reason"]
            for (d,) in conn.execute(text("SELECT detail FROM audit_event WHERE action = 'campaign_refused'"))
        ]
    assert reasons[-2:] == ["not_market", "not head office or the owning branch's head"]


def test_a_till_file_without_a_month_or_with_an_unknown_column_is_refused_whole() -> None:
    with pytest.raises(RosterError, match="缺少必填列：月份"):
        check_till(["身份证号", "销售额"], [], TODAY)
    with pytest.raises(RosterError, match="缺少必填列：身份证号 或 商铺统一社会信用代码"):
        check_till(["姓名", "月份", "销售额"], [], TODAY)
    with pytest.raises(RosterError, match="“利润”不是收银记录的列"):
        check_till(["身份证号", "月份", "销售额", "利润"], [], TODAY)
    assert parse_month("2026年5月") == parse_month("2026-05-17") == dt.date(2026, 5, 1)


def test_a_merchant_removed_by_a_roster_loaded_meanwhile_loads_nothing_and_says_so(
    store: Store, team: Team, policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctx: Context
) -> None:
    market(ctx, team, tmp_path)
    real = store_campaigns.record_till

    def roster_first(*args: object, **kwargs: object) -> int:  # another clerk's roster lands in between
        campaigns.import_roster(
            ctx.on(TODAY), team.head.operator, CODE, sheet(tmp_path / "新名单.xlsx", ROSTER[:2])
        )  # fmt: skip
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_campaigns, "record_till", roster_first)
    with pytest.raises(UserFacingError, match="读取收银记录期间活动名单有变化，收银记录未导入"):
        campaigns.import_till(
            ctx.on(TODAY), team.head.operator, CODE, sheet(tmp_path / "收银流水.xlsx", TILL)
        )  # fmt: skip
    found = store_campaigns.get(store, CODE)
    assert found is not None
    assert all("till_sales" not in m.extras for m in store_campaigns.members(store, found.id))
    with store.connection() as conn:
        assert not conn.execute(text("SELECT 1 FROM audit_event WHERE action = 'campaign_till_import'")).all()
