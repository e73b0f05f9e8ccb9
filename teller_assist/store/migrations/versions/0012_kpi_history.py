"""KPI history: the local days an application was submitted, decided and signed; indicators; indexes

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

The KPIs count by the bank's local day ("holding a signed line at D", "a drawdown on or after the
signing date"). The application rows keep their moments in UTC; the local day of a moment depends on
the zone of the desktop that made it, which neither engine can be asked for in SQL. So the day is kept
beside the moment, written with it from now on (``store.applications``) and filled in here for the
rows that exist, by this machine's local zone.

The KPIs' changes by day up to two days before a build are kept in ``kpi_change`` (rebuilt after each
night's import, ``teller-assist kpi refresh``); the days after come from the rows themselves.

Indexes let the KPI queries read narrow, ordered data instead of the wide application rows (their
survey and decision JSON): applications by person with every column the figures use, customers by
person with their branch and by birth date, drawdowns by person and day with their amount.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from teller_assist.store.base import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone().date()


def upgrade() -> None:
    op.add_column("application", sa.Column("submitted_on", sa.Date(), nullable=True))
    op.add_column("application", sa.Column("decided_on", sa.Date(), nullable=True))
    op.add_column("application", sa.Column("signed_on", sa.Date(), nullable=True))

    app = sa.table(
        "application",
        sa.column("id", sa.Integer()),
        sa.column("submitted_at", UtcDateTime()),
        sa.column("decided_at", UtcDateTime()),
        sa.column("signed_at", UtcDateTime()),
        sa.column("submitted_on", sa.Date()),
        sa.column("decided_on", sa.Date()),
        sa.column("signed_on", sa.Date()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(app.c.id, app.c.submitted_at, app.c.decided_at, app.c.signed_at)).all()
    params = [
        {
            "k": r.id,
            "s": _local_day(r.submitted_at),
            "d": _local_day(r.decided_at),
            "g": _local_day(r.signed_at),
        }
        for r in rows
    ]
    if params:
        bind.execute(
            app.update()
            .where(app.c.id == sa.bindparam("k"))
            .values(
                submitted_on=sa.bindparam("s"), decided_on=sa.bindparam("d"), signed_on=sa.bindparam("g")
            ),
            params,
        )

    op.create_index(
        "ix_application_kpi",
        "application",
        ["id_no", "status", "decided_on", "valid_until", "signed_on", "line", "branch_code", "maker_id"],
    )
    op.create_index("ix_application_decided_on", "application", ["decided_on"])
    op.create_index("ix_application_signed_on", "application", ["signed_on"])
    op.create_index("ix_application_maker_id", "application", ["maker_id"])
    op.create_index("ix_target_officer", "target", ["officer"])
    op.create_index("ix_customer_kpi_branch", "customer", ["id_no", "branch_code"], unique=True)
    op.create_index("ix_customer_kpi_birth", "customer", ["birth_date", "branch_code"])
    op.drop_index("ix_drawdown_id_no_drawn_on", table_name="drawdown")
    op.create_index("ix_drawdown_id_no_drawn_on_amount_fen", "drawdown", ["id_no", "drawn_on", "amount_fen"])

    op.create_table(
        "kpi_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", TS, nullable=False),
        sa.CheckConstraint("scope_kind IN ('branch', 'campaign')", name=op.f("ck_kpi_indicator_scope_kind")),
        sa.CheckConstraint("measure IN ('signed', 'granted')", name=op.f("ck_kpi_indicator_measure")),
        sa.CheckConstraint("people > 0", name=op.f("ck_kpi_indicator_people")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_kpi_indicator_period")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_indicator")),
        sa.UniqueConstraint("scope_kind", "scope_key", "starts_on", name="uq_kpi_indicator_scope_start"),
    )
    op.create_table(
        "kpi_change",
        sa.Column("view", sa.String(length=32), nullable=False),
        sa.Column("grp", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("view", "grp", "kind", "day", name=op.f("pk_kpi_change")),
    )
    op.create_table(
        "kpi_snapshot",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("built_at", TS, nullable=False),
        sa.Column("live_from", sa.Date(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("eligible_from", sa.Date(), nullable=True),
        sa.Column("eligible_until", sa.Date(), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("max_application_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_kpi_snapshot_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_snapshot")),
    )


def downgrade() -> None:
    op.drop_table("kpi_snapshot")
    op.drop_table("kpi_change")
    op.drop_table("kpi_indicator")
    op.drop_index("ix_drawdown_id_no_drawn_on_amount_fen", table_name="drawdown")
    op.create_index("ix_drawdown_id_no_drawn_on", "drawdown", ["id_no", "drawn_on"])
    op.drop_index("ix_customer_kpi_birth", table_name="customer")
    op.drop_index("ix_customer_kpi_branch", table_name="customer")
    op.drop_index("ix_target_officer", table_name="target")
    op.drop_index("ix_application_maker_id", table_name="application")
    op.drop_index("ix_application_signed_on", table_name="application")
    op.drop_index("ix_application_decided_on", table_name="application")
    op.drop_index("ix_application_kpi", table_name="application")
    # ALTER TABLE … DROP COLUMN on both engines (SQLite 3.35+): batch mode would copy the table and drop
    # the old one, which the rows that refer to applications (document issues, drafts) forbid
    for column in ("signed_on", "decided_on", "submitted_on"):
        op.execute(f"ALTER TABLE application DROP COLUMN {column}")
