"""The documents' verification key is one per bank: every desktop that prints or checks codes holds the
same key. Two desktops on one PostgreSQL database, each with its own keyring (the in-memory fake for the
OS keyring service, swapped to change desktops): the first to print makes the key and records its
fingerprint; the second is refused, with what to do, until the key is exported and imported.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.security import keys
from teller_assist.services import applications as apps
from teller_assist.services import documents
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import Settings, load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli
from tests.helpers.extracts import rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import make_team

TODAY = dt.date(2026, 11, 28)


class Desktops:
    """Two desktops' keyrings; ``at`` makes one the keyring this process sees."""

    def __init__(self) -> None:
        self.keyrings = {"A": MemoryKeyring(), "B": MemoryKeyring()}

    def at(self, name: str) -> MemoryKeyring:
        keyring.set_keyring(self.keyrings[name])
        return self.keyrings[name]


@pytest.fixture
def desktops() -> Iterator[Desktops]:
    previous = keyring.get_keyring()
    try:
        yield Desktops()
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def shared(env: dict[str, str], postgres_url: str, desktops: Desktops) -> Iterator[tuple[Store, Settings]]:
    settings = load_settings(env, database_url=postgres_url)
    store = open_database(settings).store
    try:
        yield store, settings
    finally:
        store.dispose()


def printed_at_a(ctx: Context, desktops: Desktops) -> tuple[str, str]:
    """Desktop A approves and prints an agreement: its verification code and agreement number."""
    store = ctx.store
    desktops.at("A")
    team = make_team(store)
    survey = Survey("walk_in", walk_in_answers())
    ctx = ctx.on(TODAY)
    submitted = apps.submit(ctx, rid(seq=71), survey, team.teller, name="钱七")
    approved = apps.approve(ctx, submitted.id, team.head)
    issued = documents.issue(ctx, approved.id, "agreement", operator="teller1", destination="file")
    assert approved.agreement_no is not None
    return issued.verification_code, approved.agreement_no


def test_a_second_desktop_is_refused_until_it_imports_the_banks_key(
    shared: tuple[Store, Settings], policy: Policy, desktops: Desktops, tmp_path: Path
) -> None:
    store, settings = shared
    ctx = Context(store, settings, policy)
    code, agreement_no = printed_at_a(ctx, desktops)
    assert documents.verify(ctx, code, agreement_no).genuine  # where it was printed

    desktops.at("B")  # another branch's desktop, same database, its own (empty) keyring
    with pytest.raises(documents.DocumentKeyProblem, match="本机没有文书验证密钥") as refused:
        documents.verify(ctx, code, agreement_no)
    assert "document-key export" in refused.value.hint_zh
    assert keys.document_key() is None  # it did not invent a key of its own

    desktops.at("A")
    key_file = tmp_path / "document.key"
    mark = documents.export_key(ctx, key_file, operator="os:admin")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with pytest.raises(UserFacingError, match="已存在"):  # never overwritten
        documents.export_key(ctx, key_file, operator="os:admin")

    desktops.at("B")
    assert documents.import_key(ctx, key_file, operator="os:admin") == mark
    verdict = documents.verify(ctx, code, agreement_no)
    assert verdict.genuine and "有效期至" in verdict.says
    actions = [r.action for r in store_audit.export_rows(store, None, None)]
    assert "document_key_export" in actions and "document_key_import" in actions


def test_a_desktop_with_a_key_of_its_own_is_refused_instead_of_printing_codes_others_reject(
    shared: tuple[Store, Settings], policy: Policy, desktops: Desktops
) -> None:
    store, settings = shared
    ctx = Context(store, settings, policy)
    code, agreement_no = printed_at_a(ctx, desktops)
    desktops.at("B")
    keys.new_document_key()  # say, made before the bank's was recorded
    with pytest.raises(documents.DocumentKeyProblem, match="不一致"):
        documents.verify(ctx, code, agreement_no)


def test_a_damaged_or_foreign_key_file_is_refused_and_changes_nothing(
    shared: tuple[Store, Settings],
    policy: Policy,
    desktops: Desktops,
    tmp_path: Path,
    env: dict[str, str],
) -> None:
    store, settings = shared
    ctx = Context(store, settings, policy)
    printed_at_a(ctx, desktops)
    key_file = tmp_path / "document.key"
    documents.export_key(ctx, key_file, operator="os:admin")
    lines = key_file.read_text(encoding="ascii").splitlines()

    damaged = tmp_path / "damaged.key"
    damaged.write_text("\n".join([*lines[:2], lines[2][:-1] + "x"]) + "\n", encoding="ascii")
    foreign = tmp_path / "foreign.key"
    other_key = b"another-banks-key"
    foreign.write_text(
        f"{documents.KEY_FILE_HEADER}\nfingerprint {keys.fingerprint(other_key)}\n{other_key.decode()}\n",
        encoding="ascii",
    )
    b = desktops.at("B")
    with pytest.raises(UserFacingError, match="已损坏"):
        documents.import_key(ctx, damaged, operator="os:admin")
    with pytest.raises(documents.DocumentKeyProblem, match="不是本行登记的"):
        documents.import_key(ctx, foreign, operator="os:admin")
    with pytest.raises(UserFacingError, match="不是文书验证密钥文件"):
        documents.import_key(ctx, tmp_path / "missing.key", operator="os:admin")
    assert b.secrets == {}  # nothing kept


def test_the_commands_export_and_import_the_key(env: dict[str, str], tmp_path: Path) -> None:
    """`teller-assist document-key export/import` on a demo-mode desktop: the key file and its fingerprint."""
    key_file = tmp_path / "document.key"
    out = run_cli("document-key", "export", "--out", str(key_file), env=env)
    assert out.returncode == 0, out.stderr
    fingerprint = out.stdout.split("fingerprint ")[1].split("）")[0]
    assert key_file.read_text(encoding="ascii").splitlines()[1] == f"fingerprint {fingerprint}"
    demo_key = Path(env["TELLER_ASSIST_DATA_DIR"]) / "DEMO-MODE-document.key"
    assert keys.fingerprint(demo_key.read_text(encoding="ascii").strip().encode()) == fingerprint
    back = run_cli("document-key", "import", str(key_file), env=env)
    assert back.returncode == 0 and fingerprint in back.stdout and "删除" in back.stdout
    again = run_cli("document-key", "export", "--out", str(key_file), env=env)
    assert again.returncode != 0 and "已存在" in again.stderr
    os.remove(key_file)
