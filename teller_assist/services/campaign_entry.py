"""The 客群活动 entry desk (issue 17, item 4): the data-entry grid of a collective visit and the
community registration desk.

- :func:`open_sheet`: a campaign's members (matched or new to the bank) each with the bank's card, the
  group's evidence and what was typed for them before (their kept draft, else their recorded survey),
  for a grid of one row a person and the scenario's form as columns. Who may: as ``campaign survey``
  (head office, or an officer of the campaign's branch), an open campaign; audited as ``campaign_entry``.
- :func:`keep_draft`: a row as typed so far kept in the counter's survey drafts (``services.drafts``: one
  per person, consents never kept), so it survives closing the grid and a crash.
- :func:`save_row`: a complete row recorded as the member's survey through
  ``campaign_batches.record_survey`` (the same checks and the same ``campaign_survey`` audit row as the
  command line), then its draft dropped.
- :func:`register`: the community desk: one resident (ID, name, phone, both consents) added to a
  community campaign on the next line, refused with a clear reason for a bad ID, a bad name or phone, a
  missing consent, a person already registered, or a name that differs from the bank's record; audited
  as ``campaign_register``.

Everything is refused while the window is locked (audited under the operator, as the workspace does).
The row's line itself is computed by the pure :func:`teller_assist.campaigns.entry.decide_row`.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from teller_assist.campaigns.batch import decide_roster
from teller_assist.campaigns.roster import check_roster
from teller_assist.errors import UserFacingError
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.engine import Decision
from teller_assist.prequal.group import GroupEvidence
from teller_assist.prequal.policy import CONSENTS, Form
from teller_assist.prequal.survey import Survey
from teller_assist.services import audit, campaign_batches, drafts
from teller_assist.services.campaign_batches import SurveyRecorded, _may_work, _not_officer, _open
from teller_assist.services.campaign_desk import refuse_locked
from teller_assist.services.campaigns import (
    PURPOSE,
    CampaignRefused,
    _campaign,
    _closed,
    _current,
    _evidence,
    _refused,
)
from teller_assist.services.context import Context
from teller_assist.services.lookup import lookup_many
from teller_assist.store import campaign_entry as store_entry
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.audit import AuditEntry
from teller_assist.store.campaigns import CampaignRow
from teller_assist.store.operators import OperatorRecord

__all__ = ["EntryRow", "EntrySheet", "Registration", "keep_draft", "open_sheet", "register", "save_row"]


@dataclass(frozen=True)
class EntryRow:
    """One member as the grid shows them; the whole ID is kept for the saves only, never shown."""

    id_no: str = field(repr=False)
    id_masked: str
    name: str
    line_no: int
    status: str  # matched, new_to_bank
    card: CustomerCard = field(repr=False)
    evidence: GroupEvidence
    answers: dict[str, Any] = field(repr=False)  # the draft's, else the recorded survey's, else none
    surveyed: bool  # a completed survey is recorded for them
    drafted: bool  # the answers come from a kept draft

    def __repr__(self) -> str:  # never the whole ID, the name or the answers in a log
        return f"EntryRow({self.line_no}, {self.id_masked!r}, {self.status!r})"


@dataclass(frozen=True)
class EntrySheet:
    campaign: CampaignRow
    form: Form
    rows: tuple[EntryRow, ...]


def _lock(ctx: Context, operator: OperatorRecord | None, action: str, code: str, locked: bool) -> None:
    if locked:
        raise refuse_locked(ctx, operator, action, code)


def _recorded(m: store_campaigns.StoredMember) -> dict[str, Any]:
    if m.survey is None:
        return {}
    values: dict[str, Any] = json.loads(m.survey)
    return values


def open_sheet(
    ctx: Context, operator: OperatorRecord | None, code: str, *, locked: bool = False
) -> EntrySheet:
    """The grid's rows: every member matched or new to the bank, in roster order, with what was typed
    for them before. Refused while locked, to whoever may not survey for the campaign, on a closed
    campaign; audited as ``campaign_entry`` (how many rows, how many drafts)."""
    _lock(ctx, operator, "entry", code, locked)
    store, policy, today, masking = ctx.store, ctx.in_force(), ctx.today(), ctx.settings.masking
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _not_officer(store, op, "survey", campaign)
    _open(store, op, "survey", campaign)
    form = policy.forms.get(campaign.scenario)
    if form is None:
        raise UserFacingError(
            f"调查政策中没有{campaign.scenario}场景的调查表",
            f"the policy has no survey form for {campaign.scenario!r}",
            hint_zh="请总行在政策文件中加入该场景的调查表",
        )
    stored = store_campaigns.members(store, campaign.id, statuses=store_campaigns.LIVE)
    ids = [m.id_no for m in stored]
    cards = lookup_many(store, ids, as_of=today)
    kept = store_entry.drafts_for(store, ids)
    rows = []
    for m in stored:
        draft = kept.get(m.id_no)
        drafted = draft is not None and draft.scenario == campaign.scenario
        answers: dict[str, Any] = json.loads(draft.answers) if draft is not None and drafted else _recorded(m)
        rows.append(
            EntryRow(
                m.id_no,
                masking.resident_id(m.id_no),
                m.name,
                m.line_no,
                m.status,
                cards[m.id_no],
                _evidence(campaign, m),
                answers,
                m.survey is not None,
                drafted,
            )
        )
    audit.log(
        store,
        "campaign_entry",
        operator=op.login,
        subject=campaign.code,
        purpose=PURPOSE,
        detail={"rows": len(rows), "drafts": sum(r.drafted for r in rows), "policy": policy.identity},
    )
    return EntrySheet(campaign, form, tuple(rows))


def keep_draft(
    ctx: Context,
    operator: OperatorRecord | None,
    sheet: EntrySheet,
    row: EntryRow,
    answers: dict[str, Any],
    *,
    locked: bool = False,
) -> None:
    """The row as typed so far kept as the person's survey draft (the consents are ticked again)."""
    _lock(ctx, operator, "entry_draft", sheet.campaign.code, locked)
    store = ctx.store
    op = _current(store, operator)
    typed = {k: v for k, v in answers.items() if v is not None and k not in CONSENTS}
    drafts.save(ctx, row.id_no, Survey(sheet.campaign.scenario, typed), op.login)


