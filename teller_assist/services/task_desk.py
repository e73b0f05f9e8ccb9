"""The 今日任务 desk: what the window needs of today's tasks beyond the command line's listing.

The listing and the outcomes are :mod:`teller_assist.services.targets`' (``tasks_today``, checked
against the operator's role and audited there; ``record_outcome``, the same). This module adds what a
window does with them:

- each task line with the person it is about (the whole ID, kept in memory for the keys that act on
  the line: open the card, record an outcome; never shown — the line shows the masked one);
- the scopes a branch head can switch between (their own tasks, the branch's, one officer's);
- the status bar's figure: how many tasks the signed-in officer has today (a count only, no person);
- the counter's flag on a walk-in who is a target, with the task the person is waiting for;
- a refusal of everything while the window is locked.

Functions here read and compute only, and may run on a worker thread; the window asks whether it is
locked on its own thread and passes the answer in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.services import targets
from teller_assist.services.context import Context
from teller_assist.store import operators as store_ops
from teller_assist.store import targets as store_targets
from teller_assist.store.operators import OperatorRecord
from teller_assist.targets.tasks import KIND_ZH, AgeBand, daily_tasks, strike_of, task_of

__all__ = [
    "LOCKED",
    "DeskList",
    "DeskRefused",
    "DeskTask",
    "Flag",
    "Officer",
    "Scope",
    "count_today",
    "listing",
    "officers",
    "record",
    "scopes",
    "walk_in_flag",
]


class DeskRefused(UserFacingError):
    """Something the desk does not do now (the window is locked, the list changed meanwhile)."""

    exit_code = 3


LOCKED = DeskRefused(
    "屏幕已锁定，请先解锁", "the screen is locked", hint_zh="输入密码解锁", hint_en="unlock first"
)


def _signed_in(operator: OperatorRecord | None) -> OperatorRecord:
    if operator is None:
        raise DeskRefused("请先登录", "sign in first")
    if not operator.active:
        raise DeskRefused("该操作员账户已停用", "this operator account is disabled")
    if operator.must_change_password:
        raise DeskRefused("请先修改密码", "change the password first")
    return operator


def _band(policy: Policy | None) -> AgeBand | None:
    return None if policy is None else AgeBand(policy.min_age, policy.max_age)


# --- whose tasks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Officer:
    login: str
    name: str


@dataclass(frozen=True)
class Scope:
    """Whose tasks a list shows: an officer's (``officer`` their login) or a branch's (``branch``)."""

    officer: str | None = None
    branch: str | None = None
    name: str | None = field(default=None, compare=False)  # the officer's name, for the choice

    @property
    def key(self) -> str:
        return f"officer:{self.officer}" if self.officer is not None else f"branch:{self.branch}"


def officers(ctx: Context, operator: OperatorRecord | None) -> tuple[Officer, ...]:
    """The active officers of a branch head's own branch (themselves included), by login; nobody
    else's. Other roles get nothing: they see their own tasks only."""
    op = _signed_in(operator)
    if op.role != targets.BRANCH_HEAD or not op.branch_code:
        return ()
    return tuple(
        Officer(o.login, o.name)
        for o in store_ops.list_operators(ctx.store)
        if o.active and o.branch_code == op.branch_code and o.role in targets.OFFICER_ROLES
    )


def scopes(ctx: Context, operator: OperatorRecord | None) -> tuple[Scope, ...]:
    """The lists the operator may switch between, their own first: a branch head also has the whole
    branch and each of its officers; anyone else only their own."""
    op = _signed_in(operator)
    own = Scope(officer=op.login, name=op.name)
    if op.role != targets.BRANCH_HEAD or not op.branch_code:
        return (own,)
    others = tuple(Scope(officer=o.login, name=o.name) for o in officers(ctx, op) if o.login != op.login)
    return (own, Scope(branch=op.branch_code), *others)


# --- the list ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskTask:
    """One task as the service lists it (masked), and the person it is about (for the keys only)."""

    line: targets.TaskLine
    id_no: str = field(repr=False)

    def __repr__(self) -> str:  # never the whole ID in a log
        return f"DeskTask({self.line.kind!r}, {self.line.id_masked!r}, officer={self.line.officer!r})"


@dataclass(frozen=True)
class DeskList:
    """A scope's tasks of a day: all of them, or (read with ``first``) only the first lines; ``counts``
    are always the whole list's."""

    day: dt.date
    scope: Scope
    tasks: tuple[DeskTask, ...]
    counts: dict[str, int]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """How many tasks the whole list has."""
        return sum(self.counts.values())

    @property
    def complete(self) -> bool:
        """Every task of the list is in ``tasks``."""
        return len(self.tasks) == self.total


