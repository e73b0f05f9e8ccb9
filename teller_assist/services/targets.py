"""Head office's target lists and each officer's daily tasks (issue 18, a first slice): the region →
branch table, building and issuing a list with each branch's indicator, a branch head assigning its
targets, today's tasks of an officer or a branch, an outcome recorded by the task's officer, and the
strikes the data shows kept once.

Who may do what, checked against the signed-in operator on every call (a disabled or not-yet-changed
password is refused first), every action audited under them:

- head office (``hq_admin``) edits the region table, previews and issues lists, sees every list;
- a branch head assigns their own branch's targets to its officers (active operators of the branch) and
  sees their branch's and officers' tasks;
- an officer sees their own tasks and records outcomes only on their own targets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.kpi.ages import birth_bounds
from teller_assist.prequal.policy import Policy
from teller_assist.services import audit
from teller_assist.services.context import Context
from teller_assist.store import operators as store_ops
from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord
from teller_assist.targets import file_list
from teller_assist.targets.assignment import MODES, Pending, Plan, balance, village_of
from teller_assist.targets.lists import (
    BranchShare,
    ListRefused,
    check_branch_code,
    check_due,
    check_list_code,
    check_region_code,
    split_by_region,
)
from teller_assist.targets.tasks import (
    KIND_ZH,
    STRIKE_ZH,
    AgeBand,
    TargetFacts,
    Task,
    check_outcome,
    daily_tasks,
    one_visit,
    signing_strike,
    strike_of,
    summary,
    task_of,
)

__all__ = [
    "KIND_ZH",
    "Balanced",
    "FileAccount",
    "Issued",
    "ListSpec",
    "Listed",
    "Page",
    "Preview",
    "TargetsRefused",
    "TaskLine",
    "TaskList",
    "Today",
    "assign",
    "assign_balanced",
    "count_today",
    "export_not_listed",
    "issue",
    "listed_today",
    "preview",
    "reassign",
    "record_outcome",
    "set_region",
    "strike_on_signing",
    "sweep",
    "sweeper",
    "tasks_today",
    "today_page",
    "today_tasks",
]

HEAD_OFFICE = "hq_admin"
BRANCH_HEAD = "branch_head"
OFFICER_ROLES = ("teller", "lobby_manager", "branch_head")
TAGS = ("civil_servant", "party_member", "veteran", "exemplary_resident", "integrity_business", "family_farm")


class TargetsRefused(UserFacingError):
    """An operator whose role may not do this, or a request the lists cannot take."""

    exit_code = 3


# --- who may do what -----------------------------------------------------------------------------------


def _signed_in(operator: OperatorRecord | None) -> OperatorRecord:
    if operator is None:
        raise TargetsRefused("请先登录", "sign in first", hint_zh="目标名单与任务须以操作员身份操作")
    if not operator.active:
        raise TargetsRefused("该操作员账户已停用", "this operator account is disabled")
    if operator.must_change_password:
        raise TargetsRefused(
            "请先修改密码", "change the password first", hint_zh="管理员重置密码后，须先设置新密码再操作"
        )
    return operator


def _head_office(operator: OperatorRecord | None, what_zh: str, what_en: str) -> OperatorRecord:
    op = _signed_in(operator)
    if op.role != HEAD_OFFICE:
        raise TargetsRefused(
            f"只有总行管理员可以{what_zh}",
            f"only a head-office administrator may {what_en}",
            hint_zh="请由总行管理员登录后操作",
            hint_en="sign in as a head-office administrator",
        )
    return op


def _branch_head(operator: OperatorRecord | None) -> tuple[OperatorRecord, str]:
    op = _signed_in(operator)
    if op.role != BRANCH_HEAD or not op.branch_code:
        raise TargetsRefused(
            "只有网点负责人可以分配本网点的目标客户",
            "only a branch head assigns their branch's targets",
            hint_zh="请由本网点负责人登录后操作",
            hint_en="sign in as the branch head",
        )
    return op, op.branch_code


def branch_viewer(operator: OperatorRecord | None, branch: str, what_zh: str, what_en: str) -> OperatorRecord:
    """Head office, or the branch head of ``branch``: who sees a branch's whole day."""
    op = _signed_in(operator)
    if not (op.role == HEAD_OFFICE or (op.role == BRANCH_HEAD and op.branch_code == branch)):
        raise TargetsRefused(
            f"{what_zh}只能由本网点负责人或总行管理员查看",
            f"{what_en} is for the branch's head or head office",
            hint_zh="请由本网点负责人登录后操作",
            hint_en="sign in as the branch head",
        )
    return op


def _entry(
    ctx: Context, op: OperatorRecord, action: str, subject: str | None, detail: dict[str, object]
) -> AuditEntry:
    return AuditEntry(
        action, op.login, ctx.workstation, None if subject is None else subject[:64], "targets", detail
    )


def _band(policy: Policy) -> AgeBand:
    return AgeBand(policy.min_age, policy.max_age)


# --- the region table ----------------------------------------------------------------------------------


def set_region(ctx: Context, operator: OperatorRecord | None, region: str, branch: str | None) -> str | None:
    """Head office sets which branch serves a social-security region (``branch`` None removes the row);
    audited with the branch it had. Returns that branch."""
    op = _head_office(operator, "修改社保区域与网点对照表", "edit the region table")
    region = check_region_code(region)
    branch = None if branch is None else check_branch_code(branch)
    before = store_targets.regions(ctx.store).get(region)
    entry = _entry(ctx, op, "target_region", region, {"branch": branch, "was": before})
    return store_targets.set_region(ctx.store, region, branch, by=op.login, at=ctx.now(), entry=entry)


def regions(ctx: Context, operator: OperatorRecord | None) -> dict[str, str]:
    """The region table, for any signed-in operator; audited."""
    op = _signed_in(operator)
    store = ctx.store
    rows = store_targets.regions(store)
    audit.log(store, "target_regions_view", operator=op.login, purpose="targets", detail={"rows": len(rows)})
    return rows


# --- building and issuing a list -------------------------------------------------------------------------


