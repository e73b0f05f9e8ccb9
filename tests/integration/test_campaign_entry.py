"""The campaign entry desk's service on SQLite and PostgreSQL: the grid's sheet (the members with what
was typed for them: a kept draft first, else the recorded survey), a row kept as a draft and a complete
row recorded as the survey (audited as ``campaign survey`` is), and the community desk registering one
resident at a time: the next line, both consents given now, a duplicate, a bad ID, another name than the
bank's, a closed or non-community campaign and another branch refused, removed-then-registered again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.services import campaign_entry, campaigns, drafts
from teller_assist.services.campaigns import CampaignRefused
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.operators import add_operator
from teller_assist.settings import Settings
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.operators import PASSWORD
from tests.helpers.workflow import Team
from tests.integration.test_campaign_batches import (
    CODE,
    CS,
    LI,
    NEW,
    NOW,
    TODAY,
    audit_rows,
    campaign_with_roster,
    village_survey,
)

MASKING = Masking()
COMMUNITY = "comm-幸福里-2026"


@pytest.fixture
def ctx(store: Store, settings: Settings, policy: Policy) -> Context:
    return Context(store, settings, policy, Clock.on(TODAY))


def community(store: Store, team: Team) -> None:
    spec = check_spec(
        code=COMMUNITY, scenario="community", group_name="幸福里小区", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
    )  # fmt: skip
    campaigns.create_campaign(store, team.head.operator, spec, now=NOW)


def test_the_sheet_keeps_drafts_and_records_a_complete_row_as_the_survey(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    campaign_with_roster(ctx, team, tmp_path)
    teller = team.teller.operator
    sheet = campaign_entry.open_sheet(ctx, teller, CODE)
    assert [r.name for r in sheet.rows] == ["张三", "李四", "孙五", "钱七", "王六", "赵八", "周九"]
    assert [f.key for f in sheet.form.fields][:2] == ["household_members", "farmland_mu"]
    li = next(r for r in sheet.rows if r.id_no == LI)
    assert li.id_masked == MASKING.resident_id(LI) and LI not in repr(li) and li.answers == {}

    answers = {"household_members": 3, "farmland_mu": "2.5", "consent_credit_inquiry": True}
    campaign_entry.keep_draft(ctx, teller, sheet, li, answers)
    kept = drafts.load(store, LI)
    assert kept is not None and kept.survey.answers == {"household_members": 3, "farmland_mu": "2.5"}
    again = campaign_entry.open_sheet(ctx, teller, CODE)
    li_again = next(r for r in again.rows if r.id_no == LI)
    assert li_again.drafted and li_again.answers == {"household_members": 3, "farmland_mu": "2.5"}

    with pytest.raises(UserFacingError):  # not complete: refused as campaign survey refuses it
        campaign_entry.save_row(ctx, teller, again, li_again, answers)
    cs = next(r for r in again.rows if r.id_no == CS)
    recorded = campaign_entry.save_row(ctx, teller, again, cs, dict(village_survey().answers))
    assert recorded.decision.survey_complete
    member = store_campaigns.member(store, again.campaign.id, CS)
    assert member is not None and member.surveyed_by == teller.login
    assert [(w, s) for w, s, _d in audit_rows(store, "campaign_survey")] == [(teller.login, CODE)]
    third = campaign_entry.open_sheet(ctx, teller, CODE)
    cs_row = next(r for r in third.rows if r.id_no == CS)
    assert cs_row.surveyed and not cs_row.drafted and cs_row.answers["main_produce"] == "茶叶"
    assert [d["rows"] for _w, _s, d in audit_rows(store, "campaign_entry")] == [7, 7, 7]

    with pytest.raises(UserFacingError, match="屏幕已锁定"):
        campaign_entry.keep_draft(ctx, teller, third, cs_row, {}, locked=True)
    refused = audit_rows(store, "campaign_refused")
    assert refused[-1][2]["action"] == "entry_draft" and refused[-1][2]["reason"] == "screen locked"


def test_the_community_desk_registers_one_resident_at_a_time(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    campaign_with_roster(ctx, team, tmp_path)  # the bank's customers (and a village campaign)
    community(store, team)
    teller = team.teller.operator

    def register(raw_id: str, name: str, phone: str = "13812345678", consents=(True, True)):  # type: ignore[no-untyped-def]
        return campaign_entry.register(
            ctx, teller, COMMUNITY, raw_id=raw_id, name=name, phone=phone, consents=consents,
        )  # fmt: skip

    first = register(NEW, "王六")
    assert (first.line_no, first.status, first.again) == (1, "new_to_bank", False)
    assert first.decision.eligible and first.decision.grantable_fen > 0
    second = register(LI, "李四")
    assert (second.line_no, second.status) == (2, "matched")

    for raw, name, phone, consents, said in (
        (NEW[:-1] + ("1" if NEW[-1] != "1" else "2"), "王六", "13812345678", (True, True), "身份证号无效"),
        (NEW, "王六", "13812345678", (True, True), "已登记在本活动（第1行）"),
        (CS, "张叁", "13812345678", (True, True), "姓名与本行记录不一致"),
        (rid(seq=71), "吴七", "", (True, True), "请填写手机号"),
        (rid(seq=71), "吴七", "12345", (True, True), "手机号无效"),
        (rid(seq=71), "吴七", "13812345678", (True, False), "两项都须勾选"),
    ):
        with pytest.raises(UserFacingError, match=said):
            register(raw, name, phone, consents)

    c = store_campaigns.get(store, COMMUNITY)
    assert c is not None
    members = store_campaigns.members(store, c.id)
    assert [(m.id_no, m.line_no, m.status, m.consent_by, m.phone) for m in members] == [
        (NEW, 1, "new_to_bank", teller.login, "13812345678"),
        (LI, 2, "matched", teller.login, "13812345678"),
    ]
    said = [(w, s, d["line"], d["status"]) for w, s, d in audit_rows(store, "campaign_register")]
    assert said == [(teller.login, COMMUNITY, 1, "new_to_bank"), (teller.login, COMMUNITY, 2, "matched")]

    with store.engine.begin() as conn:  # a later roster left 王六 out
        conn.execute(text("UPDATE campaign_member SET status = 'removed' WHERE id_no = :i"), {"i": NEW})
    back = register(NEW, "王六")
    assert (back.line_no, back.again) == (3, True)

    with pytest.raises(CampaignRefused, match="只有整社区活动"):
        campaign_entry.register(
            ctx, teller, CODE, raw_id=rid(seq=71), name="吴七", phone="13812345678", consents=(True, True),
        )  # fmt: skip
    other = add_operator(
        store, team.admin.operator, login="teller9", name="teller9", role="teller", password=PASSWORD,
        branch_code="0102",
    )  # fmt: skip
    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0101 的员工"):
        campaign_entry.register(
            ctx, other, COMMUNITY, raw_id=rid(seq=71), name="吴七", phone="13812345678",
            consents=(True, True),
        )  # fmt: skip
    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0101 的员工"):
        campaign_entry.open_sheet(ctx, other, COMMUNITY)
    campaigns.close_campaign(store, team.head.operator, COMMUNITY)
    with pytest.raises(CampaignRefused, match="已于"):
        register(rid(seq=71), "吴七")
    refused = [(w, d["action"]) for w, _s, d in audit_rows(store, "campaign_refused")]
    assert refused == [
        (teller.login, "register"),
        ("teller9", "survey"),
        ("teller9", "survey"),
        (teller.login, "register"),
    ]
