"""Group campaigns (issue 17): a campaign made, listed, shown and closed; a group's roster read, checked,
decided against what the bank knows and loaded as the campaign's members in one transaction; the refused
rows handed back to the group as a workbook it can correct.

Who may do what, checked against the signed-in operator as the database holds them now (a disabled
account, or a password reset not yet changed, is refused first), every action and every refusal audited
under them:

- head office (``hq_admin``) creates, closes and loads rosters for any branch's campaigns and sees them all;
- a branch head (``branch_head``) does the same for their own branch's campaigns only;
- any other operator sees their own branch's campaigns (counts and members, masked) and changes nothing.

A member is a membership: the person's line is worked out from the bank's data when asked for, never
copied per campaign, so a person on several campaigns holds one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from teller_assist import vocabulary
from teller_assist.campaigns.batch import RosterDecision, decide_roster
from teller_assist.campaigns.campaign import STATUS_ZH, CampaignSpec, check_code
from teller_assist.campaigns.members import (
    MEMBER_STATUS_ZH,
    MEMBER_STATUSES,
    Held,
    ImportPlan,
    Prequalified,
    held_back,
    plan_import,
    prequalify,
)
from teller_assist.campaigns.progress import LineFacts, PersonFacts, Progress, count_progress
from teller_assist.campaigns.roster import SCENARIO_ZH, Refusal, check_roster
from teller_assist.campaigns.till import TILL_HEADER_WORDS, check_till, months_from_json, months_json
from teller_assist.errors import UserFacingError
from teller_assist.exports import part_path, spreadsheet_cell
from teller_assist.identity.masking import Masking, mask_free_text, mask_refused_row
from teller_assist.ingest.rosters import RosterTable, read_roster
from teller_assist.kpi.definitions import Indicator, IndicatorMeasure, Scope
from teller_assist.kpi.records import GroupFigures
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.engine import decide
from teller_assist.prequal.group import EVALUATION_ZH, GroupEvidence
from teller_assist.prequal.policy import Policy
from teller_assist.services import audit
from teller_assist.services.clock import local_day
from teller_assist.services.context import Context
from teller_assist.services.lookup import lookup_many
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store import operators as store_ops
from teller_assist.store.audit import AuditEntry
from teller_assist.store.campaigns import BatchRow, CampaignRow, ImportCounts
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

__all__ = [
    "IMPORT_STAGES",
    "IMPORT_STAGE_ZH",
    "MEMBER_STATUS_ZH",
    "STATUS_ZH",
    "CampaignNotFound",
    "CampaignRefused",
    "CampaignRow",
    "CampaignShow",
    "ImportProgress",
    "MemberLine",
    "RosterCheck",
    "RosterImport",
    "campaign_progress",
    "check_roster_file",
    "close_campaign",
    "create_campaign",
    "export_refused",
    "import_roster",
    "import_till",
    "list_campaigns",
    "show_campaign",
    "write_refused",
]

HEAD_OFFICE = "hq_admin"
BRANCH_HEAD = "branch_head"
PURPOSE = "campaigns"


class CampaignRefused(UserFacingError):
    """A rule refused the action: the operator's role or branch, a closed campaign, a code taken."""

    exit_code = 3


class CampaignNotFound(UserFacingError):
    """No campaign has that code."""


# --- who may do what -----------------------------------------------------------------------------------


def _current(store: Store, operator: OperatorRecord | None) -> OperatorRecord:
    """The operator as the database holds them now: a record read at sign-in may be stale (disabled,
    moved to another role or branch since)."""
    if operator is None:
        raise CampaignRefused("请先登录", "sign in first", hint_zh="客群活动须以操作员身份操作")
    now = store_ops.get_operator(store, operator.login)
    if now is None or not now.active:
        raise CampaignRefused("该操作员账户已停用", "this operator account is disabled")
    if now.must_change_password:
        raise CampaignRefused(
            "请先修改密码", "change the password first", hint_zh="管理员重置密码后，须先设置新密码再操作"
        )
    return now


