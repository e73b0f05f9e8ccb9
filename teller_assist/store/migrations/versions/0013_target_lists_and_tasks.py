"""Head office's target lists and the officers' daily tasks: the region → branch table, issued lists
with each branch's indicator, every assignment of a target to an officer, the outcomes of tasks and the
struck targets

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

A list head office issues is a campaign of ``target`` rows like an imported one, but no extract brought
it: ``target.batch_id`` may now be empty. On SQLite that column change copies the table (batch mode);
a test holds that its rows, CHECK constraint and indexes come along.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def _target_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["campaign", "id_no"], ["target.campaign", "target.id_no"], name=f"fk_{table}_target"
    )


def _target_batch_nullable(nullable: bool) -> None:
    # SQLite: Alembic copies the table with its named CHECK, keys and indexes as it reflects them
    with op.batch_alter_table("target") as batch_op:
        batch_op.alter_column("batch_id", existing_type=sa.Integer(), nullable=nullable)


def upgrade() -> None:
    _target_batch_nullable(True)
    op.create_table(
        "region_branch",
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", TS, nullable=False),
        sa.CheckConstraint("length(region_code) = 6", name=op.f("ck_region_branch_region_code")),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_region_branch")),
    )
    op.create_table(
        "target_list",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.String(length=16), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("filters", sa.Text(), nullable=False),
        sa.CheckConstraint("people > 0", name=op.f("ck_target_list_people")),
        sa.CheckConstraint("due_on > issued_on", name=op.f("ck_target_list_due_on")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_target_list")),
    )
    op.create_table(
        "target_list_branch",
        sa.Column("list_code", sa.String(length=64), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.Integer(), nullable=False),
        sa.CheckConstraint("people > 0", name=op.f("ck_target_list_branch_people")),
        sa.CheckConstraint(
            "indicator >= 0 AND indicator <= people", name=op.f("ck_target_list_branch_indicator")
        ),
        sa.ForeignKeyConstraint(
            ["list_code"], ["target_list.code"], name=op.f("fk_target_list_branch_list_code_target_list")
        ),
        sa.PrimaryKeyConstraint("list_code", "branch_code", name=op.f("pk_target_list_branch")),
    )
    op.create_table(
        "target_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("officer", sa.String(length=64), nullable=True),
        sa.Column("previous", sa.String(length=64), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", TS, nullable=False),
        _target_key("target_assignment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_assignment")),
    )
    op.create_index("ix_target_assignment_target", "target_assignment", ["campaign", "id_no"])
    op.create_table(
        "task_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("appointment_on", sa.Date(), nullable=True),
        sa.Column("for_good", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.CheckConstraint(
            "kind IN ('survey', 'submit', 'deliver_letter', 'get_signed', 'follow_up_usage', 'renew')",
            name=op.f("ck_task_outcome_kind"),
        ),
        sa.CheckConstraint(
            "outcome IN ('done', 'not_reached', 'declined', 'appointment')",
            name=op.f("ck_task_outcome_outcome"),
        ),
        sa.CheckConstraint(
            "outcome <> 'declined' OR reason IS NOT NULL", name=op.f("ck_task_outcome_declined_reason")
        ),
        sa.CheckConstraint(
            "(outcome = 'appointment') = (appointment_on IS NOT NULL)",
            name=op.f("ck_task_outcome_appointment_on"),
        ),
        sa.CheckConstraint("NOT for_good OR outcome = 'declined'", name=op.f("ck_task_outcome_for_good")),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_task_outcome_application_id_application")
        ),
        _target_key("task_outcome"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_outcome")),
    )
    op.create_index("ix_task_outcome_person", "task_outcome", ["id_no", "recorded_on"])
    op.create_table(
        "target_strike",
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("struck_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.CheckConstraint(
            "reason IN ('signed', 'ineligible', 'declined')", name=op.f("ck_target_strike_reason")
        ),
        _target_key("target_strike"),
        sa.PrimaryKeyConstraint("campaign", "id_no", name=op.f("pk_target_strike")),
    )
    op.create_index("ix_target_strike_struck_on", "target_strike", ["struck_on"])


def downgrade() -> None:
    # what head office issued and the officers recorded is never thrown away to make a downgrade fit
    bind = op.get_bind()
    for table in ("target_list", "task_outcome", "target_strike", "target_assignment"):
        n = bind.scalar(sa.text(f"SELECT count(*) FROM {table}"))
        if n:
            raise RuntimeError(f"{table} holds {n} rows; revision 0012 cannot keep them")
    op.drop_index("ix_target_strike_struck_on", table_name="target_strike")
    op.drop_table("target_strike")
    op.drop_index("ix_task_outcome_person", table_name="task_outcome")
    op.drop_table("task_outcome")
    op.drop_index("ix_target_assignment_target", table_name="target_assignment")
    op.drop_table("target_assignment")
    op.drop_table("target_list_branch")
    op.drop_table("target_list")
    op.drop_table("region_branch")
    _target_batch_nullable(False)
