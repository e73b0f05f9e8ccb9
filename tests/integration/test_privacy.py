"""A whole flow, then every file it wrote is scanned: no password, no connection string with a
password, no full resident ID or phone number anywhere (logs, crash reports, exports, settings, the
encrypted database and its backups)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from teller_assist.logs import redact, setup_logging, write_crash_report
from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from tests.helpers.cli import add_users, run_cli
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import PostgresServer
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import agreement_printed
from tests.integration.test_lookup import load_fixture

DB_PASSWORD = "Pg-Secret-7781"
OPERATOR_PASSWORD = "Counter2026"
PHONE = "13951234567"
SECRETS = (MAN, WOMAN, MAN.lower(), PHONE, DB_PASSWORD, OPERATOR_PASSWORD)


def scan(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            for secret in SECRETS:
                for encoding in ("utf-8", "utf-16-le"):
                    if secret.encode(encoding) in data:
                        found.append(f"{path.relative_to(folder.parent)}: {secret[:4]}… ({encoding})")
    return found


def test_redact_masks_ids_phones_and_passwords() -> None:
    line = f"cannot reach postgresql+psycopg://app:{DB_PASSWORD}@db/x for {MAN} phone {PHONE} "
    line += f"password={DB_PASSWORD}"
    out = redact(line)
    for secret in (MAN, PHONE, DB_PASSWORD):
        assert secret not in out
    assert "postgresql+psycopg://app:***@db/x" in out and MAN[:4] in out


def test_redact_masks_incomes_and_debts_written_the_way_the_decision_writes_them() -> None:
    line = "月均8,500.50元 → 3倍月均工资25,501元; 申报家庭年收入120,000元×2 − 负债20,000元 = 220,000元"
    out = redact(line)
    # and what is computed from them, which would give them back by arithmetic
    assert out == "月均***元 → 3倍月均工资***元; 申报家庭年收入***元×2 − 负债***元 = ***元"


@pytest.mark.long
def test_a_whole_flow_leaves_no_secret_in_any_file(
    postgres_server: PostgresServer, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_server.create_owned_database("ta_private", DB_PASSWORD)
    postgres_server.require_password("ta_private")
    url = f"postgresql+psycopg://ta_private@/ta_private_db?host={postgres_server.socket_dir}"
    # never in the URL (refused from every source): here libpq's password file, as a nightly job keeps it
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:ta_private:{DB_PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    with_password = url.replace("ta_private@", f"ta_private:{DB_PASSWORD}@")
    refused = run_cli("config", "show", env={**env, "TELLER_ASSIST_DB": with_password})
    assert refused.returncode == 2 and DB_PASSWORD not in refused.stdout + refused.stderr
    env = {**env, "TELLER_ASSIST_DB": url, "PGPASSFILE": str(passfile)}
    data_dir = Path(env["TELLER_ASSIST_DATA_DIR"])
    inputs, exports = tmp_path / "inputs", tmp_path / "exports"
    exports.mkdir()

    # the nightly import, in this process, with the program's own log
    setup_logging(data_dir)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    settings = load_settings(env)
    store = open_database(settings).store
    load_fixture(store, inputs / "extracts")
    store.dispose()

    def cli(*args: str, stdin: str | None = None, ok: bool = True) -> str:
        done = run_cli(*args, env=env, stdin=stdin)
        assert (done.returncode == 0) == ok, done.stderr
        return done.stdout + done.stderr

    add_users(env, ("teller1", "teller"), ("head1", "branch_head"), password=OPERATOR_PASSWORD)
    survey = inputs / "survey.json"
    survey.write_text(json.dumps({"scenario": "walk_in", "answers": walk_in_answers()}), encoding="utf-8")
    outputs = [
        cli("lookup", MAN),
        cli("lookup", WOMAN, "--json"),
        cli("prequal", MAN, "--survey", str(survey), "--json"),
    ]
    applied = json.loads(
        cli(
            "apply",
            MAN,
            "--survey",
            str(survey),
            "--user",
            "teller1",
            "--password-stdin",
            "--json",
            stdin=OPERATOR_PASSWORD,
        )
    )
    outputs += [
        cli(
            "apply",
            WOMAN,
            "--survey",
            str(survey),
            "--user",
            "teller1",
            "--password-stdin",
            stdin=OPERATOR_PASSWORD,
            ok=False,
        ),  # negative list: refused, with its reason
        cli(
            "approve",
            str(applied["id"]),
            "--user",
            "head1",
            "--password-stdin",
            stdin="wrong-password1",
            ok=False,
        ),
        cli("approve", str(applied["id"]), "--user", "head1", "--password-stdin", stdin=OPERATOR_PASSWORD),
    ]
    store = open_database(settings).store
    try:
        agreement_printed(store, applied["id"])  # the customer signs what came out of the printer
    finally:
        store.dispose()
    outputs += [
        cli("sign", str(applied["id"]), "--user", "teller1", "--password-stdin", stdin=OPERATOR_PASSWORD),
        cli("applications", "--json"),
        cli("audit", "verify"),
        cli("audit", "export", "--out", str(exports / "audit.csv")),
        cli("import", "rejects", "--out", str(exports / "rejects.csv")),
        cli("config", "show"),
        cli("db", "current"),
    ]
    # a broken database URL: the error says the database is missing, without the password
    broken = {**env, "TELLER_ASSIST_DB": url.replace("ta_private_db", "no_such_db")}
    done = run_cli("lookup", MAN, env=broken)
    assert done.returncode != 0 and DB_PASSWORD not in done.stderr and "数据库不存在" in done.stderr
    outputs.append(done.stderr)

    # an unexpected error whose message carries everything it should not: the crash report masks it
    try:
        raise RuntimeError(f"boom {MAN} {PHONE} {url}")
    except RuntimeError as exc:
        report = write_crash_report(data_dir, type(exc), exc, exc.__traceback__)
    assert "boom" in report.read_text(encoding="utf-8")

    log_text = (data_dir / "logs" / "teller-assist.log").read_text(encoding="utf-8")
    assert "login head1" in log_text and f"application {applied['id']}: approve" in log_text
    assert "import customers_20261127.csv" in log_text and "submitting for 3211**********" in log_text
    for handler in list(logging.getLogger("teller_assist").handlers):
        handler.flush()

    assert scan([inputs]), "the scan finds what the inputs hold (it can fail)"
    assert scan([data_dir, Path(env["TELLER_ASSIST_CONFIG"]).parent, exports]) == []
    leaks = [o for o in outputs if any(s in o for s in (MAN, WOMAN, PHONE, DB_PASSWORD, OPERATOR_PASSWORD))]
    assert leaks == [], "printed output holds a secret"


def test_a_settings_file_with_a_password_is_refused(env: dict[str, str]) -> None:
    config = Path(env["TELLER_ASSIST_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'database_url = "postgresql://u:{DB_PASSWORD}@localhost/x"\n', encoding="utf-8")
    done = run_cli("db", "current", env=env)
    assert done.returncode != 0 and "密码" in done.stderr and DB_PASSWORD not in done.stderr


def test_db_set_password_keeps_it_in_the_keyring(
    postgres_server: PostgresServer,
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    import io

    from teller_assist.cli import main

    postgres_server.create_owned_database("ta_kr", DB_PASSWORD)
    url = f"postgresql://ta_kr@/ta_kr_db?host={postgres_server.socket_dir}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("sys.stdin", io.StringIO(DB_PASSWORD + "\n"))
    assert main(["db", "set-password", "--password-stdin", "--db", url]) == 0
    assert DB_PASSWORD in memory_keyring.secrets.values()
    store = open_database(load_settings(env, database_url=url)).store
    try:
        assert store.engine.url.password == DB_PASSWORD  # used to connect...
        assert DB_PASSWORD not in store.display  # ...never shown
    finally:
        store.dispose()
    assert scan([Path(env["TELLER_ASSIST_DATA_DIR"]), Path(env["TELLER_ASSIST_CONFIG"]).parent]) == []


@pytest.mark.usefixtures("no_keyring")
def test_db_set_password_without_a_keyring_is_refused(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from teller_assist.cli import main

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr("sys.stdin", io.StringIO(DB_PASSWORD + "\n"))
    assert main(["db", "set-password", "--password-stdin", "--db", "postgresql://u@localhost/x"]) != 0
