"""Group campaigns and their members: the campaign (code, scenario, the group it serves, owning branch,
period, indicator, open or closed, its latest roster) and one row per person on it

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

A member is a membership, not a copy of a line: the person's line stays theirs, counted once however
many campaigns they are on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)
SCENARIOS = "('village', 'enterprise', 'association', 'bureau', 'community', 'market')"


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("scenario", sa.String(length=16), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("group_uscc", sa.String(length=18), nullable=True),
        sa.Column("village_groups", sa.Text(), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("indicator", sa.Integer(), nullable=True),
        sa.Column("indicator_measure", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("roster_file", sa.String(length=200), nullable=True),
        sa.Column("roster_sha256", sa.String(length=64), nullable=True),
        sa.Column("roster_rows", sa.Integer(), nullable=True),
        sa.Column("roster_by", sa.String(length=64), nullable=True),
        sa.Column("roster_at", TS, nullable=True),
        sa.CheckConstraint(f"scenario IN {SCENARIOS}", name=op.f("ck_campaign_scenario")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_campaign_status")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_campaign_period")),
        sa.CheckConstraint("indicator IS NULL OR indicator > 0", name=op.f("ck_campaign_indicator")),
        sa.CheckConstraint(
            "indicator_measure IN ('signed', 'granted')", name=op.f("ck_campaign_indicator_measure")
        ),
        sa.CheckConstraint(
            "scenario NOT IN ('enterprise', 'bureau') OR group_uscc IS NOT NULL",
            name=op.f("ck_campaign_group_uscc"),
        ),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL)",
            name=op.f("ck_campaign_closed"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("code", name=op.f("uq_campaign_code")),
    )
    op.create_index(op.f("ix_campaign_branch_code"), "campaign", ["branch_code"])
    op.create_table(
        "campaign_member",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("evaluation", sa.String(length=8), nullable=True),
        sa.Column("evaluated_by", sa.String(length=200), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("key_household", sa.Boolean(), nullable=False),
        sa.Column("permanent_staff", sa.Boolean(), nullable=False),
        sa.Column("extras", sa.Text(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "status IN ('matched', 'new_to_bank', 'refused', 'removed')",
            name=op.f("ck_campaign_member_status"),
        ),
        sa.CheckConstraint(
            "status <> 'refused' OR reason IS NOT NULL", name=op.f("ck_campaign_member_refused_reason")
        ),
        sa.CheckConstraint(
            "evaluation IS NULL OR evaluation IN ('good', 'fair', 'poor')",
            name=op.f("ck_campaign_member_evaluation"),
        ),
        sa.CheckConstraint("line_no > 0", name=op.f("ck_campaign_member_line_no")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_member_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "id_no", name=op.f("pk_campaign_member")),
    )
    op.create_index(op.f("ix_campaign_member_id_no"), "campaign_member", ["id_no"])


def downgrade() -> None:
    # campaigns and their rosters are never thrown away to make a downgrade fit
    bind = op.get_bind()
    n = bind.scalar(sa.text("SELECT count(*) FROM campaign"))
    if n:
        raise RuntimeError(f"campaign holds {n} rows; revision 0013 cannot keep them")
    op.drop_index(op.f("ix_campaign_member_id_no"), table_name="campaign_member")
    op.drop_table("campaign_member")
    op.drop_index(op.f("ix_campaign_branch_code"), table_name="campaign")
    op.drop_table("campaign")
