"""An officer's and a branch's tasks for one day, derived from the targets, the applications and the
drawdowns (``spec/programme.md``: target, task, outcome, struck).

A task is one thing to do for one person on one day:

======================  ==================================================================================
survey 调查              a target with no application under way (none yet, or the last one cancelled, or
                         approved and let lapse unsigned) and no survey being filled in
submit 提交审批          the same, with a survey being filled in (a saved draft)
deliver_letter 送达告知函 approved, unsigned, and the notification letter not yet recorded as delivered
get_signed 签约          approved, unsigned, the letter delivered
follow_up_usage 用信回访  signed more than 30 days ago and nothing drawn since ("鼓励客户体验用信")
renew 续授信             the signed line expires within 60 days (the expiry day itself included)
======================  ==================================================================================

A submitted application waits for its approver and a rejected one for the branch's judgement: neither
gives the officer a task. The outcomes an officer records:

- ``done``: survey, submit and get-signed are proven by the data, so *done* closes that day's task and
  the next day the data decides again; deliver-letter, follow-up-usage and renew leave no other trace,
  so *done* closes them for good (for that application).
- ``not_reached``: the task is off the list for that day and back the next.
- ``declined`` with a reason: off the list for :data:`DECLINED_REST_DAYS` days; declined *for good*
  strikes the target instead.
- ``appointment`` with a date: off the list until that date, and back on it that day.

A target is **struck** (销号), at most once, by the first of: the person signed a pre-credit agreement (at
the counter, in a campaign, at any branch) — on or after the day they were listed, or still holding a
signed line on that day; the person became ineligible (listed as negative, or past the policy's
maximum age); the person declined for good (with the reason). A mark once recorded is the truth from then
on. Struck targets leave the working tasks; a target struck by signing keeps the after-signing care of
its line (follow up usage, renew), which is how the officer's signed people come back to the list.

Tasks are ordered by due date (none last), then value (the line, largest first; unknown last), then
kind and person, so that the list is the same every time it is drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.kpi.ages import band_exit

__all__ = [
    "DECLINED_REST_DAYS",
    "KIND_ZH",
    "OUTCOMES",
    "OUTCOME_ZH",
    "RENEW_WITHIN_DAYS",
    "STRIKE_REASONS",
    "STRIKE_ZH",
    "TASK_KINDS",
    "USAGE_FOLLOW_UP_AFTER_DAYS",
    "AgeBand",
    "ApplicationFacts",
    "Outcome",
    "Strike",
    "TargetFacts",
    "Task",
    "TaskRefused",
    "check_outcome",
    "daily_tasks",
    "one_visit",
    "signing_strike",
    "strike_of",
    "task_of",
]

TASK_KINDS = ("survey", "submit", "deliver_letter", "get_signed", "follow_up_usage", "renew")
KIND_ZH = vocabulary.TASK_KIND_ZH  # the words live in teller_assist.vocabulary
OUTCOMES = ("done", "not_reached", "declined", "appointment")
OUTCOME_ZH = vocabulary.TASK_OUTCOME_ZH  # the words live in teller_assist.vocabulary
STRIKE_REASONS = ("signed", "ineligible", "declined")
STRIKE_ZH = vocabulary.STRIKE_REASON_ZH  # the words live in teller_assist.vocabulary

USAGE_FOLLOW_UP_AFTER_DAYS = 30
"""Signed and nothing drawn for more than this many days: the 31st day after signing brings the task."""
RENEW_WITHIN_DAYS = 60
"""A signed line expiring within this many days (the 60th day before expiry included) is to renew."""
DECLINED_REST_DAYS = 30
"""A person who declined (not for good) is asked again this many days later."""
APPOINTMENT_WITHIN_DAYS = 366
"""An appointment further ahead than this is a typing mistake, refused."""
REASON_MAX = 200

# done closes these for good (for the application they concern): nothing else records them
DONE_FOR_GOOD = frozenset({"deliver_letter", "follow_up_usage", "renew"})
# the tasks about an application (the others are about the person before any application)
APPLICATION_KINDS = frozenset({"deliver_letter", "get_signed", "follow_up_usage", "renew"})
_DAY = dt.timedelta(days=1)


class TaskRefused(UserFacingError):
    """An outcome that cannot be recorded as given."""

    exit_code = 3


@dataclass(frozen=True)
class AgeBand:
    """The policy's eligibility band, in completed years."""

    min_age: int
    max_age: int