@dataclass(frozen=True)
class ListSpec:
    """How head office chooses a list's people: the bank's customers eligible on the day (within the
    policy's age band, or a narrower one), not on the negative list, holding or awaiting no line,
    optionally in some regions or branches, with some tags, or paid through the bank since a day."""

    code: str
    due_on: dt.date
    percent: Decimal
    regions: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    payroll_since: dt.date | None = None
    from_file: Path | None = None  # the people from a file head office was given, instead of the filters

    def filters(self) -> dict[str, object]:
        return {
            "regions": list(self.regions),
            "branches": list(self.branches),
            "tags": list(self.tags),
            "min_age": self.min_age,
            "max_age": self.max_age,
            "payroll_since": None if self.payroll_since is None else self.payroll_since.isoformat(),
            "no_standing_line": True,
            "negative_list_removed": True,
        }


@dataclass(frozen=True)
class FileAccount:
    """Every row of a list's file accounted for: how many rows, how many listed, the rest by reason
    (:data:`teller_assist.targets.file_list.REASONS`), and those rows themselves for handing back."""

    name: str
    sha256: str
    rows: int
    listed: int
    counts: dict[str, int]
    not_listed: tuple[file_list.RowOutcome, ...] = field(repr=False, default=())

    @property
    def refused(self) -> int:
        return sum(n for reason, n in self.counts.items() if reason != "unknown")


@dataclass(frozen=True)
class Preview:
    code: str
    day: dt.date
    due_on: dt.date
    percent: Decimal
    shares: tuple[BranchShare, ...]
    unrouted: dict[str, int]  # region ("" for none) -> people
    negative_removed: int
    holding_removed: int
    assigned: tuple[tuple[str, str], ...] = field(repr=False, default=())
    file: FileAccount | None = None

    @property
    def people(self) -> int:
        return sum(s.people for s in self.shares)

    @property
    def indicator(self) -> int:
        return sum(s.indicator for s in self.shares)

    @property
    def unrouted_people(self) -> int:
        return sum(self.unrouted.values())


@dataclass(frozen=True)
class Issued:
    preview: Preview
    issued_by: str
    issued_at: dt.datetime


def _checked_spec(spec: ListSpec, policy: Policy, day: dt.date) -> ListSpec:
    check_list_code(spec.code)
    check_due(day, spec.due_on)
    filtered = spec.regions or spec.branches or spec.tags or spec.payroll_since is not None
    if spec.from_file is not None and (filtered or spec.min_age is not None or spec.max_age is not None):
        raise ListRefused(
            "从文件生成名单时不能再加筛选条件",
            "a list from a file takes no filters",
            hint_zh="文件中的人即名单的人（仍剔除负面清单、已有额度和年龄不符者）；如需筛选请先整理文件",
            hint_en="the file's people are the list (minus the negative list, lines held and the age band)",
        )
    for r in spec.regions:
        check_region_code(r)
    for b in spec.branches:
        check_branch_code(b)
    unknown = [t for t in spec.tags if t not in TAGS]
    if unknown:
        raise ListRefused(
            f"未知的标签：{'、'.join(unknown)}",
            f"unknown tags: {', '.join(unknown)}",
            hint_zh="、".join(TAGS),
        )
    low = policy.min_age if spec.min_age is None else spec.min_age
    high = policy.max_age if spec.max_age is None else spec.max_age
    if not policy.min_age <= low <= high <= policy.max_age:
        raise ListRefused(
            f"年龄段应在政策的 {policy.min_age}–{policy.max_age} 岁之内",
            f"the age band must lie within the policy's {policy.min_age}-{policy.max_age}",
        )
    return spec


def _from_file(store: Store, policy: Policy, spec: ListSpec, day: dt.date) -> Preview:
    """The people of a file: every row accounted for, the listed ones split by region as a filtered
    list is."""
    from teller_assist.ingest.rosters import read_roster

    assert spec.from_file is not None
    try:
        table = read_roster(spec.from_file)  # a file it cannot read is refused whole, saying why
    except OSError as exc:
        raise TargetsRefused(
            f"无法读取名单文件 {spec.from_file.name}：{exc.strerror or exc}",
            f"cannot read the list's file {spec.from_file.name}: {exc.strerror or exc}",
            hint_zh="请检查文件名和路径",
            hint_en="check the file's name and folder",
        ) from None
    rows = file_list.rows_of(table.header, table.rows)
    born_from, born_until = birth_bounds(day, policy.min_age, policy.max_age)
    known = store_targets.known_people(
        store, file_list.valid_ids(rows, day), day, born_from=born_from, born_until=born_until
    )
    accounted = file_list.account(rows, known, day, table.refused)
    split = split_by_region(accounted.listed, store_targets.regions(store), spec.percent)
    counts = accounted.counts()
    account = FileAccount(
        spec.from_file.name,
        table.sha256,
        accounted.rows,
        len(accounted.listed),
        counts,
        accounted.not_listed,
    )
    return Preview(
        spec.code,
        day,
        spec.due_on,
        spec.percent,
        split.shares,
        dict(split.unrouted),
        counts["negative"],
        counts["holding"],
        split.assigned,
        account,
    )


def _preview(store: Store, policy: Policy, spec: ListSpec, day: dt.date) -> Preview:
    spec = _checked_spec(spec, policy, day)
    if spec.from_file is not None:
        return _from_file(store, policy, spec, day)
    low = policy.min_age if spec.min_age is None else spec.min_age
    high = policy.max_age if spec.max_age is None else spec.max_age
    born_from, born_until = birth_bounds(day, low, high)
    found = store_targets.candidates(
        store,
        day,
        born_from=born_from,
        born_until=born_until,
        regions_only=spec.regions,
        branches_only=spec.branches,
        tags=spec.tags,
        payroll_since=spec.payroll_since,
    )
    split = split_by_region(found.people, store_targets.regions(store), spec.percent)
    return Preview(
        spec.code,
        day,
        spec.due_on,
        spec.percent,
        split.shares,
        dict(split.unrouted),
        found.negative,
        found.holding,
        split.assigned,
    )


