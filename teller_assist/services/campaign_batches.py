"""A campaign's members granted in batches, still four eyes (issue 17, item 5): a completed survey kept
for a member, the members submitted as applications in one batch, the batch shown to an approver
(count, total, bands, exceptions first), approved in one step within the approver's authority, and
rejected member by member with a reason.

A batch's application is an ordinary application: submitted, approved and rejected through
:mod:`teller_assist.services.applications` with the same rules (never approved by its maker, only within
the approver's authority, one open application per person), enforced again by the database's
constraints on every row (migration 0004), each with its own audit row. Who may do what, checked against
the operator as the database holds them now, every refusal audited under them:

- record a survey, submit: head office, or an officer (teller, lobby manager, branch head) of the
  campaign's branch;
- see a batch: whoever may see the campaign;
- approve, reject: an operator of the campaign's branch whose role the policy gives approval authority,
  never the one who submitted the batch.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from teller_assist.campaigns.grant import (
    EXCEPTION_ZH,
    HELD,
    SKIP_ZH,
    BatchItem,
    BatchReview,
    Candidate,
    Consent,
    SubmissionPlan,
    plan_submission,
    review_batch,
    survey_needed,
)
from teller_assist.errors import UserFacingError
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.prequal import workflow
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import CheckedSurvey, Survey, check_survey
from teller_assist.services import applications as apps
from teller_assist.services import audit
from teller_assist.services.campaigns import (
    PURPOSE,
    CampaignNotFound,
    CampaignRefused,
    _campaign,
    _closed,
    _current,
    _evidence,
    _may_see,
    _refused,
)
from teller_assist.services.context import Context
from teller_assist.services.lookup import lookup_many
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.applications import ApplicationRecord, ManyResult
from teller_assist.store.audit import AuditEntry
from teller_assist.store.campaigns import BatchRow, CampaignRow, StoredMember
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

__all__ = [
    "EXCEPTION_ZH",
    "SKIP_ZH",
    "BatchApproval",
    "BatchRow",
    "BatchView",
    "Submission",
    "SurveyRecorded",
    "approve_batch",
    "plan_campaign",
    "record_survey",
    "reject_in_batch",
    "show_batch",
    "submit_campaign",
]

HEAD_OFFICE = "hq_admin"
OFFICER_ROLES = ("teller", "lobby_manager", "branch_head")


def _may_work(op: OperatorRecord, branch: str) -> bool:
    """Head office, or an officer of the campaign's branch."""
    return op.role == HEAD_OFFICE or (op.role in OFFICER_ROLES and op.branch_code == branch)


def _not_officer(store: Store, op: OperatorRecord, action: str, campaign: CampaignRow) -> CampaignRefused:
    what = {"submit": "提交", "survey": "登记调查"}[action]
    branch = campaign.branch_code
    return _refused(
        store,
        op,
        action,
        campaign.code,
        CampaignRefused(
            f"只有总行管理员或网点 {branch} 的员工可以为该活动{what}",
            f"only head office or the staff of branch {branch} may {action} for this campaign",
            hint_zh="请由本网点员工登录后操作",
            hint_en="sign in as one of the branch's staff",
        ),
        "not head office or an officer of the owning branch",
    )


def _open(store: Store, op: OperatorRecord, action: str, campaign: CampaignRow) -> None:
    if campaign.status != "open":
        raise _refused(
            store,
            op,
            action,
            campaign.code,
            _closed(campaign.code, campaign.closed_by, campaign.closed_at),
            "closed",
        )


def _rid(raw: str, today: dt.date) -> str:
    try:
        return parse_resident_id(raw, today=today).value
    except InvalidResidentId as exc:
        raise UserFacingError(
            f"身份证号无效：{exc.rule.zh}",
            f"an invalid resident ID: {exc.rule.en}",
            hint_zh="请核对后重新输入",
        ) from None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# --- a member's survey -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyRecorded:
    campaign: CampaignRow
    line_no: int  # the member's row in the latest roster
    decision: Decision  # what the survey gives them now (the line a submission would take)


