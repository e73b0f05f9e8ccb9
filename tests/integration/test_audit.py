"""The audit chain: append-only in the database, and `audit verify` finds an edited row, a deleted row,
a swapped pair and a removed tail, on both engines."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from teller_assist.services import audit
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.postgres import PostgresServer

T0 = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)


def fill(store: Store, n: int = 6) -> None:
    for i in range(n):
        audit.log(
            store,
            "lookup",
            operator=f"teller{i % 2}",
            subject=f"app:{i}",
            purpose="counter",
            detail={"n": i},
            now=T0 + dt.timedelta(minutes=i),
        )


def tamper(store: Store, *statements: str) -> None:
    """What someone with the database file or a superuser could do: lift the guard, then change rows."""
    with store.engine.begin() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_a_clean_chain_verifies(store: Store) -> None:
    fill(store)
    result = store_audit.verify(store)
    assert result.ok and result.rows == 6 and result.head_seq == 6


def test_a_rehearsed_write_keeps_nothing(store: Store, ctx: Context) -> None:
    """The window's idle warm-up rehearses the lookup's audit write: no row, the chain's head as it was,
    and the next real row follows the last as if nothing had happened."""
    fill(store, 3)
    with store.engine.connect() as conn:
        head_before = conn.exec_driver_sql("SELECT seq, hash FROM audit_head").one()
    audit.rehearse(ctx)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT seq, hash FROM audit_head").one() == head_before
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_event").scalar() == 3
    fill(store, 1)
    result = store_audit.verify(store)
    assert result.ok and result.rows == 4 and result.head_seq == 4


@pytest.mark.parametrize(
    ("change", "seq"),
    [
        ("UPDATE audit_event SET operator = 'nobody' WHERE seq = 3", 3),
        ("UPDATE audit_event SET detail = '{\"n\":99}' WHERE seq = 4", 4),
        ("UPDATE audit_event SET purpose = NULL WHERE seq = 2", 2),
    ],
)
def test_an_edited_row_is_found(store: Store, change: str, seq: int) -> None:
    fill(store)
    tamper(store, *change.split("; "))
    findings = store_audit.verify(store).findings
    assert [f.seq for f in findings] == [seq] and "修改" in findings[0].problem_zh


def test_a_deleted_row_is_found(store: Store) -> None:
    fill(store)
    tamper(store, "DELETE FROM audit_event WHERE seq = 3")
    result = store_audit.verify(store)
    assert not result.ok and {f.seq for f in result.findings} == {4}


def test_a_swapped_pair_is_found(store: Store) -> None:
    fill(store)
    # swap the contents of rows 2 and 3 (each keeps its own hash: the chain and the hashes disagree)
    tamper(
        store,
        "UPDATE audit_event SET seq = -2 WHERE seq = 2",
        "UPDATE audit_event SET seq = 2 WHERE seq = 3",
        "UPDATE audit_event SET seq = 3 WHERE seq = -2",
    )
    result = store_audit.verify(store)
    assert not result.ok and {f.seq for f in result.findings} >= {2, 3}


def test_a_deleted_row_with_the_rest_renumbered_and_rehashed_breaks_only_the_links(store: Store) -> None:
    """Someone deletes row 3, renumbers the rows after it, re-hashes each over the prev_hash it stores
    and moves the head: numbering, every row's own hash and the head agree again. Only the link from
    each row to the hash of the row before it is left to find it."""
    fill(store)
    rows = list(store_audit.export_rows(store, None, None))
    tamper(store, "DELETE FROM audit_event WHERE seq = 3")  # the guard stays lifted after this
    with store.engine.begin() as conn:
        last_seq, last_hash = 2, rows[1].hash
        for r in rows[3:]:
            seq = r.seq - 1
            digest = store_audit.row_hash(
                r.prev_hash, seq, r.at, r.operator, r.workstation, r.action, r.subject, r.purpose, r.detail
            )
            conn.execute(
                text("UPDATE audit_event SET seq = :seq, hash = :hash WHERE seq = :old"),
                {"seq": seq, "hash": digest, "old": r.seq},
            )
            last_seq, last_hash = seq, digest
        conn.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
            {"seq": last_seq, "hash": last_hash},
        )
    result = store_audit.verify(store)
    assert (result.rows, result.head_seq) == (5, 5)
    # row 3 (once 4) names the deleted row's hash; rows 4 and 5 name hashes that were since rewritten
    assert [(f.seq, f.problem_en) for f in result.findings] == [
        (seq, "chain broken: the row before was removed, altered or moved") for seq in (3, 4, 5)
    ]


def test_a_removed_tail_is_found(store: Store) -> None:
    fill(store)
    tamper(store, "DELETE FROM audit_event WHERE seq >= 5")
    findings = store_audit.verify(store).findings
    assert len(findings) == 1 and "末尾" in findings[0].problem_zh


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET operator = 'x'", "DELETE FROM audit_event", "DELETE FROM audit_head"],
)
def test_the_database_refuses_updates_and_deletes(store: Store, statement: str) -> None:
    fill(store, 2)
    with pytest.raises(DBAPIError, match=r"append-only|cannot be deleted"), store.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert store_audit.verify(store).ok


def owner_tries(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER USER")  # the owner may do this...
        conn.exec_driver_sql(statement)  # ...but the privilege is gone all the same


def test_postgres_application_role_has_no_update_or_delete(
    postgres_server: PostgresServer, env: dict[str, str]
) -> None:
    """Migrated by an ordinary (non-superuser) role: that role then lacks the privilege itself."""

    postgres_server.create_owned_database("ta_app")
    url = f"postgresql+psycopg://ta_app@/ta_app_db?host={postgres_server.socket_dir}"
    store = open_database(load_settings(env, database_url=url)).store
    try:
        fill(store, 2)
        for statement in (
            "UPDATE audit_event SET operator = 'x'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
        ):
            with pytest.raises(DBAPIError, match=r"permission denied"):
                owner_tries(store, statement)
        assert store_audit.verify(store).ok
    finally:
        store.dispose()


def test_concurrent_appends_keep_one_chain(store: Store) -> None:
    import concurrent.futures

    def work(i: int) -> int:
        return audit.log(store, "lookup", operator="t", subject=f"app:{i}", now=T0)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        seqs = sorted(pool.map(work, range(40)))
    assert seqs == list(range(1, 41))
    assert store_audit.verify(store).ok


def test_export_masks_ids_and_audits_itself(store: Store, ctx: Context, tmp_path: object) -> None:
    from pathlib import Path

    from tests.helpers.extracts import MAN

    audit.log(store, "lookup", operator="t", subject=MAN, now=T0)
    audit.log(store, "lookup", operator="t", subject=MAN, now=T0 + dt.timedelta(days=3))
    out = Path(str(tmp_path)) / "a.csv"
    local = T0.astimezone().date()
    assert audit.export_csv(ctx, out, start=local, end=local, operator="auditor") == 1
    body = out.read_text(encoding="utf-8-sig")
    assert MAN not in body and MAN[:4] in body
    last: Callable[[], str] = lambda: list(store_audit.export_rows(store, None, None))[-1].action  # noqa: E731
    assert last() == "export"


def test_the_database_appends_with_the_same_hash_as_the_program(store: Store) -> None:
    """On PostgreSQL the row's hash is computed by teller_assist_audit_append in SQL; the program's
    own check recomputes it in Python: quotes, backslashes, control characters, CJK beyond the BMP and
    NULLs must come out byte for byte the same."""
    odd = 'q"uote \\ back\tslash\n\x01 䶮𠀀 😀'
    audit.log(store, "lookup", operator=odd[:60], subject=None, purpose=odd[:60], now=T0)
    audit.log(
        store,
        "export",
        operator=None,
        subject="张伟",
        detail={"odd": odd, "n": 1.5, "none": None, "list": [1, "二"]},
        now=dt.datetime(2026, 11, 28, 1, 0, 0, 123456, tzinfo=dt.UTC),
    )
    result = store_audit.verify(store)
    assert result.ok and result.rows == 2, result.findings


# --- anchors: what head office keeps where the program cannot write -----------------------------


def recompute_from(store: Store, seq: int, *statements: str) -> None:
    """The issue's attack: lift the guard, edit rows, recompute every hash from ``seq`` on with the
    program's own function, and move the head: the chain alone then verifies."""
    tamper(store, *statements)
    with store.engine.begin() as conn:
        rows = [
            store_audit.AuditRow(**r._asdict())
            for r in conn.execute(
                text(
                    "SELECT seq, at, operator, workstation, action, subject, purpose, detail, prev_hash, "
                    "hash FROM audit_event ORDER BY seq"
                )
            )
        ]
        prev = store_audit.GENESIS
        for r in rows:
            at = r.at if isinstance(r.at, dt.datetime) else dt.datetime.fromisoformat(str(r.at))
            at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
            digest = store_audit.row_hash(
                prev, r.seq, at, r.operator, r.workstation, r.action, r.subject, r.purpose, r.detail
            )
            if r.seq >= seq:
                conn.execute(
                    text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                    {"p": prev, "h": digest, "s": r.seq},
                )
            prev = digest
        conn.execute(
            text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": rows[-1].seq, "h": prev}
        )