def preview(ctx: Context, operator: OperatorRecord | None, spec: ListSpec) -> Preview:
    """The counts per branch a list would have if issued today, before issuing it (head office; audited,
    counts only)."""
    op = _head_office(operator, "生成目标名单", "build target lists")
    store = ctx.store
    result = _preview(store, ctx.in_force(), spec, ctx.today())
    detail: dict[str, object] = {
        "people": result.people,
        "branches": len(result.shares),
        "unrouted": result.unrouted_people,
    }
    if result.file is not None:
        detail["file"] = _file_detail(result.file)
    audit.log(
        store, "target_list_preview", operator=op.login, subject=spec.code, purpose="targets", detail=detail
    )
    return result


def _file_detail(f: FileAccount) -> dict[str, object]:
    """A file as the audit trail and the list keep it: its fingerprint and counts (no name: a file's
    name can hold a person's)."""
    return {"sha256": f.sha256, "rows": f.rows, "listed": f.listed, "not_listed": f.counts}


def _unrouted_refusal(unrouted: dict[str, int]) -> TargetsRefused:
    shown = "、".join(f"{r or '无区域代码'}（{n}人）" for r, n in list(unrouted.items())[:10])
    more = "等" if len(unrouted) > 10 else ""
    return TargetsRefused(
        f"以下社保区域没有对应网点：{shown}{more}，名单未下达",
        f"{len(unrouted)} region(s) have no branch ({sum(unrouted.values())} people); "
        "the list was not issued",
        hint_zh="请先用 targets region set 区域代码 网点号 补全对照表，或用 --region 缩小范围后再下达",
        hint_en="complete the table with targets region set REGION BRANCH, or narrow the list with --region",
    )


def issue(ctx: Context, operator: OperatorRecord | None, spec: ListSpec) -> Issued:
    """Issue a list today: its people as targets of their branches (no officer yet), each branch's indicator,
    all in one transaction with its audit row. Refused whole when a person's region has no branch, when
    nobody matches, or when the code was issued (or imported) before."""
    op = _head_office(operator, "下达目标名单", "issue target lists")
    store, policy = ctx.store, ctx.in_force()
    moment = ctx.now()
    day = ctx.day_of(moment)
    result = _preview(store, policy, spec, day)
    if result.unrouted:
        raise _unrouted_refusal(result.unrouted)
    if not result.people:
        raise TargetsRefused(
            "没有符合条件的客户，名单未下达",
            "nobody matches; the list was not issued",
            hint_zh="请放宽筛选条件",
        )
    filters = spec.filters() if result.file is None else {"from_file": _file_detail(result.file)}
    row = store_targets.ListRow(
        spec.code,
        op.login,
        moment,
        day,
        spec.due_on,
        str(spec.percent),
        result.people,
        filters,
        tuple((s.branch_code, s.people, s.indicator) for s in result.shares),
    )
    entry = _entry(
        ctx,
        op,
        "target_list_issue",
        spec.code,
        {
            "people": result.people,
            "branches": len(result.shares),
            "indicator": result.indicator,
            "due_on": spec.due_on.isoformat(),
            "negative_removed": result.negative_removed,
            **({} if result.file is None else {"file": _file_detail(result.file)}),
        },
    )
    try:
        store_targets.issue_list(
            store,
            row,
            result.assigned,
            entry,
            file_sha256=None if result.file is None else result.file.sha256,
        )
    except store_targets.FileIssued as exc:
        audit.log(
            store,
            "target_list_refused",
            operator=op.login,
            subject=spec.code,
            purpose="targets",
            detail={"reason": "file issued twice", "as": exc.code},
        )
        raise TargetsRefused(
            f"该文件已于 {exc.on} 由 {exc.by} 下达为名单 {exc.code}，不能再下达一次",
            f"this file was issued on {exc.on} by {exc.by} as list {exc.code}; it cannot be issued twice",
            hint_zh="同一批人不重复下达；如文件有更新，请用修改后的文件",
            hint_en="the same people are not issued twice; use the corrected file if it changed",
        ) from None
    except store_targets.ListExists as exc:
        if exc.issued is None:
            raise TargetsRefused(
                f"名单代码 {spec.code} 已被导入的目标名单使用", f"the code {spec.code} is an imported list's"
            ) from None
        by, on = exc.issued
        refusal = TargetsRefused(
            f"名单 {spec.code} 已于 {on} 由 {by} 下达，不能重复下达",
            f"the list {spec.code} was issued on {on} by {by}; it cannot be issued twice",
            hint_zh="如需再下达一批，请换一个名单代码",
            hint_en="issue another batch under a new code",
        )
        audit.log(
            store,
            "target_list_refused",
            operator=op.login,
            subject=spec.code,
            purpose="targets",
            detail={"reason": "issued twice"},
        )
        raise refusal from None
    return Issued(result, op.login, moment)


def list_progress(ctx: Context, operator: OperatorRecord | None, code: str) -> list[store_targets.Progress]:
    """Each branch's targets, indicator, assigned and struck (head office all; a branch head their own)."""
    op = _signed_in(operator)
    rows = store_targets.progress(ctx.store, check_list_code(code))
    if op.role == BRANCH_HEAD and op.branch_code:
        rows = [p for p in rows if p.branch_code == op.branch_code]
    elif op.role != HEAD_OFFICE:
        raise TargetsRefused(
            "只有总行管理员和网点负责人可以查看名单进度", "only head office and branch heads see a list"
        )
    audit.log(ctx.store, "target_list_view", operator=op.login, subject=code, purpose="targets", detail={})
    return rows


# --- assigning -----------------------------------------------------------------------------------------


def _officer(store: Store, login: str, branch: str) -> OperatorRecord:
    who = store_ops.get_operator(store, login.strip().lower())
    if who is None:
        raise TargetsRefused(f"没有登录名为 {login} 的操作员", f"no operator {login!r}")
    if not who.active:
        raise TargetsRefused(
            f"客户经理 {who.login} 已停用，不能分配目标客户",
            f"{who.login} is disabled and cannot be given targets",
            hint_zh="请分配给本网点在岗的客户经理",
            hint_en="assign to an active officer of the branch",
        )
    if who.role not in OFFICER_ROLES or who.branch_code != branch:
        raise TargetsRefused(
            f"{who.login} 不是本网点（{branch}）的客户经理",
            f"{who.login} is not an officer of branch {branch}",
        )
    return who


