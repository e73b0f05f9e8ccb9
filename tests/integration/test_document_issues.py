"""Recording many issued documents in one transaction (a campaign's letters, a few dozen people at a
time), on both engines: the same rows and audit rows as recording each on its own, a copy number
another desktop took refused for that document only, and the audit chain intact."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.store import audit as store_audit
from teller_assist.store import documents as store_docs
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)


def approved(ctx: Context, team: Team, seq: int) -> int:
    submitted = apps.submit(ctx.at(NOW), rid(seq=seq), Survey("walk_in", walk_in_answers()), team.teller)
    return apps.approve(ctx.at(NOW), submitted.id, team.head).id


def issue(app_id: int, kind: str, copy_no: int, sha: str) -> store_docs.NewIssue:
    return store_docs.NewIssue(app_id, kind, copy_no, "teller1", "ws-a", "campaign c", sha)


def row(app_id: int, kind: str, copy_no: int, sha: str) -> tuple[str, str, dict[str, object]]:
    """An audit row as the run writes it: the operator, the application, the detail."""
    return ("teller1", f"app:{app_id}", {"kind": kind, "copy_no": copy_no, "to": "campaign c", "sha256": sha})


def rows(store: Store, action: str) -> list[tuple[str, str, dict[str, object]]]:
    with store.connection() as conn:
        found = conn.execute(
            text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
            {"a": action},
        ).all()
    return [(str(o), str(s), json.loads(d)) for o, s, d in found]


def test_many_recorded_in_one_go_as_each_would_be_and_a_taken_number_refused_alone(
    store: Store, team: Team, ctx: Context
) -> None:
    one, two, three = (approved(ctx, team, seq) for seq in (61, 63, 65))
    # the counter printed the third's letter already: its copy number 0 is taken
    assert store_docs.record_issue(
        store, application_id=three, kind="letter", operator="manager1", workstation="counter",
        destination="printer", sha256="c" * 64, now=NOW, expected_copy_no=0,
    ) is not None  # fmt: skip
    done = store_docs.record_issues(
        store,
        [
            issue(one, "agreement", 0, "a" * 64),
            issue(one, "letter", 0, "b" * 64),
            issue(two, "agreement", 0, "d" * 64),
            issue(two, "agreement", 1, "e" * 64),  # a second copy in the same go: a 副本
            issue(three, "letter", 0, "f" * 64),  # taken: refused, the others recorded
        ],
        NOW,
    )
    assert done == [True, True, True, True, False]
    assert [store_docs.issued_count(store, a, k) for a, k in ((one, "agreement"), (one, "letter"))] == [1, 1]
    assert store_docs.issued_count(store, two, "agreement") == 2
    assert store_docs.issued_count(store, three, "letter") == 1  # the counter's, nothing added
    prints = rows(store, "print")
    assert prints[1:] == [
        row(one, "agreement", 0, "a" * 64),
        row(one, "letter", 0, "b" * 64),
        row(two, "agreement", 0, "d" * 64),
    ]
    # the same fields as the counter's own row for one document
    assert set(prints[0][2]) == set(prints[1][2]) and prints[0][:2] == ("manager1", f"app:{three}")
    assert rows(store, "reprint") == [row(two, "agreement", 1, "e" * 64)]
    with store.connection() as conn:
        kept = conn.execute(
            text("SELECT workstation, destination, sha256 FROM document_issue WHERE application_id = :a"),
            {"a": one},
        ).all()
    assert sorted(tuple(r) for r in kept) == [("ws-a", "campaign c", sha * 64) for sha in "ab"]
    assert store_audit.verify(store).ok
    assert store_docs.record_issues(store, [], NOW) == []