def test_anchors_find_a_recomputed_chain(store: Store, ctx: Context, tmp_path: Path) -> None:
    fill(store)
    anchors = tmp_path / "head-office" / "anchors.jsonl"
    anchors.parent.mkdir()
    made = audit.anchor(ctx, anchors, operator="hq")
    assert made.seq == 6 and len(made.hash) == 64
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    fill(store, 3)  # the day goes on: rows after the anchor
    recompute_from(store, 3, "UPDATE audit_event SET operator = 'nobody' WHERE seq = 3")
    assert store_audit.verify(store).ok  # the chain alone is fooled...
    result = audit.verify(ctx, audit.read_anchors(anchors))
    assert not result.ok  # ...the anchor is not
    assert [f.seq for f in result.findings] == [made.seq] and "锚点" in result.findings[0].problem_zh
    with pytest.raises(audit.ChainBroken):  # and no anchor blesses the rewritten chain
        audit.anchor(ctx, anchors, operator="hq")
    assert len(audit.read_anchors(anchors)) == 1


def test_anchors_find_a_truncated_chain(store: Store, ctx: Context, tmp_path: Path) -> None:
    fill(store)
    anchors = tmp_path / "anchors.jsonl"
    audit.anchor(ctx, anchors, operator="hq")
    anchored = audit.read_anchors(anchors)[-1].seq
    assert anchored == 6
    tamper(store, "DELETE FROM audit_event WHERE seq > 3")  # the last three anchored rows, and later ones
    recompute_from(store, 3)  # the head moved back to the new last row
    assert store_audit.verify(store).ok
    findings = audit.verify(ctx, audit.read_anchors(anchors)).findings
    assert len(findings) == 1 and "比锚点短" in findings[0].problem_zh and findings[0].seq == anchored