@dataclass(frozen=True)
class ApplicationFacts:
    """One application as the tasks need it."""

    id: int
    status: str  # submitted, approved, rejected, cancelled, signed, expired
    line_fen: int
    decided_on: dt.date | None = None
    signed_on: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def value_fen(self) -> int:
        return self.line_fen


@dataclass(frozen=True)
class Outcome:
    """What happened on a task: recorded by its officer on a day (``seq`` orders those of one day)."""

    kind: str
    outcome: str
    on: dt.date
    application_id: int | None = None
    reason: str | None = None
    appointment_on: dt.date | None = None
    for_good: bool = False
    seq: int = 0


@dataclass(frozen=True)
class Strike:
    reason: str  # signed, ineligible, declined
    on: dt.date
    note: str | None = None


@dataclass(frozen=True)
class TargetFacts:
    """One target (a person on one list) with what the bank knows of the person that the tasks read.

    ``application`` is the person's newest application, ``signed`` their newest one ever signed (the
    same one, often); ``first_drawn_on`` their first drawdown on or after that signing day;
    ``outcomes`` every outcome recorded for the person (on any of their targets); ``strike`` the mark
    already recorded for this target, if any."""

    campaign: str
    id_no: str
    branch_code: str | None
    officer: str | None
    due_on: dt.date | None = None
    listed_on: dt.date | None = None
    application: ApplicationFacts | None = None
    signed: ApplicationFacts | None = None
    first_drawn_on: dt.date | None = None
    survey_draft: bool = False
    negative_since: dt.date | None = None
    birth_date: dt.date | None = None
    outcomes: tuple[Outcome, ...] = ()
    strike: Strike | None = None
    # what the bank's customer record says beside, for the faces (no rule reads them): the person's
    # name, and their home branch now (a later extract may have moved them from the list's branch)
    name: str | None = None
    home_branch: str | None = None

    def __repr__(self) -> str:  # never the whole ID in a log
        return f"TargetFacts({self.campaign!r}, …{self.id_no[-4:]}, officer={self.officer!r})"

    @property
    def moved_home(self) -> bool:
        """Not struck, and the customer record now gives another home branch than the list did."""
        return (
            self.strike is None
            and self.home_branch is not None
            and self.branch_code is not None
            and self.home_branch != self.branch_code
        )


@dataclass(frozen=True)
class Task:
    campaign: str
    id_no: str
    branch_code: str | None
    officer: str | None
    kind: str
    due_on: dt.date | None
    value_fen: int | None  # the line the task is about; None before any application
    application_id: int | None = None
    appointment: bool = False  # back today because an appointment was made for today

    @property
    def kind_zh(self) -> str:
        return KIND_ZH[self.kind]

    def __repr__(self) -> str:
        return f"Task({self.kind!r}, …{self.id_no[-4:]}, due={self.due_on})"


# --- struck ---------------------------------------------------------------------------------------


def signing_strike(
    listed_on: dt.date | None, signed_on: dt.date, valid_until: dt.date | None
) -> Strike | None:
    """What a signature on ``signed_on`` does to a target listed on ``listed_on``: struck on the day
    of the signature, or on the listing day for a line signed before and still held then; None for a
    line that had ended before the person was listed."""
    if listed_on is None or signed_on >= listed_on:
        return Strike("signed", max(signed_on, listed_on or signed_on))
    if valid_until is not None and valid_until >= listed_on:  # still held a line when listed
        return Strike("signed", listed_on)
    return None


def _signed_strike(f: TargetFacts, day: dt.date) -> Strike | None:
    s = f.signed
    if s is None or s.signed_on is None or s.signed_on > day:
        return None
    return signing_strike(f.listed_on, s.signed_on, s.valid_until)


def _ineligible_strike(f: TargetFacts, day: dt.date, band: AgeBand | None) -> Strike | None:
    found: list[Strike] = []
    if f.negative_since is not None and f.negative_since <= day:
        found.append(Strike("ineligible", max(f.negative_since, f.listed_on or f.negative_since), "negative"))
    if band is not None and f.birth_date is not None:
        out = band_exit(f.birth_date, band.max_age)
        if out <= day:
            found.append(Strike("ineligible", max(out, f.listed_on or out), "age"))
    return min(found, key=lambda s: s.on) if found else None


