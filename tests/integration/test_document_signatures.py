"""The customer's authorisation on both engines: issued like the other documents, its signature recorded
with the agreement's in one transaction, and the database's own rules on the kinds (migration 0009)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import documents
from teller_assist.services.context import Context
from teller_assist.settings import Settings, load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
WHO = rid(seq=81)


@pytest.fixture
def paper(env: dict[str, str], store: Store, memory_keyring: MemoryKeyring) -> Settings:
    """Settings for issuing documents from ``store`` (its demo key file on SQLite, the keyring on PG)."""
    return load_settings({**env, **({"TELLER_ASSIST_KEY_STORE": "demo-file"} if store.demo_mode else {})})


@pytest.fixture
def ctx(store: Store, paper: Settings, policy: Policy) -> Context:
    """The context with those settings."""
    return Context(store, paper, policy)


def approved(ctx: Context, team: Team) -> apps.ApplicationRecord:
    survey = Survey("walk_in", walk_in_answers())
    submitted = apps.submit(ctx.at(NOW), WHO, survey, team.teller, name="赵六")
    return apps.approve(ctx.at(NOW), submitted.id, team.head)


def sign_detail(store: Store) -> dict[str, object]:
    row = [r for r in store_audit.export_rows(store, None, None) if r.action == "sign"][-1]
    return dict(json.loads(row.detail))


def test_signing_records_the_signature_of_each_issued_document(
    store: Store, team: Team, policy: Policy, paper: Settings, ctx: Context
) -> None:
    record = approved(ctx, team)
    for kind in documents.COUNTER_KINDS:
        documents.issue(ctx.on(TODAY), record.id, kind, operator="teller1", destination="file")
    assert documents.signatures(ctx, record.id) == {}
    moment = NOW + dt.timedelta(minutes=3)
    signed = apps.sign(ctx.at(moment), record.id, team.teller)
    assert documents.signatures(ctx, record.id) == {"agreement": moment, "authorization": moment}
    assert signed.signed_at == moment
    assert sign_detail(store)["documents"] == ["agreement", "authorization"]


def test_a_document_never_issued_was_never_signed(
    store: Store, team: Team, policy: Policy, paper: Settings, ctx: Context
) -> None:
    record = approved(ctx, team)
    documents.issue(ctx.on(TODAY), record.id, "agreement", operator="teller1", destination="file")
    apps.sign(ctx.at(NOW), record.id, team.teller)
    assert set(documents.signatures(ctx, record.id)) == {"agreement"}
    assert sign_detail(store)["documents"] == ["agreement"]


def test_the_database_knows_the_authorisation_and_keeps_its_rules(
    store: Store, team: Team, policy: Policy, paper: Settings, ctx: Context
) -> None:
    record = approved(ctx, team)
    first = documents.issue(ctx.on(TODAY), record.id, "authorization", operator="teller1", destination="file")
    again = documents.issue(ctx.on(TODAY), record.id, "authorization", operator="teller1", destination="file")
    assert (first.copy_no, again.copy_no) == (0, 1)  # originals and copies, as for the others
    insert = (
        "INSERT INTO document_issue (application_id, kind, copy_no, issued_at, operator, workstation, "
        "destination, sha256) VALUES (:app, :kind, :copy, :at, 'x', 'x', 'file', 'x')"
    )
    for kind, copy_no in (("receipt", 5), ("authorization", 1), ("letter", -1)):  # the rules survived 0009
        with pytest.raises(IntegrityError), store.write_session() as s:
            s.execute(text(insert), {"app": record.id, "kind": kind, "copy": copy_no, "at": NOW})
    with pytest.raises(IntegrityError), store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO document_signature (application_id, kind, signed_at, operator, workstation) "
                "VALUES (:app, 'letter', :at, 'x', 'x')"
            ),
            {"app": record.id, "at": NOW},
        )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_preview_on_screen_never_shows_the_full_id(
    store: Store, team: Team, policy: Policy, paper: Settings, tmp_path: Path, ctx: Context
) -> None:
    record = approved(ctx, team)
    shown = documents.preview(ctx.on(TODAY), record.id, documents.COUNTER_KINDS)
    titles = ["预授信协议", "个人信用信息查询及个人信息处理授权书", "授信告知函"]
    assert [title for title, _pdf in shown] == titles
    for title, pdf in shown:
        words = words_of(pdf, tmp_path)
        assert WHO not in words and WHO[-4:] in words, title
    issued = documents.issue(ctx.on(TODAY), record.id, "agreement", operator="teller1", destination="file")
    assert WHO in words_of(issued.pdf, tmp_path)  # the paper the bank keeps does carry it


def words_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(done.stdout.split())


def test_0009_keeps_the_issues_before_it_and_goes_back_only_without_an_authorisation(
    store: Store, team: Team, policy: Policy, paper: Settings, ctx: Context
) -> None:
    from alembic import command

    from teller_assist.store import documents as store_docs
    from teller_assist.store.migrate import _config

    def to(revision: str) -> None:
        with store.engine.begin() as conn:
            (command.upgrade if revision == "head" else command.downgrade)(_config(conn), revision)

    record = approved(ctx, team)
    documents.issue(ctx.on(TODAY), record.id, "agreement", operator="teller1", destination="file")
    to("0008")
    to("head")  # SQLite copies the table to change its CHECK: the rows come along
    assert store_docs.issued_count(store, record.id, "agreement") == 1
    documents.issue(ctx.on(TODAY), record.id, "authorization", operator="t", destination="file")
    with pytest.raises(RuntimeError, match="authorisations were issued"):
        to("0008")
    assert store_docs.issued_count(store, record.id, "authorization") == 1


def test_a_signature_recorded_as_of_an_earlier_day_keeps_the_moment_it_was_recorded(
    store: Store, team: Team, ctx: Context
) -> None:
    """A command's ``--as-of`` (``ctx.dated``): the signature is of the day asked, the moment stamped on the
    application and on its audit row is when it was recorded. An option never back-dates the trail."""
    from tests.helpers.workflow import agreement_printed

    record = approved(ctx, team)
    agreement_printed(store, record.id)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    before = dt.datetime.now(dt.UTC)
    signed = apps.sign(ctx.dated(yesterday), record.id, team.teller)
    after = dt.datetime.now(dt.UTC)
    with store.connection() as conn:
        signed_on = conn.execute(text("SELECT signed_on FROM application WHERE id = :i"), {"i": record.id})
        assert str(signed_on.scalar_one())[:10] == yesterday.isoformat()
    assert signed.signed_at is not None and before <= signed.signed_at <= after
    row = [r for r in store_audit.export_rows(store, None, None) if r.action == "sign"][-1]
    assert before <= row.at <= after
