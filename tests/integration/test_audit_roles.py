"""The two-role set-up on PostgreSQL (``teller-assist db setup-roles``): the program's own role, the one
the issue's attacker had, can append to the audit chain and read it, and nothing else. It cannot
disable or alter the append-only trigger, UPDATE, DELETE or TRUNCATE rows, move the head, replace the
append function, take the tables' ownership, or grant itself any of that back."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import audit
from teller_assist.services.context import Context
from teller_assist.services.database import open_database, setup_roles
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli
from tests.helpers.extracts import MAN
from tests.helpers.postgres import PostgresServer
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import make_team

_n = itertools.count(1)
SIGNATURE = (
    "teller_assist_audit_append(timestamp with time zone, character varying, character varying, "
    "character varying, character varying, character varying, text)"
)


@dataclass
class TwoRoles:
    database: str
    owner: str
    app: str
    superuser_url: str
    app_url: str


def names() -> tuple[str, str, str]:
    n = f"{os.getpid()}_{next(_n)}"
    return f"ta_db_{n}", f"ta_owner_{n}", f"ta_app_{n}"


@pytest.fixture(scope="module")
def roles_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("two-roles")
    return {
        "TELLER_ASSIST_CONFIG": str(folder / "config" / "settings.toml"),
        "TELLER_ASSIST_DATA_DIR": str(folder / "data"),
    }


@pytest.fixture(scope="module")
def two_roles(postgres_server: PostgresServer, roles_env: dict[str, str]) -> TwoRoles:
    """The issue's starting point, then the fix: the program's role created the database and ran the
    migrations itself (it owned everything); a DBA then applies the two-role set-up to it. One database
    for the module: every attack below is refused, so none changes what the next one meets."""
    _database, owner, app = names()
    postgres_server.create_owned_database(app)  # "<app>_db", owned by the program's role
    database = f"{app}_db"
    socket = postgres_server.socket_dir
    app_url = f"postgresql+psycopg://{app}@/{database}?host={socket}"
    store = open_database(load_settings(roles_env, database_url=app_url)).store  # migrated as the app role
    try:
        audit.log(store, "lookup", operator="early", subject="app:1", purpose="before the set-up")
    finally:
        store.dispose()
    done = run_cli(
        "db",
        "setup-roles",
        "--owner",
        owner,
        "--app",
        app,
        "--db",
        postgres_server.url(database),
        env=roles_env,
    )
    assert done.returncode == 0, done.stderr
    assert "两角色设置" in done.stdout and owner in done.stdout
    return TwoRoles(database, owner, app, postgres_server.url(database), app_url)


@pytest.fixture(scope="module")
def app_store(two_roles: TwoRoles, roles_env: dict[str, str]) -> Iterator[Store]:
    opened = open_database(load_settings(roles_env, database_url=two_roles.app_url))
    try:
        yield opened.store
    finally:
        opened.store.dispose()


def test_the_program_works_as_its_role(
    app_store: Store, roles_env: dict[str, str], policy: Policy, tmp_path: Path
) -> None:
    """Everything the program does still works: operators, a submission, an approval (each with its audit
    row through the function), lookups, an anchor, the check."""
    team = make_team(app_store)
    survey = Survey("walk_in", walk_in_answers())
    today = dt.date(2026, 11, 28)
    ctx = Context(app_store, load_settings(roles_env), policy).on(today)
    app = apps.submit(ctx, MAN, survey, team.teller)
    approved = apps.approve(ctx, app.id, team.head, sms_sender="农商")
    assert approved.status == "approved"
    audit.log(app_store, "lookup", operator="teller1", subject=MAN, purpose="counter")
    audit.anchor(ctx, tmp_path / "anchors.jsonl", operator="hq")
    result = audit.verify(ctx, audit.read_anchors(tmp_path / "anchors.jsonl"))
    assert result.ok and result.rows >= 8, result.findings


def test_a_campaigns_batch_works_as_the_programs_role(
    app_store: Store, roles_env: dict[str, str], policy: Policy, tmp_path: Path
) -> None:
    """A campaign's batch, submitted and approved in one step as the program's role: its tables written,
    every application's audit row appended through the function, in bulk, and the chain whole."""
    from teller_assist.campaigns.campaign import check_spec
    from teller_assist.services import campaign_batches, campaigns
    from teller_assist.services.clock import Clock
    from teller_assist.services.context import Context
    from tests.helpers.extracts import rid
    from tests.helpers.operators import admin_of, make_operator

    today = dt.date(2026, 11, 28)
    admin = admin_of(app_store)
    maker = make_operator(app_store, "bhead1", "branch_head")
    checker = make_operator(app_store, "bmgr1", "lobby_manager")
    spec = check_spec(code="village-roles", scenario="village", group_name="后白村", branch_code="0101",
                      starts_on=today, ends_on=today + dt.timedelta(days=30), today=today)  # fmt: skip
    ctx = Context(app_store, load_settings(roles_env), policy, Clock.on(today))
    campaigns.create_campaign(ctx, admin, spec)
    roster = tmp_path / "roster.csv"
    people = [rid(seq=600 + i) for i in range(20)]
    lines = "".join(f"{p},王五,是,是\n" for p in people)
    roster.write_text("身份证号,姓名,同意查询征信,同意处理个人信息\n" + lines, encoding="utf-8")
    campaigns.import_roster(ctx, admin, "village-roles", roster)
    sub = campaign_batches.submit_campaign(ctx, maker, "village-roles")
    assert sub.submitted == 20 and sub.batch_id is not None
    done = campaign_batches.approve_batch(ctx, checker, sub.batch_id)
    assert len(done.approved) == 20
    assert audit.verify(ctx).ok


