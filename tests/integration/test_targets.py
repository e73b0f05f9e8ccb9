"""Target lists, assignments, outcomes and strikes in the database, on SQLite and PostgreSQL (migration
0013): what is written is read back as the domain's facts, nothing is counted twice, and the database's
own rules hold where the program's could be bypassed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets
from teller_assist.services.context import Context
from teller_assist.services.operators import add_operator, disable_operator
from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.targets.lists import ListRefused
from teller_assist.targets.tasks import Outcome, Strike, TaskRefused
from tests.helpers.context import context_of
from tests.helpers.extracts import rid
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
A1 = rid("330101", dt.date(1985, 3, 14), 11)
A2 = rid("330101", dt.date(1986, 4, 15), 12)
B1 = rid("330102", dt.date(1990, 5, 16), 13)
NEG = rid("330101", dt.date(1980, 6, 17), 14)  # on the negative list
OLD = rid("330101", dt.date(1950, 1, 2), 15)  # past the age band
LOST = rid("339999", dt.date(1991, 7, 18), 16)  # a region with no branch
PEOPLE = {A1: ("330101", "0101"), A2: ("330101", "0101"), B1: ("330102", "0102"), NEG: ("330101", "0101"),
          OLD: ("330101", "0101"), LOST: ("339999", "0101")}  # fmt: skip


def entry(action: str = "test") -> AuditEntry:
    return AuditEntry(action, "admin0", "ws-test")


def seed(store: Store) -> None:
    """A small county as the night's extracts leave it: six customers, one of them on the negative list."""
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO import_batch (id, kind, file_name, sha256, status, extract_date, rows_total, "
                "rows_loaded, rows_rejected, warnings, started_at) VALUES (1, 'customers', 'c.csv', :h, "
                "'loaded', :d, 6, 6, 0, '[]', :t)"
            ),
            {"h": "c" * 64, "d": TODAY, "t": NOW},
        )
        for id_no, (region, branch) in PEOPLE.items():
            s.execute(
                text(
                    "INSERT INTO customer (id_no, name, birth_date, branch_code, region_code, batch_id) "
                    "VALUES (:i, '测试', :b, :br, :r, 1)"
                ),
                {
                    "i": id_no,
                    "b": dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14])),
                    "br": branch,
                    "r": region,
                },
            )
        s.execute(
            text(
                "INSERT INTO negative_list_entry (id_no, reason, listed_on, batch_id) "
                "VALUES (:i, 'fraud', :d, 1)"
            ),
            {"i": NEG, "d": dt.date(2026, 11, 20)},
        )


def issued(store: Store, code: str = "L1") -> store_targets.ListRow:
    row = store_targets.ListRow(
        code,
        "admin0",
        NOW,
        TODAY,
        dt.date(2026, 12, 31),
        "50",
        3,
        {"regions": []},
        (("0101", 2, 1), ("0102", 1, 1)),
    )
    store_targets.issue_list(
        store, row, [(A1, "0101"), (A2, "0101"), (B1, "0102")], entry("target_list_issue")
    )
    return row


def test_candidates_leave_out_the_negative_list_and_the_age_band(store: Store) -> None:
    seed(store)
    found = store_targets.candidates(
        store, TODAY, born_from=dt.date(1960, 11, 29), born_until=dt.date(2008, 11, 28)
    )
    assert sorted(found.people) == sorted([(A1, "330101"), (A2, "330101"), (B1, "330102"), (LOST, "339999")])
    assert found.negative == 1 and found.holding == 0
    only = store_targets.candidates(
        store,
        TODAY,
        born_from=dt.date(1960, 11, 29),
        born_until=dt.date(2008, 11, 28),
        regions_only=["330102"],
    )
    assert only.people == [(B1, "330102")]


