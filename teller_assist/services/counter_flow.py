"""The counter flow as a plain object: one customer at a time, from the ID to the signature.

    waiting -> card (identified: the card and the decision) -> survey -> submitted -> approved
            -> issued (the documents issued for print) -> printed -> signed -> waiting (next customer)

A submitted application may also end rejected, cancelled or expired (``closed``). The flow holds the
card, the decision, the survey as typed (the draft) and the application; it says which actions are
allowed now (``allowed``) and why another is not (``why_not``), and each action refuses with that
reason (a :class:`CounterRefused`) when it is not allowed. It calls services, never the store, and
knows nothing of Qt: the window's counter is a thin view of it, and the tests drive it without Qt.

Methods that only read and compute (``authorize``, ``poll_decision``, ``issue_documents``) may run on a
worker thread; everything that changes the flow runs on one thread (the window's GUI thread).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from teller_assist.errors import UserFacingError
from teller_assist.identity.names import name_problem
from teller_assist.identity.resident_id import ResidentId
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.engine import Decision
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.prequal.workflow import GRANTED, STANDING, Status
from teller_assist.services import applications as apps
from teller_assist.services import audit, drafts
from teller_assist.services.applications import ApplicationRecord
from teller_assist.services.counter import Blocked, survey_blocked
from teller_assist.services.lookup import lookup
from teller_assist.services.operators import OperatorRecord, authenticate
from teller_assist.services.prequal import decide_for_card
from teller_assist.settings import Settings
from teller_assist.store.engine import Store

if TYPE_CHECKING:
    from teller_assist.services.context import Context
    from teller_assist.services.documents import Issued
    from teller_assist.services.printing import PrintRun

# kpi, task, campaign: opened from a 考核 list, 今日任务 or a campaign's members (not a walk-in: the
# walk-ins count the others)
SOURCES = ("typed", "clipboard", "reader", "hook", "kpi", "task", "campaign")


class Step(StrEnum):
    WAITING = "waiting"  # nobody at the counter
    CARD = "card"  # identified: the card and the decision on screen
    SURVEY = "survey"  # the survey open, the decision following the answers
    SUBMITTED = "submitted"  # waiting for 主管授权 (or a decision in the queue)
    APPROVED = "approved"  # the documents are next (F8)
    ISSUED = "issued"  # the agreement issued for print: the customer has it to sign
    PRINTED = "printed"  # and the printer took it
    SIGNED = "signed"
    CLOSED = "closed"  # rejected, cancelled or expired: nothing more for this application


class Action(StrEnum):
    IDENTIFY = "identify"
    REVEAL = "reveal"
    SURVEY = "survey"
    SUBMIT = "submit"
    AUTHORIZE = "authorize"
    PREVIEW = "preview"
    PRINT = "print"
    SIGN = "sign"
    NEXT = "next"


class CounterRefused(UserFacingError):
    """An action the counter flow does not allow now; the message says why."""


NOT_SIGNED_IN = CounterRefused("请先登录", "sign in first")
LOCKED = CounterRefused(
    "屏幕已锁定，请先解锁", "the screen is locked", hint_zh="输入密码解锁", hint_en="unlock first"
)
NOBODY = CounterRefused("请先读取或输入客户身份证号", "identify the customer first")
NO_POLICY = CounterRefused("授信政策未载入，不能调查和提交", "the credit policy is not loaded")
NO_SURVEY = CounterRefused("请先填写调查表 (F3)", "open the survey first (F3)")
SUBMITTED_ALREADY = CounterRefused(
    "该客户的申请已提交，不能再次提交", "the application is already submitted; it is not submitted twice"
)
NOT_WAITING = CounterRefused("该申请不在待审批状态", "the application is not awaiting approval")
NOT_APPROVED = CounterRefused(
    "申请尚未批准，没有可打印的协议", "the application is not approved: no documents yet"
)
NOT_PRINTED = CounterRefused(
    "协议尚未打印：请先预览并打印 (F8)，客户签字后再按 F9",
    "the agreement is not printed yet: preview and print it (F8), then record the signature (F9)",
)
NOT_SIGNABLE = CounterRefused("该申请不能登记签字", "there is no approved agreement to sign")
ENDED = CounterRefused(
    "本次申请已结束，如需重新申请请重新读取身份证",
    "this application has ended; identify the customer again for a new one",
)


@dataclass(frozen=True)
class Identified:
    """What identifying someone brings to the screen."""

    card: CustomerCard
    application: ApplicationRecord | None  # the pre-credit they hold, whose next step comes next


class CounterFlow:
    """One customer's way through the counter, for the signed-in operator of one workstation."""

    def __init__(self, ctx: Context, *, locked: Callable[[], bool] = lambda: False) -> None:
        self.ctx, self._locked = ctx, locked
        self.operator: OperatorRecord | None = None
        self._clear()

    @property
    def store(self) -> Store:
        return self.ctx.store

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def policy(self) -> Policy | None:
        return self.ctx.policy

    def _today(self) -> dt.date:
        return self.ctx.today()

    def _actor(self, operator: OperatorRecord) -> apps.Actor:
        return apps.Actor(operator, self.ctx.workstation)

    def _clear(self) -> None:
        self.card: CustomerCard | None = None
        self.decision: Decision | None = None
        self.survey: Survey | None = None  # the answers as typed, once the survey is open
        self.name: str | None = None  # the name typed for someone the bank has never seen
        self.decision_problem: UserFacingError | None = None  # the engine could not decide (said instead)
        self.application: ApplicationRecord | None = None
        self._unsaved = False  # answers typed since the draft was last saved
        self.issued = False  # the agreement of ``application`` was issued (printed or written out)
        self.printed = False  # and this flow saw the printer take it

    # --- where the flow is, and what it allows ---------------------------------------------------------
    @property
    def step(self) -> Step:
        app = self.application
        if app is not None:
            if app.status == Status.SUBMITTED:
                return Step.SUBMITTED
            if app.status == Status.APPROVED:
                return Step.PRINTED if self.printed else Step.ISSUED if self.issued else Step.APPROVED
            if app.status == Status.SIGNED:
                return Step.SIGNED
            return Step.CLOSED
        if self.card is None:
            return Step.WAITING
        return Step.SURVEY if self.survey is not None else Step.CARD

    def allowed(self) -> frozenset[Action]:
        return frozenset(a for a in Action if self.why_not(a) is None)

    def may(self, action: Action) -> bool:
        return self.why_not(action) is None

    def why_not(self, action: Action) -> CounterRefused | None:
        """Why ``action`` is not allowed now (None: it is)."""
        gate = self._gate(action)
        if gate is not None or action in (Action.IDENTIFY, Action.NEXT, Action.REVEAL):
            return gate
        app = self.application
        if action is Action.SURVEY:
            if self.policy is None:
                return NO_POLICY
            if app is not None and app.status not in (Status.SUBMITTED, Status.APPROVED, Status.SIGNED):
                return ENDED
            if self.survey is not None and app is None:
                return None  # open already: F3 goes back to it
            blocked = self.blocked()
            return _refusal(blocked) if blocked is not None else None
        if action is Action.SUBMIT:
            return self._submit_gate() or self._submit_content()
        if action is Action.AUTHORIZE:
            if self.policy is None:
                return NO_POLICY
            return None if app is not None and app.status == Status.SUBMITTED else NOT_WAITING
        if action in (Action.PREVIEW, Action.PRINT):
            return None if app is not None and app.status in GRANTED else NOT_APPROVED
        if action is Action.SIGN:
            if app is None or app.status != Status.APPROVED:
                return NOT_SIGNABLE
            return None if self.issued else NOT_PRINTED
        raise AssertionError(action)

    def _gate(self, action: Action) -> CounterRefused | None:
        """Who and whom: an operator signed in, the screen unlocked, and (but to identify or to go on to
        the next customer) a customer identified."""
        if self.operator is None:
            return NOT_SIGNED_IN
        if self._locked():
            return LOCKED
        if self.card is None and action not in (Action.IDENTIFY, Action.NEXT):
            return NOBODY
        return None

    def _refuse(self, action: Action) -> None:
        problem = self.why_not(action)
        if problem is not None:
            raise problem

    def blocked(self) -> Blocked | None:
        """Why the person on screen gets no survey and no submission (an open pre-credit, not eligible)."""
        if self.card is None:
            return None
        if self.application is not None and self.application.status in STANDING:
            return survey_blocked(self.card, None) or Blocked(
                "该客户的申请已提交，不能再次申请", f"application {self.application.id} is already submitted"
            )
        return survey_blocked(self.card, self.decision)

    def name_problem(self) -> tuple[str, str] | None:
        """Why the name typed for someone new cannot go on the agreement (None: fine, or not asked)."""
        if self.card is None or self.card.name or self.survey is None:
            return None
        return name_problem(self.name or "")

    def _submit_gate(self) -> CounterRefused | None:
        if self.survey is None:
            return NO_SURVEY
        if self.application is not None:
            return SUBMITTED_ALREADY
        if self.policy is None:
            return NO_POLICY
        return None

    def _submit_content(self) -> CounterRefused | None:
        """What the answers still lack; the service checks all of it again from stored data."""
        blocked = self.blocked()
        if blocked is not None:
            return _refusal(blocked)
        decision = self.decision
        if decision is None or not decision.eligible:
            return CounterRefused("不符合准入条件，不能提交", "not eligible: nothing to submit")
        if not decision.survey_complete:
            missing_zh, missing_en = "、".join(decision.missing), ", ".join(decision.missing)
            return CounterRefused("调查表未填完：" + missing_zh, "the survey is incomplete: " + missing_en)
        problem = self.name_problem()
        if problem is not None:
            return CounterRefused("客户姓名：" + problem[0], "the customer's name: " + problem[1])
        return None

    # --- the steps ------------------------------------------------------------------------------------
    def sign_in(self, operator: OperatorRecord | None) -> None:
        """The operator at the keyboard (None: nobody; the screen is cleared by the caller first)."""
        self.operator = operator

    def identify(self, rid: ResidentId, source: str = "typed") -> Identified:
        """Look the person up (audited under the operator, with how they were identified) and start
        their way through the counter: the card, the decision, the pre-credit they hold."""
        self._refuse(Action.IDENTIFY)
        assert self.operator is not None
        if source not in SOURCES:
            raise ValueError(source)
        self.save_draft()  # the previous customer's survey, if typed since it was saved, kept before it goes
        now = self.ctx.now()  # the lookup's day and its audit row's moment, from one reading of the clock
        today = self.ctx.day_of(now)
        card = lookup(self.ctx, rid, as_of=today)
        audit.log(
            self.store, "lookup", operator=self.operator.login, subject=rid.value, purpose=source, now=now,
        )  # fmt: skip
        held = card.open_application
        application = apps.get(self.ctx, held.id) if held is not None else None
        self._clear()
        self.card, self.application = card, application
        self._read_issued()
        self.recompute()
        return Identified(card, application)

    def recompute(self) -> Decision | None:
        """The decision from the card and the survey as typed so far; an engine's refusal is kept in
        ``decision_problem`` (the last good decision stays)."""
        if self.card is None or self.policy is None:
            return None
        try:
            self.decision = decide_for_card(self.card, self.survey, self.policy, self._today())
        except UserFacingError as exc:
            self.decision_problem = exc
        else:
            self.decision_problem = None
        return self.decision

    def open_survey(self, scenario: str = "walk_in") -> drafts.Draft | None:
        """F3: the survey opens for someone who may apply. Opened now, it takes back what was typed for
        this person before (a crash, a restart, Esc), which is returned; consents are ticked again."""
        self._refuse(Action.SURVEY)
        if self.survey is not None:
            return None
        assert self.card is not None
        self.survey, self._unsaved = Survey(scenario, {}), False
        draft = drafts.load(self.ctx, self.card.rid.value)
        if draft is None or draft.survey.scenario != scenario:
            self.recompute()
            return None
        self.survey = Survey(scenario, dict(draft.survey.answers))
        self.recompute()
        return draft

    def update_survey(self, survey: Survey, name: str | None = None) -> Decision | None:
        """The answers as typed now (and the name, for someone new): the decision follows them."""
        if self.survey is None or self.application is not None:
            return self.decision  # closed, or submitted: what was submitted is the application's
        if survey != self.survey or name != self.name:
            self._unsaved = True
        self.survey, self.name = survey, name
        return self.recompute()

    @property
    def unsaved(self) -> bool:
        """Answers were typed since the draft was last saved."""
        return self._unsaved

    def save_draft(self) -> None:
        """Keep the survey as typed, so a crash, a restart or Esc loses nothing (consents are not kept).
        Only what was typed since the last save is written; a failed save stays unsaved (and raises)."""
        taken = self.take_draft()
        if taken is None:
            return
        try:
            drafts.save(self.ctx, *taken)
        except BaseException:
            self.draft_not_saved(taken[0])
            raise

    def take_draft(self) -> tuple[str, Survey, str] | None:
        """What was typed since the last save, as plain data (the ID, the survey, who typed it) for a
        caller that writes it elsewhere (``drafts.save``, on a worker thread): taken, it counts as saved,
        until ``draft_not_saved`` says otherwise. None when there is nothing to keep."""
        if not self._unsaved or self.card is None or self.survey is None or self.operator is None:
            return None
        self._unsaved = False
        if self.application is not None:
            return None  # submitted: the application holds the answers now
        return self.card.rid.value, self.survey, self.operator.login

    def draft_not_saved(self, id_no: str) -> None:
        """A taken draft could not be written: if that person's survey is still open, it is unsaved."""
        if self.card is not None and self.card.rid.value == id_no and self.application is None:
            self._unsaved = self.survey is not None

    def submit(self) -> ApplicationRecord:
        """Ctrl+Enter: submit for approval. The service recomputes the line from stored data and refuses
        what the answers lack in its own words (consents, missing fields, eligibility)."""
        gate = self._gate(Action.SUBMIT) or self._submit_gate()
        if gate is not None:
            raise gate
        assert self.policy is not None and self.operator is not None and self.card is not None
        assert self.survey is not None
        record = apps.submit(self.ctx, self.card.rid, self.survey, self._actor(self.operator), name=self.name)
        self.application, self._unsaved = record, False
        with contextlib.suppress(UserFacingError):  # an orphan draft is purged after 30 days
            drafts.discard(self.ctx, record.id_no)
        self.refresh_card()
        return record

    def authorize(self, login: str, password: str, *, sms_sender: str | None = None) -> ApplicationRecord:
        """主管授权: the approver's own login and password, checked and the application approved. The
        flow itself does not change (this may run on a worker thread): hand the result to ``decided``.
        The submitter never approves their own application (the service refuses and audits it)."""
        self._refuse(Action.AUTHORIZE)
        app = self.application
        assert app is not None and self.policy is not None
        approver = authenticate(self.ctx, login, password, purpose="authorize")
        return apps.approve(
            self.ctx, app.id, self._actor(approver), expected_version=app.version, sms_sender=sms_sender
        )

    def approvable_here(self) -> bool:
        """The submitted line is within the authority the policy gives a branch role (a supervisor who
        can be called to the counter), so 主管授权 is the next step; False while nothing awaits approval
        or when the line is beyond every role's authority."""
        from teller_assist.prequal.workflow import approvers_for

        app = self.application
        if not self.may(Action.AUTHORIZE) or app is None or self.policy is None:
            return False
        return bool(approvers_for(self.policy, app.line_fen))

    def first_print(self) -> bool:
        """Approved and the agreement not issued yet: the documents' first printing (a reprint is a
        副本, asked for in the preview)."""
        return self.step is Step.APPROVED and self.may(Action.PRINT)

    def poll_decision(self) -> ApplicationRecord | None:
        """While submitted: the application as it stands now (a decision made in the queue, or on
        another desktop); None when there is nothing to watch. Read only: may run on a worker thread."""
        app = self.application
        if app is None or app.status != Status.SUBMITTED:
            return None
        return apps.get(self.ctx, app.id)

    def decided(self, record: ApplicationRecord) -> bool:
        """A newer state of the application on screen (approved here, or decided elsewhere): True when
        it is this customer's and it moved on."""
        app = self.application
        if app is None or record.id != app.id or record.version < app.version:
            return False
        moved = record.status != app.status or record.version != app.version
        self.application = record
        self._read_issued()
        if moved:
            self.refresh_card()
        return moved

    def issue_documents(
        self,
        kinds: tuple[str, ...],
        *,
        destination: str,
        each: Callable[[Issued], None] | None = None,
    ) -> list[tuple[str, bytes, int]]:
        """Issue each document for print (the original, later copies; audited): (kind, pdf, copy_no),
        each also handed to ``each`` as it comes (to keep a copy before the next one can fail). Does not
        change the flow: may run on a worker thread; tell ``documents_issued`` when it is over."""
        from teller_assist.services.documents import issue_all

        self._refuse(Action.PRINT)
        app, operator = self.application, self.operator
        assert app is not None and operator is not None
        return [
            (issued.kind, issued.pdf, issued.copy_no)
            for issued in issue_all(
                self.ctx, app.id, kinds, operator=operator.login, destination=destination, each=each
            )
        ]

    def print_documents(self, kinds: tuple[str, ...], printer: str, folder: Path) -> PrintRun:
        """The print pipeline (``services.printing.print_documents``) for the application at the counter:
        each document issued, kept in ``folder`` and handed to ``printer``, titled in the queue as the
        command line titles them. May run on a worker thread; tell ``documents_issued`` (and, when the
        run has no problem, ``documents_printed``) when it is over."""
        from teller_assist.services.printing import job_title, print_documents

        self._refuse(Action.PRINT)
        app = self.application
        assert app is not None
        return print_documents(
            lambda ks, destination, each: self.issue_documents(ks, destination=destination, each=each),
            kinds, printer, folder, f"app{app.id}", functools.partial(job_title, app.id),
        )  # fmt: skip

    def documents_issued(self, app_id: int) -> None:
        """Issuing ended (whole or in part): the flow reads whether the agreement is out now."""
        if self.application is not None and self.application.id == app_id:
            self._read_issued()

    def documents_printed(self, app_id: int) -> None:
        """The printer took the documents of ``app_id``."""
        if self.application is not None and self.application.id == app_id:
            self._read_issued()
            self.printed = self.issued

    def sign(self) -> ApplicationRecord:
        """F9 (confirmed): the customer signed the printed agreement."""
        self._refuse(Action.SIGN)
        app = self.application
        assert app is not None and self.operator is not None
        actor = self._actor(self.operator)
        self.application = apps.sign(self.ctx, app.id, actor, expected_version=app.version)
        self.refresh_card()
        return self.application

    def reveal(self) -> CustomerCard:
        """The full ID, phone and incomes, for a short while: audited first (no audit row, no reveal)."""
        self._refuse(Action.REVEAL)
        assert self.card is not None and self.operator is not None
        audit.log(
            self.store,
            "reveal",
            operator=self.operator.login,
            subject=self.card.rid.value,
            purpose="counter",
            detail={"fields": ["resident_id", "phone", "income"]},
            now=self.ctx.now(),
        )
        return self.card

    def next_customer(self) -> None:
        """Esc: the survey in progress is kept as a draft, and the counter waits for the next customer."""
        self._refuse(Action.NEXT)
        try:
            self.save_draft()
        finally:
            self._clear()

    def leave(self) -> None:
        """The operator goes (log out, switch): as ``next_customer``, whatever the lock says."""
        try:
            self.save_draft()
        except UserFacingError:
            pass  # the screen is cleared all the same; the survey was saved as it was typed before
        finally:
            self._clear()

    # --- reading back -----------------------------------------------------------------------------------
    def refresh_card(self) -> CustomerCard | None:
        """Re-read the card of the customer at the counter (their pre-credit changed)."""
        if self.card is None:
            return None
        try:
            self.card = lookup(self.ctx, self.card.rid, as_of=self._today())
        except UserFacingError:
            return self.card
        self.recompute()
        return self.card

    def refresh_issued(self, *, strict: bool = False) -> bool:
        """Read again whether the agreement is out (printed here, or from the command line); a database
        that cannot say counts as not issued, or (``strict``) raises."""
        app = self.application
        issued = False
        if app is not None and app.status in (Status.APPROVED, Status.SIGNED):
            try:
                issued = apps.agreement_issued(self.ctx, app.id)
            except UserFacingError:
                if strict:
                    raise
        self.issued = issued
        if not issued:
            self.printed = False
        return issued

    def _read_issued(self) -> None:
        self.refresh_issued()


def _refusal(blocked: Blocked) -> CounterRefused:
    return CounterRefused(blocked.zh, blocked.en)
