"""The audit row commits in the same transaction as the action it records (README, audit trail): with
the audit insert refused by the database itself (a trigger this test adds), every audited action that
writes to the database leaves nothing behind, on both engines, every run.

Lookups, reveals, logout, lock and unlock write nothing but their audit row, so there is nothing for
them to leave behind; they are not here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import keyring
import pytest
from sqlalchemy.exc import DBAPIError

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.security import keys
from teller_assist.services import applications as apps
from teller_assist.services import audit, documents, sms
from teller_assist.services.context import Context
from teller_assist.services.operators import add_operator, authenticate, disable_operator, reset_password
from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.store import documents as store_docs
from teller_assist.store import operators as store_ops
from teller_assist.store import sms as store_sms
from teller_assist.store.engine import Store
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD
from tests.helpers.workflow import Team, agreement_printed
from tests.integration.test_applications import NOW, TODAY, survey

REFUSAL = "audit refused for the test"
Refused = Callable[[], AbstractContextManager[None]]


@pytest.fixture
def audit_refused(store: Store) -> Refused:
    """A context in which the database refuses every new audit row, as a full disk or a broken
    privilege would: the action's own statements run, then its audit insert fails."""

    @contextmanager
    def refusing() -> Iterator[None]:
        with store.engine.begin() as conn:
            if store.is_sqlite:
                conn.exec_driver_sql(
                    "CREATE TRIGGER test_audit_refused BEFORE INSERT ON audit_event "
                    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
                )
            else:
                conn.exec_driver_sql(
                    "CREATE FUNCTION test_audit_refused() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
                )
                conn.exec_driver_sql(
                    "CREATE TRIGGER test_audit_refused BEFORE INSERT ON audit_event "
                    "FOR EACH ROW EXECUTE FUNCTION test_audit_refused()"
                )
        before = store_audit.last_seq(store)
        try:
            with pytest.raises((DBAPIError, UserFacingError), match=REFUSAL):
                yield
        finally:
            with store.engine.begin() as conn:
                conn.exec_driver_sql(
                    "DROP TRIGGER test_audit_refused"
                    if store.is_sqlite
                    else "DROP TRIGGER test_audit_refused ON audit_event"
                )
                if not store.is_sqlite:
                    conn.exec_driver_sql("DROP FUNCTION test_audit_refused()")
        assert store_audit.last_seq(store) == before
        assert store_audit.verify(store).ok

    return refusing


def test_a_refused_audit_row_refuses_the_submission(
    store: Store, team: Team, policy: Policy, audit_refused: Refused, ctx: Context
) -> None:
    with audit_refused():
        apps.submit(ctx.at(NOW), MAN, survey(), team.teller)
    assert apps.listing(ctx) == []
    # the same submission, once audit rows can be written again, goes through with its row
    record = apps.submit(ctx.at(NOW), MAN, survey(), team.teller)
    last = list(store_audit.export_rows(store, None, None))[-1]
    assert (last.action, last.subject) == ("submit", f"app:{record.id}")


def _submitted(ctx: Context, team: Team) -> int:  # a stranger: named at the counter
    return apps.submit(ctx.at(NOW), MAN, survey(), team.teller, name="王建国").id


def _approved(ctx: Context, team: Team) -> int:
    app_id = _submitted(ctx, team)
    apps.approve(ctx.at(NOW), app_id, team.head)
    return app_id


def _printed(ctx: Context, team: Team) -> int:
    app_id = _approved(ctx, team)
    agreement_printed(ctx.store, app_id)
    return app_id


def _signed(ctx: Context, team: Team) -> int:
    app_id = _printed(ctx, team)
    apps.sign(ctx.at(NOW), app_id, team.teller)
    return app_id


AFTER_VALIDITY = dt.date(2028, 11, 28)  # approved on TODAY: valid up to 2028-11-27
Prepare = Callable[[Context, Team], int]
Act = Callable[[Context, Team, int], object]
MOVES: dict[str, tuple[Prepare, Act]] = {
    "approve": (
        _submitted,
        lambda c, t, a: apps.approve(c.at(NOW), a, t.head, sms_sender="句容农商银行"),
    ),
    "reject": (_submitted, lambda c, t, a: apps.reject(c.at(NOW), a, t.head, "收入证明不足")),
    "cancel": (_submitted, lambda c, t, a: apps.cancel(c.at(NOW), a, t.teller)),
    "sign": (_printed, lambda c, t, a: apps.sign(c.at(NOW), a, t.teller)),
    "expire approved": (_approved, lambda c, t, a: apps.expire_due(c.on(AFTER_VALIDITY))),
    "expire signed": (_signed, lambda c, t, a: apps.expire_due(c.on(AFTER_VALIDITY))),
}


@pytest.mark.parametrize("move", list(MOVES))
def test_a_refused_audit_row_refuses_the_decision(
    store: Store, team: Team, policy: Policy, audit_refused: Refused, move: str, ctx: Context
) -> None:
    prepare, act = MOVES[move]
    app_id = prepare(ctx, team)
    before = apps.get(ctx, app_id)
    with audit_refused():
        act(ctx, team, app_id)
    after = apps.get(ctx, app_id)
    assert (after.status, after.version, after.checker_id, after.signed_at, after.closed_at) == (
        before.status,
        before.version,
        before.checker_id,
        before.signed_at,
        before.closed_at,
    )
    assert store_sms.pending_count(store) == 0  # an approval's text is not queued either