def test_a_list_is_issued_once_with_its_targets_and_read_back(store: Store) -> None:
    seed(store)
    row = issued(store)
    assert store_targets.list_of(store, "L1") == row
    rows = store_targets.targets_of(store, campaign="L1")
    assert [(r.id_no, r.branch_code, r.officer, r.due_on) for r in rows] == sorted(
        [(A1, "0101", None, dt.date(2026, 12, 31)), (A2, "0101", None, dt.date(2026, 12, 31)),
         (B1, "0102", None, dt.date(2026, 12, 31))]
    )  # fmt: skip
    with pytest.raises(store_targets.ListExists) as twice:
        issued(store)
    assert twice.value.issued == ("admin0", TODAY)
    assert len(store_targets.targets_of(store, campaign="L1")) == 3  # nothing added the second time
    with store.connection() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM audit_event WHERE action = 'target_list_issue'")
            ).scalar_one()
            == 1
        )


def test_assigning_moves_only_what_the_assigner_saw_and_keeps_every_change(store: Store) -> None:
    seed(store)
    issued(store)
    seen = store_targets.targets_of(store, campaign="L1", branch="0101")
    assert store_targets.assign(store, seen, "jr1", by="head1", at=NOW, entry=entry()) == 2
    # a second branch head who read the same rows before the first assigned them is refused whole
    with pytest.raises(store_targets.AssignConflict) as late:
        store_targets.assign(store, seen, "jr2", by="head2", at=NOW, entry=entry())
    assert late.value.changed == 2
    assert {r.officer for r in store_targets.targets_of(store, campaign="L1", branch="0101")} == {"jr1"}
    now_seen = store_targets.targets_of(store, officer="jr1")
    assert store_targets.assign(store, now_seen, "jr2", by="head1", at=NOW, entry=entry()) == 2
    assert store_targets.assignments(store, "L1", A1) == [("jr1", None, "head1"), ("jr2", "jr1", "head1")]


def test_an_outcome_is_kept_only_for_the_targets_officer_and_read_back_as_facts(store: Store) -> None:
    seed(store)
    issued(store)
    store_targets.assign(
        store, store_targets.targets_of(store, campaign="L1"), "jr1", by="head1", at=NOW, entry=entry()
    )
    appointment = Outcome("survey", "appointment", TODAY, appointment_on=dt.date(2026, 12, 3))
    kw = {"by": "jr1", "at": NOW, "entry": entry("task_outcome")}
    assert store_targets.record_outcome(store, "L1", A1, appointment, expected_officer="jr1", **kw)
    assert not store_targets.record_outcome(store, "L1", A1, appointment, expected_officer="jr2", **kw)
    final = Outcome("survey", "declined", TODAY, reason="已在他行贷款", for_good=True)
    assert store_targets.record_outcome(store, "L1", A2, final, expected_officer="jr1", **kw)
    facts = {f.id_no: f for f in store_targets.facts(store, officer="jr1")}
    assert set(facts) == {A1, A2, B1}
    assert [(o.kind, o.outcome, o.appointment_on) for o in facts[A1].outcomes] == [
        ("survey", "appointment", dt.date(2026, 12, 3))
    ]
    assert facts[A2].strike == Strike("declined", TODAY, "已在他行贷款")
    assert facts[A1].listed_on == TODAY and facts[A1].due_on == dt.date(2026, 12, 31)
    assert facts[A1].birth_date == dt.date(1985, 3, 14)


def test_a_target_is_struck_once(store: Store) -> None:
    seed(store)
    issued(store)
    first = store_targets.record_strikes(
        store, [("L1", A1, Strike("signed", TODAY))], by="sweep", at=NOW, entry=entry("target_strike")
    )
    again = store_targets.record_strikes(
        store,
        [("L1", A1, Strike("ineligible", TODAY)), ("L1", B1, Strike("ineligible", TODAY, "negative"))],
        by="sweep",
        at=NOW,
        entry=entry("target_strike"),
    )
    assert (first, again) == (1, 1)
    progress = {p.branch_code: p for p in store_targets.progress(store, "L1")}
    assert progress["0101"].struck == {"signed": 1} and progress["0102"].struck == {"ineligible": 1}
    assert (progress["0101"].people, progress["0101"].indicator) == (2, 1)


