"""The audit chain's append as a PostgreSQL function, so the program's role needs no write privilege
on the audit tables

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

``teller_assist_audit_append`` (SECURITY DEFINER, owned by the migrating role) takes one row's fields,
locks the head, computes the row's hash exactly as ``store.audit.row_hash`` does, inserts the row and
moves the head. In the two-role set-up (``teller-assist db setup-roles``) the program's role may only
SELECT the audit tables and EXECUTE this function: it can append, and nothing else. On SQLite the
program appends as before; nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

SIGNATURE = (
    "teller_assist_audit_append(timestamp with time zone, character varying, character varying, "
    "character varying, character varying, character varying, text)"
)


def function_sql(schema: str) -> str:
    """The function's definition, its tables qualified by ``schema`` (a quoted identifier)."""
    return f"""
    CREATE OR REPLACE FUNCTION {schema}.teller_assist_audit_append(
        p_at timestamp with time zone,
        p_operator character varying,
        p_workstation character varying,
        p_action character varying,
        p_subject character varying,
        p_purpose character varying,
        p_detail text
    ) RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        v_seq integer;
        v_prev character varying;
        v_body text;
        v_hash character varying;
    BEGIN
        SELECT seq, hash INTO v_seq, v_prev FROM {schema}.audit_head WHERE id = 1 FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the audit chain''s head row is missing';
        END IF;
        v_seq := v_seq + 1;
        -- the same text Python's json.dumps([...], ensure_ascii=False, separators=(",", ":")) writes
        v_body := '[' || v_seq::text || ','
            || to_json(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00')::text
            || ',' || coalesce(to_json(p_operator)::text, 'null')
            || ',' || coalesce(to_json(p_workstation)::text, 'null')
            || ',' || coalesce(to_json(p_action)::text, 'null')
            || ',' || coalesce(to_json(p_subject)::text, 'null')
            || ',' || coalesce(to_json(p_purpose)::text, 'null')
            || ',' || coalesce(to_json(p_detail)::text, 'null')
            || ']';
        v_hash := encode(sha256(convert_to(v_prev || '|' || v_body, 'UTF8')), 'hex');
        INSERT INTO {schema}.audit_event
            (seq, at, operator, workstation, action, subject, purpose, detail, prev_hash, hash)
        VALUES (v_seq, p_at, p_operator, p_workstation, p_action, p_subject, p_purpose, p_detail, v_prev,
                v_hash);
        UPDATE {schema}.audit_head SET seq = v_seq, hash = v_hash WHERE id = 1;
        RETURN v_seq;
    END
    $$
    """


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = quoted(str(bind.exec_driver_sql("SELECT current_schema()").scalar()))
    bind.exec_driver_sql(function_sql(schema))  # as written: no bind parameters in the body's colons
    bind.exec_driver_sql(f"REVOKE ALL ON FUNCTION {schema}.{SIGNATURE} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.get_bind().exec_driver_sql(f"DROP FUNCTION {SIGNATURE}")