def _may_manage(op: OperatorRecord, branch: str) -> bool:
    return op.role == HEAD_OFFICE or (op.role == BRANCH_HEAD and op.branch_code == branch)


def _may_see(op: OperatorRecord, branch: str) -> bool:
    return op.role == HEAD_OFFICE or (op.branch_code is not None and op.branch_code == branch)


def _refused(
    store: Store, op: OperatorRecord, action: str, code: str, refusal: CampaignRefused, why: str
) -> CampaignRefused:
    """The refusal, audited under the operator who was refused (``why``: a few words, no one's data)."""
    audit.log(
        store,
        "campaign_refused",
        operator=op.login,
        subject=code[:64],
        purpose=PURPOSE,
        detail={"action": action, "reason": why, "role": op.role, "branch": op.branch_code},
    )
    return refusal


def _not_manager(store: Store, op: OperatorRecord, action: str, code: str, branch: str) -> CampaignRefused:
    verbs = {"create": "新建", "close": "结束", "import": "导入名单到", "import_till": "导入收银记录到"}
    what = verbs[action]
    return _refused(
        store,
        op,
        action,
        code,
        CampaignRefused(
            f"只有总行管理员或网点 {branch} 的负责人可以{what}该网点的活动",
            f"only head office or the head of branch {branch} may {action} its campaigns",
            hint_zh="请由总行管理员或本网点负责人登录后操作",
            hint_en="sign in as head office or as the branch's head",
        ),
        "not head office or the owning branch's head",
    )


def _not_yours(store: Store, op: OperatorRecord, campaign: CampaignRow, action: str) -> CampaignRefused:
    return _refused(
        store,
        op,
        action,
        campaign.code,
        CampaignRefused(
            f"活动 {campaign.code} 属于网点 {campaign.branch_code}，只能查看本网点的活动",
            f"the campaign belongs to branch {campaign.branch_code}; you see your own branch's",
            hint_zh="总行管理员可查看各网点的活动",
        ),
        "another branch's campaign",
    )


def _entry(op: OperatorRecord, where: str, action: str, code: str, detail: dict[str, object]) -> AuditEntry:
    """An audit row under ``op`` at workstation ``where``."""
    return AuditEntry(action, op.login, where, code[:64], PURPOSE, detail)


def _campaign(store: Store, code: str) -> CampaignRow:
    found = store_campaigns.get(store, check_code(code))
    if found is None:
        raise CampaignNotFound(
            f"没有活动代码为 {code} 的活动",
            f"no campaign {code!r}",
            hint_zh="用 teller-assist campaign list 查看活动",
            hint_en="see teller-assist campaign list",
        )
    return found


def _closed(campaign: str, by: str | None, at: dt.datetime | None) -> CampaignRefused:
    when = at.astimezone().date().isoformat() if at else "—"
    return CampaignRefused(
        f"活动 {campaign} 已于 {when} 由 {by or '—'} 结束，不再接收名单",
        f"the campaign {campaign} was closed on {when} by {by or '—'}; it takes no roster",
        hint_zh="如需继续，请新建一个活动",
        hint_en="make a new campaign to go on",
    )


# --- campaigns -----------------------------------------------------------------------------------------


