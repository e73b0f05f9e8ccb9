"""The customer's written authorisation: a document kind of its own, and signatures per document

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

OLD_KINDS = "kind IN ('agreement', 'letter')"
NEW_KINDS = "kind IN ('agreement', 'authorization', 'letter')"


def upgrade() -> None:
    # SQLite cannot alter a CHECK constraint: batch mode copies the table with the new one
    with op.batch_alter_table("document_issue") as batch_op:
        batch_op.drop_constraint(op.f("ck_document_issue_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_issue_kind"), NEW_KINDS)
    op.create_table(
        "document_signature",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('agreement', 'authorization')", name=op.f("ck_document_signature_kind")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_document_signature_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("application_id", "kind", name=op.f("pk_document_signature")),
    )


def downgrade() -> None:
    # the record of an issued authorisation is never thrown away to make a downgrade fit
    issued = op.get_bind().scalar(sa.text("SELECT count(*) FROM document_issue WHERE kind = 'authorization'"))
    if issued:
        raise RuntimeError(f"{issued} authorisations were issued; revision 0008 cannot record them")
    op.drop_table("document_signature")
    with op.batch_alter_table("document_issue") as batch_op:
        batch_op.drop_constraint(op.f("ck_document_issue_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_issue_kind"), OLD_KINDS)