def _checked_ids(id_nos: Sequence[str], day: dt.date) -> list[str]:
    out = []
    for text in id_nos:
        try:
            out.append(parse_resident_id(text, today=day).value)
        except InvalidResidentId as exc:
            raise TargetsRefused(
                f"身份证号无效：{exc.rule.zh}",
                f"an invalid resident ID: {exc.rule.en}",
                hint_zh="请核对后重新输入",
            ) from None
    return out


def assign(
    ctx: Context,
    operator: OperatorRecord | None,
    campaign: str,
    officer: str | None,
    *,
    id_nos: Sequence[str] = (),
    unassigned: int | None = None,
    from_officer: str | None = None,
) -> int:
    """A branch head gives targets of their own branch on list ``campaign`` to an officer of the branch
    (``officer`` None: back to the branch): the IDs named, or the first ``unassigned`` not yet given,
    or every target of ``from_officer`` (an officer who leaves). Nothing is lost: every change is kept.
    Returns the targets moved."""
    op, branch = _branch_head(operator)
    store, moment = ctx.store, ctx.now()
    campaign = check_list_code(campaign)
    chosen = sum(x is not None and x != () for x in (tuple(id_nos) or None, unassigned, from_officer))
    if chosen != 1:
        raise TargetsRefused(
            "请指定要分配的目标客户：身份证号、未分配的人数或原客户经理（三选一）",
            "name the targets: IDs, a number of unassigned ones, or the officer they leave (one of them)",
        )
    to = None if officer is None else _officer(store, officer, branch).login
    if id_nos:
        wanted = _checked_ids(id_nos, ctx.day_of(moment))
        rows = store_targets.targets_of(store, campaign=campaign, branch=branch, id_nos=wanted)
        missing = len(set(wanted)) - len({r.id_no for r in rows})
        if missing:
            raise TargetsRefused(
                f"有 {missing} 人不在本网点（{branch}）的名单 {campaign} 上，未做任何分配",
                f"{missing} of the IDs are not on list {campaign} of branch {branch}; nothing was assigned",
            )
    elif unassigned is not None:
        if unassigned < 1:
            raise TargetsRefused("人数应为正整数", "the number must be positive")
        rows = store_targets.targets_of(store, campaign=campaign, branch=branch, unassigned=True)[:unassigned]
    else:
        assert from_officer is not None
        rows = store_targets.targets_of(
            store, campaign=campaign, branch=branch, officer=from_officer.strip().lower()
        )
    if not rows:
        raise TargetsRefused(
            f"本网点在名单 {campaign} 上没有符合的目标客户",
            f"no such targets of branch {branch} on list {campaign}",
        )
    entry = _entry(
        ctx,
        op,
        "target_assign",
        campaign,
        {"branch": branch, "officer": to, "from": from_officer, "targets": len(rows)},
    )
    try:
        return store_targets.assign(store, rows, to, by=op.login, at=moment, entry=entry)
    except store_targets.AssignConflict as exc:
        raise TargetsRefused(
            f"有 {exc.changed} 位目标客户刚被他人调整，本次分配未生效",
            f"{exc.changed} of the targets changed meanwhile (another assignment); nothing was assigned",
            hint_zh="请重新查看后再分配",
            hint_en="look again, then assign",
        ) from None


# --- giving out by village or address, balanced; an officer who leaves ------------------------------------


@dataclass(frozen=True)
class Balanced:
    """What a balanced assignment (or a reassignment) did: the targets moved, each officer's open
    targets before and how many they were given, the villages (or households) and those split."""

    mode: str  # village, address, or "officer" (all to one)
    moved: int
    officers: tuple[tuple[str, int, int], ...]  # (login, before, added)
    groups: int
    split: int


def _branch_officers(store: Store, branch: str, among: Sequence[str]) -> list[str]:
    """The officers to give targets to: those named (each an active officer of the branch), or every
    active customer manager (客户经理, the ``teller`` role) of the branch."""
    if among:
        return sorted({_officer(store, login, branch).login for login in among})
    found = sorted(
        o.login
        for o in store_ops.list_operators(store)
        if o.active and o.role == "teller" and o.branch_code == branch
    )
    if not found:
        raise TargetsRefused(
            f"本网点（{branch}）没有在岗的客户经理，无法分配",
            f"branch {branch} has no active officer to give targets to",
            hint_zh="请用 --among 指定本网点的客户经理，或先由管理员添加",
            hint_en="name them with --among, or have an administrator add them",
        )
    return found


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise TargetsRefused(
            f"未知的分配方式：{mode}",
            f"unknown way to assign: {mode!r}",
            hint_zh="village（按村/组）或 address（按住址）",
            hint_en="village or address",
        )
    return mode


def _plan(
    store: Store,
    branch: str,
    rows: Sequence[tuple[store_targets.TargetRow, Pending]],
    officers: Sequence[str],
    mode: str,
) -> tuple[Plan, list[tuple[store_targets.TargetRow, str | None]]]:
    loads, held = store_targets.live_loads(store, branch)
    serves: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if mode == "village":
        for officer, address in held:
            key = village_of(address)
            if key:
                serves[key][officer] += 1
    pending = [p for _r, p in rows]
    plan = balance(mode, pending, officers, loads, serves)
    by_key = {(r.campaign, r.id_no): r for r, _p in rows}
    moves: list[tuple[store_targets.TargetRow, str | None]] = [
        (by_key[(p.campaign, p.id_no)], officer) for p, officer in plan.moves
    ]
    return plan, moves