def _declined_strike(f: TargetFacts, day: dt.date) -> Strike | None:
    final = [
        o for o in f.outcomes if o.outcome == "declined" and o.for_good and o.on <= day
    ]  # fmt: skip
    if not final:
        return None
    first = min(final, key=lambda o: (o.on, o.seq))
    return Strike("declined", first.on, first.reason)


def strike_of(f: TargetFacts, day: dt.date, band: AgeBand | None = None) -> Strike | None:
    """The target's strike on ``day``: the mark already recorded, else the first of signed, ineligible
    and declined for good (on the same day, in that order), else None."""
    if f.strike is not None and f.strike.on <= day:
        return f.strike
    found = [
        s
        for s in (_signed_strike(f, day), _ineligible_strike(f, day, band), _declined_strike(f, day))
        if s is not None
    ]
    if not found:
        return None
    return min(found, key=lambda s: (s.on, STRIKE_REASONS.index(s.reason)))


# --- the task of the day ------------------------------------------------------------------------------


def _latest(f: TargetFacts, kind: str, application_id: int | None, day: dt.date) -> Outcome | None:
    mine = [
        o
        for o in f.outcomes
        if o.kind == kind
        and o.on <= day
        and (kind not in APPLICATION_KINDS or o.application_id == application_id)
    ]
    return max(mine, key=lambda o: (o.on, o.seq)) if mine else None


def _min_day(*days: dt.date | None) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def _working(f: TargetFacts, day: dt.date) -> Task | None:
    """Survey, submit, deliver the letter, get signed: a target not yet struck."""
    app = f.application
    reopened = app is None or app.status == "cancelled" or (app.status == "expired" and app.signed_on is None)
    if reopened:
        return _task(f, "submit" if f.survey_draft else "survey", f.due_on, None, None)
    assert app is not None
    if app.status != "approved":
        return None  # submitted: with the approver; rejected: the branch's judgement; signed: struck
    letter = _latest(f, "deliver_letter", app.id, day)
    if letter is None or letter.outcome != "done":
        return _task(f, "deliver_letter", app.decided_on, app.value_fen, app.id)
    return _task(f, "get_signed", _min_day(f.due_on, app.valid_until), app.value_fen, app.id)


def _after_signing(f: TargetFacts, day: dt.date) -> Task | None:
    """Renew, follow up usage: the care of a line the target signed."""
    s = f.signed
    if s is None or s.signed_on is None or s.status != "signed":
        return None
    newer = f.application is not None and f.application.id != s.id
    if s.valid_until is not None and not newer:
        left = (s.valid_until - day).days
        if 0 <= left <= RENEW_WITHIN_DAYS:
            return _task(f, "renew", s.valid_until, s.value_fen, s.id)
    unused = f.first_drawn_on is None or f.first_drawn_on > day
    if unused and (day - s.signed_on).days > USAGE_FOLLOW_UP_AFTER_DAYS:
        due = s.signed_on + dt.timedelta(days=USAGE_FOLLOW_UP_AFTER_DAYS + 1)
        return _task(f, "follow_up_usage", due, s.value_fen, s.id)
    return None


def _task(
    f: TargetFacts, kind: str, due: dt.date | None, value: int | None, application_id: int | None
) -> Task:
    return Task(f.campaign, f.id_no, f.branch_code, f.officer, kind, due, value, application_id)


def _after_outcomes(f: TargetFacts, task: Task, day: dt.date) -> Task | None:
    last = _latest(f, task.kind, task.application_id, day)
    if last is None:
        return task
    if last.outcome == "done":
        if task.kind in DONE_FOR_GOOD:
            return None
        return None if last.on == day else task
    if last.outcome == "not_reached":
        return None if last.on == day else task
    if last.outcome == "declined":
        return None if day < last.on + dt.timedelta(days=DECLINED_REST_DAYS) else task
    if last.outcome == "appointment" and last.appointment_on is not None:
        if day < last.appointment_on:
            return None
        return Task(
            task.campaign,
            task.id_no,
            task.branch_code,
            task.officer,
            task.kind,
            last.appointment_on,
            task.value_fen,
            task.application_id,
            appointment=day == last.appointment_on,
        )
    return task


