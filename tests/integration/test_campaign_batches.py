"""A campaign's members granted in batches, still four eyes, on SQLite and PostgreSQL (issue 17, items 5
and 7): a member's survey kept; the members submitted in one batch (base lines without a survey, above
the base only with one, nobody holding a line submitted again, the negative list refused, every
application its own audit row and linked to its batch); the batch shown to an approver with its
exceptions first, approved in one step within the approver's authority and never by its maker (the
database refuses it too), the rest left for a higher approver, rejected one by one with a reason; two
approvers at once approving each application once; the campaign's progress counted by person."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from teller_assist.campaigns.campaign import check_spec
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal import workflow
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import campaign_batches as batches
from teller_assist.services import campaigns
from teller_assist.services.applications import WorkflowRefused
from teller_assist.services.campaigns import CampaignRefused
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_operator
from teller_assist.store import applications as store_apps
from teller_assist.store import audit as store_audit
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from tests.helpers.context import context_of
from tests.helpers.extracts import GOV, MAN, WOMAN, rid, write
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed

TODAY = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
CODE = "village-后白-2026"
MASKING = Masking()

CS = MAN  # paid by a government organ ten months: 200,000 once surveyed (and +20% for 好)
LI = WOMAN  # a customer: the base line
NEG = rid(seq=31)  # on the negative list
HELD = rid(seq=33)  # already awaits a line from the counter
NEW = rid(seq=95)  # new to the bank: the base line
NOCON = rid(seq=97)  # new to the bank, no consents on the roster
KEY = rid(seq=99)  # new to the bank, a key household: the base line, survey needed


def bank_knows(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261129.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{CS},张三,男,19850314,13951234567,,C1,0101,321183",
            f"{LI},李四,女,19850314,,,C2,0101,321183",
            f"{NEG},孙五,男,19850314,,,C3,0101,321183",
            f"{HELD},钱七,男,19850314,,,C4,0101,321183",
        ],
    )
    write(
        folder,
        "payroll_20261129.csv",
        ["txn_id,id_no,employer_code,employer_name,pay_date,amount"]
        + [f"P{m},{CS},{GOV},句容市财政局,2026-{m:02d}-05,8000" for m in range(1, 11)],
    )
    write(folder, "negative_list_20261129.csv", ["id_no,reason,listed_on,note", f"{NEG},fraud,2026-01-05,"])
    report = import_paths(store, [folder], today=TODAY)
    assert {f.status for f in report.files} == {"loaded"}


ROWS = [
    # 户号, 姓名, 身份证号, 村民小组, 重点户, 评议, 评议人, 手机号, 同意查询征信, 同意处理个人信息
    ["H1", "张三", CS, "一组", "", "好", "村委会 张主任", "13951234567", "是", "是"],
    ["H1", "李四", LI, "一组", "", "", "", "", "是", "是"],
    ["H2", "孙五", NEG, "二组", "", "", "", "", "是", "是"],
    ["H2", "钱七", HELD, "二组", "", "", "", "", "是", "是"],
    ["H3", "王六", NEW, "二组", "", "", "", "", "是", "是"],
    ["H3", "赵八", NOCON, "二组", "", "", "", "", "", ""],
    ["H4", "周九", KEY, "一组", "是", "", "", "", "是", "是"],
]


def roster(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["户号", "姓名", "身份证号", "村民小组", "重点户", "评议", "评议人", "手机号",
                  "同意查询征信", "同意处理个人信息"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def village_survey(**changes: object) -> Survey:
    answers: dict[str, object] = {
        "household_members": 4,
        "farmland_mu": "6.5",
        "main_produce": "茶叶",
        "committee_evaluation": "good",
        "phone": "13951234567",
        "consent_credit_inquiry": True,
        "consent_personal_info": True,
    }
    return Survey("village", answers | changes)


@pytest.fixture
def head2(store: Store, team: Team) -> OperatorRecord:
    """A second branch head of the campaign's branch: the higher approver when the first submitted."""
    return add_operator(
        context_of(store),
        team.admin.operator, login="head2", name="head2", role="branch_head", password=PASSWORD,
        branch_code="0101",
    )  # fmt: skip