def _apply(
    store: Store,
    moves: Sequence[tuple[store_targets.TargetRow, str | None]],
    op: OperatorRecord,
    entry: AuditEntry,
    moment: dt.datetime,
) -> int:
    try:
        return store_targets.assign_many(store, moves, by=op.login, at=moment, entry=entry)
    except store_targets.AssignConflict as exc:
        raise TargetsRefused(
            f"有 {exc.changed} 位目标客户刚被他人调整，本次分配未生效",
            f"{exc.changed} of the targets changed meanwhile (another assignment); nothing was assigned",
            hint_zh="请重新查看后再分配",
            hint_en="look again, then assign",
        ) from None


def _summary(plan: Plan, moved: int) -> Balanced:
    return Balanced(
        plan.mode,
        moved,
        tuple((o, plan.before[o], plan.added[o]) for o in plan.before),
        plan.groups,
        len(plan.split),
    )


def assign_balanced(
    ctx: Context,
    operator: OperatorRecord | None,
    campaign: str,
    mode: str,
    *,
    among: Sequence[str] = (),
    limit: int | None = None,
) -> Balanced:
    """A branch head gives their branch's targets on list ``campaign`` that have no officer yet (at most
    ``limit`` of them, in ID order) to the branch's active officers (or those named in ``among``), by
    village (``mode`` "village") or by household address ("address"), balanced by each officer's open
    targets on every list. All at once or nothing (a target changed meanwhile refuses the whole
    assignment); every change kept and the whole audited with its counts."""
    op, branch = _branch_head(operator)
    store = ctx.store
    campaign = check_list_code(campaign)
    mode = _check_mode(mode)
    if limit is not None and limit < 1:
        raise TargetsRefused("人数应为正整数", "the number must be positive")
    officers = _branch_officers(store, branch, among)
    rows = store_targets.pending(store, branch, campaign=campaign, unassigned=True, limit=limit)
    if not rows:
        raise TargetsRefused(
            f"本网点在名单 {campaign} 上没有未分配的目标客户",
            f"branch {branch} has no unassigned targets on list {campaign}",
        )
    plan, moves = _plan(store, branch, rows, officers, mode)
    entry = _entry(
        ctx,
        op,
        "target_assign",
        campaign,
        {
            "branch": branch,
            "by": mode,
            "officers": len(officers),
            "targets": len(moves),
            "groups": plan.groups,
            "split": len(plan.split),
        },
    )
    return _summary(plan, _apply(store, moves, op, entry, ctx.now()))


def reassign(
    ctx: Context,
    operator: OperatorRecord | None,
    from_officer: str,
    *,
    to: str | None = None,
    mode: str | None = None,
    among: Sequence[str] = (),
) -> Balanced:
    """An officer leaves (or moves on): a branch head gives every target they hold in the branch, on
    every list and struck ones too (so their history stays with an officer), to one officer (``to``)
    or balanced among the branch's other active officers (``mode``: village or address). Nothing is
    lost: all at once or nothing, every change kept, audited."""
    op, branch = _branch_head(operator)
    store = ctx.store
    if (to is None) == (mode is None):
        raise TargetsRefused(
            "请指定接手的客户经理，或选择在其他客户经理间均衡分配（二选一）",
            "name the officer who takes them over, or balance them among the others (one of them)",
        )
    leaver = from_officer.strip().lower()
    rows = store_targets.pending(store, branch, officer=leaver, live_only=False)
    if not rows:
        raise TargetsRefused(
            f"{leaver} 在本网点（{branch}）没有目标客户",
            f"{leaver} holds no targets of branch {branch}",
        )
    moment = ctx.now()
    if to is not None:
        if to.strip().lower() == leaver:
            raise TargetsRefused("接手人与原客户经理相同", "the officer taking over is the one leaving")
        heir = _officer(store, to, branch).login
        moves: list[tuple[store_targets.TargetRow, str | None]] = [(r, heir) for r, _p in rows]
        detail: dict[str, object] = {"branch": branch, "from": leaver, "to": heir, "targets": len(moves)}
        moved = _apply(store, moves, op, _entry(ctx, op, "target_reassign", leaver, detail), moment)
        return Balanced("officer", moved, ((heir, 0, moved),), 0, 0)
    assert mode is not None
    mode = _check_mode(mode)
    officers = [o for o in _branch_officers(store, branch, among) if o != leaver]
    if not officers:
        raise TargetsRefused(
            "本网点没有其他在岗的客户经理可以接手",
            "no other active officer of the branch can take them over",
        )
    plan, moves = _plan(store, branch, rows, officers, mode)
    detail = {
        "branch": branch,
        "from": leaver,
        "by": mode,
        "officers": len(officers),
        "targets": len(moves),
        "split": len(plan.split),
    }
    entry = _entry(ctx, op, "target_reassign", leaver, detail)
    return _summary(plan, _apply(store, moves, op, entry, moment))


# --- a list's file: the rows not listed, handed back -------------------------------------------------------


def export_not_listed(ctx: Context, operator: OperatorRecord | None, result: Preview, out: Path) -> int:
    """The rows of a list's file that did not go on it (refused, or unknown to the bank), as a workbook
    for whoever gave the file: line, the name as given, the ID masked, the reason. Head office only;
    private (0600), whole or not at all, audited with its counts. Returns the rows written."""
    from teller_assist.identity.masking import mask_refusal_reason, mask_refused_row
    from teller_assist.reports.list_rows import not_listed_xlsx
    from teller_assist.services.report_files import check_suffix, write_private

    op = _head_office(operator, "导出名单文件中未列入的行", "export a list file's rows")
    if result.file is None:
        raise TargetsRefused(
            "只有从文件生成的名单才有未列入的行", "only a list from a file has rows left out"
        )
    check_suffix(out, (".xlsx",))
    store, masking = ctx.store, ctx.settings.masking
    f = result.file
    rows = []
    for o in f.not_listed:
        given = o.row.id_given
        shown = masking.resident_id(given) if o.reason not in ("bad_id", "unreadable") else ""
        if o.reason == "bad_id":
            shown = mask_refused_row(given, masking)
        result_zh = "未列入（本行无此客户）" if o.reason == "unknown" else "未列入（拒绝）"
        rows.append(
            (
                o.row.line_no,
                mask_refused_row(o.row.name_given, masking),
                shown,
                result_zh,
                mask_refusal_reason(o.zh, masking),
                mask_refusal_reason(o.en, masking),
            )
        )
    notes = [
        f"名单 {result.code}：文件共 {f.rows:,} 行，列入 {f.listed:,} 人，未列入 {len(rows):,} 行"
        f"（本行无此客户 {f.counts.get('unknown', 0):,}，拒绝 {f.refused:,}）",
        "、".join(f"{file_list.REASON_ZH[r]} {n:,}" for r, n in f.counts.items() if n),
        "身份证号已部分隐藏；姓名为文件所填，本行记录的姓名不显示。",
    ]
    data = not_listed_xlsx(f"名单 {result.code} 未列入的行", [n for n in notes if n], rows)

    def audited() -> None:
        detail = {"list": result.code, "rows": len(rows), "sha256": f.sha256}
        audit.log(
            store, "export", operator=op.login, subject="target_list_rows", purpose="targets", detail=detail
        )

    write_private(out, data, audited)
    return len(rows)