ATTACKS = (
    "ALTER TABLE audit_event DISABLE TRIGGER USER",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    "UPDATE audit_event SET operator = 'nobody' WHERE seq = 1",
    "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)",
    "TRUNCATE audit_event",
    "UPDATE audit_head SET seq = 1",
    "DELETE FROM audit_head",
    "INSERT INTO audit_event (seq, at, operator, workstation, action, detail, prev_hash, hash) "
    "VALUES (999, now(), 'x', 'x', 'x', '{}', repeat('0', 64), repeat('1', 64))",
    "CREATE OR REPLACE FUNCTION teller_assist_audit_append(p_at timestamptz, p_operator varchar, "
    "p_workstation varchar, p_action varchar, p_subject varchar, p_purpose varchar, p_detail text) "
    "RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    f"ALTER FUNCTION {SIGNATURE} SECURITY INVOKER",
    f"DROP FUNCTION {SIGNATURE}",
    "DROP FUNCTION teller_assist_append_only() CASCADE",
    "DROP TABLE audit_event",
    "ALTER TABLE audit_event ADD COLUMN note text",
    "ALTER TABLE audit_event RENAME TO audit_old",
    "CREATE TABLE audit_shadow (seq integer)",
    "CREATE SCHEMA shadow",
)


@pytest.mark.parametrize("statement", ATTACKS)
def test_the_programs_role_cannot_touch_the_chain(app_store: Store, statement: str) -> None:
    audit.log(app_store, "lookup", operator="t", subject="app:2")
    before = list(store_audit.export_rows(app_store, None, None))
    refused = pytest.raises(DBAPIError, match=r"permission denied|must be owner|append-only")
    with refused, app_store.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert list(store_audit.export_rows(app_store, None, None)) == before
    assert store_audit.verify(app_store).ok


@pytest.mark.parametrize(
    "statement",
    [
        "GRANT UPDATE, DELETE, TRUNCATE ON audit_event TO {app}",
        "GRANT ALL ON audit_event, audit_head TO {app}",
        "GRANT {owner} TO {app}",
        "SET ROLE {owner}",
        "ALTER ROLE {app} SUPERUSER",
        "ALTER TABLE audit_event OWNER TO {app}",
        "ALTER DATABASE {database} OWNER TO {app}",
        "REASSIGN OWNED BY {owner} TO {app}",
    ],
)
def test_the_programs_role_cannot_give_itself_the_power_back(
    app_store: Store, two_roles: TwoRoles, statement: str
) -> None:
    """A GRANT by a role without the grant option is only a warning in PostgreSQL: what counts is that
    the privilege is still missing afterwards, and the edit still refused."""
    sql = statement.format(app=two_roles.app, owner=two_roles.owner, database=two_roles.database)
    with contextlib.suppress(DBAPIError), app_store.engine.begin() as conn:  # refused, or a mere warning
        conn.exec_driver_sql(sql)
    with app_store.engine.connect() as conn:
        held = conn.exec_driver_sql(
            "SELECT has_table_privilege(current_user, 'audit_event', 'UPDATE'), "
            "has_table_privilege(current_user, 'audit_event', 'DELETE'), "
            "has_table_privilege(current_user, 'audit_head', 'UPDATE'), "
            "pg_has_role(current_user, %(owner)s, 'MEMBER'), "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
            {"owner": two_roles.owner},
        ).one()
    assert tuple(held) == (False, False, False, False, False)
    with pytest.raises(DBAPIError, match=r"permission denied|append-only"), app_store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_event SET operator = 'nobody'")


def test_setup_roles_on_a_fresh_database_creates_the_schema_as_the_owner(
    postgres_server: PostgresServer, env: dict[str, str]
) -> None:
    database, owner, app = names()
    url = postgres_server.create_database(database)
    report = setup_roles(load_settings(env, database_url=url), owner=owner, app=app)
    assert report.revision_before is None and report.revision_after is not None
    assert set(report.created) == {owner, app} and not any(report.app_can.values())
    again = setup_roles(load_settings(env, database_url=url), owner=owner, app=app)  # harmless twice
    assert again.created == () and again.revision_before == again.revision_after
    import psycopg

    with psycopg.connect(host=str(postgres_server.socket_dir), user="postgres", dbname=database) as conn:
        owners = {
            r[0]
            for r in conn.execute(
                "SELECT pg_get_userbyid(relowner) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind IN ('r', 'S')"
            )
        }
        can_login = conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (owner,)).fetchone()
    assert owners == {owner} and can_login == (False,)  # nobody logs in as the owner


def test_setup_roles_refuses_what_it_cannot_make_safe(
    postgres_server: PostgresServer, env: dict[str, str]
) -> None:
    database, owner, app = names()
    url = postgres_server.create_database(database)
    settings = load_settings(env, database_url=url)
    with pytest.raises(UserFacingError, match="必须不同"):
        setup_roles(settings, owner=owner, app=owner)
    with pytest.raises(UserFacingError, match="无效"):
        setup_roles(settings, owner='x"; DROP TABLE audit_event; --', app=app)
    with pytest.raises(UserFacingError, match="超级用户"):
        setup_roles(settings, owner=owner, app="postgres")
    plain = postgres_server.create_owned_database(f"{app}_plain")  # not a superuser: refused
    not_super = load_settings(
        env, database_url=f"postgresql+psycopg://{app}_plain@/{plain}?host={postgres_server.socket_dir}"
    )
    with pytest.raises(UserFacingError, match="须以超级用户"):
        setup_roles(not_super, owner=owner, app=app)
    done = run_cli("db", "setup-roles", "--owner", owner, "--app", app, env=env)  # embedded SQLite
    assert done.returncode == 2 and "只适用于 PostgreSQL" in done.stderr and "Traceback" not in done.stderr