def create_campaign(ctx: Context, operator: OperatorRecord | None, spec: CampaignSpec) -> CampaignRow:
    """Make a campaign, open (head office for any branch; a branch head for their own), audited. The
    code must be new: neither another campaign's nor a target list's."""
    store = ctx.store
    op = _current(store, operator)
    if not _may_manage(op, spec.branch_code):
        raise _not_manager(store, op, "create", spec.code, spec.branch_code)
    moment = ctx.now()
    detail: dict[str, object] = {
        "scenario": spec.scenario,
        "branch": spec.branch_code,
        "group_uscc": spec.group_uscc,
        "village_groups": len(spec.village_groups),
        "starts_on": spec.starts_on.isoformat(),
        "ends_on": spec.ends_on.isoformat(),
        "indicator": spec.indicator,
        "indicator_measure": spec.indicator_measure,
    }
    new = store_campaigns.NewCampaign(
        spec.code,
        spec.scenario,
        spec.group_name,
        spec.group_uscc,
        spec.village_groups,
        spec.branch_code,
        spec.starts_on,
        spec.ends_on,
        spec.indicator,
        spec.indicator_measure,
    )
    try:
        return store_campaigns.create(
            store,
            new,
            by=op.login,
            at=moment,
            entry=_entry(op, ctx.workstation, "campaign_create", spec.code, detail),
        )
    except store_campaigns.CodeTaken as taken:
        whose = "目标名单" if taken.target_list else "活动"
        raise _refused(
            store,
            op,
            "create",
            spec.code,
            CampaignRefused(
                f"代码 {spec.code} 已被另一{whose}使用，活动未建立",
                f"the code {spec.code} is already a {'target list' if taken.target_list else 'campaign'}'s",
                hint_zh="请换一个活动代码",
                hint_en="choose another code",
            ),
            "code taken",
        ) from None


def list_campaigns(
    ctx: Context, operator: OperatorRecord | None, *, status: str | None = None
) -> list[CampaignRow]:
    """The campaigns the operator may see (head office: all; anyone else: their branch's), open first;
    audited with the count."""
    store = ctx.store
    op = _current(store, operator)
    if op.role == HEAD_OFFICE:
        rows = store_campaigns.list_campaigns(store, status=status)
    elif op.branch_code:
        rows = store_campaigns.list_campaigns(store, branch=op.branch_code, status=status)
    else:
        rows = []
    audit.log(
        store,
        "campaign_list",
        operator=op.login,
        purpose=PURPOSE,
        detail={"campaigns": len(rows), "status": status},
        now=ctx.now(),
    )
    return rows