# --- today's tasks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskLine:
    """One task as a face shows it: the person masked, the value in fen."""

    kind: str
    kind_zh: str
    campaign: str
    id_masked: str
    name: str | None
    officer: str | None
    due_on: dt.date | None
    overdue: bool
    value_fen: int | None
    application_id: int | None
    appointment: bool


@dataclass(frozen=True)
class TaskList:
    day: dt.date
    scope: str  # officer:LOGIN or branch:CODE
    tasks: tuple[TaskLine, ...]
    counts: dict[str, int]
    notes: tuple[str, ...] = ()


def _line(t: Task, day: dt.date, masking: Masking, names: dict[str, str]) -> TaskLine:
    return TaskLine(
        t.kind,
        KIND_ZH[t.kind],
        t.campaign,
        masking.resident_id(t.id_no),
        names.get(t.id_no),
        t.officer,
        t.due_on,
        t.due_on is not None and t.due_on < day,
        t.value_fen,
        t.application_id,
        t.appointment,
    )


@dataclass(frozen=True)
class Today:
    """An officer's or a branch's tasks of a day, in the list's order, with the people's names and how
    many of the targets the customer record now gives another home branch."""

    tasks: list[Task]
    names: dict[str, str]
    moved: int
    kept: bool  # read from the sweep's kept tasks (the changed people computed again)


def today_tasks(ctx: Context, *, officer: str | None = None, branch: str | None = None) -> Today:
    """The tasks of today of an officer or a branch (no role check: the callers make it). When the
    night's sweep of the day kept every target's task, those are read, and only the people whose facts
    changed since (an application, a signature, an outcome, a draft, a target given to the scope) are
    computed again from their facts; else every target's facts are read, as the sweep would. (With no
    policy loaded, no age band: the tasks from every target's facts.)"""
    return _today_tasks(ctx.store, ctx.policy, ctx.today(), officer=officer, branch=branch)


def _today_tasks(
    store: Store,
    policy: Policy | None,
    day: dt.date,
    *,
    officer: str | None = None,
    branch: str | None = None,
) -> Today:
    band = None if policy is None else _band(policy)
    kept = (
        None if band is None else store_targets.kept_tasks(store, day, band, officer=officer, branch=branch)
    )
    if kept is None:
        facts = store_targets.facts(store, officer=officer, branch=branch)
        return Today(
            daily_tasks(facts, day, band),
            {f.id_no: f.name for f in facts if f.name is not None},  # read with the facts, in one pass
            sum(1 for f in facts if f.moved_home),  # targets, as the lists count them
            False,
        )
    fresh = [  # read by the people alone (each target's row by its key), then kept if in the scope
        f
        for f in (store_targets.facts(store, persons=kept.stale) if kept.stale else [])
        if (officer is None or f.officer == officer) and (branch is None or f.branch_code == branch)
    ]
    tasks = [*kept.tasks, *(t for t in (task_of(f, day, band) for f in fresh) if t is not None)]
    names = {**kept.names, **{f.id_no: f.name for f in fresh if f.name is not None}}
    moved = kept.moved + sum(1 for f in fresh if f.moved_home)
    return Today(one_visit(tasks), names, moved, True)


@dataclass(frozen=True)
class Page:
    """The first tasks of an officer's or a branch's list of a day (:func:`today_tasks`' first ones, in
    its order), and what the whole list holds: its tasks by kind (every kind named), how many of its
    targets' homes moved; ``names`` the page's people's."""

    tasks: list[Task]
    names: dict[str, str]
    counts: dict[str, int]
    moved: int
    kept: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def today_page(
    ctx: Context, *, first: int, officer: str | None = None, branch: str | None = None
) -> Page:
    """The first ``first`` tasks of :func:`today_tasks` (the same, in the same order) with the whole
    list's counts, without building the whole list when the sweep's kept tasks hold: their first page
    read in the list's order, the people changed since computed again from their facts and merged in.
    Otherwise the whole list is computed and cut."""
    return _today_page(ctx.store, ctx.policy, ctx.today(), first=first, officer=officer, branch=branch)


def _today_page(
    store: Store,
    policy: Policy | None,
    day: dt.date,
    *,
    first: int,
    officer: str | None = None,
    branch: str | None = None,
) -> Page:
    band = None if policy is None else _band(policy)
    kept = (
        None
        if band is None
        else store_targets.kept_page(store, day, band, first=first, officer=officer, branch=branch)
    )
    if kept is None:
        whole = _today_tasks(store, policy, day, officer=officer, branch=branch)
        shown = whole.tasks[:first]
        names = {t.id_no: whole.names[t.id_no] for t in shown if t.id_no in whole.names}
        return Page(shown, names, summary(whole.tasks), whole.moved, whole.kept)
    fresh = [  # read by the people alone, then kept if in the scope (as today_tasks does)
        f
        for f in (store_targets.facts(store, persons=kept.stale) if kept.stale else [])
        if (officer is None or f.officer == officer) and (branch is None or f.branch_code == branch)
    ]
    again = one_visit(t for t in (task_of(f, day, band) for f in fresh) if t is not None)
    counts = dict(kept.counts)
    for t in again:
        counts[t.kind] += 1
    shown = one_visit([*kept.tasks, *again])[:first]  # the people apart: no one in both
    names = {**kept.names, **{f.id_no: f.name for f in fresh if f.name is not None}}
    moved = kept.moved + sum(1 for f in fresh if f.moved_home)
    return Page(shown, {t.id_no: names[t.id_no] for t in shown if t.id_no in names}, counts, moved, True)


