"""Group campaigns stored (migration 0014), on SQLite and PostgreSQL: made and closed only by head office
or the owning branch's head, every refusal audited; a roster loaded whole in one transaction, every row
accounted for; a corrected roster updating the members, never doubling them; a closed campaign taking no
roster; a person on two campaigns one person with one line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.campaigns.campaign import check_spec
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import campaigns
from teller_assist.services.campaigns import CampaignRefused
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_operator, disable_operator
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from tests.helpers.context import context_of
from tests.helpers.extracts import COMPANY, MAN, WOMAN, rid, write
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
NEG = rid(seq=31)  # a customer on the negative list
QIAN = rid(seq=33)  # the bank knows 钱琪
NEW = rid(seq=95)  # new to the bank
LATER = rid(seq=97)  # joins with the corrected roster
MASKING = Masking()


def bank_knows(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261129.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{MAN},张三,男,19850314,13951234567,,C1,0101,321183",
            f"{WOMAN},李四,女,19850314,,,C2,0101,321183",
            f"{NEG},孙五,男,19850314,,,C3,0101,321183",
            f"{QIAN},钱琪,男,19850314,,,C4,0101,321183",
        ],
    )
    write(folder, "negative_list_20261129.csv", ["id_no,reason,listed_on,note", f"{NEG},fraud,2026-01-05,"])
    report = import_paths(store, [folder], today=TODAY)
    assert [f.status for f in report.files] == ["loaded", "loaded"]


def spec(code: str = "village-后白-2026", branch: str = "0101", **changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "code": code,
        "scenario": "village",
        "group_name": "后白镇后白村",
        "branch_code": branch,
        "starts_on": dt.date(2026, 12, 1),
        "ends_on": dt.date(2027, 3, 31),
        "today": TODAY,
        "village_groups": ("一组", "二组"),
    }
    return check_spec(**(values | changes))  # type: ignore[arg-type]


def roster(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["后白村村民名单"])
    sheet.append(["序号", "户号", "姓名", "身份证号", "村民小组", "重点户", "评议", "评议人", "手机号"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


FIRST = [
    [1, "H1", "张三", MAN, "一组", "是", "好", "村委会 张主任", "13951234567"],  # line 3: matched
    [2, "H1", "李四", WOMAN, "一组", "", "", "", ""],  # matched
    [3, "H2", "孙五", NEG, "二组", "", "", "", ""],  # matched, on the negative list: not eligible
    [4, "H2", "王六", NEW, "二组", "", "", "", ""],  # new to the bank: the base line
    [5, "H3", "钱七", QIAN, "二组", "", "", "", ""],  # the bank knows 钱琪: refused, kept as a member
    [6, "H3", '=HYPERLINK("x")', rid(seq=99), "二组", "", "", "", ""],  # a formula: the row only
    [7, "H1", "张三", MAN, "一组", "", "", "", ""],  # the same person again: the row only
    [8, "H4", "周八", "32118319850314", "二组", "", "", "", ""],  # a short ID: the row only
]


def rows_of(store: Store, action: str) -> list[tuple[str | None, str | None, dict[str, object]]]:
    with store.connection() as conn:
        return [
            (r[0], r[1], json.loads(r[2]))
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def member_rows(store: Store, code: str) -> dict[str, store_campaigns.StoredMember]:
    found = store_campaigns.get(store, code)
    assert found is not None
    return {m.id_no: m for m in store_campaigns.members(store, found.id)}


def other_head(store: Store, team: Team) -> OperatorRecord:
    return add_operator(
        context_of(store),
        team.admin.operator, login="head2", name="head2", role="branch_head", password=PASSWORD,
        branch_code="0102",
    )  # fmt: skip


def test_campaigns_are_made_by_head_office_or_their_branchs_head_and_every_refusal_is_audited(
    store: Store, team: Team, ctx: Context
) -> None:
    head, teller, admin = team.head.operator, team.teller.operator, team.admin.operator
    made = campaigns.create_campaign(ctx.at(NOW), head, spec())
    assert (made.code, made.status, made.branch_code, made.created_by) == (
        "village-后白-2026",
        "open",
        "0101",
        "head1",
    )
    assert made.village_groups == ("一组", "二组") and made.created_at == NOW
    elsewhere = campaigns.create_campaign(
        ctx, admin, spec("ent-某厂-2026", "0102", scenario="enterprise", group_name="某厂",
                         group_uscc=COMPANY, village_groups=(), indicator=300)
    )  # fmt: skip
    assert (elsewhere.group_uscc, elsewhere.indicator, elsewhere.indicator_measure) == (
        COMPANY,
        300,
        "signed",
    )

    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0102 的负责人") as refused:
        campaigns.create_campaign(ctx, head, spec("village-x", "0102"))
    assert refused.value.exit_code == 3
    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0101 的负责人"):
        campaigns.create_campaign(ctx, teller, spec("village-y"))
    with pytest.raises(CampaignRefused, match="已被另一活动使用"):
        campaigns.create_campaign(ctx, admin, spec())
    with store.write_session() as s:  # a target list's code is a campaign's code in the KPIs
        s.execute(
            text("INSERT INTO target (campaign, id_no, scenario) VALUES ('2026-总行-首批', :i, NULL)"),
            {"i": MAN},
        )
    with pytest.raises(CampaignRefused, match="已被另一目标名单使用"):
        campaigns.create_campaign(ctx, admin, spec("2026-总行-首批"))
    disable_operator(ctx, admin, "head1")
    with pytest.raises(CampaignRefused, match="已停用"):  # the record read at sign-in is stale
        campaigns.create_campaign(ctx, head, spec("village-z"))

    assert [(o, s) for o, s, _d in rows_of(store, "campaign_create")] == [
        ("head1", "village-后白-2026"), ("admin1", "ent-某厂-2026")
    ]  # fmt: skip
    assert [(o, s, d["action"], d["reason"]) for o, s, d in rows_of(store, "campaign_refused")] == [
        ("head1", "village-x", "create", "not head office or the owning branch's head"),
        ("teller1", "village-y", "create", "not head office or the owning branch's head"),
        ("admin1", "village-后白-2026", "create", "code taken"),
        ("admin1", "2026-总行-首批", "create", "code taken"),
    ]
    with pytest.raises(IntegrityError), store.write_session() as s:  # the database's own key, too
        s.execute(
            text(
                "INSERT INTO campaign (code, scenario, group_name, village_groups, branch_code, starts_on, "
                "ends_on, indicator_measure, status, created_by, created_at) VALUES ('village-后白-2026', "
                "'village', 'x', '[]', '0101', :d, :d, 'signed', 'open', 'x', :t)"
            ),
            {"d": TODAY, "t": NOW},
        )


def test_each_operator_lists_the_campaigns_they_may_see(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    campaigns.create_campaign(ctx, team.admin.operator, spec())
    campaigns.create_campaign(ctx, team.admin.operator, spec("village-前进-2026", "0102"))
    head2 = other_head(store, team)
    assert [c.code for c in campaigns.list_campaigns(ctx, team.admin.operator)] == [
        "village-前进-2026", "village-后白-2026"
    ]  # fmt: skip
    assert [c.code for c in campaigns.list_campaigns(ctx, team.teller.operator)] == ["village-后白-2026"]
    assert [c.code for c in campaigns.list_campaigns(ctx, head2)] == ["village-前进-2026"]
    with pytest.raises(CampaignRefused, match="只能查看本网点的活动"):
        campaigns.show_campaign(ctx.on(TODAY), head2, "village-后白-2026")
    assert rows_of(store, "campaign_refused")[-1][2]["action"] == "show"


def test_a_roster_loads_in_one_go_every_row_accounted_for(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    campaigns.create_campaign(ctx, team.head.operator, spec())
    out = tmp_path / "退回村委会.xlsx"
    done = campaigns.import_roster(
        ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / "后白村.xlsx", FIRST),
        refused_out=out,
    )  # fmt: skip
    plan, counts = done.plan, done.counts
    assert plan.rows == 8 and len(plan.refused) == 4 and done.refused_written == 4
    assert (plan.count("matched"), plan.count("new_to_bank"), plan.count("refused")) == (3, 1, 1)
    assert dataclasses.astuple(counts) == (5, 0, 0, 0)  # added, updated, unchanged, removed

    stored = member_rows(store, "village-后白-2026")
    assert {i: (m.status, m.line_no) for i, m in stored.items()} == {
        MAN: ("matched", 3), WOMAN: ("matched", 4), NEG: ("matched", 5), NEW: ("new_to_bank", 6),
        QIAN: ("refused", 7),
    }  # fmt: skip
    zhang = stored[MAN]
    assert (zhang.evaluation, zhang.evaluated_by, zhang.key_household, zhang.phone) == (
        "good", "村委会 张主任", True, "13951234567"
    )  # fmt: skip
    assert zhang.extras == {"household": "H1", "village_group": "一组"}
    assert stored[QIAN].reason is not None and stored[QIAN].reason.startswith("姓名与本行记录不一致")

    assert out.stat().st_mode & 0o777 == 0o600
    sheet = load_workbook(out).active
    written = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [r[0] for r in written[1:]] == [7, 8, 9, 10]
    assert written[1][2] == MASKING.resident_id(QIAN) and written[4][2] == "***"  # a short ID: nothing of it
    assert all(i not in str(written) for i in (MAN, QIAN)) and all(
        c.data_type != "f" for row in sheet.iter_rows() for c in row
    )
    [(who, subject, detail)] = rows_of(store, "campaign_import")
    assert (who, subject) == ("head1", "village-后白-2026")
    assert (detail["rows"], detail["matched"], detail["refused_rows"], detail["added"]) == (8, 3, 4, 5)
    assert all(i not in json.dumps(detail) for i in (MAN, WOMAN, NEG, NEW, QIAN))

    shown = campaigns.show_campaign(ctx.on(TODAY), team.teller.operator, "village-后白-2026")
    assert shown.counts == {"matched": 3, "new_to_bank": 1, "refused": 1, "removed": 0} and shown.members == 5
    pre = shown.prequalified
    assert (pre.decided, pre.eligible, pre.holding) == (4, 3, 0)  # 孙五 on the negative list
    assert pre.grantable["0"].people == 1 and pre.grantable["≤30,000"].people == 3
    assert shown.campaign.roster_rows == 8 and shown.campaign.roster_by == "head1"


def test_a_corrected_roster_updates_the_members_and_never_doubles_them(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    campaigns.create_campaign(ctx, team.head.operator, spec())

    def load(name: str, rows: list[list[object]]) -> campaigns.RosterImport:
        return campaigns.import_roster(
            ctx.on(TODAY), team.admin.operator, "village-后白-2026", roster(tmp_path / name, rows)
        )  # fmt: skip

    load("第一版.xlsx", FIRST)
    corrected = [
        [1, "H1", "张三", MAN, "一组", "是", "一般", "村委会 张主任", "13951234567"],  # evaluation changed
        [2, "H1", "李四", WOMAN, "一组", "", "", "", ""],  # unchanged
        [3, "H2", "孙五", NEG, "二组", "", "", "", ""],
        [4, "H3", "钱琪", QIAN, "二组", "", "", "", ""],  # the name corrected, a line up: matched now
        [5, "H5", "吴九", LATER, "二组", "", "", "", ""],  # joins
    ]  # 王六 is no longer on it: kept, marked removed
    again = load("第二版.xlsx", corrected)
    assert dataclasses.astuple(again.counts) == (1, 2, 2, 1)  # added, updated, unchanged, removed
    stored = member_rows(store, "village-后白-2026")
    assert len(stored) == 6
    assert {i: m.status for i, m in stored.items()} == {
        MAN: "matched", WOMAN: "matched", NEG: "matched", NEW: "removed", QIAN: "matched",
        LATER: "new_to_bank",
    }  # fmt: skip
    assert stored[MAN].evaluation == "fair" and stored[QIAN].reason is None and stored[QIAN].name == "钱琪"
    assert load("第二版.xlsx", corrected).counts == store_campaigns.ImportCounts(0, 0, 5, 0)
    with store.connection() as conn:
        assert conn.execute(text("SELECT count(*) FROM campaign_member")).scalar_one() == 6

    # a good row then spoiled: the member stays with what the bank had, marked refused until corrected
    spoiled = [row.copy() for row in corrected] + [[6, "H2", "王六", NEW, "二组", "", "", "", ""]]
    spoiled[0][8] = "1395123"  # a phone cut short
    back = load("第三版.xlsx", spoiled)
    assert dataclasses.astuple(back.counts) == (0, 2, 4, 0)  # 王六 back, 张三 refused
    stored = member_rows(store, "village-后白-2026")
    assert (stored[MAN].status, stored[MAN].phone, stored[MAN].evaluation) == (
        "refused",
        "13951234567",
        "fair",
    )
    assert stored[MAN].reason == "手机号无效：手机号应为11位" and stored[NEW].status == "new_to_bank"
    shown = campaigns.show_campaign(ctx.on(TODAY), team.admin.operator, "village-后白-2026")
    assert shown.counts == {"matched": 3, "new_to_bank": 2, "refused": 1, "removed": 0}


def typo(id_no: str, at: int = 10) -> str:
    """The ID with one digit mistyped (its check character then fails)."""
    return id_no[:at] + str((int(id_no[at]) + 1) % 10) + id_no[at + 1 :]


def test_a_member_whose_row_was_refused_for_its_id_is_kept_not_removed(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    campaigns.create_campaign(ctx, team.head.operator, spec())

    def load(name: str, rows: list[list[object]]) -> campaigns.RosterImport:
        return campaigns.import_roster(
            ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / name, rows)
        )  # fmt: skip

    load("第一版.xlsx", FIRST[:5])
    fixed = [
        [1, "H1", "张三", MAN, "一组", "是", "好", "村委会 张主任", "13951234567"],
        [2, "H1", "李泗", typo(WOMAN), "一组", "", "", "", ""],  # line 4: the ID mistyped, the name too
        [3, "H2", "王六", typo(NEW, 16), "二组", "", "", "", ""],  # line 5: the ID mistyped
        [4, "H3", "钱琪", QIAN, "二组", "", "", "", ""],
    ]  # 孙五 is no longer on it, and no refused row could be him: removed as before
    done = load("第二版.xlsx", fixed)
    assert (done.counts.removed, len(done.plan.refused)) == (1, 2)
    assert [(h.id_no, h.name, h.line_no) for h in done.held] == [(WOMAN, "李四", 4), (NEW, "王六", 5)]
    stored = member_rows(store, "village-后白-2026")
    assert {i: m.status for i, m in stored.items()} == {
        MAN: "matched", WOMAN: "matched", NEG: "removed", NEW: "new_to_bank", QIAN: "matched"
    }  # fmt: skip
    (*_, last) = rows_of(store, "campaign_import")
    assert last[2]["held"] == [4, 5] and last[2]["removed"] == 1
    assert WOMAN not in json.dumps(last[2]) and NEW not in json.dumps(last[2])

    # corrected and loaded again: 王六 is read; a roster without 李四 and no row for her removes her
    again = load("第三版.xlsx", [fixed[0], [3, "H2", "王六", NEW, "二组", "", "", "", ""], fixed[3]])
    assert again.held == () and again.counts.removed == 1
    stored = member_rows(store, "village-后白-2026")
    assert (stored[WOMAN].status, stored[NEW].status) == ("removed", "new_to_bank")


def test_a_roster_with_no_readable_person_is_refused_whole(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaigns.create_campaign(ctx, team.head.operator, spec())
    campaigns.import_roster(
        ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / "a.xlsx", FIRST[:4])
    )  # fmt: skip
    cut = [[1, "H1", "张三", 321183198503140000, "一组", "", "", "", ""]]  # Excel cut every ID
    with pytest.raises(UserFacingError, match="没有一行能识别为成员"):
        campaigns.import_roster(
            ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / "b.xlsx", cut)
        )  # fmt: skip
    kept = member_rows(store, "village-后白-2026")
    assert len(kept) == 4 and {m.status for m in kept.values()} == {"new_to_bank"}  # nobody removed


def test_a_closed_campaign_takes_no_roster_and_closes_once(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaigns.create_campaign(ctx, team.head.operator, spec())
    path = roster(tmp_path / "r.xlsx", FIRST[:2])
    head2 = other_head(store, team)
    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0101 的负责人可以导入名单到"):
        campaigns.import_roster(ctx.on(TODAY), head2, "village-后白-2026", path)
    with pytest.raises(CampaignRefused, match="可以结束该网点的活动"):
        campaigns.close_campaign(ctx, head2, "village-后白-2026")
    with pytest.raises(CampaignRefused):
        campaigns.close_campaign(ctx, team.teller.operator, "village-后白-2026")
    closed = campaigns.close_campaign(ctx.at(NOW), team.head.operator, "village-后白-2026")
    assert (closed.status, closed.closed_by, closed.closed_at) == ("closed", "head1", NOW)
    with pytest.raises(CampaignRefused, match="已于 2026-11-30 由 head1 结束，不再接收名单") as refused:
        campaigns.import_roster(ctx.on(TODAY), team.admin.operator, "village-后白-2026", path)
    assert refused.value.exit_code == 3
    with pytest.raises(CampaignRefused, match="已于"):
        campaigns.close_campaign(ctx, team.admin.operator, "village-后白-2026")
    assert member_rows(store, "village-后白-2026") == {}
    assert [(o, d["action"], d["reason"]) for o, _s, d in rows_of(store, "campaign_refused")] == [
        ("head2", "import", "not head office or the owning branch's head"),
        ("head2", "close", "not head office or the owning branch's head"),
        ("teller1", "close", "not head office or the owning branch's head"),
        ("admin1", "import", "closed"),
        ("admin1", "close", "closed"),
    ]
    assert [o for o, _s, _d in rows_of(store, "campaign_close")] == ["head1"]
    with pytest.raises(store_campaigns.CampaignClosed):  # the store refuses too, whatever the service saw
        store_campaigns.import_members(
            store, "village-后白-2026", [store_campaigns.MemberIn(MAN, "张三", "matched", 3)],
            store_campaigns.RosterIn("r.xlsx", "0" * 64, 1), by="x", at=NOW,
            entry=lambda _c: pytest.fail("no audit row for what was not done"),
        )  # fmt: skip
    with pytest.raises(campaigns.CampaignNotFound, match="没有活动代码为 nothing 的活动"):
        campaigns.close_campaign(ctx, team.admin.operator, "nothing")


def test_a_person_on_two_campaigns_is_one_person_with_one_line(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    campaigns.create_campaign(ctx, team.head.operator, spec())
    campaigns.create_campaign(
        ctx, team.head.operator,
        spec("assoc-个协-2026", scenario="association", group_name="个体劳动者协会", village_groups=()),
    )  # fmt: skip
    submitted = apps.submit(ctx.at(NOW), MAN, Survey("walk_in", walk_in_answers()), team.manager, name="张三")
    line_fen = apps.approve(ctx.at(NOW), submitted.id, team.head).line_fen
    campaigns.import_roster(
        ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / "v.xlsx", FIRST[:2])
    )  # fmt: skip
    members = tmp_path / "协会.csv"
    members.write_text(f"身份证号,姓名,会员编号\n{MAN},张三,A-1\n{NEW},王六,A-2\n", encoding="utf-8")
    done = campaigns.import_roster(ctx.on(TODAY), team.head.operator, "assoc-个协-2026", members)
    assert done.plan.holding == 1  # taken as a member, marked as holding a line already
    for code, others in (("village-后白-2026", 1), ("assoc-个协-2026", 1)):
        shown = campaigns.show_campaign(ctx.on(TODAY), team.head.operator, code)
        pre = shown.prequalified
        assert (shown.on_other_campaigns, pre.holding, pre.holding_fen) == (others, 1, line_fen)
        assert sum(t.people for t in pre.grantable.values()) == pre.decided - 1  # not granted again
    with store.connection() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM campaign_member WHERE id_no = :i"), {"i": MAN}
            ).scalar_one()
            == 2
        )
        assert (
            conn.execute(text("SELECT count(*) FROM application WHERE id_no = :i"), {"i": MAN}).scalar_one()
            == 1
        )
        columns = set(conn.execute(text("SELECT * FROM campaign_member")).keys())
    assert not {c for c in columns if "line" in c and c != "line_no"}  # a membership, never a copy of a line


def test_members_are_shown_masked(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    campaigns.create_campaign(ctx, team.head.operator, spec())
    campaigns.import_roster(
        ctx.on(TODAY), team.head.operator, "village-后白-2026", roster(tmp_path / "v.xlsx", FIRST)
    )  # fmt: skip
    shown = campaigns.show_campaign(ctx.on(TODAY), team.teller.operator, "village-后白-2026", members=True)
    assert shown.member_lines is not None
    first = shown.member_lines[0]
    assert (first.line_no, first.id_masked, first.phone_masked, first.status_zh, first.evaluation_zh) == (
        3, MASKING.resident_id(MAN), MASKING.phone("13951234567"), "本行客户", "好"
    )  # fmt: skip
    assert MAN not in repr(shown) and "13951234567" not in repr(shown.member_lines)
    assert rows_of(store, "campaign_view")[-1][2]["listed"] == 5


def test_the_database_keeps_the_campaigns_rules(store: Store) -> None:
    insert = (
        "INSERT INTO campaign (code, scenario, group_name, group_uscc, village_groups, branch_code, "
        "starts_on, ends_on, indicator_measure, status, created_by, created_at, closed_by, closed_at) VALUES "
        "(:c, :s, 'g', :u, '[]', '0101', :a, :b, 'signed', :st, 'x', :t, :cb, :ca)"
    )
    good = {
        "c": "ok",
        "s": "village",
        "u": None,
        "a": TODAY,
        "b": TODAY,
        "st": "open",
        "t": NOW,
        "cb": None,
        "ca": None,
    }
    with store.write_session() as s:
        s.execute(text(insert), good)
    for bad in (
        {"c": "b1", "s": "bureau"},  # a bureau without its code
        {"c": "b2", "s": "walk_in"},
        {"c": "b3", "b": TODAY - dt.timedelta(days=1)},
        {"c": "b4", "st": "closed"},  # closed, but by whom and when?
        {"c": "b5", "cb": "x", "ca": NOW},  # open, yet closed
    ):
        with pytest.raises(IntegrityError), store.write_session() as s:
            s.execute(text(insert), good | bad)
    member = (
        "INSERT INTO campaign_member (campaign_id, id_no, name, key_household, permanent_staff, extras, "
        "line_no, status, reason, added_at, updated_at) VALUES ((SELECT id FROM campaign WHERE code = 'ok'), "
        ":i, 'n', :f, :f, '{}', 2, :s, :r, :t, :t)"
    )
    with store.write_session() as s:
        s.execute(text(member), {"i": MAN, "f": False, "s": "matched", "r": None, "t": NOW})
    for bad_member in (
        {"i": MAN},  # the same person twice on a campaign
        {"i": WOMAN, "s": "refused"},  # refused without a reason
        {"i": WOMAN, "s": "granted"},
    ):
        with pytest.raises(IntegrityError), store.write_session() as s:
            s.execute(text(member), {"i": MAN, "f": False, "s": "matched", "r": None, "t": NOW} | bad_member)


def test_0014_goes_back_only_while_no_campaign_was_made(store: Store, team: Team, ctx: Context) -> None:
    from alembic import command

    from teller_assist.store.migrate import _config

    def to(revision: str) -> None:
        with store.engine.begin() as conn:
            (command.upgrade if revision == "head" else command.downgrade)(_config(conn), revision)

    to("0013")
    to("head")
    campaigns.create_campaign(ctx, team.admin.operator, spec())
    with pytest.raises(RuntimeError, match="campaign holds 1 rows"):
        to("0013")
    assert [c.code for c in campaigns.list_campaigns(ctx, team.admin.operator)] == ["village-后白-2026"]


def test_two_imports_of_one_campaign_at_once_load_each_person_once(
    store: Store, team: Team, ctx: Context
) -> None:
    import threading
    import time

    from teller_assist.store.audit import AuditEntry

    campaigns.create_campaign(ctx, team.admin.operator, spec())
    people = [
        store_campaigns.MemberIn(
            rid(born=dt.date(1980, 1, 1) + dt.timedelta(days=i)), f"成员{i}", "new_to_bank", i + 2
        )
        for i in range(300)
    ]
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def entry(_counts: store_campaigns.ImportCounts) -> AuditEntry:
        time.sleep(0.5)  # the first holds its transaction open: the second must wait for it, then see it
        return AuditEntry("campaign_import", "admin1", "ws-test", "village-后白-2026")

    def load(name: str) -> None:
        start.wait()
        try:
            results[name] = store_campaigns.import_members(
                store, "village-后白-2026", people, store_campaigns.RosterIn(name, "0" * 64, 300),
                by="admin1", at=NOW, entry=entry,
            )  # fmt: skip
        except Exception as exc:  # any failure of either is the finding
            results[name] = exc

    threads = [threading.Thread(target=load, args=(n,)) for n in ("a.xlsx", "b.xlsx")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(dataclasses.astuple(r) for r in results.values()) == [(0, 0, 300, 0), (300, 0, 0, 0)], (
        results
    )
    assert len(member_rows(store, "village-后白-2026")) == 300
