"""Concurrency and crashes: two approvers at once, duplicate submissions at once, a state machine over
every move, and SIGKILL in the middle of a submission or an approval."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from teller_assist.prequal import workflow
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services import applications as apps
from teller_assist.services.applications import AlreadyDecided, WorkflowRefused
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.workflow import Team, agreement_printed, make_team
from tests.integration.test_applications import NOW, TODAY, survey

POLICY = load_policy(default_policy_path())


class Crowd:
    """``n`` long-lived worker threads that start each wave of work at the same instant (a barrier), as
    the desktops of a branch would: threads are reused, so each keeps its own card connection."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=n)

    def run(self, work: Sequence[Callable[[], object]]) -> list[object]:
        assert len(work) == self.n
        gate = threading.Barrier(self.n)

        def one(job: Callable[[], object]) -> object:
            gate.wait()
            try:
                return job()
            except Exception as exc:
                return exc

        return list(self.pool.map(one, work))

    def close(self) -> None:
        self.pool.shutdown()


@pytest.fixture
def pg_store(postgres_url: str, env: dict[str, str]) -> Store:
    store = open_database(load_settings(env, database_url=postgres_url)).store
    yield store  # type: ignore[misc]
    store.dispose()


def test_200_races_of_two_approvers_on_postgres(pg_store: Store, env: dict[str, str]) -> None:
    team = make_team(pg_store)
    ctx = Context(pg_store, load_settings(env), POLICY).at(NOW)
    crowd = Crowd(2)
    for i in range(200):
        record = apps.submit(ctx, rid(seq=100 + i), survey(20_000), team.teller)
        a, b = crowd.run(
            [
                lambda r=record: apps.approve(ctx, r.id, team.manager),
                lambda r=record: apps.reject(ctx, r.id, team.head, "并发"),
            ],
        )
        outcomes = sorted(type(x).__name__ for x in (a, b))
        assert outcomes == ["AlreadyDecided", "ApplicationRecord"], (i, a, b)
        final = apps.get(ctx, record.id)
        assert final.version == 2 and final.status in ("approved", "rejected")
    crowd.close()
    assert store_audit.verify(pg_store).ok


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_200_concurrent_duplicate_submissions_leave_one_open(
    engine: str, env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if engine == "postgres":
        settings_ = load_settings(env, database_url=request.getfixturevalue("postgres_url"))
    else:
        settings_ = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    store = open_database(settings_).store
    ctx = Context(store, settings_, POLICY).at(NOW)
    try:
        team = make_team(store)
        person = rid(seq=77)
        actors = [team.teller, team.manager, team.head, team.admin]
        work = [lambda a=actors[i % 4]: apps.submit(ctx, person, survey(), a) for i in range(200)]
        results: list[object] = []
        crowd = Crowd(20)
        for start in range(0, 200, 20):  # twenty at the same instant, ten times over
            results += crowd.run(work[start : start + 20])
        crowd.close()
        made = [r for r in results if isinstance(r, apps.ApplicationRecord)]
        refused = [r for r in results if isinstance(r, WorkflowRefused)]
        assert len(made) == 1 and len(refused) == 199, {type(r).__name__ for r in results}
        assert all("未结" in r.message_zh for r in refused)
        assert len(apps.listing(ctx, id_no=person)) == 1
        assert store_audit.verify(store).ok
    finally:
        store.dispose()


class Workflow(RuleBasedStateMachine):
    """Random submit / approve / reject / cancel / sign / expire by three operators: the database only
    ever holds legal states, every refusal is a rule, and the model and the database agree."""

    store: Store
    ctx: Context
    team: Team

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[int, str] = {}
        self.makers: dict[int, str] = {}
        self.people = [rid(seq=200 + i) for i in range(4)]
        self.person_of: dict[int, str] = {}
        self.day = TODAY

    @initialize()
    def clean(self) -> None:
        with self.store.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM document_signature")  # signed in an earlier example
            conn.exec_driver_sql("DELETE FROM document_issue")
            conn.exec_driver_sql("DELETE FROM application")

    def actor(self, who: int):  # type: ignore[no-untyped-def]
        return (self.team.teller, self.team.manager, self.team.head)[who]

    @rule(person=st.integers(0, 3), who=st.integers(0, 2), income=st.sampled_from([10_000, 20_000, 80_000]))
    def submit(self, person: int, who: int, income: int) -> None:
        id_no = self.people[person]
        open_now = any(
            s in ("submitted", "approved", "signed")
            for a, s in self.model.items()
            if self.person_of[a] == id_no
        )
        try:
            r = apps.submit(self.ctx.on(self.day), id_no, survey(income), self.actor(who))
        except WorkflowRefused:
            assert open_now
            return
        assert not open_now
        self.model[r.id] = "submitted"
        self.makers[r.id] = self.actor(who).operator.login
        self.person_of[r.id] = id_no

    def _pick(self, data: st.DataObject) -> int | None:
        if not self.model:
            return None
        return data.draw(st.sampled_from(sorted(self.model)))

    @rule(
        data=st.data(), who=st.integers(0, 2), move=st.sampled_from(["approve", "reject", "cancel", "sign"])
    )
    def decide(self, data: st.DataObject, who: int, move: str) -> None:
        app_id = self._pick(data)
        if app_id is None:
            return
        actor = self.actor(who)
        before = self.model[app_id]
        try:
            if move == "approve":
                r = apps.approve(self.ctx.on(self.day), app_id, actor)
            elif move == "reject":
                r = apps.reject(self.ctx.on(self.day), app_id, actor, "不符合")
            elif move == "cancel":
                r = apps.cancel(self.ctx.on(self.day), app_id, actor)
            else:
                if before == "approved":  # the agreement is printed before the customer signs it
                    agreement_printed(self.store, app_id, actor.operator.login)
                r = apps.sign(self.ctx.on(self.day), app_id, actor)
        except (AlreadyDecided, WorkflowRefused):
            legal = move in workflow.TRANSITIONS[before]
            own = self.makers[app_id] == actor.operator.login
            no_authority = workflow.authority_fen(POLICY, actor.operator.role) is None
            current = apps.get(self.ctx, app_id)
            too_big = (
                move == "approve"
                and not no_authority
                and current.line_fen > (workflow.authority_fen(POLICY, actor.operator.role) or 0)
            )
            assert not legal or (move in ("approve", "reject") and (own or no_authority or too_big)), (
                move,
                before,
                actor.operator.role,
            )
            return
        assert move in workflow.TRANSITIONS[before]
        assert r.status == workflow.TRANSITIONS[before][move]
        self.model[app_id] = r.status

    @rule(days=st.integers(1, 900))
    def time_passes(self, days: int) -> None:
        self.day = self.day + dt.timedelta(days=days)
        apps.expire_due(self.ctx.on(self.day))
        for app_id in list(self.model):
            r = apps.get(self.ctx, app_id)
            if self.model[app_id] != r.status:
                assert self.model[app_id] in ("approved", "signed") and r.status == "expired"
                assert r.valid_until is not None and r.valid_until < self.day
                self.model[app_id] = "expired"

    @precondition(lambda self: bool(self.model))
    @invariant()
    def database_agrees(self) -> None:
        rows = {r.id: r for r in apps.listing(self.ctx)}
        assert {i: r.status for i, r in rows.items()} == self.model
        for r in rows.values():
            if r.checker_id is not None:
                assert r.checker_id != r.maker_id
            if r.status in ("approved", "signed", "expired"):
                assert r.checker_authority_fen is not None and r.line_fen <= r.checker_authority_fen
        open_people = [r.id_no for r in rows.values() if r.status in ("submitted", "approved", "signed")]
        assert len(open_people) == len(set(open_people))


def test_state_machine(sqlite_store: Store, env: dict[str, str]) -> None:
    Workflow.store = sqlite_store
    settings_ = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    Workflow.ctx = Context(sqlite_store, settings_, POLICY)
    Workflow.team = make_team(sqlite_store)
    run = Workflow.TestCase
    run.settings = settings(
        max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
    )
    run().runTest()
    assert store_audit.verify(sqlite_store).ok


# --- SIGKILL: the application and its audit row are both there or both absent ---------------------------

CHILD = r"""
import datetime as dt, json, sys
from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.services import applications as apps
from teller_assist.services.applications import Actor
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from teller_assist.store import operators as ops
from teller_assist.prequal.survey import Survey
from teller_assist.services.clock import Clock
from teller_assist.services.context import Context

settings = load_settings()
store = open_database(settings).store
ctx = Context(store, settings, load_policy(default_policy_path()), Clock.on(dt.date(2026, 11, 28)))
teller = Actor(ops.get_operator(store, "teller1"), "ws")
head = Actor(ops.get_operator(store, "head1"), "ws")
answers = json.loads(sys.argv[1])
base = int(sys.argv[2])
print("ready", flush=True)
i = 0
while True:
    from tests.helpers.extracts import rid
    r = apps.submit(ctx, rid(seq=(base + i) % 1000), Survey("walk_in", answers), teller)
    apps.approve(ctx, r.id, head)
    i += 1
"""


def test_sigkill_during_submission_or_approval_keeps_rows_and_audit_together(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings_ = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    store = open_database(settings_).store
    make_team(store)
    store.dispose()
    child_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")},
        **env,
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    from tests.helpers.surveys import walk_in_answers

    for round_no in range(8):
        with subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(walk_in_answers()), str(round_no * 100)],
            env=child_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
            time.sleep(0.05 + 0.037 * round_no)
            proc.send_signal(signal.SIGKILL)
            proc.wait()

    store = open_database(settings_).store
    try:
        rows = apps.listing(Context(store, settings_, POLICY))
        assert rows, "the child made no application before it was killed"
        events = list(store_audit.export_rows(store, None, None))
        submits = {e.subject for e in events if e.action == "submit"}
        approves = {e.subject for e in events if e.action == "approve"}
        assert submits == {f"app:{r.id}" for r in rows}
        assert approves == {f"app:{r.id}" for r in rows if r.status == "approved"}
        assert store_audit.verify(store).ok
    finally:
        store.dispose()


def test_postgres_serialization_failures_are_retried_a_bounded_number_of_times(pg_store: Store) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from teller_assist.store.applications import RETRIES, with_retries

    attempts: list[int] = []

    def conflict(s: Session) -> None:  # a real SQLSTATE 40001 from the server
        s.execute(text("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$"))

    def flaky(s: Session) -> str:
        attempts.append(1)
        if len(attempts) < 3:
            conflict(s)
        return "done"

    assert with_retries(pg_store, flaky) == "done" and len(attempts) == 3
    attempts.clear()

    def always(s: Session) -> None:
        attempts.append(1)
        conflict(s)

    with pytest.raises(DBAPIError, match="conflict"):
        with_retries(pg_store, always)
    assert len(attempts) == RETRIES