def campaign_with_roster(ctx: Context, team: Team, tmp_path: Path) -> None:
    store = ctx.store
    bank_knows(store, tmp_path / "extracts")
    spec = check_spec(
        code=CODE, scenario="village", group_name="后白镇后白村", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
        village_groups=("一组", "二组"),
    )  # fmt: skip
    campaigns.create_campaign(ctx.at(NOW), team.head.operator, spec)
    campaigns.import_roster(
        ctx.at(NOW), team.head.operator, CODE, roster(tmp_path / "后白村.xlsx", ROWS)
    )  # fmt: skip
    apps.submit(ctx.at(NOW), HELD, Survey("walk_in", walk_in_answers()), team.teller)


def audit_rows(store: Store, action: str) -> list[tuple[str | None, str | None, dict[str, object]]]:
    with store.connection() as conn:
        return [
            (r[0], r[1], json.loads(r[2]))
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def batch_of(store: Store, app_id: int) -> int | None:
    with store.connection() as conn:
        return conn.execute(
            text("SELECT batch_id FROM campaign_application WHERE application_id = :i"), {"i": app_id}
        ).scalar_one_or_none()


def test_a_batch_from_survey_to_approval_within_authority_four_eyes(
    store: Store, team: Team, head2: OperatorRecord, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaign_with_roster(ctx, team, tmp_path)
    head1, manager, teller = team.head.operator, team.manager.operator, team.teller.operator

    # a survey for 张三: the committee's form, both consents; the line it gives now
    with pytest.raises(WorkflowRefused, match="客户尚未同意"):
        batches.record_survey(ctx.on(TODAY), teller, CODE, CS, village_survey(consent_personal_info=False))
    with pytest.raises(UserFacingError, match="不是本活动的"):
        batches.record_survey(ctx.on(TODAY), teller, CODE, CS, Survey("walk_in", walk_in_answers()))
    done = batches.record_survey(ctx.at(NOW), teller, CODE, CS, village_survey())
    assert (done.line_no, done.decision.grantable_fen) == (2, 240_000_00)  # 200,000 floor + 20% for 好
    with pytest.raises(UserFacingError, match="不是活动 village-后白-2026 的成员"):
        batches.record_survey(ctx.on(TODAY), teller, CODE, rid(seq=41), village_survey())

    # submitted in one batch by the branch head
    sub = batches.submit_campaign(ctx.at(NOW), head1, CODE)
    assert sub.batch_id is not None and sub.submitted == 4
    assert sub.total == 240_000_00 + 3 * 30_000_00 and sub.with_survey == 1 and sub.survey_needed == 1
    assert sub.skipped == {
        "refused": 0, "removed": 0, "holding": 1, "rejected": 0, "negative_list": 1, "ineligible": 0,
        "no_consent": 1,
    }  # fmt: skip
    made = sub.made
    assert set(made) == {CS, LI, NEW, KEY}
    cs_app = apps.get(ctx, made[CS])
    assert (cs_app.line_fen, cs_app.scenario, cs_app.maker_login, cs_app.branch_code) == (
        240_000_00, "village", "head1", "0101"
    )  # fmt: skip
    assert json.loads(cs_app.consents)["consent_credit_inquiry"] == {
        "at": NOW.isoformat(), "by": "teller1", "source": "survey"
    }  # fmt: skip
    new_app = apps.get(ctx, made[NEW])
    assert (new_app.line_fen, new_app.name, json.loads(new_app.survey)) == (30_000_00, "王六", {})
    assert json.loads(new_app.consents)["consent_personal_info"]["source"] == "roster"
    assert {batch_of(store, i) for i in made.values()} == {sub.batch_id}
    submitted_rows = [d for _o, _s, d in audit_rows(store, "submit") if d.get("batch") == sub.batch_id]
    assert len(submitted_rows) == 4 and {d["campaign"] for d in submitted_rows} == {CODE}
    [(who, subject, detail)] = audit_rows(store, "campaign_submit")
    assert (who, subject, detail["submitted"], detail["batch"]) == ("head1", CODE, 4, sub.batch_id)
    assert all(i not in json.dumps(detail) for i in (CS, LI, NEW, KEY, NEG, NOCON, HELD))

    # what the lobby manager sees: exceptions first
    view = batches.show_batch(ctx, manager, sub.batch_id)
    r = view.review
    assert (r.count, r.total, view.authority_fen) == (4, 330_000_00, 50_000_00)
    assert [x.application_id for x in view.lines][:2] == [made[CS], made[KEY]]
    assert view.lines[0].exceptions == ("over_authority",) and view.lines[0].held
    assert view.lines[1].exceptions == ("survey_needed",) and not view.lines[1].held
    assert r.bands()["200,001以上"].people == 1 and r.bands()["≤30,000"].exposure_fen == 90_000_00
    assert (len(r.approvable), r.approvable_total) == (3, 90_000_00)
    assert all(i not in repr(view.lines) for i in made)  # IDs masked

    # the maker may never approve it (and the teller has no authority at all): refused and audited
    with pytest.raises(CampaignRefused, match="经办人不能审批自己提交的批次") as refused:
        batches.approve_batch(ctx.on(TODAY), head1, sub.batch_id)
    assert refused.value.exit_code == 3
    with pytest.raises(CampaignRefused, match="有审批权限的人员"):
        batches.approve_batch(ctx.on(TODAY), teller, sub.batch_id)
    assert [(o, d["action"], d["reason"]) for o, _s, d in audit_rows(store, "campaign_refused")] == [
        ("head1", "batch_approve", "the batch's maker"),
        ("teller1", "batch_approve", "no approval authority for the campaign's branch"),
    ]
    assert {apps.get(ctx, i).status for i in made.values()} == {"submitted"}

    # one rejected with a reason, one by one; the rest within 50,000 approved in one step
    with pytest.raises(WorkflowRefused, match="必须填写原因"):
        batches.reject_in_batch(ctx.on(TODAY), manager, sub.batch_id, "  ", member=LI)
    rejected = batches.reject_in_batch(
        ctx.at(NOW), manager, sub.batch_id, "村委会反映已外出务工多年", member=LI
    )
    assert (rejected.status, rejected.reject_reason, rejected.checker_login) == (
        "rejected", "村委会反映已外出务工多年", "manager1"
    )  # fmt: skip
    approval = batches.approve_batch(ctx.at(NOW), manager, sub.batch_id, sms_sender="某行")
    assert {a.id for a in approval.approved} == {made[NEW], made[KEY]} and approval.total == 60_000_00
    assert approval.left == {"over_authority": 1}
    for a in approval.approved:
        assert (a.status, a.checker_login, a.checker_role, a.checker_authority_fen) == (
            "approved", "manager1", "lobby_manager", 50_000_00
        )  # fmt: skip
        assert a.agreement_no == workflow.agreement_number(a.id, TODAY) and a.decided_at == NOW
    approvals = [d for _o, s, d in audit_rows(store, "approve") if d.get("batch") == sub.batch_id]
    assert len(approvals) == 2 and {d["line_fen"] for d in approvals} == {30_000_00}
    [(who, _s, closing)] = audit_rows(store, "campaign_batch_approve")
    assert (who, closing["approved"], closing["approved_fen"], closing["left"]) == (
        "manager1", 2, 60_000_00, {"over_authority": 1}
    )  # fmt: skip

    # the higher approver takes what was left; nothing is approved twice
    again = batches.approve_batch(ctx.at(NOW), head2, sub.batch_id, sms_sender="某行")
    assert [a.id for a in again.approved] == [made[CS]] and again.total == 240_000_00 and again.left == {}
    assert apps.get(ctx, made[CS]).checker_login == "head2"
    with store.connection() as conn:  # 张三's survey gave his phone: his approval text is queued with it
        queued = conn.execute(text("SELECT application_id FROM sms_outbox")).scalars().all()
    assert list(queued) == [made[CS]]
    after = batches.show_batch(ctx, head2, sub.batch_id)
    assert after.review.by_status() == {
        "submitted": 0, "approved": 3, "rejected": 1, "cancelled": 0, "signed": 0, "expired": 0
    }  # fmt: skip

    # a second submission doubles nobody: those holding a line, the rejected, the rest as before
    second = batches.submit_campaign(ctx.at(NOW), head1, CODE)
    assert second.batch_id is None and second.submitted == 0
    assert (second.skipped["holding"], second.skipped["rejected"]) == (4, 1)
    assert audit_rows(store, "campaign_submit")[-1][2]["batch"] is None
    assert store_audit.verify(store).ok


def test_the_database_refuses_a_batch_approved_by_its_maker_or_beyond_authority(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    """With every line of Python's rule set aside, the batch's own write meets the constraints that
    guard one approval: maker = checker, and an authority that does not cover the line."""
    campaign_with_roster(ctx, team, tmp_path)
    batches.record_survey(ctx.on(TODAY), team.teller.operator, CODE, CS, village_survey())
    sub = batches.submit_campaign(ctx.at(NOW), team.manager.operator, CODE)
    ids = sorted(sub.made.values())

    def forced(checker: OperatorRecord, authority_fen: int) -> store_apps.ManyResult:
        return store_apps.transition_many(
            store,
            ids,
            leaving=("submitted",),
            values=lambda r: {
                "status": "approved",
                "checker_id": checker.id,
                "checker_role": checker.role,
                "checker_authority_fen": authority_fen,
                "decided_at": NOW,
                "agreement_no": workflow.agreement_number(r.id, TODAY),
                "valid_until": TODAY,
            },
            entry=lambda r: AuditEntry("approve", checker.login, "ws-test", f"app:{r.id}"),
            now=NOW,
            grant=(checker.role, authority_fen, policy.version),
        )

    with pytest.raises(WorkflowRefused, match="经办人与审批人不能为同一人"):
        forced(team.manager.operator, 300_000_00)  # the maker: ck_application_maker_checker
    with pytest.raises(WorkflowRefused, match="审批权限不足以覆盖该额度"):
        forced(team.head.operator, 50_000_00)  # 张三's 240,000: ck_application_authority_covers_line
    assert {apps.get(ctx, i).status for i in ids} == {"submitted"}  # the whole batch, not a part
    assert audit_rows(store, "approve") == []


def test_two_approvers_at_once_approve_each_application_once(
    store: Store, team: Team, head2: OperatorRecord, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    spec = check_spec(
        code=CODE, scenario="village", group_name="后白村", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
    )  # fmt: skip
    campaigns.create_campaign(ctx, team.head.operator, spec)
    born = [dt.date(1980, 1, 1) + dt.timedelta(days=i) for i in range(120)]
    names = ["成员" + "一二三四五六七八九十"[i % 10] for i in range(120)]
    people = [[f"H{i}", names[i], rid(born=born[i]), "", "", "", "", "", "是", "是"] for i in range(120)]
    campaigns.import_roster(ctx.on(TODAY), team.head.operator, CODE, roster(tmp_path / "r.xlsx", people))
    sub = batches.submit_campaign(ctx.at(NOW), team.teller.operator, CODE)
    assert sub.batch_id is not None and sub.submitted == 120
    gate = threading.Barrier(2)
    results: dict[str, object] = {}

    def approve(who: OperatorRecord) -> None:
        gate.wait()
        try:
            results[who.login] = batches.approve_batch(ctx.on(TODAY), who, sub.batch_id or 0)
        except Exception as exc:  # the other approver's outcome is what the assertions read
            results[who.login] = exc

    threads = [threading.Thread(target=approve, args=(w,)) for w in (team.manager.operator, head2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = [r for r in results.values() if isinstance(r, batches.BatchApproval)]
    assert len(done) == 2, results
    approved = [a.id for r in done for a in r.approved]
    assert sorted(approved) == sorted(sub.made.values())  # each exactly once, by one or the other
    for r in done:  # what one did not approve, the other had: said as decided already, never doubled
        assert set(r.left) <= {"already"} and r.left.get("already", 0) <= 120 - len(r.approved)
    with store.connection() as conn:
        rows = conn.execute(
            text("SELECT subject, count(*) FROM audit_event WHERE action = 'approve' GROUP BY subject")
        ).all()
        versions = conn.execute(text("SELECT DISTINCT version FROM application")).scalars().all()
    assert len(rows) == 120 and {n for _s, n in rows} == {1}
    assert list(versions) == [2]
    assert store_audit.verify(store).ok


def test_progress_counts_each_person_once_as_the_programme_defines(
    store: Store, team: Team, head2: OperatorRecord, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaign_with_roster(ctx, team, tmp_path)
    batches.record_survey(ctx.at(NOW), team.teller.operator, CODE, CS, village_survey())
    sub = batches.submit_campaign(ctx.at(NOW), team.head.operator, CODE)
    batches.reject_in_batch(ctx.at(NOW), head2, sub.batch_id or 0, "不符合", member=LI)
    batches.approve_batch(ctx.at(NOW), head2, sub.batch_id or 0)  # 张三, 王六, 周九
    held = apps.approve(ctx.at(NOW), apps.queue(ctx)[0].id, team.head)
    assert held.id_no == HELD  # 钱七's line from the counter: his, counted once for the campaign too
    made = sub.made
    agreement_printed(store, made[NEW])
    apps.sign(ctx.at(NOW), made[NEW], team.teller)  # 王六 signs...
    from teller_assist.store.documents import record_issue

    record_issue(
        store, application_id=made[KEY], kind="letter", operator="teller1", workstation="ws-test",
        destination="file", sha256="0" * 64, now=NOW, expected_copy_no=0,
    )  # fmt: skip
    write(
        tmp_path / "later",
        "drawdowns_20261201.csv",
        ["txn_id,id_no,drawn_on,amount", f"L1,{NEW},2026-12-01,5000", f"L0,{NEW},2026-11-29,100"],
    )
    assert {
        f.status for f in import_paths(store, [tmp_path / "later"], today=dt.date(2026, 12, 1)).files
    } == {"loaded"}

    def progress(day: dt.date) -> dict[str, int]:
        p = campaigns.campaign_progress(ctx.on(day), team.teller.operator, CODE)
        return p.figures() | {"granted_fen": p.granted_fen, "signed_fen": p.signed_fen}

    assert progress(dt.date(2026, 12, 2)) == {
        "members": 7,
        "matched": 4,  # 张三, 李四, 孙五, 钱七
        "eligible": 6,  # all but 孙五 (negative list)
        "decided": 4,  # 张三, 王六, 周九 approved; 李四 rejected
        "surveyed": 1,  # 张三
        "submitted": 4,
        "granted": 4,  # 张三, 王六, 周九 and 钱七 (from the counter)
        "notified": 1,  # 周九's letter (张三's text is queued, not yet handed to the SMS platform)
        "signed": 1,  # 王六
        "used": 1,  # 王六 drew on 12-01; the 11-29 drawdown was before he signed
        "granted_fen": 240_000_00 + 30_000_00 + 30_000_00 + 160_000_00,
        "signed_fen": 30_000_00,
    }
    before = progress(dt.date(2026, 11, 29))  # nothing had happened yet
    assert (before["submitted"], before["granted"], before["surveyed"], before["members"]) == (0, 0, 0, 7)
    on_the_day = progress(TODAY)  # signed, not yet drawn
    assert (on_the_day["signed"], on_the_day["used"]) == (1, 0)

    shown = campaigns.show_campaign(ctx.on(dt.date(2026, 12, 2)), team.teller.operator, CODE)
    assert shown.progress is not None and shown.progress.granted == 4
    assert [(b.id, b.applications, b.waiting) for b in shown.batches] == [(sub.batch_id, 4, 0)]


def test_who_may_submit_and_survey(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaign_with_roster(ctx, team, tmp_path)
    other = add_operator(
        context_of(store),
        team.admin.operator, login="teller9", name="teller9", role="teller", password=PASSWORD,
        branch_code="0102",
    )  # fmt: skip
    with pytest.raises(CampaignRefused, match="只有总行管理员或网点 0101 的员工可以为该活动提交"):
        batches.submit_campaign(ctx.on(TODAY), other, CODE)
    with pytest.raises(CampaignRefused, match="登记调查"):
        batches.record_survey(ctx.on(TODAY), other, CODE, CS, village_survey())
    campaigns.close_campaign(ctx.at(NOW), team.head.operator, CODE)
    with pytest.raises(CampaignRefused, match="不再接收名单"):
        batches.submit_campaign(ctx.on(TODAY), team.admin.operator, CODE)
    assert [(o, d["action"]) for o, _s, d in audit_rows(store, "campaign_refused")] == [
        ("teller9", "submit"), ("teller9", "survey"), ("admin1", "submit")
    ]  # fmt: skip
    with store.connection() as conn:
        assert conn.execute(text("SELECT count(*) FROM campaign_batch")).scalar_one() == 0


def test_two_submissions_at_once_and_a_counter_in_between_submit_each_person_once(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    campaign_with_roster(ctx, team, tmp_path)
    # planned while nobody held a line, written after the counter took one: the one-open index passes
    # 王六 over instead of failing the batch or doubling him
    actor = apps.Actor(team.head.operator, "ws-test")
    from teller_assist.campaigns.grant import Consent
    from teller_assist.prequal.engine import decide
    from teller_assist.services.lookup import lookup

    news = [
        apps.new_application(
            who, "某人", decide(lookup(ctx, who, as_of=TODAY), None, policy, TODAY), policy, actor,
            survey={}, consents=Consent(NOW, "head1", "roster").as_json(), branch_code="0101", now=NOW,
        )
        for who in (NEW, KEY)
    ]  # fmt: skip
    apps.submit(ctx.at(NOW), NEW, Survey("walk_in", walk_in_answers()), team.teller)
    written = store_campaigns.submit_batch(
        store, CODE, news, maker_id=actor.operator.id, by="head1", at=NOW, on=TODAY, policy_version="x",
        skipped={"holding": 0},
        entry=lambda b, a, n: apps.submit_entry(actor, a, n, batch=b),
        closing=lambda b, n: AuditEntry("campaign_submit", "head1", "ws-test", CODE, None, {"batch": b}),
    )  # fmt: skip
    assert set(written.made) == {KEY} and written.passed_over == (NEW,)
    assert len(apps.listing(ctx, id_no=NEW)) == 1

    gate = threading.Barrier(2)
    results: list[object] = []

    def submit() -> None:
        gate.wait()
        try:
            results.append(batches.submit_campaign(ctx.on(TODAY), team.head.operator, CODE))
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, batches.Submission) for r in results), results
    # 张三 has no survey here: the base line; 李四 too; 王六 and 钱七 hold lines, 周九 is in the batch above
    assert sorted(r.submitted for r in results) == [0, 2]  # type: ignore[attr-defined]
    with store.connection() as conn:
        per_person = conn.execute(
            text(
                "SELECT id_no, count(*) FROM application WHERE status = 'submitted' GROUP BY id_no "
                "HAVING count(*) > 1"
            )
        ).all()
    assert per_person == []
    assert store_audit.verify(store).ok


def test_the_lobbys_queue_leaves_a_campaigns_batch_to_the_batch_view(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    """A batch of a campaign's members waits in 客群活动's batch view, not in the lobby's queue, where
    its thousands (oldest first, 500 shown) would hide the customer waiting at the counter."""
    campaign_with_roster(ctx, team, tmp_path)  # 钱七 submitted at the counter first
    sub = batches.submit_campaign(ctx.at(NOW), team.head.operator, CODE)
    assert sub.submitted == 4
    walk_in = apps.submit(
        ctx.at(NOW), rid(seq=35), Survey("walk_in", walk_in_answers()), team.teller
    )  # a customer at the counter after the batch
    waiting = {a.id_no for a in apps.listing(ctx, status="submitted")}
    assert set(sub.made) | {HELD, walk_in.id_no} == waiting
    for branch in (None, "0101"):
        assert [a.id_no for a in apps.queue(ctx, branch_code=branch)] == [HELD, walk_in.id_no]