def close_campaign(ctx: Context, operator: OperatorRecord | None, code: str) -> CampaignRow:
    """Close a campaign: it takes no roster afterwards. Head office, or the owning branch's head; audited."""
    store = ctx.store
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_manage(op, campaign.branch_code):
        raise _not_manager(store, op, "close", campaign.code, campaign.branch_code)
    moment = ctx.now()
    try:
        return store_campaigns.close(
            store,
            campaign.code,
            by=op.login,
            at=moment,
            entry=_entry(
                op, ctx.workstation, "campaign_close", campaign.code, {"branch": campaign.branch_code}
            ),
        )
    except store_campaigns.CampaignClosed as closed:
        raise _refused(
            store,
            op,
            "close",
            campaign.code,
            _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None


@dataclass(frozen=True)
class MemberLine:
    """One member as a face shows them: the ID and the phone masked."""

    line_no: int
    id_masked: str
    name: str
    phone_masked: str | None
    status: str
    status_zh: str
    reason: str | None
    evaluation_zh: str | None
    evaluated_by: str | None
    key_household: bool
    permanent_staff: bool
    extras: dict[str, str]


@dataclass(frozen=True)
class CampaignShow:
    campaign: CampaignRow
    as_of: dt.date
    policy: str  # the policy's identity: version and hash
    counts: dict[str, int]  # members by status (matched, new_to_bank, refused, removed)
    prequalified: Prequalified  # the matched and new members decided from the bank's data at ``as_of``
    on_other_campaigns: int  # members (not removed) who are also on another campaign
    member_lines: tuple[MemberLine, ...] | None = None  # when asked for: every member, masked
    progress: Progress | None = None  # members, matched, eligible, ... signed, used at ``as_of``
    batches: tuple[BatchRow, ...] = ()  # the members submitted in batches, oldest first
    # the campaign's indicator with its people signed (or granted) at ``as_of``, as the KPIs count them
    indicator: GroupFigures | None = None

    @property
    def members(self) -> int:
        """Everyone on the campaign now (the removed are kept, not counted)."""
        return sum(n for s, n in self.counts.items() if s != "removed")


def _till(m: store_campaigns.StoredMember) -> dict[dt.date, int]:
    kept = m.extras.get(store_campaigns.TILL_KEY)
    return months_from_json(json.loads(kept)) if kept else {}


def _evidence(campaign: CampaignRow, m: store_campaigns.StoredMember) -> GroupEvidence:
    return GroupEvidence(
        campaign.scenario,
        group_name=campaign.group_name,
        evaluation=m.evaluation,
        evaluated_by=m.evaluated_by,
        evaluated_on=m.evaluated_on,
        permanent_staff=m.permanent_staff,
        key_household=m.key_household,
        till_sales_fen=_till(m) if campaign.scenario == "market" else {},
    )


def _line(m: store_campaigns.StoredMember, masking: Masking) -> MemberLine:
    return MemberLine(
        m.line_no,
        masking.resident_id(m.id_no),
        m.name,
        masking.phone(m.phone) if m.phone else None,
        m.status,
        MEMBER_STATUS_ZH[m.status],
        None if m.reason is None else mask_free_text(m.reason, masking),
        EVALUATION_ZH.get(m.evaluation or ""),
        m.evaluated_by,
        m.key_household,
        m.permanent_staff,
        {  # the till records are sales figures: they show in the decision's evidence, masked there
            k: mask_free_text(v, masking) for k, v in m.extras.items() if k != store_campaigns.TILL_KEY
        },
    )


def show_campaign(
    ctx: Context, operator: OperatorRecord | None, code: str, *, members: bool = False
) -> CampaignShow:
    """A campaign with its members counted by status, and its matched and new members pre-qualified
    from the bank's data on the context's day (eligible, lines still to grant by band; those already
    holding a line counted apart, once). With ``members`` also every member in roster order, IDs and
    phones masked as the settings say. Head office, or an operator of the owning branch; audited."""
    store, policy = ctx.store, ctx.in_force()
    now = ctx.now()
    as_of = ctx.day_of(now)
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_see(op, campaign.branch_code):
        raise _not_yours(store, op, campaign, "show")
    counts = dict.fromkeys(MEMBER_STATUSES, 0) | store_campaigns.status_counts(store, campaign.id)
    stored = store_campaigns.members(store, campaign.id)
    live = [m for m in stored if m.status in ("matched", "new_to_bank")]
    cards = lookup_many(store, [m.id_no for m in stored if m.status != "removed"], as_of=as_of)
    pre = prequalify([(cards[m.id_no], _evidence(campaign, m)) for m in live], policy, as_of)
    others = store_campaigns.on_other_campaigns(store, campaign.id)
    lines = tuple(_line(m, ctx.settings.masking) for m in stored) if members else None
    progress = _progress(store, campaign, stored, cards, policy, as_of)
    batches = tuple(store_campaigns.batches(store, campaign.id))
    indicator = _indicator(store, campaign, policy, as_of)
    audit.log(
        store,
        "campaign_view",
        operator=op.login,
        subject=campaign.code,
        purpose=PURPOSE,
        detail={
            "as_of": as_of.isoformat(),
            "members": sum(counts.values()),
            "listed": 0 if lines is None else len(lines),
            "policy": policy.identity,
        },
        now=now,
    )
    return CampaignShow(
        campaign, as_of, policy.identity, counts, pre, others, lines, progress, batches, indicator
    )


def _indicator(store: Store, campaign: CampaignRow, policy: Policy, day: dt.date) -> GroupFigures | None:
    """The campaign's indicator (指标任务) and how far it is at ``day``, read as the KPIs read it."""
    from teller_assist.services import kpi

    own = None
    if campaign.indicator is not None:
        own = Indicator(
            Scope("campaign", campaign.code),
            IndicatorMeasure(campaign.indicator_measure),
            campaign.indicator,
            campaign.starts_on,
            campaign.ends_on,
        )
    return kpi.campaign_indicator(store, policy, campaign.code, day, own)


def _progress(
    store: Store,
    campaign: CampaignRow,
    stored: Sequence[store_campaigns.StoredMember],
    cards: Mapping[str, CustomerCard],
    policy: Policy,
    day: dt.date,
) -> Progress:
    """The campaign's progress at ``day`` from its members (``cards``: every member not removed)."""
    lines: dict[str, list[LineFacts]] = {}
    for r in store_campaigns.member_lines(store, campaign.id, day):
        told = [local_day(t) for t in (r.letter_at, r.sms_at) if t is not None]
        lines.setdefault(r.id_no, []).append(
            LineFacts(
                r.status,
                r.here,
                r.submitted_on,
                r.decided_on,
                r.valid_until,
                r.signed_on,
                r.line_fen,
                min(told) if told else None,
                r.first_drawn_on,
            )
        )
    people = [
        PersonFacts(
            m.status,
            decide(cards[m.id_no], None, policy, day, _evidence(campaign, m)).eligible,
            None if m.surveyed_at is None else local_day(m.surveyed_at),
            tuple(lines.get(m.id_no, ())),
        )
        for m in stored
        if m.status != "removed"
    ]
    return count_progress(people, day)


def campaign_progress(ctx: Context, operator: OperatorRecord | None, code: str) -> Progress:
    """A campaign's progress on the context's day (members, matched, eligible, decided, surveyed,
    submitted, granted, notified, signed, used: :mod:`teller_assist.campaigns.progress` says how each is
    counted), for whoever may see the campaign; audited as ``campaign_view``. What the window's
    workspace shows."""
    store, policy = ctx.store, ctx.in_force()
    now = ctx.now()
    as_of = ctx.day_of(now)
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_see(op, campaign.branch_code):
        raise _not_yours(store, op, campaign, "progress")
    stored = store_campaigns.members(store, campaign.id)
    cards = lookup_many(store, [m.id_no for m in stored if m.status != "removed"], as_of=as_of)
    progress = _progress(store, campaign, stored, cards, policy, as_of)
    audit.log(
        store,
        "campaign_view",
        operator=op.login,
        subject=campaign.code,
        purpose=PURPOSE,
        detail={"as_of": as_of.isoformat(), "progress": True, "policy": policy.identity},
        now=now,
    )
    return progress


# --- rosters -------------------------------------------------------------------------------------------


ImportProgress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a roster import goes: the stages are ``IMPORT_STAGES``, in that order;
called from the thread that runs the import (a window's worker), so a face passes it on to its own."""
IMPORT_STAGES = ("read", "check", "match", "decide", "store")
IMPORT_STAGE_ZH = vocabulary.ROSTER_IMPORT_STAGE_ZH  # the words live in teller_assist.vocabulary


def _decide_file(
    store: Store,
    path: Path,
    scenario: str,
    policy: Policy,
    as_of: dt.date,
    progress: ImportProgress | None = None,
) -> tuple[RosterTable, RosterDecision]:
    tell = progress or (lambda _stage, _done, _total: None)
    tell("read", 0, 1)
    table = read_roster(path)
    rows = len(table.rows) + len(table.refused)
    tell("read", 1, 1)
    tell("check", 0, rows)
    checked = check_roster(table.header, table.rows, scenario, as_of, table.refused)
    tell("check", rows, rows)
    ids = [m.id_no for m in checked.members]
    tell("match", 0, len(ids))
    cards = lookup_many(store, ids, as_of=as_of)
    tell("match", len(ids), len(ids))
    decision = decide_roster(checked, cards, policy, as_of, lambda n, total: tell("decide", n, total))
    return table, decision


@dataclass(frozen=True)
class RosterImport:
    campaign: CampaignRow
    plan: ImportPlan
    counts: ImportCounts
    file_name: str  # masked
    sha256: str
    as_of: dt.date
    policy: str
    refused_written: int | None  # rows written to the refused workbook, when one was asked for
    held: tuple[Held, ...] = ()  # members not listed but kept, not removed: a refused row could be them


def _managed_open(
    store: Store, operator: OperatorRecord | None, code: str, action: str
) -> tuple[OperatorRecord, CampaignRow]:
    """The signed-in operator and campaign ``code``, refused (and audited as ``action``) unless they
    manage it and it is open: what every change to a campaign's members first asks."""
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_manage(op, campaign.branch_code):
        raise _not_manager(store, op, action, campaign.code, campaign.branch_code)
    if campaign.status != "open":
        raise _refused(
            store,
            op,
            action,
            campaign.code,
            _closed(campaign.code, campaign.closed_by, campaign.closed_at),
            "closed",
        )
    return op, campaign


def import_roster(
    ctx: Context,
    operator: OperatorRecord | None,
    code: str,
    path: Path,
    *,
    refused_out: Path | None = None,
    progress: ImportProgress | None = None,
) -> RosterImport:
    """Load a group's roster as the campaign's members, in one transaction with its audit row: every row
    matched, new to the bank or refused with its reason; a person already on the campaign updated, never
    doubled; a member the roster no longer lists kept and marked removed, unless one of its refused rows
    could be them (``members.held_back``: kept as they are, in ``held``). Head office or the owning
    branch's head; a closed campaign refuses (audited). The refused rows go to ``refused_out`` first,
    so a file that cannot be written leaves the campaign as it was. A roster with no row that names a
    person is refused whole: loading it would mark every member removed. ``progress`` is told each
    stage's (done, total) as it goes (:data:`ImportProgress`). Decided on the context's day with the
    policy in force; the refused rows masked as the settings say."""
    store, policy, masking = ctx.store, ctx.in_force(), ctx.settings.masking
    op, campaign = _managed_open(store, operator, code, "import")
    now = ctx.now()
    as_of = ctx.day_of(now)
    table, decision = _decide_file(store, path, campaign.scenario, policy, as_of, progress)
    plan = plan_import(decision, as_of, campaign.village_groups)
    if not plan.members:
        raise UserFacingError(
            f"名单 {path.name} 中没有一行能识别为成员（共 {plan.rows} 行，全部未通过），"
            "未导入；活动的成员不变",
            f"no row of {path.name} names a person the bank can read ({plan.rows} rows, all refused); "
            "nothing was loaded",
            hint_zh=f"用 teller-assist campaign check 文件 --scenario {campaign.scenario} "
            "--refused-out 退回.xlsx 查看每行原因",
            hint_en="see each row's reason with campaign check ... --refused-out",
        )
    written = None
    if refused_out is not None and plan.refused:
        try:
            written = write_refused(ctx, plan.refused, refused_out)
        except OSError as exc:
            raise UserFacingError(
                f"无法写入 {refused_out}：{exc.strerror or exc}；名单未导入",
                f"cannot write {refused_out}: {exc.strerror or exc}; nothing was loaded",
                hint_zh="请检查磁盘空间和权限，或换一个位置后重新导入",
                hint_en="check the disk space and permissions, or choose another place",
            ) from None
    file_name = mask_free_text(path.name, masking)
    incoming = [
        store_campaigns.MemberIn(
            m.id_no,
            m.name,
            m.status,
            m.line_no,
            m.reason,
            m.phone,
            m.evaluation,
            m.evaluated_by,
            m.evaluated_on,
            m.key_household,
            m.permanent_staff,
            dict(m.extras),
            m.consented,
        )
        for m in plan.members
    ]

    held: list[Held] = []  # read inside the load's transaction, before its audit row

    def hold(absent: Mapping[str, str]) -> list[Held]:
        held[:] = held_back(absent, plan.refused)
        return held

    def entry(counts: ImportCounts) -> AuditEntry:
        return _entry(
            op,
            ctx.workstation,
            "campaign_import",
            campaign.code,
            {
                "file": file_name,
                "sha256": table.sha256,
                "rows": plan.rows,
                "matched": plan.count("matched"),
                "new_to_bank": plan.count("new_to_bank"),
                "refused_rows": len(plan.refused),
                "refused_members": plan.count("refused"),
                "holding_a_line": plan.holding,
                "added": counts.added,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "removed": counts.removed,
                # members kept, not removed: a refused row could be them (its line, never an ID)
                "held": [h.line_no for h in held],
                "policy": policy.identity,
            },
        )

    try:
        counts = store_campaigns.import_members(
            store,
            campaign.code,
            incoming,
            store_campaigns.RosterIn(file_name, table.sha256, plan.rows),
            by=op.login,
            at=now,
            entry=entry,
            progress=None if progress is None else lambda n, total: progress("store", n, total),
            hold=hold,
        )
    except store_campaigns.CampaignClosed as closed:  # closed while the roster was being read
        raise _refused(
            store,
            op,
            "import",
            campaign.code,
            _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None
    return RosterImport(
        campaign, plan, counts, file_name, table.sha256, as_of, policy.identity, written, tuple(held)
    )


@dataclass(frozen=True)
class TillImport:
    campaign: CampaignRow
    rows: int  # rows read (blank rows aside)
    months: int  # merchant-months kept
    merchants: int  # members the file gave months for
    changed: int  # members whose till records changed
    refused: tuple[Refusal, ...]  # with their reasons (an unknown merchant among them)
    file_name: str  # masked
    sha256: str


def import_till(ctx: Context, operator: OperatorRecord | None, code: str, path: Path) -> TillImport:
    """Load a market's till records (merchant, month, sales) onto the campaign's members, in one
    transaction with its audit row: each row matched to a member by the merchant's resident ID or by
    the shop's unified social credit code on the roster, or refused with its reason (a merchant not on
    the campaign among them). Who may: as for a roster; only a market campaign takes till records. The
    policy's market factor then reads them into every decision (months, average, candidate). Checked
    on the context's day; the file's name masked as the settings say."""
    store, masking = ctx.store, ctx.settings.masking
    now = ctx.now()
    as_of = ctx.day_of(now)
    op, campaign = _managed_open(store, operator, code, "import_till")
    if campaign.scenario != "market":
        raise _refused(
            store,
            op,
            "import_till",
            campaign.code,
            CampaignRefused(
                f"收银记录只用于整市场活动；{campaign.code} 是{SCENARIO_ZH[campaign.scenario]}活动",
                f"till records are for market campaigns only; {campaign.code} is a {campaign.scenario} one",
            ),
            "not_market",
        )
    table = read_roster(path, TILL_HEADER_WORDS)
    checked = check_till(table.header, table.rows, as_of, table.refused)
    live = store_campaigns.members(store, campaign.id, statuses=store_campaigns.LIVE)
    by_id = {m.id_no for m in live}
    by_shop = {m.extras["shop_uscc"]: m.id_no for m in live if m.extras.get("shop_uscc")}
    sales: dict[str, dict[dt.date, int]] = {}
    refused = list(checked.refused)
    for row in checked.rows:
        who = row.id_no if row.id_no in by_id else by_shop.get(row.shop_uscc or "")
        if who is None:
            refused.append(
                Refusal(
                    row.line_no,
                    row.id_no or row.shop_uscc or "",
                    "",
                    "该商户不在本活动的名单上（或名单未通过），请先导入含该商户的名单",
                    "the merchant is not a member of this campaign",
                )
            )
            continue
        if row.month in sales.get(who, {}):
            refused.append(
                Refusal(
                    row.line_no,
                    row.id_no or row.shop_uscc or "",
                    "",
                    "同一商户同一月份出现两次",
                    "the same merchant's month given twice",
                )
            )
            continue
        sales.setdefault(who, {})[row.month] = row.sales_fen
    refused.sort(key=lambda r: r.line_no)
    file_name = mask_free_text(path.name, masking)
    months = sum(len(v) for v in sales.values())
    rows = len(checked.rows) + len(checked.refused)

    def entry(changed: int) -> AuditEntry:
        return _entry(
            op,
            ctx.workstation,
            "campaign_till_import",
            campaign.code,
            {
                "file": file_name,
                "sha256": table.sha256,
                "rows": rows,
                "months": months,
                "merchants": len(sales),
                "changed": changed,
                "refused_rows": len(refused),
            },
        )

    try:
        changed = store_campaigns.record_till(
            store,
            campaign.code,
            {who: months_json(m) for who, m in sales.items()},
            at=now,
            entry=entry,
        )
    except store_campaigns.CampaignClosed as closed:
        raise _refused(
            store,
            op,
            "import_till",
            campaign.code,
            _closed(campaign.code, closed.closed_by, closed.closed_at),
            "closed",
        ) from None
    except store_campaigns.MemberMissing:  # a roster loaded meanwhile removed a merchant
        raise UserFacingError(
            "读取收银记录期间活动名单有变化，收银记录未导入",
            "the campaign's roster changed while the till records were read; nothing was loaded",
            hint_zh="请重新导入收银记录",
            hint_en="import the till records again",
        ) from None
    return TillImport(campaign, rows, months, len(sales), changed, tuple(refused), file_name, table.sha256)


@dataclass(frozen=True)
class RosterCheck:
    table: RosterTable
    decision: RosterDecision
    as_of: dt.date


def check_roster_file(ctx: Context, path: Path, scenario: str, *, operator: str) -> RosterCheck:
    """Read ``path`` (refused whole when its shape cannot be read), check every row, decide every member
    without a survey on the context's day with the policy in force, and audit the check under
    ``operator`` with its counts (no one's ID in the row: the file's name and fingerprint say which
    roster it was). Nothing is stored."""
    store, policy = ctx.store, ctx.in_force()
    now = ctx.now()
    as_of = ctx.day_of(now)
    table, decision = _decide_file(store, path, scenario, policy, as_of)
    audit.log(
        store,
        "roster_check",
        operator=operator,
        subject=path.name,
        purpose=f"{SCENARIO_ZH[scenario]}名单核对",
        detail={
            "sha256": table.sha256,
            "scenario": scenario,
            "rows": len(decision.decided) + len(decision.refused),
            "members": len(decision.decided),
            "refused": len(decision.refused),
            "eligible": decision.eligible,
            "policy": policy.identity,
        },
        now=now,
    )
    return RosterCheck(table, decision, as_of)


REFUSED_HEADER = ("行号", "姓名", "身份证号（部分隐藏）", "原因", "reason")


def export_refused(ctx: Context, check: RosterCheck, out: Path) -> int:
    """A checked roster's refused rows as a workbook (see :func:`write_refused`)."""
    return write_refused(ctx, check.decision.refused, out)


def write_refused(ctx: Context, refused: Sequence[Refusal], out: Path) -> int:
    """The refused rows as a workbook for the group to correct: line, name, the ID masked (every number
    in it, as the import's refused rows are), the reason in Chinese and English (any ID or phone it
    quotes masked). No cell is a formula (text stays text, whatever it begins with); the file is
    private (0600) and moved into place only when complete; masked as the context's settings say.
    Returns the rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "未通过的行"
    sheet.append(list(REFUSED_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    masking = ctx.settings.masking
    rows = 0
    for refusal in refused:
        values = [
            refusal.line_no,
            refusal.name,
            mask_refused_row(refusal.id_no, masking),
            mask_free_text(refusal.reason_zh, masking),
            mask_free_text(refusal.reason_en, masking),
        ]
        sheet.append([spreadsheet_cell(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # shown as typed, never evaluated
        rows += 1
    for column, width in zip("ABCDE", (8, 14, 22, 48, 48), strict=True):
        sheet.column_dimensions[column].width = width
    part = part_path(out)
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            book.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        part.replace(out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return rows
