"""Pre-credit applications: submit (the decision recomputed from stored data), approve or reject by a
second person, cancel, sign, expire. Every change is committed together with its audit row."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from teller_assist.identity.masking import Masking
from teller_assist.identity.names import clean_name
from teller_assist.identity.resident_id import ResidentId, parse_resident_id
from teller_assist.prequal import workflow
from teller_assist.prequal.engine import Decision, decide
from teller_assist.prequal.policy import CONSENTS, Policy
from teller_assist.prequal.survey import CheckedSurvey, Survey, check_survey
from teller_assist.prequal.workflow import Status
from teller_assist.services.audit import workstation
from teller_assist.services.context import Context
from teller_assist.services.lookup import lookup
from teller_assist.services.operators import PasswordChangeRequired
from teller_assist.services.prequal import decision_to_json
from teller_assist.store import applications as store_apps
from teller_assist.store import audit as store_audit
from teller_assist.store import documents as store_docs
from teller_assist.store.applications import (
    AlreadyDecided,
    ApplicationRecord,
    NewApplication,
    WorkflowRefused,
)
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

log = logging.getLogger(__name__)

__all__ = [
    "AlreadyDecided",
    "ApplicationRecord",
    "WorkflowRefused",
    "agreement_issued",
    "application_to_json",
    "approve",
    "approve_many",
    "cancel",
    "expire_due",
    "get",
    "listing",
    "queue",
    "reject",
    "sign",
    "submit",
]


@dataclass(frozen=True)
class Actor:
    """The logged-in operator and the machine they sit at."""

    operator: OperatorRecord
    workstation: str

    def __post_init__(self) -> None:
        if self.operator.must_change_password:  # a reset password opens nothing but its own change
            raise PasswordChangeRequired(self.operator.login)

    @classmethod
    def here(cls, operator: OperatorRecord) -> Actor:
        """At this machine (a face with a context builds ``Actor(operator, ctx.workstation)``)."""
        return cls(operator, workstation())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _entry(actor: Actor, action: str, record: ApplicationRecord, **detail: Any) -> AuditEntry:
    log.info("application %d: %s by %s, now %s", record.id, action, actor.operator.login, record.status)
    return AuditEntry(
        action,
        actor.operator.login,
        actor.workstation,
        f"app:{record.id}",
        None,
        {"status": record.status, "version": record.version, **detail},
    )


def _require_active(actor: Actor) -> None:
    if not actor.operator.active:
        raise WorkflowRefused("该操作员账户已停用", "this operator account is disabled")


P = ParamSpec("P")
Decide = Callable[Concatenate[Context, int, Actor, P], ApplicationRecord]


def _audit_refusals(action: str) -> Callable[[Decide[P]], Decide[P]]:
    """A decision the rules refuse (no authority, the maker, a disabled account, decided already) leaves
    an ``<action>_refused`` row under the operator who tried, then the refusal goes on to the caller."""

    def wrap(decide: Decide[P]) -> Decide[P]:
        @functools.wraps(decide)
        def audited(
            ctx: Context, app_id: int, actor: Actor, /, *args: P.args, **kwargs: P.kwargs
        ) -> ApplicationRecord:
            try:
                return decide(ctx, app_id, actor, *args, **kwargs)
            except WorkflowRefused as exc:
                entry = AuditEntry(
                    f"{action}_refused",
                    actor.operator.login,
                    actor.workstation,
                    f"app:{app_id}",
                    None,
                    {"reason": exc.message_en or exc.message_zh},
                )
                store_audit.record(ctx.store, entry, ctx.now())
                raise

        return audited

    return wrap


def submit(
    ctx: Context,
    raw_id: str | ResidentId,
    survey: Survey,
    actor: Actor,
    *,
    name: str | None = None,
    consent_times: dict[str, dt.datetime] | None = None,
) -> ApplicationRecord:
    """Submit an application. The line is recomputed here from the stored data and the survey; nothing
    the window computed is trusted. Refused (with the reason) without both consents, with an incomplete
    or wrong survey, for an ineligible person, or when the person already has an open application."""
    _require_active(actor)
    store, policy = ctx.store, ctx.in_force()
    moment = ctx.now()
    today = ctx.day_of(moment)
    rid = raw_id if isinstance(raw_id, ResidentId) else parse_resident_id(raw_id, today=today)
    checked = check_survey(survey, policy)
    require_complete(checked)
    card = lookup(ctx, rid, as_of=today)
    if not card.name and name is not None:  # someone the bank has never seen: the name as typed
        name = clean_name(name) or None  # (the window checks it is a name: identity.names)
    decision = decide(card, checked, policy, today)
    if not decision.eligible:
        raise WorkflowRefused(
            "不符合准入条件：" + "；".join(decision.reasons), "not eligible: " + "; ".join(decision.reasons)
        )
    if decision.grantable_fen <= 0 or decision.annual_rate is None:
        raise WorkflowRefused("测算额度为零，不能提交", "the computed line is zero")
    existing = store_apps.open_application(store, rid.value)
    if existing is not None:
        raise WorkflowRefused(
            f"该客户已有未结的预授信申请（编号 {existing.id}，{workflow.STATUS_ZH[existing.status]}）",
            f"this person already has an open application ({existing.id}, {existing.status})",
        )
    times = consent_times or {}
    consents = {
        c: {"at": times.get(c, moment).astimezone(dt.UTC).isoformat(), "by": actor.operator.login}
        for c in CONSENTS
    }
    new = new_application(
        rid.value,
        card.name or name,
        decision,
        policy,
        actor,
        survey=checked.values,
        consents=consents,
        branch_code=actor.operator.branch_code,
        now=moment,
    )
    log.info(
        "submitting for %s: line %d fen, scenario %s, by %s",
        Masking().resident_id(rid.value),
        new.line_fen,
        new.scenario,
        actor.operator.login,
    )
    return store_apps.insert_application(store, new, lambda app_id: submit_entry(actor, app_id, new))


def require_complete(checked: CheckedSurvey) -> None:
    """Refuse a survey without both consents, with wrong answers, or unfinished: said as at the counter."""
    labels = {f.key: f.label_zh for f in checked.form.fields}
    no_consent = [c for c in CONSENTS if checked.values.get(c) is not True]
    if no_consent:
        raise WorkflowRefused(
            "客户尚未同意，不能提交：" + "、".join(labels.get(c, c) for c in no_consent),
            "the customer has not given consent: " + ", ".join(no_consent),
            hint_zh="请客户签署同意书后勾选",
            hint_en="tick the consents once the customer has signed them",
        )
    if checked.problems:
        raise WorkflowRefused(
            "调查表有误：" + "；".join(checked.problems.values()),
            "the survey has wrong answers: " + ", ".join(checked.problems),
        )
    if checked.missing:
        raise WorkflowRefused(
            "调查表未填完：" + "、".join(labels.get(k, k) for k in checked.missing),
            "the survey is incomplete: " + ", ".join(checked.missing),
        )


def new_application(
    id_no: str,
    name: str | None,
    decision: Decision,
    policy: Policy,
    actor: Actor,
    *,
    survey: dict[str, Any],
    consents: dict[str, Any],
    branch_code: str | None,
    now: dt.datetime,
) -> NewApplication:
    """A submission as stored: the decision's line and rate, its snapshot, the policy's identity, the
    maker and where they sat. ``decision`` must be eligible with a line (the callers refuse otherwise)."""
    if decision.annual_rate is None or decision.grantable_fen <= 0:
        raise WorkflowRefused("测算额度为零，不能提交", "the computed line is zero")
    return NewApplication(
        id_no=id_no,
        name=name,
        scenario=decision.scenario,
        survey=_json(survey),
        consents=_json(consents),
        decision=_json(decision_to_json(decision)),
        policy_version=policy.version,
        policy_sha256=policy.sha256,
        line_fen=decision.grantable_fen,
        annual_rate_bp=workflow.rate_bp(decision.annual_rate),
        branch_code=branch_code,
        workstation=actor.workstation,
        maker_id=actor.operator.id,
        submitted_at=now,
    )


def submit_entry(actor: Actor, app_id: int, new: NewApplication, **more: Any) -> AuditEntry:
    """A submission's own audit row (``more``: where it came from, e.g. a campaign's batch)."""
    return AuditEntry(
        "submit",
        actor.operator.login,
        actor.workstation,
        f"app:{app_id}",
        None,
        {"line_fen": new.line_fen, "scenario": new.scenario, "policy_version": new.policy_version, **more},
    )


@_audit_refusals("approve")
def approve(
    ctx: Context,
    app_id: int,
    actor: Actor,
    *,
    expected_version: int | None = None,
    sms_sender: str | None = None,
) -> ApplicationRecord:
    """Approve as the second person. With ``sms_sender`` (the bank's short name for the 【】 signature)
    the customer's text is queued in the same transaction; the window and the command line pass it."""
    _require_active(actor)
    moment = ctx.now()
    how = _Approval(ctx.in_force(), actor, ctx.day_of(moment), moment, sms_sender)
    return store_apps.transition(
        ctx.store,
        app_id,
        leaving=workflow.leaving("approve"),
        expected_version=expected_version,
        check=how.check,
        grant=how.grant,
        values=how.values,
        entry=how.entry,
        now=moment,
        also=how.also,
    )


@dataclass(frozen=True)
class _Approval:
    """One approver's approval, the same for one application and for a batch: who may (never the maker,
    an authority that covers the line), what it writes, its audit row and its SMS."""

    policy: Policy
    actor: Actor
    today: dt.date
    moment: dt.datetime
    sms_sender: str | None

    def __post_init__(self) -> None:
        if self.limit is None:
            role = self.actor.operator.role
            raise WorkflowRefused("该角色没有审批权限", f"the role {role} may not approve")

    @property
    def limit(self) -> int | None:
        return workflow.authority_fen(self.policy, self.actor.operator.role)

    @property
    def grant(self) -> tuple[str, int, str]:
        assert self.limit is not None
        return (self.actor.operator.role, self.limit, self.policy.version)

    def check(self, current: ApplicationRecord) -> None:
        if current.maker_id == self.actor.operator.id:
            raise WorkflowRefused(
                "经办人不能审批自己提交的申请", "the maker cannot approve their own application"
            )
        problem = workflow.authority_problem(self.policy, self.actor.operator.role, current.line_fen)
        if problem:
            raise WorkflowRefused(problem, "the approver's authority does not cover the line")

    def values(self, current: ApplicationRecord) -> dict[str, Any]:
        return {
            "status": "approved",
            "checker_id": self.actor.operator.id,
            "checker_role": self.actor.operator.role,
            "checker_authority_fen": self.limit,
            "decided_at": self.moment,
            "decided_on": self.today,
            "agreement_no": workflow.agreement_number(current.id, self.today),
            "valid_until": workflow.valid_until(self.policy, self.today),
        }

    def entry(self, r: ApplicationRecord, **more: Any) -> AuditEntry:
        return _entry(self.actor, "approve", r, line_fen=r.line_fen, agreement_no=r.agreement_no, **more)

    @property
    def also(self) -> Callable[[Any, ApplicationRecord], None] | None:
        sender = self.sms_sender
        if sender is None:
            return None
        return lambda session, r: _queue_sms(session, r, sender, self.moment)


def approve_many(
    ctx: Context,
    app_ids: Sequence[int],
    actor: Actor,
    *,
    sms_sender: str | None = None,
    hold: Callable[[ApplicationRecord], None] = lambda _r: None,
    detail: dict[str, Any] | None = None,
    closing: Callable[[store_apps.ManyResult], AuditEntry | None] | None = None,
) -> store_apps.ManyResult:
    """Approve many applications in one step (a campaign's batch), each exactly as :func:`approve`
    would: the same rule (never the maker, an authority that covers the line, checked again on each row
    as it is now and enforced by the database's constraints), the same columns, each its own ``approve``
    audit row (with ``detail`` added: the batch). ``hold`` may keep one back (raising
    :class:`WorkflowRefused`): it is left submitted with the reason. Those decided meanwhile by someone
    else are left too, never approved twice. A role without authority is refused whole and audited."""
    store, moment = ctx.store, ctx.now()
    try:
        _require_active(actor)
        how = _Approval(ctx.in_force(), actor, ctx.day_of(moment), moment, sms_sender)
    except WorkflowRefused as exc:
        store_audit.record(
            store,
            AuditEntry(
                "approve_refused",
                actor.operator.login,
                actor.workstation,
                None,
                None,
                {"reason": exc.message_en or exc.message_zh, "applications": len(app_ids), **(detail or {})},
            ),
            moment,
        )
        raise

    def check(current: ApplicationRecord) -> None:
        how.check(current)
        hold(current)

    return store_apps.transition_many(
        store,
        app_ids,
        leaving=workflow.leaving("approve"),
        check=check,
        grant=how.grant,
        values=how.values,
        entry=lambda r: how.entry(r, **(detail or {})),
        now=moment,
        also=how.also,
        closing=None if closing is None else (lambda _s, result: closing(result)),
    )


def _queue_sms(session: Any, record: ApplicationRecord, bank_short_name: str, now: dt.datetime) -> None:
    """Queue the approval text in the approval's own transaction (nothing sent twice, nothing lost)."""
    from teller_assist.documents.sms import approval_text, load_sms_template
    from teller_assist.store import sms

    phone = json.loads(record.survey).get("phone")
    if not phone or record.valid_until is None:
        return  # no number to text: the agreement and letter still tell the customer
    text = approval_text(
        load_sms_template(),
        bank_short_name=bank_short_name,
        line_fen=record.line_fen,
        annual_rate=workflow.rate_text(record.annual_rate_bp),
        valid_until=record.valid_until,
    )
    sms.enqueue(session, record.id, str(phone), text, now)


@_audit_refusals("reject")
def reject(
    ctx: Context,
    app_id: int,
    actor: Actor,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ApplicationRecord:
    _require_active(actor)
    policy, moment = ctx.in_force(), ctx.now()
    reason = reason.strip()
    if not reason:
        raise WorkflowRefused("拒绝时必须填写原因", "a reason is required to reject")
    if len(reason) > 200:
        raise WorkflowRefused("原因过长（最多200字）", "the reason is too long (200 characters at most)")
    if workflow.authority_fen(policy, actor.operator.role) is None:
        raise WorkflowRefused("该角色没有审批权限", f"the role {actor.operator.role} may not decide")

    def check(current: ApplicationRecord) -> None:
        if current.maker_id == actor.operator.id:
            raise WorkflowRefused(
                "经办人不能审批自己提交的申请（如需放弃请撤销）",
                "the maker cannot decide their own application (cancel it instead)",
            )

    return store_apps.transition(
        ctx.store,
        app_id,
        leaving=workflow.leaving("reject"),
        expected_version=expected_version,
        check=check,
        values=lambda _c: {
            "status": "rejected",
            "checker_id": actor.operator.id,
            "checker_role": actor.operator.role,
            "decided_at": moment,
            "reject_reason": reason,
            "closed_at": moment,
        },
        entry=lambda r: _entry(actor, "reject", r),
        now=moment,
    )


def cancel(
    ctx: Context,
    app_id: int,
    actor: Actor,
    *,
    expected_version: int | None = None,
) -> ApplicationRecord:
    """Withdraw a submitted application (the customer left, or the survey was wrong)."""
    _require_active(actor)
    moment = ctx.now()
    return store_apps.transition(
        ctx.store,
        app_id,
        leaving=workflow.leaving("cancel"),
        expected_version=expected_version,
        values=lambda _c: {"status": "cancelled", "closed_at": moment},
        entry=lambda r: _entry(actor, "cancel", r),
        now=moment,
    )


def sign(
    ctx: Context,
    app_id: int,
    actor: Actor,
    *,
    expected_version: int | None = None,
) -> ApplicationRecord:
    """The customer signed the printed agreement, and with it the authorisation printed beside it:
    refused until the agreement was issued (printed, or written with ``document agreement``), since there
    is nothing to sign before; the signature of each issued document is recorded in the same transaction
    (``store.documents``), and so is the strike of every target list the person is on (``targets``)."""
    from teller_assist.services.targets import strike_on_signing

    _require_active(actor)
    store, moment = ctx.store, ctx.now()
    today = ctx.day_of(moment)
    signed: list[str] = []

    def check(current: ApplicationRecord) -> None:
        if current.valid_until is not None and current.valid_until < today:
            raise WorkflowRefused("该额度已过有效期，不能签约", "the line's validity has ended")
        if not _issued(store, app_id):  # issues only ever grow: read once is enough
            raise WorkflowRefused(
                "预授信协议尚未打印，客户无从签字",
                "the agreement has not been issued yet: there is nothing for the customer to sign",
                hint_zh="请先打印协议（窗口 F8，或 teller-assist print / document agreement），"
                "客户签字后再登记",
                hint_en="print the agreement first (F8 in the window, or teller-assist print / document "
                "agreement), then record the signature",
            )

    def documents(session: Any, record: ApplicationRecord) -> None:
        signed[:] = store_docs.record_signatures(
            session,
            record.id,
            store_docs.SIGNED_KINDS,
            operator=actor.operator.login,
            workstation=actor.workstation,
            now=moment,
        )
        strike_on_signing(
            session,
            record.id_no,
            today,
            record.valid_until,
            application_id=record.id,
            by=actor.operator.login,
            workstation=actor.workstation,
            now=moment,
        )

    return store_apps.transition(
        store,
        app_id,
        leaving=workflow.leaving("sign"),
        expected_version=expected_version,
        check=check,
        values=lambda _c: {
            "status": "signed",
            "signed_at": moment,
            "signed_on": today,
            "signed_by": actor.operator.id,
        },
        entry=lambda r: _entry(actor, "sign", r, agreement_no=r.agreement_no, documents=list(signed)),
        now=moment,
        also=documents,
    )


def agreement_issued(ctx: Context, app_id: int) -> bool:
    """Whether the agreement was issued (printed or written out), so the customer has it to sign."""
    return _issued(ctx.store, app_id)


def _issued(store: Store, app_id: int) -> bool:
    from teller_assist.store.documents import issued_count

    return issued_count(store, app_id, "agreement") > 0


def expire_due(ctx: Context) -> int:
    """Close approved and signed applications whose validity ended before the context's day."""
    moment = ctx.now()
    here = ctx.workstation
    return store_apps.expire_due(
        ctx.store,
        ctx.day_of(moment),
        moment,
        lambda r: AuditEntry("expire", None, here, f"app:{r.id}", None, {"valid_until": str(r.valid_until)}),
    )


def get(ctx: Context, app_id: int) -> ApplicationRecord:
    record = store_apps.get_application(ctx.store, app_id)
    if record is None:
        raise WorkflowRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
    return record


def listing(ctx: Context, *, status: str | None = None, id_no: str | None = None) -> list[ApplicationRecord]:
    statuses = None if status is None else (status,)
    return store_apps.list_applications(ctx.store, statuses=statuses, id_no=id_no)


def queue(ctx: Context, *, branch_code: str | None = None) -> list[ApplicationRecord]:
    """Applications waiting for a decision, oldest first (the customer who has waited longest on top);
    with ``branch_code``, that branch's (and any made by an operator without a branch). Only those made
    one by one (at the counter, from the command line): a campaign's batch of thousands is decided as a
    batch in 客群活动, and here it would bury the customer waiting at the counter below the first 500."""
    return store_apps.list_applications(
        ctx.store,
        statuses=(Status.SUBMITTED,),
        branch_code=branch_code,
        oldest_first=True,
        limit=500,
        counter_only=True,
    )


def applied_factors(record: ApplicationRecord) -> tuple[str, ...]:
    """The decision's applied factors in words, as recorded at submission (never recomputed): what the
    approver weighs and what the agreement prints."""
    snapshot = json.loads(record.decision)
    return tuple(
        f["evidence"] for f in snapshot.get("factors", ()) if f.get("applies") and f.get("code") != "age"
    )


def application_to_json(r: ApplicationRecord, masked_id: str) -> dict[str, Any]:
    return {
        "id": r.id,
        "status": r.status,
        "status_zh": workflow.STATUS_ZH[r.status],
        "id_masked": masked_id,
        "name": r.name,
        "scenario": r.scenario,
        "limit_fen": r.line_fen,
        "annual_rate": workflow.rate_text(r.annual_rate_bp),
        "agreement_no": r.agreement_no,
        "valid_until": r.valid_until.isoformat() if r.valid_until else None,
        "maker": r.maker_login,
        "checker": r.checker_login,
        "submitted_at": r.submitted_at.isoformat(timespec="seconds"),
        "decided_at": r.decided_at.isoformat(timespec="seconds") if r.decided_at else None,
        "signed_at": r.signed_at.isoformat(timespec="seconds") if r.signed_at else None,
        "reject_reason": r.reject_reason,
        "version": r.version,
        "policy_version": r.policy_version,
    }
