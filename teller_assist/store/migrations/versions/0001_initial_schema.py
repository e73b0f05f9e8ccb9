"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("extract_date", sa.Date(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('loaded', 'refused')", name=op.f("ck_import_batch_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint("sha256", name=op.f("uq_import_batch_sha256")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_kind"), ["kind"], unique=False)

    op.create_table(
        "customer",
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("customer_no", sa.String(length=32), nullable=True),
        sa.Column("branch_code", sa.String(length=16), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("gender IN ('M', 'F')", name=op.f("ck_customer_gender")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_customer_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id_no", name=op.f("pk_customer")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_branch_code"), ["branch_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_customer_no"), ["customer_no"], unique=False)
        batch_op.create_index(batch_op.f("ix_customer_region_code"), ["region_code"], unique=False)

    op.create_table(
        "drawdown",
        sa.Column("txn_id", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("loan_no", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_drawdown_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("txn_id", name=op.f("pk_drawdown")),
    )
    with op.batch_alter_table("drawdown", schema=None) as batch_op:
        batch_op.create_index("ix_drawdown_id_no_drawn_on", ["id_no", "drawn_on"], unique=False)

    op.create_table(
        "group_tag",
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("tag", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=8), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "tag IN ('civil_servant', 'party_member', 'veteran', 'exemplary_resident', 'integrity_business', 'family_farm')",
            name=op.f("ck_group_tag_tag"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_group_tag_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id_no", "tag", name=op.f("pk_group_tag")),
    )
    op.create_table(
        "import_reject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_reject_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_reject")),
    )
    with op.batch_alter_table("import_reject", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_reject_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "negative_list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lifted_on", sa.Date(), nullable=True),
        sa.Column("lifted_batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "reason IN ('credit_report', 'court_defaulter', 'bad_habit', 'fraud', 'other')",
            name=op.f("ck_negative_list_entry_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_negative_list_entry_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_negative_list_entry_lifted_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negative_list_entry")),
    )
    with op.batch_alter_table("negative_list_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_negative_list_entry_id_no"), ["id_no"], unique=False)
        batch_op.create_index(
            "uq_negative_list_entry_active_id_no",
            ["id_no"],
            unique=True,
            sqlite_where=sa.text("lifted_batch_id IS NULL"),
            postgresql_where=sa.text("lifted_batch_id IS NULL"),
        )

    op.create_table(
        "payroll_credit",
        sa.Column("txn_id", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("employer_code", sa.String(length=18), nullable=False),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("pay_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_payroll_credit_amount_positive")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_payroll_credit_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("txn_id", name=op.f("pk_payroll_credit")),
    )
    with op.batch_alter_table("payroll_credit", schema=None) as batch_op:
        batch_op.create_index("ix_payroll_credit_id_no_pay_date", ["id_no", "pay_date"], unique=False)

    op.create_table(
        "target",
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=True),
        sa.Column("officer", sa.String(length=64), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("scenario", sa.String(length=16), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "scenario IS NULL OR scenario IN ('village', 'enterprise', 'association', 'bureau', 'community', 'market', 'walk_in')",
            name=op.f("ck_target_scenario"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_target_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("campaign", "id_no", name=op.f("pk_target")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_branch_code"), ["branch_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_id_no"), ["id_no"], unique=False)

    op.create_table(
        "utility_agreement",
        sa.Column("agreement_no", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("utility", sa.String(length=16), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'cancelled')", name=op.f("ck_utility_agreement_status")),
        sa.CheckConstraint(
            "utility IN ('water', 'electricity', 'gas', 'telecom', 'property', 'tv')",
            name=op.f("ck_utility_agreement_utility"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_utility_agreement_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("agreement_no", name=op.f("pk_utility_agreement")),
    )
    with op.batch_alter_table("utility_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_utility_agreement_id_no"), ["id_no"], unique=False)

    op.create_table(
        "utility_debit",
        sa.Column("txn_id", sa.String(length=64), nullable=False),
        sa.Column("agreement_no", sa.String(length=64), nullable=False),
        sa.Column("debit_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("result IN ('ok', 'failed')", name=op.f("ck_utility_debit_result")),
        sa.ForeignKeyConstraint(
            ["agreement_no"],
            ["utility_agreement.agreement_no"],
            name=op.f("fk_utility_debit_agreement_no_utility_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_utility_debit_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("txn_id", name=op.f("pk_utility_debit")),
    )
    with op.batch_alter_table("utility_debit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_utility_debit_agreement_no_debit_date", ["agreement_no", "debit_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("utility_debit", schema=None) as batch_op:
        batch_op.drop_index("ix_utility_debit_agreement_no_debit_date")

    op.drop_table("utility_debit")
    with op.batch_alter_table("utility_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_utility_agreement_id_no"))

    op.drop_table("utility_agreement")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_id_no"))
        batch_op.drop_index(batch_op.f("ix_target_branch_code"))

    op.drop_table("target")
    with op.batch_alter_table("payroll_credit", schema=None) as batch_op:
        batch_op.drop_index("ix_payroll_credit_id_no_pay_date")

    op.drop_table("payroll_credit")
    with op.batch_alter_table("negative_list_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_negative_list_entry_active_id_no",
            sqlite_where=sa.text("lifted_batch_id IS NULL"),
            postgresql_where=sa.text("lifted_batch_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_negative_list_entry_id_no"))

    op.drop_table("negative_list_entry")
    with op.batch_alter_table("import_reject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_reject_batch_id"))

    op.drop_table("import_reject")
    op.drop_table("group_tag")
    with op.batch_alter_table("drawdown", schema=None) as batch_op:
        batch_op.drop_index("ix_drawdown_id_no_drawn_on")

    op.drop_table("drawdown")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_region_code"))
        batch_op.drop_index(batch_op.f("ix_customer_customer_no"))
        batch_op.drop_index(batch_op.f("ix_customer_branch_code"))

    op.drop_table("customer")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_kind"))

    op.drop_table("import_batch")
