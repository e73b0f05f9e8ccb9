"""A campaign's members submitted in batches: the batch (who submitted which campaign's members, when,
under which policy, how many), the link from each application to its batch, and what a member brings to
a submission (the consents a roster gave, a completed survey recorded for them)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

An application submitted in a batch is an application like any other (migration 0004's constraints hold
for it: maker and checker differ, the checker's authority covers the line, one open application per
person); ``campaign_application`` only says which batch and campaign it came from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)
MEMBER_COLUMNS = (
    ("consent_at", TS),
    ("consent_by", sa.String(length=64)),
    ("survey", sa.Text()),
    ("survey_scenario", sa.String(length=16)),
    ("surveyed_at", TS),
    ("surveyed_by", sa.String(length=64)),
)


def upgrade() -> None:
    op.create_table(
        "campaign_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("maker_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=False),
        sa.Column("applications", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        sa.CheckConstraint("applications > 0", name=op.f("ck_campaign_batch_applications")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_batch_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["maker_id"], ["operator.id"], name=op.f("fk_campaign_batch_maker_id_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_batch")),
    )
    op.create_index(op.f("ix_campaign_batch_campaign_id"), "campaign_batch", ["campaign_id"])
    op.create_table(
        "campaign_application",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_campaign_application_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["campaign_batch.id"], name=op.f("fk_campaign_application_batch_id_campaign_batch")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_application_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_campaign_application")),
    )
    op.create_index(op.f("ix_campaign_application_batch_id"), "campaign_application", ["batch_id"])
    op.create_index(op.f("ix_campaign_application_campaign_id"), "campaign_application", ["campaign_id"])
    for name, type_ in MEMBER_COLUMNS:
        op.add_column("campaign_member", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    # submitted batches and recorded surveys are never thrown away to make a downgrade fit
    bind = op.get_bind()
    batches = bind.scalar(sa.text("SELECT count(*) FROM campaign_batch"))
    surveyed = bind.scalar(sa.text("SELECT count(*) FROM campaign_member WHERE survey IS NOT NULL"))
    if batches or surveyed:
        raise RuntimeError(
            f"campaign_batch holds {batches} rows and {surveyed} members have a survey; "
            "revision 0014 cannot keep them"
        )
    with op.batch_alter_table("campaign_member") as batch_op:
        for name, _type in reversed(MEMBER_COLUMNS):
            batch_op.drop_column(name)
    op.drop_index(op.f("ix_campaign_application_campaign_id"), table_name="campaign_application")
    op.drop_index(op.f("ix_campaign_application_batch_id"), table_name="campaign_application")
    op.drop_table("campaign_application")
    op.drop_index(op.f("ix_campaign_batch_campaign_id"), table_name="campaign_batch")
    op.drop_table("campaign_batch")