def test_an_anchor_file_open_to_others_or_not_an_anchor_file_is_refused(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    fill(store, 2)
    anchors = tmp_path / "anchors.jsonl"
    audit.anchor(ctx, anchors, operator="hq")
    anchors.chmod(0o644)
    with pytest.raises(audit.AnchorFileError, match="权限过宽"):
        audit.anchor(ctx, anchors, operator="hq")
    anchors.chmod(0o600)
    with anchors.open("a", encoding="utf-8") as f:
        f.write("# a comment is fine\n\nnot an anchor\n")
    with pytest.raises(audit.AnchorFileError, match="第4行"):
        audit.read_anchors(anchors)


def test_audit_anchor_and_verify_on_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    from tests.helpers.cli import run_cli

    anchors = tmp_path / "anchors.jsonl"
    settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    store = open_database(settings).store
    try:
        fill(store)
    finally:
        store.dispose()
    made = run_cli("audit", "anchor", "--out", str(anchors), env=env)
    assert made.returncode == 0 and "已记录锚点" in made.stdout, made.stderr
    intact = run_cli("audit", "verify", "--anchors", str(anchors), env=env)
    assert intact.returncode == 0 and "1 个锚点" in intact.stdout, intact.stderr
    store = open_database(settings).store
    try:
        recompute_from(store, 2, "UPDATE audit_event SET subject = 'app:99' WHERE seq = 2")
    finally:
        store.dispose()
    assert run_cli("audit", "verify", env=env).returncode == 0  # without the anchors: fooled
    caught = run_cli("audit", "verify", "--anchors", str(anchors), env=env)
    assert caught.returncode == 4 and "锚点" in caught.stdout, caught.stdout
    missing = run_cli("audit", "verify", "--anchors", str(tmp_path / "none.jsonl"), env=env)
    assert missing.returncode == 2 and "锚点文件不存在" in missing.stderr