def test_a_refused_audit_row_refuses_the_document_issue(
    store: Store,
    team: Team,
    policy: Policy,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    audit_refused: Refused,
    ctx: Context,
) -> None:
    app_id = _approved(ctx, team)
    with audit_refused():
        documents.issue(ctx.on(TODAY), app_id, "agreement", operator="teller1", destination="f")
    assert store_docs.issued_count(store, app_id, "agreement") == 0
    # so the next issue is still the original, not a 副本 of a paper nobody has
    issued = documents.issue(ctx.on(TODAY), app_id, "agreement", operator="teller1", destination="f")
    assert issued.copy_no == 0


def test_a_refused_audit_row_refuses_the_sms_export(
    store: Store, ctx: Context, team: Team, policy: Policy, audit_refused: Refused, tmp_path: Path
) -> None:
    MOVES["approve"][1](ctx, team, _submitted(ctx, team))
    assert store_sms.pending_count(store) == 1
    folder = tmp_path / "out"
    folder.mkdir()
    with audit_refused():
        sms.export(ctx, folder / "sms.csv", operator="ops")
    assert store_sms.pending_count(store) == 1  # still queued: nothing was handed over unaudited
    assert list(folder.iterdir()) == []  # neither the file nor its .part


def test_a_refused_audit_row_refuses_the_audit_export(
    store: Store, ctx: Context, audit_refused: Refused, tmp_path: Path
) -> None:
    audit.log(store, "lookup", operator="t", subject=MAN, now=NOW)
    folder = tmp_path / "out"
    folder.mkdir()
    with audit_refused():
        audit.export_csv(ctx, folder / "audit.csv", start=None, end=None, operator="x")
    assert list(folder.iterdir()) == []  # neither the file nor its .part


def _demo_key_file(store: Store, settings: Settings) -> Path | None:
    return settings.paths.data_dir / "DEMO-MODE-document.key" if store.demo_mode else None


def test_a_refused_audit_row_refuses_the_document_key_export_and_import(
    store: Store,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    audit_refused: Refused,
    tmp_path: Path,
    ctx: Context,
) -> None:
    documents.document_key(ctx)  # this desktop makes the bank's key
    out = tmp_path / "document.key"
    with audit_refused():
        documents.export_key(ctx, out, operator="os:admin")
    assert not out.exists()  # no key file leaves without its audit row

    documents.export_key(ctx, out, operator="os:admin")
    demo_file = _demo_key_file(store, settings)
    if demo_file is not None:  # a second desktop: no key yet
        demo_file.unlink()
    else:
        keyring.set_keyring(MemoryKeyring())
    with audit_refused():
        documents.import_key(ctx, out, operator="os:admin")
    assert keys.document_key(demo_file) is None  # not kept unaudited
    documents.import_key(ctx, out, operator="os:admin")
    assert keys.document_key(demo_file) is not None


# --- operators ---------------------------------------------------------------------------------------
# every change of an operator, and the login's bookkeeping, commits with its audit row or not at all


def test_a_refused_audit_row_refuses_adding_an_operator(
    store: Store, team: Team, audit_refused: Refused
) -> None:
    with audit_refused():
        add_operator(
            context_of(store),
            team.admin.operator, login="newteller", name="新柜员", role="teller", password=PASSWORD
        )
    assert store_ops.get_operator(store, "newteller") is None


def test_a_refused_audit_row_refuses_disabling_an_operator(
    store: Store, team: Team, audit_refused: Refused
) -> None:
    with audit_refused():
        disable_operator(context_of(store), team.admin.operator, "teller1")
    found = store_ops.get_operator(store, "teller1")
    assert found is not None and found.active


def test_a_refused_audit_row_refuses_a_password_reset(
    store: Store, team: Team, audit_refused: Refused
) -> None:
    before = store_ops.get_operator(store, "teller1")
    with audit_refused():
        reset_password(context_of(store), team.admin.operator, "teller1", "Another2027x")
    after = store_ops.get_operator(store, "teller1")
    assert before is not None and after is not None and after.password_hash == before.password_hash
    assert not after.must_change_password


def test_a_refused_audit_row_refuses_the_login(store: Store, team: Team, audit_refused: Refused) -> None:
    for _ in range(2):
        with pytest.raises(UserFacingError):
            authenticate(context_of(store), "teller1", "wrong-password")
    with audit_refused():
        authenticate(context_of(store), "teller1", PASSWORD)
    found = store_ops.get_operator(store, "teller1")
    assert found is not None and found.failed_logins == 2


def test_a_refused_audit_row_refuses_counting_a_failed_login(
    store: Store, team: Team, audit_refused: Refused
) -> None:
    with audit_refused():
        authenticate(context_of(store), "teller1", "wrong-password")
    found = store_ops.get_operator(store, "teller1")
    assert found is not None and found.failed_logins == 0