def test_the_database_refuses_what_the_rules_forbid(store: Store) -> None:
    seed(store)
    issued(store)
    bad = [
        # a declined outcome without its reason; an appointment without its date; for good on a done
        "INSERT INTO task_outcome (campaign, id_no, kind, outcome, for_good, recorded_on, recorded_by, "
        "recorded_at) VALUES ('L1', :a, 'survey', 'declined', false, :d, 'x', :t)",
        "INSERT INTO task_outcome (campaign, id_no, kind, outcome, for_good, recorded_on, recorded_by, "
        "recorded_at) VALUES ('L1', :a, 'survey', 'appointment', false, :d, 'x', :t)",
        "INSERT INTO task_outcome (campaign, id_no, kind, outcome, for_good, recorded_on, recorded_by, "
        "recorded_at) VALUES ('L1', :a, 'survey', 'done', true, :d, 'x', :t)",
        # an outcome or a strike for no target at all
        "INSERT INTO task_outcome (campaign, id_no, kind, outcome, for_good, recorded_on, recorded_by, "
        "recorded_at) VALUES ('L9', :a, 'survey', 'done', false, :d, 'x', :t)",
        "INSERT INTO target_strike (campaign, id_no, reason, struck_on, recorded_by, recorded_at) "
        "VALUES ('L9', :a, 'signed', :d, 'x', :t)",
        # an indicator above the branch's people; a target with a scenario the bank does not run
        "INSERT INTO target_list_branch (list_code, branch_code, people, indicator) "
        "VALUES ('L1', '0103', 2, 3)",
        "INSERT INTO target (campaign, id_no, scenario) VALUES ('L2', :a, 'casino')",
    ]
    for statement in bad:
        with pytest.raises(IntegrityError), store.write_session() as s:
            s.execute(text(statement), {"a": A1, "d": TODAY, "t": NOW})


def test_0013_keeps_the_imported_targets_and_goes_back_only_while_nothing_was_issued(store: Store) -> None:
    from alembic import command

    from teller_assist.store.migrate import _config

    def to(revision: str) -> None:
        with store.engine.begin() as conn:
            (command.upgrade if revision == "head" else command.downgrade)(_config(conn), revision)

    seed(store)
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO target (campaign, id_no, branch_code, officer, scenario, batch_id) "
                "VALUES ('imported', :i, '0101', 'jr1', 'village', 1)"
            ),
            {"i": A1},
        )
    to("0012")
    to("head")  # SQLite copies the target table to let batch_id be empty: the row and its rules come along
    assert [(r.campaign, r.officer) for r in store_targets.targets_of(store, id_nos=[A1])] == [
        ("imported", "jr1")
    ]
    with pytest.raises(IntegrityError), store.write_session() as s:
        s.execute(
            text("INSERT INTO target (campaign, id_no, scenario) VALUES ('x', :i, 'casino')"), {"i": A2}
        )
    issued(store)
    with pytest.raises(RuntimeError, match="target_list holds 1 rows"):
        to("0012")


# --- the service: who may do what, the bad input, the tasks from the real workflow ---------------------


