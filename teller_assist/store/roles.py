"""The two-role set-up on PostgreSQL: the schema belongs to an owner role the program never runs as,
and the program's own role reads everything, writes the business tables, and may only SELECT the audit
rows and append through ``teller_assist_audit_append`` (migration 0011, SECURITY DEFINER).

The program's role then cannot ALTER or disable the append-only triggers (only a table's owner can),
UPDATE, DELETE or TRUNCATE audit rows, move the head, replace the append function, or grant itself
anything (it owns nothing and holds no grant option). Run by a database administrator (a superuser),
in one transaction: the roles, the ownership of the database, its schema and every table, the schema
upgraded as the owner, then the privileges. Running it again is harmless, and after installing a new
version it is how the schema is upgraded (as the owner).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from teller_assist.errors import UserFacingError
from teller_assist.store.engine import Store

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
AUDIT_TABLES = ("audit_event", "audit_head")
READ_ONLY_TABLES = (*AUDIT_TABLES, "alembic_version")
APPEND_FUNCTION = (
    "teller_assist_audit_append(timestamp with time zone, character varying, character varying, "
    "character varying, character varying, character varying, text)"
)


class RolesRefused(UserFacingError):
    pass


@dataclass(frozen=True)
class RolesReport:
    database: str
    schema: str
    owner: str
    app: str
    created: tuple[str, ...]  # roles this run created
    revision_before: str | None
    revision_after: str | None
    app_can: dict[str, bool]  # what the program's role may do to the audit tables (all must be False)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_role_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise RolesRefused(
            f"角色名 {name!r} 无效：应为小写字母、数字或下划线，以字母或下划线开头，最多63位",
            f"invalid role name {name!r}: lower-case letters, digits and _ only, at most 63",
        )
    return name


def _role(conn: Connection, name: str) -> dict[str, bool] | None:
    row = conn.execute(
        text(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin "
            "FROM pg_roles WHERE rolname = :n"
        ),
        {"n": name},
    ).one_or_none()
    return None if row is None else dict(row._mapping)


def setup_roles(store: Store, owner: str, app: str) -> RolesReport:
    """Create or apply the two-role set-up on the database ``store`` is connected to (as a superuser)."""
    from teller_assist.store import migrate

    owner, app = check_role_name(owner), check_role_name(app)
    if store.is_sqlite:
        raise RolesRefused(
            "两角色设置只适用于 PostgreSQL；内置的 SQLite 数据库没有数据库角色",
            "the two-role set-up is for PostgreSQL; the embedded SQLite database has no roles",
            hint_zh="用 --db postgresql://超级用户@主机/库名 指定要设置的数据库",
            hint_en="name the database with --db postgresql://SUPERUSER@host/dbname",
        )
    if owner == app:
        raise RolesRefused("所有者角色与程序角色必须不同", "the owner and the program's role must differ")
    created: list[str] = []
    with store.engine.begin() as conn:
        me = conn.exec_driver_sql("SELECT current_user").scalar()
        mine = _role(conn, str(me))
        if not (mine and mine["rolsuper"]):
            raise RolesRefused(
                f"须以超级用户身份运行（当前为 {me}）",
                f"run this as a superuser (connected as {me})",
                hint_zh="由数据库管理员用 --db postgresql://postgres@主机/库名 运行",
                hint_en="a DBA runs it with --db postgresql://postgres@host/dbname",
            )
        if app == me or owner == me:
            raise RolesRefused(
                "所有者角色和程序角色都不能是当前的超级用户",
                "neither role may be the superuser running this",
            )
        existing_app = _role(conn, app)
        if existing_app is not None:
            if existing_app["rolsuper"] or existing_app["rolcreaterole"] or existing_app["rolbypassrls"]:
                raise RolesRefused(
                    f"程序角色 {app} 是超级用户或可创建角色，无法限制其权限",
                    f"the program's role {app} is a superuser or may create roles: it cannot be held back",
                    hint_zh=f"ALTER ROLE {app} NOSUPERUSER NOCREATEROLE NOBYPASSRLS，或换一个角色名",
                    hint_en=f"ALTER ROLE {app} NOSUPERUSER NOCREATEROLE NOBYPASSRLS, or use another name",
                )
        else:
            conn.exec_driver_sql(
                f"CREATE ROLE {q(app)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            )
            created.append(app)
        if _role(conn, owner) is None:
            # nobody logs in as the owner: this command upgrades the schema under SET ROLE
            conn.exec_driver_sql(f"CREATE ROLE {q(owner)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            created.append(owner)
        member = conn.execute(
            text("SELECT pg_has_role(:app, :owner, 'MEMBER')"), {"app": app, "owner": owner}
        ).scalar()
        if member:
            raise RolesRefused(
                f"程序角色 {app} 是所有者角色 {owner} 的成员，可以取得所有者权限",
                f"the program's role {app} is a member of {owner} and could act as the owner",
                hint_zh=f"REVOKE {owner} FROM {app}，然后重试",
                hint_en=f"REVOKE {owner} FROM {app}, then retry",
            )

        database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
        schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
        db, sch = q(database), q(schema)
        conn.exec_driver_sql(f"ALTER DATABASE {db} OWNER TO {q(owner)}")
        schema_owner = conn.execute(
            text("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = :s"), {"s": schema}
        ).scalar()
        if schema_owner == app:  # a schema's owner may drop anything in it
            conn.exec_driver_sql(f"ALTER SCHEMA {sch} OWNER TO {q(owner)}")
        conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA {sch} TO {q(owner)}")
        conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {sch} FROM PUBLIC")
        conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {sch} FROM {q(app)}")
        conn.exec_driver_sql(f"REVOKE CREATE ON DATABASE {db} FROM {q(app)}")
        _take_ownership(conn, schema, owner)

        conn.exec_driver_sql(f"SET LOCAL ROLE {q(owner)}")
        before = migrate.revision_on(conn)
        migrate.upgrade_on(conn)
        after = migrate.revision_on(conn)
        _grant(conn, database, schema, owner, app)
        conn.exec_driver_sql("RESET ROLE")
        can = {
            privilege: bool(
                conn.execute(
                    text("SELECT has_table_privilege(:app, :t, :p)"),
                    {"app": app, "t": f"{sch}.{table}", "p": privilege.split()[0]},
                ).scalar()
            )
            for table in AUDIT_TABLES
            for privilege in (f"INSERT {table}", f"UPDATE {table}", f"DELETE {table}", f"TRUNCATE {table}")
        }
        if any(can.values()):  # the whole set-up is rolled back rather than left half-done
            raise AssertionError(f"the program's role still holds {[k for k, v in can.items() if v]}")
    return RolesReport(database, schema, owner, app, tuple(created), before, after, can)


def _take_ownership(conn: Connection, schema: str, owner: str) -> None:
    """Tables, views, free-standing sequences and the program's functions in ``schema`` go to ``owner``
    (sequences that belong to a table column follow their table)."""
    relations = conn.execute(
        text(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND pg_get_userbyid(c.relowner) <> :o "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') "
            "                AND d.classid = 'pg_class'::regclass AND c.relkind = 'S') "
            "ORDER BY c.relkind <> 'r', c.relname"
        ),
        {"s": schema, "o": owner},
    ).all()
    for name, kind in relations:
        what = {"v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}.get(kind, "TABLE")
        conn.exec_driver_sql(f"ALTER {what} {q(schema)}.{q(name)} OWNER TO {q(owner)}")
    for signature in _functions(conn, schema, not_owned_by=owner):
        conn.exec_driver_sql(f"ALTER FUNCTION {signature} OWNER TO {q(owner)}")


def _functions(conn: Connection, schema: str, not_owned_by: str = "") -> list[str]:
    """The program's own functions in ``schema`` (``teller_assist_*``), as qualified signatures."""
    return list(
        conn.execute(
            text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = :s AND starts_with(p.proname, 'teller_assist_') "
                "AND pg_get_userbyid(p.proowner) <> :o"
            ),
            {"s": schema, "o": not_owned_by},
        ).scalars()
    )


def _grant(conn: Connection, database: str, schema: str, owner: str, app: str) -> None:
    """As the owner: the program's role reads everything, writes the business tables, reads the audit
    tables and Alembic's revision, and appends to the audit chain only through the function."""
    db, sch, a = q(database), q(schema), q(app)
    for statement in (
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {a}",
        f"GRANT USAGE ON SCHEMA {sch} TO {a}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {sch} FROM {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {a}",
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "
        + ", ".join(f"{sch}.{q(t)}" for t in READ_ONLY_TABLES)
        + f" FROM {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {a}",
        *(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC, {a}" for f in _functions(conn, schema)),
        f"GRANT EXECUTE ON FUNCTION {sch}.{APPEND_FUNCTION} TO {a}",
        # tables a later migration adds are the program's to use too (setup-roles, run again after an
        # upgrade, takes the write privileges on the audit tables away again)
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT USAGE, SELECT ON SEQUENCES TO {a}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
    ):
        conn.exec_driver_sql(statement)
