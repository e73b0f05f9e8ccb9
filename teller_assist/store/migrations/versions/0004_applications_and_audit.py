"""Applications with their rules as constraints, approval authorities, and the append-only audit chain

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

The rules that must hold whatever code writes the rows are enforced here: maker and checker differ
(CHECK), an approval names an authority that covers the line and that the policy really granted the
checker's role (CHECK + composite foreign keys), at most one open application per person (partial
unique index). Audit rows cannot be updated or deleted: triggers on both engines, and on PostgreSQL the
privileges are revoked from everyone, the migrating role included.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

OPEN = sa.text("status IN ('submitted', 'approved', 'signed')")
TS = sa.DateTime(timezone=True)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END",
)

POSTGRES_STATEMENTS = (
    """
    CREATE FUNCTION teller_assist_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION teller_assist_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION teller_assist_append_only()",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION teller_assist_append_only()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER",
    "REVOKE DELETE, TRUNCATE ON audit_head FROM PUBLIC",
    "REVOKE DELETE, TRUNCATE ON audit_head FROM CURRENT_USER",
)


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch_op:
        batch_op.create_unique_constraint("uq_operator_id_role", ["id", "role"])

    op.create_table(
        "authority_grant",
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("max_line", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.CheckConstraint("max_line > 0", name=op.f("ck_authority_grant_max_line")),
        sa.PrimaryKeyConstraint("role", "max_line", name=op.f("pk_authority_grant")),
    )
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("scenario", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("survey", sa.Text(), nullable=False),
        sa.Column("consents", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=False),
        sa.Column("policy_sha256", sa.String(length=64), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("annual_rate_bp", sa.Integer(), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=True),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("checker_id", sa.Integer(), nullable=True),
        sa.Column("checker_role", sa.String(length=16), nullable=True),
        sa.Column("checker_authority", sa.Integer(), nullable=True),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("reject_reason", sa.String(length=200), nullable=True),
        sa.Column("agreement_no", sa.String(length=32), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("signed_at", TS, nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.CheckConstraint(
            "(status IN ('submitted', 'cancelled')) OR (checker_id IS NOT NULL AND decided_at IS NOT NULL)",
            name=op.f("ck_application_decided_by"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reject_reason IS NOT NULL", name=op.f("ck_application_reject_reason")
        ),
        sa.CheckConstraint(
            "status <> 'signed' OR signed_at IS NOT NULL", name=op.f("ck_application_signed_at")
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'cancelled', 'signed', 'expired')",
            name=op.f("ck_application_status"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'signed', 'expired') OR "
            "(checker_authority IS NOT NULL AND line <= checker_authority AND agreement_no IS NOT NULL "
            "AND valid_until IS NOT NULL)",
            name=op.f("ck_application_authority_covers_line"),
        ),
        sa.CheckConstraint(
            "annual_rate_bp > 0 AND annual_rate_bp < 10000", name=op.f("ck_application_annual_rate_bp")
        ),
        sa.CheckConstraint(
            "checker_id IS NULL OR checker_id <> maker_id", name=op.f("ck_application_maker_checker")
        ),
        sa.CheckConstraint("line > 0", name=op.f("ck_application_line")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_application_version")),
        sa.ForeignKeyConstraint(
            ["checker_id", "checker_role"],
            ["operator.id", "operator.role"],
            name="fk_application_checker_operator",
        ),
        sa.ForeignKeyConstraint(
            ["checker_role", "checker_authority"],
            ["authority_grant.role", "authority_grant.max_line"],
            name="fk_application_checker_authority_grant",
        ),
        sa.ForeignKeyConstraint(["maker_id"], ["operator.id"], name=op.f("fk_application_maker_id_operator")),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["operator.id"], name=op.f("fk_application_signed_by_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("agreement_no", name=op.f("uq_application_agreement_no")),
    )
    op.create_index(op.f("ix_application_id_no"), "application", ["id_no"])
    op.create_index("ix_application_status_submitted", "application", ["status", "submitted_at"])
    op.create_index(
        "uq_application_one_open",
        "application",
        ["id_no"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )

    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=True),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=True),
        sa.Column("purpose", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
    )
    op.create_index(op.f("ix_audit_event_action"), "audit_event", ["action"])
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :genesis)").bindparams(genesis="0" * 64)
    )

    statements = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_STATEMENTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION teller_assist_append_only() CASCADE")
    op.drop_table("audit_head")
    op.drop_table("audit_event")
    op.drop_table("application")
    op.drop_table("authority_grant")
    with op.batch_alter_table("operator") as batch_op:
        batch_op.drop_constraint("uq_operator_id_role", type_="unique")
