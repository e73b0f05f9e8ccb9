"""The counter flow as a plain object, without Qt, on both engines: every step from the ID to the
signature, what each step allows, and every refusal (nothing before sign-in, nothing while locked, no
signing before the agreement is printed, no second submission, no approval by the submitter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from teller_assist.errors import UserFacingError
from teller_assist.identity.resident_id import ResidentId, parse_resident_id
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import counter_flow as cf
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.services.counter_flow import Action, CounterFlow, Step
from teller_assist.services.database import open_database
from teller_assist.services.documents import COUNTER_KINDS
from teller_assist.settings import Settings, load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.applications import local_day
from teller_assist.store.engine import Store
from tests.helpers.extracts import MAN, OLD, WOMAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, make_team

TODAY = dt.date(2026, 11, 28)
EVERYTHING = frozenset(Action)


@dataclass
class Counter:
    store: Store
    settings: Settings
    team: Team
    flow: CounterFlow
    locked: list[bool]


@pytest.fixture(params=["sqlite", "postgres"])
def counter(
    request: pytest.FixtureRequest, env: dict[str, str], memory_keyring: MemoryKeyring, policy: Policy
) -> Iterator[Counter]:
    if request.param == "sqlite":
        settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    else:
        settings = load_settings(env, database_url=request.getfixturevalue("postgres_url"))
    store = open_database(settings).store
    try:
        locked = [False]
        flow = CounterFlow(Context(store, settings, policy, Clock.on(TODAY)), locked=lambda: locked[0])
        yield Counter(store, settings, make_team(store), flow, locked)
    finally:
        store.dispose()


def rid(text: str) -> ResidentId:
    return parse_resident_id(text, today=TODAY)


def answers(**changes: object) -> Survey:
    return Survey("walk_in", walk_in_answers(**changes))


def at_the_survey(c: Counter, who: str = MAN, name: str | None = "张三") -> CounterFlow:
    flow = c.flow
    flow.sign_in(c.team.teller.operator)
    flow.identify(rid(who))
    flow.open_survey()
    flow.update_survey(answers(), name)
    return flow


def audit_actions(store: Store) -> list[tuple[str, str | None, str | None]]:
    return [(r.action, r.operator, r.purpose) for r in store_audit.export_rows(store, None, None)]


def test_every_step_from_the_id_to_the_signature_allows_only_its_next_actions(c: Counter) -> None:
    flow = c.flow
    assert flow.step is Step.WAITING and flow.allowed() == frozenset()  # nobody signed in

    flow.sign_in(c.team.teller.operator)
    assert flow.step is Step.WAITING
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT}

    flow.identify(rid(MAN), "reader")
    assert flow.step is Step.CARD and flow.card is not None and flow.card.rid.value == MAN
    assert flow.decision is not None and flow.decision.eligible and not flow.decision.survey_complete
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL, Action.SURVEY}

    assert flow.open_survey() is None  # nothing typed for this person before
    assert flow.step is Step.SURVEY
    assert Action.SUBMIT not in flow.allowed()  # the survey is empty
    flow.update_survey(answers(), "张三")
    assert flow.decision is not None and flow.decision.survey_complete
    assert flow.decision.grantable_fen == 160_000_00
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL, Action.SURVEY, Action.SUBMIT}

    submitted = flow.submit()
    assert submitted.status == "submitted" and submitted.line_fen == 160_000_00 and submitted.name == "张三"
    assert flow.step is Step.SUBMITTED and flow.application == submitted
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL, Action.AUTHORIZE}

    approved = flow.authorize("head1", PASSWORD)  # the branch head, on the teller's screen
    assert approved.status == "approved" and approved.agreement_no
    assert flow.step is Step.SUBMITTED  # authorising changes nothing until the result is handed over
    assert flow.decided(approved)
    assert flow.step is Step.APPROVED
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL, Action.PREVIEW, Action.PRINT}

    issued = flow.issue_documents(COUNTER_KINDS, destination="test printer")
    assert [(kind, copy_no) for kind, _pdf, copy_no in issued] == [(k, 0) for k in COUNTER_KINDS]
    assert all(pdf.startswith(b"%PDF") for _kind, pdf, _copy in issued)
    flow.documents_issued(approved.id)
    assert flow.step is Step.ISSUED and flow.issued
    flow.documents_printed(approved.id)
    assert flow.step is Step.PRINTED
    assert flow.allowed() == {
        Action.IDENTIFY, Action.NEXT, Action.REVEAL, Action.PREVIEW, Action.PRINT, Action.SIGN,
    }

    signed = flow.sign()
    assert signed.status == "signed" and flow.step is Step.SIGNED
    assert Action.SIGN not in flow.allowed() and Action.PRINT in flow.allowed()  # a copy may be printed
    assert flow.card is not None and flow.card.open_application is not None  # the card re-read
    assert flow.card.open_application.status == "signed"

    flow.next_customer()
    assert flow.step is Step.WAITING and flow.card is None and flow.application is None
    assert flow.decision is None and flow.survey is None
    actions = [a for a, _op, _p in audit_actions(c.store)]
    assert "lookup" in actions and "submit" in actions and "approve" in actions and "sign" in actions


def test_nothing_is_allowed_before_sign_in(c: Counter) -> None:
    flow = c.flow
    for action in Action:
        assert flow.why_not(action) is cf.NOT_SIGNED_IN
    with pytest.raises(cf.CounterRefused, match="请先登录"):
        flow.identify(rid(MAN))
    assert flow.card is None
    assert not any(a == "lookup" for a, _op, _p in audit_actions(c.store))  # nobody looked anyone up


def test_nothing_is_allowed_while_locked_and_all_of_it_after_unlocking(c: Counter) -> None:
    flow = at_the_survey(c)
    before = flow.allowed()
    c.locked[0] = True
    assert flow.allowed() == frozenset()
    for action in Action:
        assert flow.why_not(action) is cf.LOCKED
    for attempt in (lambda: flow.identify(rid(WOMAN)), flow.submit, flow.reveal, flow.next_customer):
        with pytest.raises(cf.CounterRefused, match="屏幕已锁定"):
            attempt()
    with pytest.raises(cf.CounterRefused, match="屏幕已锁定"):
        flow.authorize("head1", PASSWORD)
    assert flow.card is not None and flow.card.rid.value == MAN and flow.application is None
    assert apps.listing(c.flow.ctx, id_no=MAN) == []
    c.locked[0] = False
    assert flow.allowed() == before and Action.SUBMIT in before


def test_no_signing_before_the_agreement_is_printed(c: Counter) -> None:
    flow = at_the_survey(c)
    assert flow.why_not(Action.SIGN) is cf.NOT_SIGNABLE  # nothing approved yet
    with pytest.raises(cf.CounterRefused, match="不能登记签字"):
        flow.sign()
    flow.submit()
    flow.decided(flow.authorize("head1", PASSWORD))
    assert flow.step is Step.APPROVED
    assert flow.why_not(Action.SIGN) is cf.NOT_PRINTED
    with pytest.raises(cf.CounterRefused, match="协议尚未打印"):
        flow.sign()
    assert flow.application is not None
    assert apps.get(c.flow.ctx, flow.application.id).status == "approved"  # nothing recorded
    flow.issue_documents(("agreement",), destination="test printer")
    flow.documents_issued(flow.application.id)
    assert flow.may(Action.SIGN)  # issued for print: the customer has it to sign
    assert flow.sign().status == "signed"


def test_no_submission_twice(c: Counter) -> None:
    flow = at_the_survey(c)
    first = flow.submit()
    assert flow.why_not(Action.SUBMIT) is cf.SUBMITTED_ALREADY
    with pytest.raises(cf.CounterRefused, match="已提交，不能再次提交"):
        flow.submit()
    assert [a.id for a in apps.listing(c.flow.ctx, id_no=MAN)] == [first.id]

    flow.next_customer()  # and identified again: the application on its way, no new survey
    flow.identify(rid(MAN))
    assert flow.step is Step.SUBMITTED and flow.application is not None and flow.application.id == first.id
    refusal = flow.why_not(Action.SURVEY)
    assert refusal is not None and "已有待审批的预授信" in refusal.message_zh
    with pytest.raises(cf.CounterRefused, match="不能再次申请"):
        flow.open_survey()
    assert flow.why_not(Action.SUBMIT) is cf.NO_SURVEY
    with pytest.raises(cf.CounterRefused, match="请先填写调查表"):
        flow.submit()
    assert len(apps.listing(c.flow.ctx, id_no=MAN)) == 1


def test_no_approval_by_the_submitter_nor_beyond_authority(c: Counter) -> None:
    flow = at_the_survey(c)
    submitted = flow.submit()
    with pytest.raises(apps.WorkflowRefused):
        flow.authorize("teller1", PASSWORD)  # the maker's own credentials
    with pytest.raises(apps.WorkflowRefused, match="超出审批权限"):
        flow.authorize("manager1", PASSWORD)  # a lobby manager, up to 50,000: the line is 160,000
    with pytest.raises(UserFacingError):
        flow.authorize("head1", "not the password")
    assert apps.get(c.flow.ctx, submitted.id).status == "submitted"
    assert flow.step is Step.SUBMITTED
    refused = [(a, op) for a, op, _p in audit_actions(c.store) if a == "approve_refused"]
    assert refused == [("approve_refused", "teller1"), ("approve_refused", "manager1")]


def test_a_decision_made_elsewhere_reaches_the_counter(c: Counter, policy: Policy) -> None:
    flow = at_the_survey(c)
    submitted = flow.submit()
    now = flow.poll_decision()
    assert now is not None and not flow.decided(now)  # still waiting: nothing moved
    head, version = c.team.head, submitted.version
    apps.reject(c.flow.ctx, submitted.id, head, "收入证明不足", expected_version=version)
    now = flow.poll_decision()
    assert now is not None and flow.decided(now)
    assert flow.step is Step.CLOSED and flow.application is not None
    assert flow.application.reject_reason == "收入证明不足"
    assert flow.poll_decision() is None  # nothing left to watch
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL}
    assert flow.why_not(Action.SURVEY) is cf.ENDED


def test_an_ineligible_person_gets_no_survey_and_no_submission(c: Counter) -> None:
    flow = c.flow
    flow.sign_in(c.team.teller.operator)
    flow.identify(rid(OLD))
    assert flow.decision is not None and not flow.decision.eligible
    refusal = flow.why_not(Action.SURVEY)
    assert refusal is not None and refusal.message_zh.startswith("不可授信，不能调查和提交")
    assert flow.allowed() == {Action.IDENTIFY, Action.NEXT, Action.REVEAL}
    with pytest.raises(cf.CounterRefused, match="不可授信"):
        flow.open_survey()
    with pytest.raises(cf.CounterRefused, match="请先填写调查表"):
        flow.submit()


def test_someone_new_needs_a_name_for_the_agreement(c: Counter) -> None:
    flow = at_the_survey(c, name=None)
    assert flow.card is not None and not flow.card.name
    refusal = flow.why_not(Action.SUBMIT)
    assert refusal is not None and refusal.message_zh.startswith("客户姓名：")
    flow.update_survey(answers(), "李四")
    assert flow.may(Action.SUBMIT)
    assert flow.submit().name == "李四"


def test_an_incomplete_survey_is_refused_in_the_services_words_and_stays_as_typed(c: Counter) -> None:
    flow = at_the_survey(c)
    partial = answers(consent_credit_inquiry=False)
    flow.update_survey(partial, "张三")
    with pytest.raises(apps.WorkflowRefused, match="客户尚未同意"):
        flow.submit()
    assert flow.survey == partial and flow.application is None and flow.step is Step.SURVEY


def test_typed_answers_are_kept_as_a_draft_and_come_back_without_the_consents(c: Counter) -> None:
    flow = c.flow
    flow.sign_in(c.team.teller.operator)
    flow.identify(rid(WOMAN))
    flow.open_survey()
    flow.next_customer()  # nothing typed: nothing kept
    flow.identify(rid(WOMAN))
    assert flow.open_survey() is None

    assert not flow.unsaved
    flow.update_survey(answers(household_income=90000), "王五")
    assert flow.unsaved
    flow.identify(rid(MAN))  # the next customer: the previous one's answers are kept first
    assert flow.card is not None and flow.card.rid.value == MAN and not flow.unsaved
    flow.identify(rid(WOMAN))
    draft = flow.open_survey()
    assert draft is not None and draft.operator == "teller1"
    assert flow.survey is not None and flow.survey.answers["household_income"] == 90000
    assert "consent_credit_inquiry" not in flow.survey.answers  # ticked again once signed
    assert not flow.may(Action.SUBMIT)


def test_lookups_and_reveals_are_audited_under_the_operator(c: Counter) -> None:
    flow = c.flow
    flow.sign_in(c.team.teller.operator)
    with pytest.raises(cf.CounterRefused, match="请先读取或输入"):
        flow.reveal()
    flow.identify(rid(MAN), "clipboard")
    assert flow.reveal().rid.value == MAN
    rows = [(a, op, p) for a, op, p in audit_actions(c.store) if a in ("lookup", "reveal")]
    assert rows == [("lookup", "teller1", "clipboard"), ("reveal", "teller1", "counter")]
    with pytest.raises(ValueError, match="telepathy"):
        flow.identify(rid(MAN), "telepathy")


def test_the_next_step_comes_by_itself_only_where_it_is_safe(c: Counter, policy: Policy) -> None:
    """主管授权 opens with the submission only while a branch role's authority covers the line; F8
    prints at once only the first time (a reprint is a 副本, asked for)."""
    import dataclasses

    flow = at_the_survey(c)
    assert not flow.approvable_here() and not flow.first_print()  # nothing submitted
    submitted = flow.submit()
    assert flow.approvable_here() and not flow.first_print()  # 160,000: a branch head's
    c.locked[0] = True
    assert not flow.approvable_here()  # nothing while locked
    c.locked[0] = False
    lower = {"lobby_manager": 50_000_00, "branch_head": 100_000_00}
    flow.ctx = dataclasses.replace(flow.ctx, policy=dataclasses.replace(policy, approval_fen=lower))
    assert not flow.approvable_here()  # beyond every role here: the queue, not this screen
    flow.ctx = dataclasses.replace(flow.ctx, policy=policy)
    flow.decided(flow.authorize("head1", PASSWORD))
    assert not flow.approvable_here() and flow.first_print()
    assert flow.why_not(Action.SIGN) is cf.NOT_PRINTED  # printing first, still
    flow.issue_documents(COUNTER_KINDS, destination="test printer")
    flow.documents_issued(submitted.id)
    assert not flow.first_print() and flow.may(Action.SIGN)
    flow.sign()
    assert not flow.first_print() and flow.may(Action.PRINT)  # a copy may be printed, when asked for


def test_documents_are_refused_before_approval(c: Counter) -> None:
    flow = at_the_survey(c)
    for action in (Action.PREVIEW, Action.PRINT):
        assert flow.why_not(action) is cf.NOT_APPROVED
    with pytest.raises(cf.CounterRefused, match="尚未批准"):
        flow.issue_documents(COUNTER_KINDS, destination="test printer")
    flow.submit()
    with pytest.raises(cf.CounterRefused, match="尚未批准"):
        flow.issue_documents(COUNTER_KINDS, destination="test printer")
    assert flow.why_not(Action.AUTHORIZE) is None


@pytest.fixture
def c(counter: Counter) -> Counter:
    return counter


def test_what_the_flow_writes_is_stamped_on_the_day_it_reads_by(c: Counter) -> None:
    """The flow's day and the moments it writes come from one clock: a counter on another day (here the
    tests' fixed day, days from the real one) submits, approves, issues and signs on that day, and its
    lookups are audited on it. A flow that read by one day and stamped the system's clock would put a
    line decided "today" on another day of the KPIs."""
    assert dt.date.today() != TODAY, "the real day must differ from the flow's for this test to say anything"
    flow = at_the_survey(c)
    submitted = flow.submit()
    flow.decided(flow.authorize("head1", PASSWORD))
    flow.issue_documents(COUNTER_KINDS, destination="test printer")
    flow.documents_printed(submitted.id)
    signed = flow.sign()
    assert local_day(signed.submitted_at) == TODAY
    assert signed.decided_at is not None and local_day(signed.decided_at) == TODAY
    assert signed.signed_at is not None and local_day(signed.signed_at) == TODAY
    days = {r.action: local_day(r.at) for r in store_audit.export_rows(c.store, None, None)}
    assert {days[a] for a in ("lookup", "submit", "approve", "sign")} == {TODAY}