def save_row(
    ctx: Context,
    operator: OperatorRecord | None,
    sheet: EntrySheet,
    row: EntryRow,
    answers: dict[str, Any],
    *,
    locked: bool = False,
) -> SurveyRecorded:
    """A complete row recorded as the member's survey, exactly as ``campaign survey`` records one (who
    may, an open campaign, a complete form with both consents, its ``campaign_survey`` audit row); the
    person's draft then dropped."""
    _lock(ctx, operator, "survey", sheet.campaign.code, locked)
    survey = Survey(sheet.campaign.scenario, {k: v for k, v in answers.items() if v is not None})
    recorded = campaign_batches.record_survey(ctx, operator, sheet.campaign.code, row.id_no, survey)
    with contextlib.suppress(UserFacingError):  # an orphan draft is purged after 30 days
        drafts.discard(ctx, row.id_no)
    return recorded


# --- the community registration desk -------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    campaign: CampaignRow
    line_no: int
    name: str
    id_masked: str
    status: str  # matched (the bank knows them), new_to_bank
    again: bool  # removed by a roster before, registered again
    decision: Decision  # the line registering gives now (the base line, without a survey)

    def __repr__(self) -> str:
        return f"Registration({self.line_no}, {self.id_masked!r}, {self.status!r})"


class RegistrationRefused(UserFacingError):
    exit_code = 2


HEADER = ("身份证号", "姓名", "手机号", "同意查询征信", "同意处理个人信息")


def _bad(zh: str, en: str, hint_zh: str = "请核对后重新输入；已输入的内容保留") -> RegistrationRefused:
    return RegistrationRefused(zh, en, hint_zh=hint_zh, hint_en="check and type it again")


def register(
    ctx: Context,
    operator: OperatorRecord | None,
    code: str,
    *,
    raw_id: str,
    name: str,
    phone: str,
    consents: tuple[bool, bool],
    locked: bool = False,
) -> Registration:
    """One resident registered on a community campaign, read as a one-row roster of the campaign's
    columns (the same checks as an imported roster: the ID, the name, the phone, both consents, the
    name against the bank's record). Refused: while locked, to whoever may not work the campaign, on a
    closed or non-community campaign (those audited), and each bad entry with its reason."""
    _lock(ctx, operator, "register", code, locked)
    store, policy, masking, moment = ctx.store, ctx.in_force(), ctx.settings.masking, ctx.now()
    today = ctx.day_of(moment)
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _not_officer(store, op, "survey", campaign)
    if campaign.scenario != "community":
        raise _refused(
            store,
            op,
            "register",
            campaign.code,
            CampaignRefused(
                "只有整社区活动可以现场登记",
                "only a community campaign registers residents at a desk",
                hint_zh="其他场景的成员请由名单导入",
            ),
            "not a community campaign",
        )
    _open(store, op, "register", campaign)
    if not phone.strip():
        raise _bad("请填写手机号：社区登记需要手机号", "a phone number is needed to register")
    if not all(consents):
        raise _bad("登记需要本人同意查询征信和处理个人信息（两项都须勾选）",
                   "registration needs both consents", hint_zh="请客户签字同意后勾选两项")  # fmt: skip
    cells = [raw_id, name, phone, "是", "是"]
    checked = check_roster(list(HEADER), [(1, cells)], "community", today)
    if checked.refused:
        why = checked.refused[0]
        raise _bad(why.reason_zh, why.reason_en)
    member = checked.members[0]
    card = lookup_many(store, [member.id_no], as_of=today)[member.id_no]
    decided = decide_roster(checked, {member.id_no: card}, policy, today)
    if decided.refused:
        why = decided.refused[0]
        raise _bad(why.reason_zh, why.reason_en)
    status = "matched" if card.known else "new_to_bank"
    masked = masking.resident_id(member.id_no)
    try:
        written = store_entry.register_member(
            store,
            campaign.code,
            id_no=member.id_no,
            name=member.name,
            phone=member.phone or "",
            status=status,
            by=op.login,
            at=moment,
            entry=lambda line: AuditEntry(
                "campaign_register",
                op.login,
                ctx.workstation,
                campaign.code,
                PURPOSE,
                {"line": line, "status": status, "consents": True},
            ),
        )
    except store_entry.AlreadyMember as already:
        raise _bad(
            f"此人已登记在本活动（第{already.line_no}行），不重复登记",
            f"already registered on this campaign (line {already.line_no})",
            hint_zh="请登记下一位",
        ) from None
    except store_campaigns.CampaignClosed as closed:
        raise _refused(
            store, op, "register", campaign.code, _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None  # fmt: skip
    return Registration(
        campaign, written.line_no, member.name, masked, status, written.again, decided.decided[0].decision
    )