def tasks_today(
    ctx: Context, operator: OperatorRecord | None, *, officer: str | None = None, branch: str | None = None
) -> TaskList:
    """An officer's tasks of today (their own; their branch head's; head office's), or a branch's
    (its head's; head office's), masked, audited with the count shown."""
    return listed_today(ctx, operator, officer=officer, branch=branch).shown


@dataclass(frozen=True)
class Listed:
    """A list as :func:`tasks_today` shows it, and each line's person (the whole ID, in the lines'
    order: for a face's keys that act on a line, never shown), from one reading."""

    shown: TaskList
    people: tuple[str, ...] = field(repr=False)


def listed_today(
    ctx: Context,
    operator: OperatorRecord | None,
    *,
    officer: str | None = None,
    branch: str | None = None,
    first: int | None = None,
) -> Listed:
    """:func:`tasks_today` (its role check, its order, its masking, its audit row) with the person
    behind each line, read once. ``first``: only the list's first lines (:func:`today_page`), with the
    whole list's counts (the audit row says how many lines were shown of how many)."""
    op = _signed_in(operator)
    if (officer is None) == (branch is None):
        raise TargetsRefused("请指定客户经理或网点（二选一）", "name an officer or a branch (one of them)")
    store, policy, day, masking = ctx.store, ctx.in_force(), ctx.today(), ctx.settings.masking
    notes: list[str] = []
    if officer is not None:
        login = officer.strip().lower()
        who = store_ops.get_operator(store, login)
        if who is None:
            raise TargetsRefused(f"没有登录名为 {officer} 的操作员", f"no operator {officer!r}")
        allowed = (
            op.role == HEAD_OFFICE
            or op.login == login
            or (op.role == BRANCH_HEAD and op.branch_code is not None and op.branch_code == who.branch_code)
        )
        if not allowed:
            raise TargetsRefused(
                "只能查看本人的任务（网点负责人可查看本网点客户经理的任务）",
                "an officer sees their own tasks (a branch head those of the branch's officers)",
            )
        if not who.active:
            notes.append(
                f"客户经理 {login} 已停用，请网点负责人将其目标客户重新分配"
                f"（targets reassign --from {login} --balance，或 targets assign --from-officer）"
            )
        today = _today(store, policy, day, first, officer=login)
        scope = f"officer:{login}"
    else:
        assert branch is not None
        code = check_branch_code(branch)
        if not (op.role == HEAD_OFFICE or (op.role == BRANCH_HEAD and op.branch_code == code)):
            raise TargetsRefused(
                "只能查看本网点的任务",
                "a branch head sees only their own branch's tasks",
                hint_zh="总行管理员可查看各网点",
            )
        today = _today(store, policy, day, first, branch=code)
        scope = f"branch:{code}"
    if today.moved:
        notes.append(
            f"有 {today.moved} 位目标客户在最新客户信息中已改属其他网点；仍由原网点跟进、按原网点计数，"
            "如需移交请联系总行"
        )
    tasks, names = today.tasks, today.names
    lines = tuple(_line(t, day, masking, names) for t in tasks)
    if isinstance(today, Page):
        counts = dict(today.counts)
        detail: dict[str, object] = {"date": day.isoformat(), "tasks": today.total, "shown": len(lines)}
    else:
        counts = dict.fromkeys(KIND_ZH, 0)
        for t in tasks:
            counts[t.kind] += 1
        detail = {"date": day.isoformat(), "tasks": len(lines)}
    audit.log(store, "tasks_view", operator=op.login, subject=scope, purpose="targets", detail=detail)
    return Listed(TaskList(day, scope, lines, counts, tuple(notes)), tuple(t.id_no for t in tasks))


def _today(
    store: Store,
    policy: Policy,
    day: dt.date,
    first: int | None,
    *,
    officer: str | None = None,
    branch: str | None = None,
) -> Today | Page:
    if first is None:
        return _today_tasks(store, policy, day, officer=officer, branch=branch)
    return _today_page(store, policy, day, first=first, officer=officer, branch=branch)


def count_today(ctx: Context, *, officer: str) -> int:
    """How many tasks :func:`today_tasks` lists for ``officer`` today (no role check: the caller
    makes it), counted without building them: the kept tasks' visits by the same rule, the people
    changed since computed again from their facts; with no sweep of the day, every target's facts."""
    store, policy, day = ctx.store, ctx.policy, ctx.today()
    band = None if policy is None else _band(policy)
    kept = None if band is None else store_targets.kept_count(store, day, band, officer=officer)
    if kept is None:
        return len(daily_tasks(store_targets.facts(store, officer=officer), day, band))
    fresh = (
        {
            (t.officer, t.id_no)
            for t in (task_of(f, day, band) for f in store_targets.facts(store, persons=kept.stale))
            if t is not None and t.officer == officer
        }
        if kept.stale
        else set()
    )
    return kept.visits + len(fresh)


# --- outcomes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    kind: str
    outcome: str
    campaign: str
    id_masked: str
    struck: bool