def listing(
    ctx: Context,
    operator: OperatorRecord | None,
    scope: Scope,
    *,
    first: int | None = None,
    locked: bool = False,
) -> DeskList:
    """Today's tasks of ``scope`` as :func:`targets.tasks_today` lists them (its role check, its order,
    its masking, its audit row), each with the person it is about, from the same single reading (so a
    line never carries another person than the one it shows). ``first``: only the list's first lines
    (the window's first screen, read without the whole list), with the whole list's counts."""
    if locked:
        raise LOCKED
    listed = targets.listed_today(ctx, operator, officer=scope.officer, branch=scope.branch, first=first)
    shown = listed.shown
    tasks = tuple(DeskTask(line, i) for line, i in zip(shown.tasks, listed.people, strict=True))
    return DeskList(shown.day, scope, tasks, dict(shown.counts), shown.notes)


def count_today(ctx: Context, operator: OperatorRecord | None, *, locked: bool = False) -> int | None:
    """How many tasks the signed-in officer has today (the figure :func:`listing` would list for
    them), or None for nobody to count for (signed out, locked, disabled, not an officer). A number
    with no person behind it: not audited (the list itself is, when it is opened)."""
    if locked or operator is None or not operator.active or operator.must_change_password:
        return None
    if operator.role not in targets.OFFICER_ROLES:
        return None
    return targets.count_today(ctx, officer=operator.login)


def record(
    ctx: Context,
    operator: OperatorRecord | None,
    task: DeskTask,
    outcome: str,
    *,
    reason: str | None = None,
    appointment_on: dt.date | None = None,
    for_good: bool = False,
    locked: bool = False,
) -> targets.Recorded:
    """Record what happened on ``task`` through :func:`targets.record_outcome` (only its own officer may,
    checked and audited there). Refused first while locked, and when the person's task today is no
    longer the one the line shows (the outcome would land on another task than the officer chose)."""
    if locked:
        raise LOCKED
    op = _signed_in(operator)
    store, policy, now = ctx.store, ctx.in_force(), ctx.now()
    day = ctx.day_of(now)
    mine = daily_tasks(store_targets.facts(store, officer=op.login, id_no=task.id_no), day, _band(policy))
    if mine and mine[0].kind != task.line.kind:
        raise DeskRefused(
            f"该客户今天的任务已变为“{KIND_ZH[mine[0].kind]}”，结果未登记",
            f"this person's task today is now {mine[0].kind}; nothing was recorded",
            hint_zh="请刷新今日任务后再登记",
            hint_en="refresh today's tasks, then record",
        )
    return targets.record_outcome(  # on the same reading of the clock as the check above
        ctx.at(now), op, task.id_no, outcome, reason=reason, appointment_on=appointment_on, for_good=for_good
    )


# --- the counter's flag --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One list the person at the counter is a target of: the task it holds for them today (None: none
    today, e.g. an application with its approver), or, ``signed_today``, struck today by their signing."""

    campaign: str
    officer: str | None
    due_on: dt.date | None
    kind: str | None
    signed_today: bool = False

    @property
    def kind_zh(self) -> str | None:
        return None if self.kind is None else KIND_ZH[self.kind]


def prepare_flag(ctx: Context, nobody: str) -> None:
    """Read the flag's facts once for ``nobody`` (the window's idle warm-up): the first listed walk-in's
    flag then does not build and compile its statements on a worker while their card is drawn. Reads
    only; nothing audited, nothing shown."""
    store_targets.facts(ctx.store, id_no=nobody)


def walk_in_flag(
    ctx: Context, operator: OperatorRecord | None, id_no: str, *, locked: bool = False
) -> tuple[Flag, ...]:
    """The lists the person is an open target of, with today's task on each; and those their signing
    struck today. Empty for someone on no list, or struck otherwise (ineligible, declined for good).
    For any signed-in operator at the counter: part of the card, whose lookup is audited."""
    if locked:
        raise LOCKED
    _signed_in(operator)
    band, day = _band(ctx.policy), ctx.today()
    out = []
    for f in store_targets.facts(ctx.store, id_no=id_no):
        struck = strike_of(f, day, band)
        task = task_of(f, day, band)
        if struck is not None and struck.reason != "signed":
            continue
        signed_today = struck is not None and struck.on == day
        if struck is not None and task is None and not signed_today:
            continue  # signed before: no longer a target, nothing to do for them today
        out.append(Flag(f.campaign, f.officer, f.due_on, None if task is None else task.kind, signed_today))
    return tuple(out)