def task_of(f: TargetFacts, day: dt.date, band: AgeBand | None = None) -> Task | None:
    """The one task the target needs on ``day``, or None."""
    struck = strike_of(f, day, band)
    if struck is not None and struck.reason != "signed":
        return None
    task = _after_signing(f, day) if struck is not None else _working(f, day)
    return None if task is None else _after_outcomes(f, task, day)


def _order(t: Task) -> tuple[object, ...]:
    return (
        t.due_on is None,
        t.due_on or dt.date.max,
        t.value_fen is None,
        -(t.value_fen or 0),
        TASK_KINDS.index(t.kind),
        t.id_no,
        t.campaign,
    )


def daily_tasks(facts: Iterable[TargetFacts], day: dt.date, band: AgeBand | None = None) -> list[Task]:
    """Every task of ``day``, one per person and officer (a person on two lists of the same officer is
    one visit: the task due first is kept), in the list's order."""
    return one_visit(t for t in (task_of(f, day, band) for f in facts) if t is not None)


def one_visit(tasks: Iterable[Task]) -> list[Task]:
    """The targets' tasks, one per person and officer (the one due first), in the list's order."""
    best: dict[tuple[str | None, str], tuple[tuple[object, ...], Task]] = {}
    for task in tasks:
        key = (task.officer, task.id_no)
        order = _order(task)  # once per task: a list of thousands is sorted by it
        held = best.get(key)
        if held is None or order < held[0]:
            best[key] = (order, task)
    return [task for _order_of, task in sorted(best.values(), key=_first)]


def _first(pair: tuple[tuple[object, ...], Task]) -> tuple[object, ...]:
    return pair[0]


# --- recording an outcome -----------------------------------------------------------------------------


def check_outcome(
    kind: str,
    outcome: str,
    day: dt.date,
    *,
    reason: str | None = None,
    appointment_on: dt.date | None = None,
    for_good: bool = False,
) -> Outcome:
    """An outcome as it may be recorded on ``day``, or a :class:`TaskRefused` that says what is
    missing: a declined needs its reason, an appointment a date from today on (and within a year)."""
    if kind not in TASK_KINDS:
        raise TaskRefused(f"未知的任务类型：{kind}", f"unknown task kind {kind!r}")
    if outcome not in OUTCOMES:
        raise TaskRefused(
            f"未知的结果：{outcome}",
            f"unknown outcome {outcome!r}",
            hint_zh="结果为 done（已完成）、not_reached（未联系上）、declined（拒绝，须写原因）、"
            "appointment（预约，须写日期）",
            hint_en="done, not_reached, declined (with a reason) or appointment (with a date)",
        )
    text = (reason or "").strip()
    if len(text) > REASON_MAX:
        raise TaskRefused(f"原因过长（最多{REASON_MAX}字）", f"the reason is too long (at most {REASON_MAX})")
    if outcome == "declined" and not text:
        raise TaskRefused(
            "客户拒绝须写明原因",
            "a declined task needs its reason",
            hint_zh="例如：已在他行贷款、暂无资金需求",
        )
    if for_good and outcome != "declined":
        raise TaskRefused("只有客户拒绝可以标记为不再跟进", "only a declined task can be declined for good")
    if outcome == "appointment":
        if appointment_on is None:
            raise TaskRefused(
                "预约须写明日期", "an appointment needs its date", hint_zh="例如 --on 2026-12-05"
            )
        if appointment_on < day:
            raise TaskRefused(
                f"预约日期 {appointment_on} 早于今天 {day}",
                f"the appointment {appointment_on} is before today {day}",
            )
        if (appointment_on - day).days > APPOINTMENT_WITHIN_DAYS:
            raise TaskRefused("预约日期超过一年，请核对", "the appointment is more than a year ahead")
    elif appointment_on is not None:
        raise TaskRefused("只有预约需要日期", "only an appointment takes a date")
    return Outcome(
        kind,
        outcome,
        day,
        reason=text or None,
        appointment_on=appointment_on,
        for_good=for_good,
    )


def summary(tasks: Sequence[Task]) -> dict[str, int]:
    """How many tasks of each kind (every kind named, in order)."""
    counts = dict.fromkeys(TASK_KINDS, 0)
    for t in tasks:
        counts[t.kind] += 1
    return counts