def record_outcome(
    ctx: Context,
    operator: OperatorRecord | None,
    id_no: str,
    outcome: str,
    *,
    reason: str | None = None,
    appointment_on: dt.date | None = None,
    for_good: bool = False,
) -> Recorded:
    """The officer records what happened on today's task for a person on their targets. Refused (and
    the refusal audited) when the person is not on the operator's own targets or has no task today."""
    op = _signed_in(operator)
    store, policy = ctx.store, ctx.in_force()
    moment = ctx.now()
    day = ctx.day_of(moment)
    person = _checked_ids([id_no], day)[0]
    mine = store_targets.facts(store, officer=op.login, id_no=person)
    if not mine:
        theirs = store_targets.targets_of(store, id_nos=[person])
        why = {"reason": "not the officer's target" if theirs else "not a target"}
        audit.log(
            store, "task_outcome_refused", operator=op.login, subject=person, purpose="targets", detail=why
        )
        if theirs:
            raise TargetsRefused(
                "该客户不是您的目标客户，任务结果只能由其客户经理登记",
                "this person is not on your targets: only their officer records their tasks",
                hint_zh="如需接手，请网点负责人先将其分配给您",
                hint_en="ask the branch head to assign the person to you first",
            )
        raise TargetsRefused("该客户不在任何目标名单上", "this person is on no target list")
    band = _band(policy)
    due = daily_tasks(mine, day, band)  # one visit: the task due first of the person's lists
    if not due:
        raise TargetsRefused("该客户今天没有待办任务", "this person has no task today")
    task = due[0]
    checked = dataclasses.replace(
        check_outcome(
            task.kind, outcome, day, reason=reason, appointment_on=appointment_on, for_good=for_good
        ),
        application_id=task.application_id,
    )
    detail: dict[str, object] = {
        "campaign": task.campaign,
        "kind": task.kind,
        "outcome": outcome,
        "for_good": for_good,
    }
    if appointment_on is not None:
        detail["appointment_on"] = appointment_on.isoformat()
    entry = _entry(ctx, op, "task_outcome", person, detail)
    if not store_targets.record_outcome(
        store, task.campaign, person, checked, by=op.login, at=moment, entry=entry, expected_officer=op.login
    ):
        raise TargetsRefused(
            "该客户刚被重新分配给其他客户经理，结果未登记",
            "the person was just reassigned; nothing was recorded",
        )
    return Recorded(task.kind, outcome, task.campaign, ctx.settings.masking.resident_id(person), for_good)


# --- strikes -----------------------------------------------------------------------------------------


def strike_on_signing(
    session: Any,
    id_no: str,
    signed_on: dt.date,
    valid_until: dt.date | None,
    *,
    application_id: int,
    by: str,
    workstation: str,
    now: dt.datetime,
) -> list[str]:
    """Inside a signature's own transaction (``applications.sign``, whoever signs, at any branch, for
    any campaign): strike every target of the person the signature finishes, at once, each at most
    once, audited as the sweep's strikes are (``target_strike``, under the operator who recorded the
    signature). A target listed after ``signed_on`` is left to the sweep on its day. Returns the lists
    struck now."""
    strikes = []
    for campaign, listed_on in store_targets.unstruck_listings(session, id_no):
        strike = signing_strike(listed_on, signed_on, valid_until)
        if strike is not None and strike.on <= signed_on:
            strikes.append((campaign, strike))
    if not strikes:
        return []

    def entry(lists: list[str]) -> AuditEntry:
        detail: dict[str, object] = {
            "date": signed_on.isoformat(),
            **dict.fromkeys(STRIKE_ZH, 0),
            "signed": len(lists),
            "lists": lists,
            "application": application_id,
        }
        return AuditEntry("target_strike", by, workstation, id_no, "targets", detail)

    return store_targets.strike_in(session, id_no, strikes, by=by, at=now, entry=entry)


SWEEP_SLICE = 20_000
"""Targets read at a time by the sweep: a slice of the IDs, every table read in key order."""


@dataclass(frozen=True)
class Swept:
    day: dt.date
    struck: dict[str, int]  # reason -> targets struck now
    targets: int = 0  # targets looked at
    tasks: dict[str, int] = field(default_factory=dict)  # kind -> the day's tasks, the whole county


def sweeper(operator: OperatorRecord | None) -> str:
    """Who keeps the strikes by hand: a head-office administrator (the night's job is the OS account)."""
    return _head_office(operator, "执行销号", "keep the strikes").login


def sweep(ctx: Context, *, by: str) -> Swept:
    """Mark every target the data shows struck today (signed anywhere, ineligible) that is not yet
    marked: after the night's import, by head office or the night's job (``by``); audited with counts.
    Every target's task of the day is recomputed on the way (counted by kind, for the night's log).
    The strikes are stamped with the moment the reading began."""
    store, band = ctx.store, _band(ctx.in_force())
    read_at = ctx.now()  # what changes from here on, a login computes again
    day = ctx.day_of(read_at)
    found = []
    looked = 0
    tasks = dict.fromkeys(KIND_ZH, 0)
    kept: list[store_targets.KeptTask] = []
    for ids in store_targets.id_slices(store, SWEEP_SLICE):  # a slice at a time: the county never at once
        part = store_targets.facts(store, ids=ids)
        looked += len(part)
        theirs: list[Task] = []
        for f in part:
            if f.strike is None:
                s = strike_of(f, day, band)
                if s is not None:
                    found.append((f.campaign, f.id_no, s))
            t = task_of(f, day, band)
            if t is not None:
                theirs.append(t)
            kept.append(_kept(f, t))
        for t in one_visit(theirs):  # a person's targets are all in one slice
            tasks[t.kind] += 1
    counts = dict.fromkeys(STRIKE_ZH, 0)
    for _c, _i, s in found:
        counts[s.reason] += 1
    entry = AuditEntry(
        "target_strike", by, ctx.workstation, None, "targets", {"date": day.isoformat(), **counts}
    )
    store_targets.record_strikes(store, found, by=by, at=read_at, entry=entry)
    store_targets.keep_tasks(store, kept, day=day, read_at=read_at, band=band)
    return Swept(day, counts, looked, tasks)


def _kept(f: TargetFacts, t: Task | None) -> store_targets.KeptTask:
    return store_targets.KeptTask(
        f.campaign,
        f.id_no,
        f.branch_code,
        f.officer,
        None if t is None else t.kind,
        None if t is None else t.due_on,
        None if t is None else t.value_fen,
        None if t is None else t.application_id,
        t is not None and t.appointment,
        f.name,
        f.moved_home,
    )
