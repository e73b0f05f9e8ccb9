"""Target lists, assignments, outcomes and strikes in the database, on SQLite and PostgreSQL (migration
0013): what is written is read back as the domain's facts, nothing is counted twice, and the database's
own rules hold where the program's could be bypassed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.targets.tasks import Outcome, Strike
from tests.helpers.extracts import rid

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
