"""Migration 0017 on both engines: a database holding lines and authorities in whole yuan reads back in
fen; the rules that compare a line with its authority still hold on the new values; going back is
exact, and refused while a line has fen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.prequal.policy import Policy
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.store import applications as store_apps
from teller_assist.store.engine import Store
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)


def to(store: Store, revision: str) -> None:
    from alembic import command

    from teller_assist.store.migrate import _config

    with store.engine.begin() as conn:
        (command.upgrade if revision == "head" else command.downgrade)(_config(conn), revision)


def rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_yuan_lines_and_authorities_read_back_as_fen(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    from teller_assist.prequal.survey import Survey

    survey = Survey("walk_in", walk_in_answers())
    approved = apps.submit(ctx.on(TODAY), MAN, survey, team.teller)
    approved = apps.approve(ctx.at(NOW), approved.id, team.head)
    waiting = apps.submit(
        ctx.on(TODAY),
        WOMAN,
        Survey("walk_in", walk_in_answers(household_income=10_000)),
        team.teller,
    )  # fmt: skip
    assert (approved.line_fen, approved.checker_authority_fen, waiting.line_fen) == (
        160_000_00, 300_000_00, 30_000_00
    )  # fmt: skip

    to(store, "0016")  # the database as it was: whole yuan
    assert rows(store, "SELECT id, line, checker_authority FROM application ORDER BY id") == [
        (approved.id, 160_000, 300_000), (waiting.id, 30_000, None)
    ]  # fmt: skip
    assert rows(store, "SELECT role, max_line FROM authority_grant") == [("branch_head", 300_000)]
    with store.engine.begin() as conn:  # what else such a database holds: a grant, the KPIs' kept sums
        conn.execute(
            text(
                "INSERT INTO authority_grant (role, max_line, policy_version, first_seen) "
                "VALUES ('lobby_manager', 50000, '2025.9', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO kpi_change (view, grp, kind, day, n, amount) VALUES "
                "('county', '', 'signed', :d, 1, 160000), ('county', '', 'signed_end', :d, 1, 160000), "
                "('county', '', 'drawn', :d, 0, 1234567)"
            ),
            {"d": TODAY},
        )

    to(store, "head")
    assert store_apps.get_application(store, approved.id).line_fen == 160_000_00
    assert store_apps.get_application(store, approved.id).checker_authority_fen == 300_000_00
    assert store_apps.get_application(store, waiting.id).line_fen == 30_000_00
    assert sorted(rows(store, "SELECT role, max_line_fen FROM authority_grant")) == [
        ("branch_head", 300_000_00), ("lobby_manager", 50_000_00)
    ]  # fmt: skip
    assert sorted(rows(store, "SELECT kind, amount FROM kpi_change")) == [
        ("drawn", 1234567), ("signed", 160_000_00), ("signed_end", 160_000_00)  # drawdowns were fen already
    ]  # fmt: skip

    # the database's own rules hold on the new values: an authority covers its line, to the fen ...
    with pytest.raises(IntegrityError), store.write_session() as s:
        s.execute(text("UPDATE application SET line_fen = 30000001 WHERE id = :i"), {"i": approved.id})
    # ... and is one the policy really granted that role
    with pytest.raises(IntegrityError), store.write_session() as s:
        s.execute(
            text("UPDATE application SET checker_authority_fen = 300001 WHERE id = :i"), {"i": approved.id}
        )
    # an approval after the migration records the authority in fen, beside the yuan-era grant turned fen
    decided = apps.approve(ctx.at(NOW), waiting.id, team.manager)
    assert (decided.line_fen, decided.checker_authority_fen) == (30_000_00, 50_000_00)

    # back again: exact while every amount is whole yuan ...
    to(store, "0016")
    assert rows(store, "SELECT line, checker_authority FROM application ORDER BY id") == [
        (160_000, 300_000), (30_000, 50_000)
    ]  # fmt: skip
    assert sorted(rows(store, "SELECT kind, amount FROM kpi_change")) == [
        ("drawn", 1234567), ("signed", 160_000), ("signed_end", 160_000)
    ]  # fmt: skip
    to(store, "head")
    # ... and refused, with nothing changed, once a line has fen
    with store.write_session() as s:
        s.execute(text("UPDATE application SET line_fen = 2999999 WHERE id = :i"), {"i": waiting.id})
    with pytest.raises(RuntimeError, match=r"application\.line_fen holds 1 amounts with fen"):
        to(store, "0016")
    assert store_apps.get_application(store, waiting.id).line_fen == 29_999_99