def rows_of(store: Store, action: str) -> list[tuple[str | None, str | None, str]]:
    with store.connection() as conn:
        return [
            (r[0], r[1], r[2])
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


SPEC = targets.ListSpec("2026-总行-首批", dt.date(2026, 12, 31), Decimal("50"))


def test_only_head_office_edits_regions_and_issues_and_a_disabled_operator_nothing(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    seed(store)
    for who in (team.teller.operator, team.head.operator, None):
        with pytest.raises(targets.TargetsRefused):
            targets.set_region(ctx, who, "330101", "0101")
        with pytest.raises(targets.TargetsRefused):
            targets.preview(ctx.on(TODAY), who, SPEC)
        with pytest.raises(targets.TargetsRefused):
            targets.issue(ctx.on(TODAY), who, SPEC)
    disabled = dataclasses.replace(team.admin.operator, active=False)
    with pytest.raises(targets.TargetsRefused, match="停用"):
        targets.set_region(ctx, disabled, "330101", "0101")
    assert store_targets.regions(store) == {} and rows_of(store, "target_region") == []
    admin = team.admin.operator
    assert targets.set_region(ctx, admin, "330101", "0101") is None
    assert targets.set_region(ctx, admin, "330101", "0103") == "0101"
    assert rows_of(store, "target_region")[-1][:2] == ("admin1", "330101")
    with pytest.raises(ListRefused):
        targets.set_region(ctx, admin, "33010", "0101")


def test_a_list_is_previewed_refused_while_a_region_has_no_branch_then_issued_once(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    seed(store)
    admin = team.admin.operator
    targets.set_region(ctx, admin, "330101", "0101")
    targets.set_region(ctx, admin, "330102", "0102")
    seen = targets.preview(ctx.on(TODAY), admin, SPEC)
    assert [(s.branch_code, s.people, s.indicator) for s in seen.shares] == [("0101", 2, 1), ("0102", 1, 1)]
    assert seen.unrouted == {"339999": 1} and seen.negative_removed == 1
    with pytest.raises(targets.TargetsRefused, match="339999（1人）") as refused:
        targets.issue(ctx.on(TODAY), admin, SPEC)
    assert refused.value.hint_zh and refused.value.message_en
    assert store_targets.list_of(store, SPEC.code) is None and store_targets.targets_of(store) == []
    targets.set_region(ctx, admin, "339999", "0101")
    done = targets.issue(ctx.on(TODAY), admin, SPEC)
    assert (done.preview.people, done.preview.indicator) == (4, 3)
    assert [
        (p.branch_code, p.people, p.indicator) for p in targets.list_progress(ctx, admin, SPEC.code)
    ] == [
        ("0101", 3, 2),
        ("0102", 1, 1),
    ]
    assert [p.branch_code for p in targets.list_progress(ctx, team.head.operator, SPEC.code)] == ["0101"]
    with pytest.raises(targets.TargetsRefused, match="名单进度"):
        targets.list_progress(ctx, team.teller.operator, SPEC.code)
    assert [r[0] for r in rows_of(store, "target_list_view")] == ["admin1", "head1"]
    with pytest.raises(targets.TargetsRefused, match="不能重复下达"):
        targets.issue(ctx.on(TODAY), admin, SPEC)
    assert len(store_targets.targets_of(store, campaign=SPEC.code)) == 4  # nothing counted twice
    assert [r[1] for r in rows_of(store, "target_list_issue")] == [SPEC.code]
    assert rows_of(store, "target_list_refused")[0][:2] == ("admin1", SPEC.code)
    issue_detail = json.loads(rows_of(store, "target_list_issue")[0][2])
    assert issue_detail["people"] == 4 and not any(p in json.dumps(issue_detail) for p in PEOPLE)


@pytest.fixture
def issued_list(store: Store, team: Team, policy: Policy, ctx: Context) -> str:
    seed(store)
    for region, branch in (("330101", "0101"), ("330102", "0102"), ("339999", "0101")):
        targets.set_region(ctx, team.admin.operator, region, branch)
    targets.issue(ctx.on(TODAY), team.admin.operator, SPEC)
    return SPEC.code


def test_a_branch_head_assigns_their_own_branch_to_its_active_officers(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    head, teller = team.head.operator, team.teller.operator
    for who in (team.admin.operator, teller):
        with pytest.raises(targets.TargetsRefused, match="网点负责人"):
            targets.assign(ctx.on(TODAY), who, issued_list, "teller1", unassigned=1)
    with pytest.raises(targets.TargetsRefused, match="三选一"):
        targets.assign(ctx.on(TODAY), head, issued_list, "teller1")
    with pytest.raises(targets.TargetsRefused, match="不在本网点"):  # B1 is branch 0102's
        targets.assign(ctx.on(TODAY), head, issued_list, "teller1", id_nos=[B1])
    leaver = add_operator(
        context_of(store),
        team.admin.operator,
        login="gone1",
        name="gone1",
        role="teller",
        password=PASSWORD,
        branch_code="0101",
    )
    assert targets.assign(ctx.on(TODAY), head, issued_list, "gone1", id_nos=[A1, A2]) == 2
    disable_operator(ctx, team.admin.operator, leaver.login)
    with pytest.raises(targets.TargetsRefused, match="已停用") as disabled:
        targets.assign(ctx.on(TODAY), head, issued_list, "gone1", unassigned=1)
    assert disabled.value.hint_zh
    left = targets.tasks_today(ctx.on(TODAY), head, officer="gone1")
    assert len(left.tasks) == 2 and any("已停用" in n and "--from-officer" in n for n in left.notes)
    # the officer leaves: every target of theirs goes to another, nothing lost, every change kept
    assert targets.assign(ctx.on(TODAY), head, issued_list, "teller1", from_officer="gone1") == 2
    assert targets.assign(ctx.on(TODAY), head, issued_list, "manager1", unassigned=5) == 1
    mine = store_targets.targets_of(store, campaign=issued_list, branch="0101")
    assert sorted((r.id_no, r.officer) for r in mine) == sorted(
        [(A1, "teller1"), (A2, "teller1"), (LOST, "manager1")]
    )
    assert store_targets.assignments(store, issued_list, A1) == [
        ("gone1", None, "head1"),
        ("teller1", "gone1", "head1"),
    ]
    assert len(rows_of(store, "target_assign")) == 3


def test_an_officers_tasks_are_theirs_masked_and_outcomes_only_from_them(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    head, teller, manager = team.head.operator, team.teller.operator, team.manager.operator
    targets.assign(ctx.on(TODAY), head, issued_list, "teller1", id_nos=[A1, A2])
    targets.assign(ctx.on(TODAY), head, issued_list, "manager1", id_nos=[LOST])
    masking = Masking()
    mine = targets.tasks_today(ctx.on(TODAY), teller, officer="teller1")
    assert [(t.kind, t.id_masked, t.due_on) for t in mine.tasks] == [
        ("survey", masking.resident_id(A1), dt.date(2026, 12, 31)),
        ("survey", masking.resident_id(A2), dt.date(2026, 12, 31)),
    ]
    assert mine.counts["survey"] == 2 and all(A1 not in repr(t) and A2 not in repr(t) for t in mine.tasks)
    assert len(targets.tasks_today(ctx.on(TODAY), head, officer="teller1").tasks) == 2
    with pytest.raises(targets.TargetsRefused, match="本人"):
        targets.tasks_today(ctx.on(TODAY), manager, officer="teller1")
    branch = targets.tasks_today(ctx.on(TODAY), head, branch="0101")
    assert len(branch.tasks) == 3
    with pytest.raises(targets.TargetsRefused):
        targets.tasks_today(ctx.on(TODAY), head, branch="0102")
    # someone else's task: refused, audited, nothing recorded
    with pytest.raises(targets.TargetsRefused, match="不是您的目标客户"):
        targets.record_outcome(ctx.on(TODAY), manager, A1, "done")
    assert rows_of(store, "task_outcome_refused") == [
        ("manager1", A1, '{"reason":"not the officer\'s target"}')
    ]
    with pytest.raises(TaskRefused, match="原因"):
        targets.record_outcome(ctx.on(TODAY), teller, A1, "declined")
    done = targets.record_outcome(
        ctx.on(TODAY), teller, A1, "appointment", appointment_on=dt.date(2026, 12, 3)
    )
    assert (done.kind, done.id_masked) == ("survey", masking.resident_id(A1))
    targets.record_outcome(ctx.on(TODAY), teller, A2, "declined", reason="已在他行贷款", for_good=True)
    assert targets.tasks_today(ctx.on(TODAY), teller, officer="teller1").tasks == ()
    back = targets.tasks_today(ctx.on(dt.date(2026, 12, 3)), teller, officer="teller1")
    assert [(t.id_masked, t.appointment) for t in back.tasks] == [(masking.resident_id(A1), True)]
    assert [p.struck for p in targets.list_progress(ctx, head, issued_list)] == [{"declined": 1}]
    with pytest.raises(targets.TargetsRefused, match="没有待办任务"):
        targets.record_outcome(ctx.on(TODAY), teller, A2, "done")
    assert [r[0] for r in rows_of(store, "task_outcome")] == ["teller1", "teller1"]


def test_signing_at_any_counter_strikes_the_target_and_the_sweep_keeps_it_once(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    targets.assign(ctx.on(TODAY), team.head.operator, issued_list, "teller1", id_nos=[A1])
    with store.write_session() as s:  # the same person on an imported list no branch was found for
        s.execute(
            text("INSERT INTO target (campaign, id_no, batch_id) VALUES ('imported', :i, 1)"), {"i": A1}
        )
    submitted = apps.submit(ctx.at(NOW), A1, Survey("walk_in", walk_in_answers()), team.manager, name="测试")
    assert targets.tasks_today(ctx.on(TODAY), team.teller.operator, officer="teller1").tasks == ()
    approved_app = apps.approve(ctx.at(NOW), submitted.id, team.head)
    line_fen = approved_app.line_fen
    shown = targets.tasks_today(ctx.on(TODAY), team.teller.operator, officer="teller1").tasks
    assert [(t.kind, t.value_fen, t.application_id) for t in shown] == [
        ("deliver_letter", line_fen, submitted.id)
    ]
    agreement_printed(store, submitted.id)
    assert [p.struck for p in targets.list_progress(ctx, team.admin.operator, issued_list)] == [{}, {}]
    apps.sign(ctx.at(NOW), submitted.id, team.manager)  # another operator, at the counter
    # struck at once, on every list the person is on, by the signature's own transaction
    assert [p.struck for p in targets.list_progress(ctx, team.admin.operator, issued_list)] == [
        {"signed": 1},
        {},
    ]
    assert {(r.campaign, r.struck) for r in store_targets.targets_of(store, id_nos=[A1])} == {
        (issued_list, "signed"),
        ("imported", "signed"),
    }
    facts = store_targets.facts(store, id_no=A1)
    assert {f.strike for f in facts} == {Strike("signed", TODAY)}
    with store.connection() as conn:
        recorded = conn.execute(text("SELECT DISTINCT recorded_by, recorded_at FROM target_strike")).all()
        trail = conn.execute(
            text(
                "SELECT action, operator, subject, detail FROM audit_event "
                "WHERE action NOT IN ('target_list_view', 'tasks_view') ORDER BY seq DESC LIMIT 2"
            )
        ).all()
    assert [r[0] for r in recorded] == ["manager1"]
    assert [(a, o, s) for a, o, s, _d in trail] == [
        ("sign", "manager1", f"app:{submitted.id}"),
        ("target_strike", "manager1", A1),
    ]
    assert json.loads(trail[1][3]) == {
        "date": TODAY.isoformat(),
        "signed": 2,
        "ineligible": 0,
        "declined": 0,
        "lists": sorted([issued_list, "imported"]),
        "application": submitted.id,
    }
    assert (
        targets.tasks_today(ctx.on(TODAY), team.teller.operator, officer="teller1").tasks
        == ()
    )
    # the night's sweep finds them struck: nothing counted twice, nothing audited again
    for _night in range(2):
        assert targets.sweep(ctx.on(TODAY), by="os:night").struck == {
            "signed": 0,
            "ineligible": 0,
            "declined": 0,
        }
    assert len(rows_of(store, "target_strike")) == 1
    assert [p.struck for p in targets.list_progress(ctx, team.admin.operator, issued_list)] == [
        {"signed": 1},
        {},
    ]
    # a list the person joins after signing, still holding the line: struck by the sweep, once
    with store.write_session() as s:
        s.execute(text("INSERT INTO target (campaign, id_no, batch_id) VALUES ('later', :i, 1)"), {"i": A1})
    assert targets.sweep(ctx.on(TODAY), by="os:night").struck["signed"] == 1
    assert targets.sweep(ctx.on(TODAY), by="os:night").struck["signed"] == 0
    # a month on and nothing drawn: the officer is asked to encourage a first use of the line
    later = TODAY + dt.timedelta(days=31)
    follow = targets.tasks_today(ctx.on(later), team.teller.operator, officer="teller1").tasks
    assert [(t.kind, t.due_on) for t in follow] == [("follow_up_usage", later)]


def test_a_strike_made_meanwhile_is_kept_as_it_was_and_counted_once(store: Store) -> None:
    """A signature and the sweep striking the same target at once: the key keeps the first, the other
    writes nothing (and audits nothing) instead of failing."""
    seed(store)
    issued(store)
    first = [("L1", A1, Strike("ineligible", TODAY, "age"))]
    assert store_targets.record_strikes(store, first, by="sweep", at=NOW, entry=entry("target_strike")) == 1
    with store.write_session() as s:
        assert store_targets.unstruck_listings(s, A1) == []
        assert store_targets.unstruck_listings(s, A2) == [("L1", TODAY)]
        struck = store_targets.strike_in(
            s,
            A1,
            [("L1", Strike("signed", TODAY))],
            by="teller1",
            at=NOW,
            entry=lambda lists: entry("target_strike"),
        )
    assert struck == []
    assert (
        store_targets.record_strikes(
            store,
            [("L1", A1, Strike("signed", TODAY)), ("L1", A2, Strike("signed", TODAY))],
            by="sweep",
            at=NOW,
            entry=entry("target_strike"),
        )
        == 1
    )
    assert {(r.id_no, r.struck) for r in store_targets.targets_of(store, campaign="L1")} == {
        (A1, "ineligible"),
        (A2, "signed"),
        (B1, None),
    }
    assert len(rows_of(store, "target_strike")) == 2


def test_two_branch_heads_assigning_the_same_targets_at_once_one_wins_whole(store: Store) -> None:
    import threading

    seed(store)
    issued(store)
    seen = store_targets.targets_of(store, campaign="L1", branch="0101")  # both read before either writes
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def head(officer: str) -> None:
        start.wait()
        try:
            results[officer] = store_targets.assign(
                store, seen, officer, by=f"head-{officer}", at=NOW, entry=entry()
            )
        except store_targets.AssignConflict as exc:
            results[officer] = exc

    threads = [threading.Thread(target=head, args=(o,)) for o in ("jr1", "jr2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    won = [o for o, r in results.items() if r == 2]
    lost = [o for o, r in results.items() if isinstance(r, store_targets.AssignConflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert {r.officer for r in store_targets.targets_of(store, campaign="L1", branch="0101")} == set(won)
    for person in (A1, A2):  # each target's history holds the winner's change once, the loser's not at all
        assert store_targets.assignments(store, "L1", person) == [(won[0], None, f"head-{won[0]}")]


def test_a_target_whose_home_branch_changes_later_stays_with_the_list_and_is_said(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    targets.assign(ctx.on(TODAY), team.head.operator, issued_list, "teller1", id_nos=[A1, A2])
    with store.write_session() as s:  # the next customer extract moves one of them to another branch
        s.execute(text("UPDATE customer SET branch_code = '0103' WHERE id_no = :i"), {"i": A1})
    masking = Masking()
    for scope in ({"officer": "teller1"}, {"branch": "0101"}):
        shown = targets.tasks_today(ctx.on(TODAY), team.head.operator, **scope)
        assert masking.resident_id(A1) in [t.id_masked for t in shown.tasks]  # nothing lost
        assert [n for n in shown.notes if "改属其他网点" in n] == [
            "有 1 位目标客户在最新客户信息中已改属其他网点；仍由原网点跟进、按原网点计数，如需移交请联系总行"
        ]
    assert [
        (p.branch_code, p.people) for p in targets.list_progress(ctx, team.admin.operator, issued_list)
    ] == [
        ("0101", 3),
        ("0102", 1),
    ]  # counted once, where the list put them
