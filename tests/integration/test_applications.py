"""Applications on both engines: submit with the line recomputed, approve by a second person within
authority, reject, cancel, sign, expire; the rules hold in the database itself, not only in Python."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy, default_policy_path, load_policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.applications import Actor, AlreadyDecided, WorkflowRefused
from teller_assist.services.context import Context
from teller_assist.services.lookup import card_to_json, lookup
from teller_assist.services.operators import add_operator
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN, OLD, WOMAN, rid
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)


def forge_approval(
    store: Store, app_id: int, *, checker: str, role: str, authority_fen: int, grant: bool
) -> None:
    """Approve by raw SQL, bypassing every line of Python (``checker`` is an SQL expression)."""
    with store.write_session() as s:
        if grant:
            s.execute(
                text(
                    "INSERT INTO authority_grant (role, max_line_fen, policy_version, first_seen) "
                    "VALUES (:role, :a, 'forged', :now) ON CONFLICT DO NOTHING"
                ),
                {"role": role, "a": authority_fen, "now": NOW},
            )
        s.execute(
            text(
                "UPDATE application SET status = 'approved', checker_id = COALESCE(:c, maker_id), "
                "checker_role = :role, checker_authority_fen = :a, decided_at = :now, agreement_no = :no, "
                "valid_until = :d WHERE id = :id"
            ),
            {
                "c": checker,
                "role": role,
                "a": authority_fen,
                "now": NOW,
                "no": f"F{app_id}",
                "d": TODAY,
                "id": app_id,
            },
        )


def survey(income: int = 80000, **changes: object) -> Survey:
    return Survey("walk_in", walk_in_answers(household_income=income, **changes))


def submit(ctx: Context, actor: Actor, who: str = MAN, income: int = 80000) -> apps.ApplicationRecord:
    return apps.submit(ctx.at(NOW), who, survey(income), actor)


def test_submit_recomputes_the_line_and_stores_the_snapshot(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    record = submit(ctx, team.teller)
    assert record.status == "submitted" and record.version == 1
    assert record.line_fen == 160_000_00  # 2 x 80,000 declared income, from the engine, not from the caller
    assert record.annual_rate_bp == 435
    assert record.maker_login == "teller1" and record.checker_id is None
    snapshot = json.loads(record.decision)
    assert snapshot["policy_version"] == policy.version and snapshot["grantable_fen"] == 160_000_00
    assert {f["code"] for f in snapshot["factors"]} >= {"base", "survey"}
    consents = json.loads(record.consents)
    assert set(consents) == {"consent_credit_inquiry", "consent_personal_info"}
    assert consents["consent_personal_info"]["by"] == "teller1"
    assert MAN not in repr(record)


@pytest.mark.parametrize("missing", ["consent_credit_inquiry", "consent_personal_info"])
def test_a_survey_without_a_consent_is_refused_with_the_reason(
    store: Store, team: Team, policy: Policy, missing: str, ctx: Context
) -> None:
    answers = walk_in_answers(**{missing: False})
    with pytest.raises(WorkflowRefused, match="客户尚未同意") as caught:
        apps.submit(ctx.at(NOW), MAN, Survey("walk_in", answers), team.teller)
    assert missing in caught.value.message_en
    assert apps.listing(ctx) == []


def test_ineligible_and_incomplete_are_refused(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    with pytest.raises(WorkflowRefused, match="不符合准入条件"):
        submit(ctx, team.teller, who=OLD)  # over 65
    answers = walk_in_answers()
    del answers["debts"]
    with pytest.raises(WorkflowRefused, match="调查表未填完"):
        apps.submit(ctx.at(NOW), MAN, Survey("walk_in", answers), team.teller)
    assert apps.listing(ctx) == []


def test_one_open_application_per_person(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    first = submit(ctx, team.teller)
    with pytest.raises(WorkflowRefused, match="已有未结"):
        submit(ctx, team.manager)
    apps.cancel(ctx.at(NOW), first.id, team.teller)
    second = submit(ctx, team.teller)
    assert second.id != first.id
    # the database itself refuses a second open one, whatever the code above it does
    with pytest.raises(IntegrityError), store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO application (id_no, scenario, status, version, survey, consents, decision, "
                "policy_version, policy_sha256, line_fen, annual_rate_bp, workstation, maker_id, "
                "submitted_at) "
                "SELECT id_no, scenario, 'submitted', 1, survey, consents, decision, policy_version, "
                "policy_sha256, line_fen, annual_rate_bp, workstation, maker_id, submitted_at "
                "FROM application WHERE id = :id"
            ),
            {"id": second.id},
        )


def test_full_life_approve_sign_expire(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    record = submit(ctx, team.teller)
    approved = apps.approve(ctx.at(NOW), record.id, team.head, expected_version=1)
    assert approved.status == "approved" and approved.checker_login == "head1"
    assert approved.agreement_no == f"YSX20261128{record.id:06d}"
    assert approved.valid_until == dt.date(2028, 11, 27)
    assert approved.checker_authority_fen == 300_000_00 and approved.version == 2
    with pytest.raises(WorkflowRefused, match="尚未打印"):  # nothing to sign before the agreement is out
        apps.sign(ctx.at(NOW), record.id, team.teller)
    agreement_printed(store, record.id)
    signed = apps.sign(ctx.at(NOW), record.id, team.teller)
    assert signed.status == "signed" and signed.signed_at == NOW
    # the card shows the signed pre-credit and its expiry (issue 4), through its one query path
    card = lookup(context_of(store), MAN, as_of=TODAY)
    current = card.open_application
    assert current is not None and (current.id, current.status, current.line_fen) == (
        record.id,
        "signed",
        160_000_00,
    )
    assert current.valid_until == dt.date(2028, 11, 27) and current.agreement_no == approved.agreement_no
    shown = card_to_json(card, Masking())["applications"]
    assert shown == [
        {
            "id": record.id,
            "status": "signed",
            "open": True,
            "limit_fen": 160_000_00,
            "annual_rate": "4.35",
            "valid_until": "2028-11-27",
            "agreement_no": approved.agreement_no,
        }
    ]
    assert apps.expire_due(ctx.on(dt.date(2028, 11, 27))) == 0
    assert apps.expire_due(ctx.on(dt.date(2028, 11, 28))) == 1
    assert apps.get(ctx, record.id).status == "expired"
    assert lookup(context_of(store), MAN, as_of=TODAY).open_application is None
    actions = [r.action for r in store_audit.export_rows(store, None, None)]
    assert actions[-5:] == ["submit", "approve", "print", "sign", "expire"]
    assert store_audit.verify(store).ok


def test_maker_cannot_approve_and_the_database_agrees(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    record = submit(ctx, team.head)
    with pytest.raises(WorkflowRefused, match="不能审批自己"):
        apps.approve(ctx.at(NOW), record.id, team.head)
    # raw SQL, bypassing every line of Python: the CHECK constraint refuses it
    with pytest.raises(IntegrityError, match="maker_checker"):
        forge_approval(
            store, record.id, checker=None, role="branch_head", authority_fen=300_000_00, grant=True
        )
    assert apps.get(ctx, record.id).status == "submitted"


def test_roles_without_authority_cannot_decide(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    record = submit(ctx, team.manager)
    for actor in (team.teller, team.admin):
        with pytest.raises(WorkflowRefused, match="没有审批权限"):
            apps.approve(ctx.at(NOW), record.id, actor)
        with pytest.raises(WorkflowRefused, match="没有审批权限"):
            apps.reject(ctx.at(NOW), record.id, actor, "不符合")
    # a teller forged in by raw SQL, claiming an authority no policy ever gave a teller
    with pytest.raises(IntegrityError):
        forge_approval(
            store,
            record.id,
            checker=team.teller.operator.id,
            role="teller",
            authority_fen=300_000_00,
            grant=False,
        )
    # a teller claiming to be a branch head: the checker's role must be the operator's own
    with pytest.raises(IntegrityError):
        forge_approval(
            store,
            record.id,
            checker=team.teller.operator.id,
            role="branch_head",
            authority_fen=300_000_00,
            grant=True,
        )
    assert apps.get(ctx, record.id).status == "submitted"


def _policy_with_authority(tmp_path: Path, lobby_manager: int) -> Policy:
    source = default_policy_path().read_text(encoding="utf-8")
    assert "lobby_manager = 50000" in source
    changed = source.replace("lobby_manager = 50000", f"lobby_manager = {lobby_manager}")
    path = tmp_path / f"policy-{lobby_manager}.toml"
    path.write_text(changed, encoding="utf-8")
    return load_policy(path)


def test_authority_l_approves_l_and_refuses_l_plus_one_yuan(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    line_fen = submit(ctx, team.teller, income=25_000).line_fen  # 2 x 25,000 = 50,000
    assert line_fen == 50_000_00
    short = _policy_with_authority(tmp_path, 49_999)  # the policy file writes yuan
    exact = _policy_with_authority(tmp_path, 50_000)
    record = apps.listing(ctx)[0]
    with pytest.raises(WorkflowRefused, match="超出审批权限"):
        apps.approve(dataclasses.replace(ctx, policy=short).at(NOW), record.id, team.manager)
    assert apps.approve(
        dataclasses.replace(ctx, policy=exact).at(NOW),
        record.id,
        team.manager,
    ).status == "approved"

    # the same limit in the database, to the fen: an authority one fen short of the line is refused
    other = submit(ctx, team.teller, who=WOMAN, income=25_000)
    manager = team.manager.operator.id
    with pytest.raises(IntegrityError, match="authority_covers_line"):
        forge_approval(
            store, other.id, checker=manager, role="lobby_manager", authority_fen=line_fen - 1, grant=True
        )
    forge_approval(
        store, other.id, checker=manager, role="lobby_manager", authority_fen=line_fen, grant=False
    )
    assert apps.get(ctx, other.id).status == "approved"


def test_of_two_approvers_the_second_is_told_it_was_decided(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    record = submit(ctx, team.teller, income=20_000)  # 40,000: within both authorities
    seen_version = record.version
    apps.approve(ctx.at(NOW), record.id, team.manager, expected_version=seen_version)
    with pytest.raises(AlreadyDecided, match="已被处理"):
        apps.reject(ctx.at(NOW), record.id, team.head, "重复", expected_version=seen_version)
    with pytest.raises(AlreadyDecided):
        apps.approve(ctx.at(NOW), record.id, team.head)
    assert apps.get(ctx, record.id).checker_login == "manager1"


def test_reject_needs_a_reason_and_closes(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    record = submit(ctx, team.teller)
    with pytest.raises(WorkflowRefused, match="原因"):
        apps.reject(ctx.at(NOW), record.id, team.manager, "  ")
    rejected = apps.reject(ctx.at(NOW), record.id, team.manager, "收入证明不足")
    assert rejected.status == "rejected" and rejected.reject_reason == "收入证明不足"
    with pytest.raises(AlreadyDecided):
        apps.sign(ctx.at(NOW), record.id, team.teller)
    assert submit(ctx, team.teller).status == "submitted"  # a rejected one is not open


def test_sign_after_validity_is_refused(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    record = submit(ctx, team.teller)
    apps.approve(ctx.at(NOW), record.id, team.head)
    with pytest.raises(WorkflowRefused, match="有效期"):
        apps.sign(ctx.on(dt.date(2029, 1, 1)), record.id, team.teller)


def test_queue_is_oldest_first(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    later = apps.submit(ctx.at(NOW), MAN, survey(), team.teller)
    earlier = apps.submit(ctx.at(NOW - dt.timedelta(minutes=5)), rid(seq=41), survey(), team.teller)
    assert [r.id for r in apps.queue(ctx)] == [earlier.id, later.id]
    assert [r.id for r in apps.queue(ctx, branch_code="0999")] == []


def test_queue_by_branch_includes_applications_without_one(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    here = submit(ctx, team.teller)  # the teller's branch, 0101
    floater = Actor(
        add_operator(
            context_of(store),
            team.admin.operator, login="floater", name="floater", role="teller", password=PASSWORD
        ),
        "ws",
    )
    anywhere = apps.submit(ctx.at(NOW + dt.timedelta(seconds=1)), WOMAN, survey(), floater)
    assert [r.id for r in apps.queue(ctx, branch_code="0101")] == [here.id, anywhere.id]
    assert [r.id for r in apps.queue(ctx, branch_code="0202")] == [anywhere.id]
    assert [r.id for r in apps.queue(ctx)] == [here.id, anywhere.id]


def test_signing_on_the_last_valid_day_and_not_the_day_after(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    """Validity ends at the end of its last day (approved 2026-11-28: valid up to 2028-11-27), as for
    expiry: signing is allowed on that day and refused the next."""
    last_day, day_after = dt.date(2028, 11, 27), dt.date(2028, 11, 28)
    on_time = submit(ctx, team.teller, who=MAN)
    late = submit(ctx, team.teller, who=WOMAN)
    for record in (on_time, late):
        assert apps.approve(ctx.at(NOW), record.id, team.head).valid_until == last_day
        agreement_printed(store, record.id)
    assert apps.sign(ctx.on(last_day), on_time.id, team.teller).status == "signed"
    with pytest.raises(WorkflowRefused, match="已过有效期"):
        apps.sign(ctx.on(day_after), late.id, team.teller)
    assert apps.get(ctx, late.id).status == "approved"


def test_a_second_open_application_is_refused_naming_the_open_one(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    """The database refuses a second open application too, but only the service can say which one is
    open and in what state: the clerk needs that to find it."""
    first = submit(ctx, team.teller)
    with pytest.raises(WorkflowRefused) as refused:
        submit(ctx, team.manager)
    assert refused.value.message_zh == f"该客户已有未结的预授信申请（编号 {first.id}，待审批）"
    assert refused.value.message_en == f"this person already has an open application ({first.id}, submitted)"
    apps.approve(ctx.at(NOW), first.id, team.head)
    with pytest.raises(WorkflowRefused) as refused:
        submit(ctx, team.manager)
    assert refused.value.message_zh == f"该客户已有未结的预授信申请（编号 {first.id}，已批准）"
    assert len(apps.listing(ctx)) == 1


def test_the_maker_deciding_their_own_is_told_the_rule_and_what_to_do(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    """The CHECK constraint refuses maker = checker as well, in words that name no way out; the service
    says the rule, and for a rejection that the maker may cancel instead."""
    record = submit(ctx, team.head)
    with pytest.raises(WorkflowRefused) as refused:
        apps.reject(ctx.at(NOW), record.id, team.head, "不符合")
    assert refused.value.message_zh == "经办人不能审批自己提交的申请（如需放弃请撤销）"
    assert refused.value.message_en == "the maker cannot decide their own application (cancel it instead)"
    with pytest.raises(WorkflowRefused) as refused:
        apps.approve(ctx.at(NOW), record.id, team.head)
    assert refused.value.message_zh == "经办人不能审批自己提交的申请"
    assert refused.value.message_en == "the maker cannot approve their own application"
    assert apps.get(ctx, record.id).status == "submitted"