def record_survey(
    ctx: Context, operator: OperatorRecord | None, code: str, raw_id: str, survey: Survey
) -> SurveyRecorded:
    """Keep a member's completed survey (the campaign's own form, both consents given: they are recorded
    with the time and the operator), replacing an earlier one. Refused, as at the counter, without both
    consents, with a wrong answer or an unfinished form; audited as ``campaign_survey``."""
    store, policy = ctx.store, ctx.in_force()
    moment = ctx.now()
    today = ctx.day_of(moment)
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _not_officer(store, op, "survey", campaign)
    _open(store, op, "survey", campaign)
    id_no = _rid(raw_id, today)
    if survey.scenario != campaign.scenario:
        raise UserFacingError(
            f"调查表的场景（{survey.scenario}）不是本活动的（{campaign.scenario}）",
            f"the survey's scenario {survey.scenario!r} is not the campaign's {campaign.scenario!r}",
            hint_zh=f'请用{campaign.scenario}场景的调查表（"scenario": "{campaign.scenario}"）',
        )
    checked = check_survey(survey, policy)
    apps.require_complete(checked)
    member = store_campaigns.member(store, campaign.id, id_no)
    if member is None or member.status not in store_campaigns.LIVE:
        raise _no_member(campaign, member)
    try:
        line_no = store_campaigns.record_survey(
            store,
            campaign.code,
            id_no,
            survey=_json(checked.values),
            scenario=survey.scenario,
            by=op.login,
            at=moment,
            entry=lambda line: AuditEntry(
                "campaign_survey",
                op.login,
                ctx.workstation,
                campaign.code,
                PURPOSE,
                {"line": line, "scenario": survey.scenario, "policy": policy.identity},
            ),
        )
    except store_campaigns.CampaignClosed as closed:
        raise _refused(
            store,
            op,
            "survey",
            campaign.code,
            _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None
    except store_campaigns.MemberMissing:
        raise _no_member(campaign, None) from None
    card = lookup_many(store, [id_no], as_of=today)[id_no]
    return SurveyRecorded(
        campaign, line_no, decide(card, checked, policy, today, _evidence(campaign, member))
    )


def _no_member(campaign: CampaignRow, member: StoredMember | None) -> UserFacingError:
    if member is None:
        return UserFacingError(
            f"此人不是活动 {campaign.code} 的成员",
            f"this person is not a member of {campaign.code}",
            hint_zh="请先在名单中加入此人并重新导入名单",
        )
    return UserFacingError(
        f"此成员在名单中为“未通过”或“已移出”，不能登记调查（{member.reason or '—'}）",
        "this member is refused or removed on the roster: correct the roster first",
        hint_zh="请先更正名单并重新导入",
    )


def _checked(m: StoredMember, policy: Policy) -> CheckedSurvey | None:
    """A member's recorded survey, checked again under the policy of today: None when it is no longer
    complete (the policy's form changed), so the member is decided without it."""
    if m.survey is None or m.survey_scenario is None:
        return None
    try:
        checked = check_survey(Survey(m.survey_scenario, json.loads(m.survey)), policy)
    except UserFacingError:
        return None
    return checked if checked.complete else None


def _consent(m: StoredMember) -> Consent | None:
    if m.survey is not None and m.surveyed_at is not None and m.surveyed_by is not None:
        return Consent(m.surveyed_at, m.surveyed_by, "survey")
    if m.consent_at is not None and m.consent_by is not None:
        return Consent(m.consent_at, m.consent_by, "roster")
    return None


# --- submitting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    campaign: CampaignRow
    batch_id: int | None  # None when nobody was submitted
    plan: SubmissionPlan
    made: dict[str, int]  # resident ID -> application id
    passed_over: tuple[str, ...]  # meanwhile holding an open application: not submitted
    as_of: dt.date
    policy: str

    @property
    def submitted(self) -> int:
        return len(self.made)

    @property
    def total(self) -> int:
        """The lines submitted, in fen."""
        return sum(s.line_fen for s in self.plan.submit if s.candidate.id_no in self.made)

    @property
    def skipped(self) -> dict[str, int]:
        counts = self.plan.skipped_counts
        counts["holding"] += len(self.passed_over)
        return counts

    @property
    def survey_needed(self) -> int:
        return sum(1 for s in self.plan.submit if s.survey_needed and s.candidate.id_no in self.made)

    @property
    def with_survey(self) -> int:
        return sum(
            1 for s in self.plan.submit if s.decision.survey_complete and s.candidate.id_no in self.made
        )


def _planned(
    store: Store, operator: OperatorRecord | None, code: str, policy: Policy, today: dt.date
) -> tuple[OperatorRecord, CampaignRow, SubmissionPlan]:
    """Who may submit (checked, a refusal audited), and who would be submitted at which line now."""
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _not_officer(store, op, "submit", campaign)
    _open(store, op, "submit", campaign)
    stored = store_campaigns.members(store, campaign.id, statuses=("matched", "new_to_bank", "refused"))
    cards = lookup_many(store, [m.id_no for m in stored], as_of=today)
    rejected = store_campaigns.rejected_here(store, campaign.id)
    plan = plan_submission(
        [
            Candidate(
                m.id_no,
                m.name,
                m.line_no,
                m.status,
                cards[m.id_no],
                _evidence(campaign, m),
                _checked(m, policy),
                _consent(m),
                m.id_no in rejected,
            )
            for m in stored
        ],
        policy,
        today,
    )
    return op, campaign, plan


def plan_campaign(ctx: Context, operator: OperatorRecord | None, code: str) -> SubmissionPlan:
    """What ``submit_campaign`` would submit now (who, at which line, who left and why), nothing
    written: for a face to confirm the count and the total first. Refused as the submission is."""
    return _planned(ctx.store, operator, code, ctx.in_force(), ctx.today())[2]


def submit_campaign(ctx: Context, operator: OperatorRecord | None, code: str) -> Submission:
    """Submit the campaign's members as applications in one batch (see :mod:`teller_assist.campaigns.
    grant` for who is taken and at which line): one transaction, each application with its own
    ``submit`` audit row naming the campaign and the batch, then the batch's ``campaign_submit`` row
    with the counts. A second submission takes only those not yet holding or awaiting a line."""
    store, policy = ctx.store, ctx.in_force()
    moment = ctx.now()
    today = ctx.day_of(moment)
    op, campaign, plan = _planned(store, operator, code, policy, today)
    actor = apps.Actor(op, ctx.workstation)
    news = [
        apps.new_application(
            s.candidate.id_no,
            s.candidate.card.name or s.candidate.name,
            s.decision,
            policy,
            actor,
            survey=s.candidate.survey.values if s.candidate.survey is not None else {},
            consents=s.consent.as_json(),
            branch_code=campaign.branch_code,
            now=moment,
        )
        for s in plan.submit
    ]
    skipped = plan.skipped_counts

    def closing(batch_id: int | None, made: int) -> AuditEntry:
        return AuditEntry(
            "campaign_submit",
            op.login,
            actor.workstation,
            campaign.code,
            PURPOSE,
            {
                "batch": batch_id,
                "submitted": made,
                "skipped": skipped | {"holding": skipped["holding"] + len(news) - made},
                "policy": policy.identity,
            },
        )

    try:
        written = store_campaigns.submit_batch(
            store,
            campaign.code,
            news,
            maker_id=op.id,
            by=op.login,
            at=moment,
            on=today,
            policy_version=policy.version,
            skipped=skipped,
            entry=lambda batch_id, app_id, new: apps.submit_entry(
                actor, app_id, new, campaign=campaign.code, batch=batch_id
            ),
            closing=closing,
        )
    except store_campaigns.CampaignClosed as closed:  # closed while the members were being decided
        raise _refused(
            store,
            op,
            "submit",
            campaign.code,
            _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None
    return Submission(
        campaign, written.batch_id, plan, written.made, written.passed_over, today, policy.identity
    )


# --- the approver's batch ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    """One application of a batch as a face shows it: the ID masked, the exceptions in words."""

    application_id: int
    line_no: int | None
    name: str | None
    id_masked: str
    line_fen: int
    status: str
    status_zh: str
    exceptions: tuple[str, ...]
    exceptions_zh: tuple[str, ...]
    held: bool  # left out of a one-step approval
    checker: str | None
    reject_reason: str | None


@dataclass(frozen=True)
class BatchView:
    batch: BatchRow
    review: BatchReview
    approver: str
    authority_fen: int | None  # None: the operator's role may not approve
    lines: tuple[ItemLine, ...]


def _batch(store: Store, batch_id: int) -> BatchRow:
    found = store_campaigns.batch(store, batch_id)
    if found is None:
        raise CampaignNotFound(
            f"没有编号为 {batch_id} 的提交批次",
            f"no batch {batch_id}",
            hint_zh="用 teller-assist campaign show 活动代码 查看活动的批次",
        )
    return found


def _review(store: Store, batch: BatchRow, op: OperatorRecord, policy: Policy) -> BatchReview:
    items = [
        BatchItem(
            a.application_id,
            a.version,
            a.id_no,
            a.name,
            a.member_line_no,
            a.line_fen,
            a.status,
            a.maker_id,
            a.negative_now,
            a.member_status in store_campaigns.LIVE,
            survey_needed(json.loads(a.decision)),
            a.checker_login,
            a.reject_reason,
        )
        for a in store_campaigns.batch_applications(store, batch.id)
    ]
    return review_batch(items, approver_id=op.id, authority_fen=workflow.authority_fen(policy, op.role))


def show_batch(ctx: Context, operator: OperatorRecord | None, batch_id: int) -> BatchView:
    """A batch as the signed-in operator sees it: every application (IDs masked), the exceptions first
    (for this operator: their own submissions, those over their authority, people listed negative since,
    no longer members, those at the base line a survey could raise), the count, the total and the
    bands. Whoever may see the campaign; audited as ``campaign_batch_view``."""
    store, policy, masking = ctx.store, ctx.in_force(), ctx.settings.masking
    op = _current(store, operator)
    batch = _batch(store, batch_id)
    if not _may_see(op, batch.branch_code):
        raise _refused(
            store,
            op,
            "batch_show",
            batch.campaign_code,
            CampaignRefused(
                f"批次 {batch_id} 属于网点 {batch.branch_code} 的活动，只能查看本网点的",
                f"the batch belongs to branch {batch.branch_code}'s campaign; you see your own branch's",
            ),
            "another branch's campaign",
        )
    review = _review(store, batch, op, policy)
    lines = tuple(
        ItemLine(
            r.item.application_id,
            r.item.line_no,
            r.item.name,
            masking.resident_id(r.item.id_no),
            r.item.line_fen,
            r.item.status,
            workflow.STATUS_ZH[r.item.status],
            r.exceptions,
            tuple(EXCEPTION_ZH[e][0] for e in r.exceptions),
            r.item.status == "submitted" and bool(set(r.exceptions) & HELD),
            r.item.checker_login,
            r.item.reject_reason,
        )
        for r in review.items
    )
    audit.log(
        store,
        "campaign_batch_view",
        operator=op.login,
        subject=batch.campaign_code,
        purpose=PURPOSE,
        detail={"batch": batch.id, "applications": review.count, "waiting": review.by_status()["submitted"]},
        now=ctx.now(),
    )
    return BatchView(batch, review, op.login, review.authority_fen, lines)


def _approver(store: Store, op: OperatorRecord, action: str, batch: BatchRow, policy: Policy) -> None:
    """An approver of the campaign's branch, with authority, who did not submit the batch."""
    words = {"batch_approve": "审批", "batch_reject": "拒绝"}[action]
    if workflow.authority_fen(policy, op.role) is None or op.branch_code != batch.branch_code:
        raise _refused(
            store,
            op,
            action,
            batch.campaign_code,
            CampaignRefused(
                f"只有网点 {batch.branch_code} 有审批权限的人员（大堂经理、网点负责人）可以{words}该批次",
                f"only an approver of branch {batch.branch_code} may decide this batch",
                hint_zh="请由本网点的大堂经理或网点负责人登录后操作",
                hint_en="sign in as the branch's lobby manager or head",
            ),
            "no approval authority for the campaign's branch",
        )
    if op.id == batch.maker_id:
        raise _refused(
            store,
            op,
            action,
            batch.campaign_code,
            CampaignRefused(
                "经办人不能审批自己提交的批次",
                "the maker cannot decide the batch they submitted",
                hint_zh="请由另一位有审批权限的人员审批（四眼原则）",
                hint_en="another approver must decide it (four eyes)",
            ),
            "the batch's maker",
        )


@dataclass(frozen=True)
class BatchApproval:
    batch: BatchRow
    approved: tuple[ApplicationRecord, ...]
    left: dict[str, int]  # waiting applications left for someone else, by exception (and "already")
    authority_fen: int

    @property
    def total(self) -> int:
        """The lines approved, in fen."""
        return sum(r.line_fen for r in self.approved)


def approve_batch(
    ctx: Context, operator: OperatorRecord | None, batch_id: int, *, sms_sender: str | None = None
) -> BatchApproval:
    """Approve in one step every waiting application of the batch within the approver's authority and
    without an exception that holds it back; each exactly as one approval (``applications.approve_many``:
    never the maker, the authority checked again on each row and enforced by the database, each its
    own ``approve`` row); those over the authority stay for a higher approver, the flagged for a decision
    one by one. Then the batch's ``campaign_batch_approve`` row with the counts, in the same transaction."""
    store, policy = ctx.store, ctx.in_force()
    op = _current(store, operator)
    batch = _batch(store, batch_id)
    _approver(store, op, "batch_approve", batch, policy)
    review = _review(store, batch, op, policy)
    held: dict[str, int] = {}
    for r in review.items:
        if r.item.status == "submitted" and not r.approvable:
            first = next(e for e in r.exceptions if e in HELD)
            held[first] = held.get(first, 0) + 1
    wanted = [r.item.application_id for r in review.approvable]
    actor = apps.Actor(op, ctx.workstation)
    detail = {"campaign": batch.campaign_code, "batch": batch.id}

    def closing(result: ManyResult) -> AuditEntry:
        return AuditEntry(
            "campaign_batch_approve",
            op.login,
            actor.workstation,
            batch.campaign_code,
            PURPOSE,
            {
                "batch": batch.id,
                "approved": len(result.changed),
                "approved_fen": sum(r.line_fen for r in result.changed),
                "left": held | ({"already": len(result.left)} if result.left else {}),
            },
        )

    result = apps.approve_many(ctx, wanted, actor, sms_sender=sms_sender, detail=detail, closing=closing)
    left = dict(held)
    if result.left:
        left["already"] = len(result.left)
    authority_fen = workflow.authority_fen(policy, op.role)
    assert authority_fen is not None
    return BatchApproval(batch, tuple(result.changed), left, authority_fen)


def reject_in_batch(
    ctx: Context,
    operator: OperatorRecord | None,
    batch_id: int,
    reason: str,
    *,
    member: str | None = None,
    application_id: int | None = None,
) -> ApplicationRecord:
    """Reject one member's application of the batch (named by resident ID or application number) with
    the reason the customer will read: exactly as one rejection (``applications.reject``: a reason
    required, never by the maker, audited as ``reject`` or ``reject_refused``)."""
    store, policy = ctx.store, ctx.in_force()
    op = _current(store, operator)
    batch = _batch(store, batch_id)
    _approver(store, op, "batch_reject", batch, policy)
    id_no = None if member is None else _rid(member, ctx.today())
    found = [
        a
        for a in store_campaigns.batch_applications(store, batch.id)
        if (id_no is not None and a.id_no == id_no) or a.application_id == application_id
    ]
    if not found:
        raise UserFacingError(
            f"批次 {batch.id} 中没有此成员的申请",
            f"batch {batch.id} holds no application of this member",
            hint_zh=f"用 teller-assist campaign batch show {batch.id} 查看批次中的申请",
        )
    return apps.reject(ctx, found[0].application_id, apps.Actor(op, ctx.workstation), reason)
