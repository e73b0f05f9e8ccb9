"""Credit lines and approval authorities in fen, like every other amount the store keeps

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

``application.line``, ``application.checker_authority`` and ``authority_grant.max_line`` held whole yuan;
they become ``line_fen``, ``checker_authority_fen`` and ``max_line_fen``, each value times 100. The rules
of 0004 keep holding on the new values: an approval's authority covers its line (``line_fen <=
checker_authority_fen``, both scaled alike) and names an authority the policy really granted (the
composite foreign key, now onto ``max_line_fen``). Both engines rename the columns in place, so the
constraints and indexes that name them follow; the foreign key is only lifted for the two updates (on
PostgreSQL dropped and made again, on SQLite deferred to the commit). The KPIs' kept changes
(``kpi_change``) summed the signed lines in yuan: those sums are scaled too.

A line is at most the policy's cap (300,000 yuan in the bundled policy; a policy is refused above 20
million), so the fen stay well inside the 32-bit integer the columns have on PostgreSQL.

Going back divides by 100, and refuses while any line or authority is not a whole number of yuan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None

FK = "fk_application_checker_authority_grant"
RENAMES = (  # (table, yuan column, fen column)
    ("authority_grant", "max_line", "max_line_fen"),
    ("application", "line", "line_fen"),
    ("application", "checker_authority", "checker_authority_fen"),
)


def _scale(*, up: bool) -> None:
    """Times 100 and to the fen names (``up``), or divided by 100 and back to the yuan names."""
    postgres = op.get_bind().dialect.name == "postgresql"
    col = {old: (old if up else new) for _table, old, new in RENAMES}  # the names as they are now
    to = {old: (new if up else old) for _table, old, new in RENAMES}  # the names they become
    by = "* 100" if up else "/ 100"
    if postgres:
        op.execute(f"ALTER TABLE application DROP CONSTRAINT {FK}")
    else:
        op.execute("PRAGMA defer_foreign_keys = ON")  # checked at the commit, after both updates
    grant, line, authority = col["max_line"], col["line"], col["checker_authority"]
    op.execute(f"UPDATE authority_grant SET {grant} = {grant} {by}")
    # one statement for the line and its authority, so the covering check holds on every row
    op.execute(f"UPDATE application SET {line} = {line} {by}, {authority} = {authority} {by}")
    # the KPIs' kept changes sum the signed lines (the drawdowns were fen already)
    op.execute(f"UPDATE kpi_change SET amount = amount {by} WHERE kind IN ('signed', 'signed_end')")
    for table, old, _new in RENAMES:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {col[old]} TO {to[old]}")
    if postgres:
        op.execute(
            f"ALTER TABLE application ADD CONSTRAINT {FK} FOREIGN KEY (checker_role, {to['checker_authority']}) "
            f"REFERENCES authority_grant (role, {to['max_line']})"
        )


def upgrade() -> None:
    _scale(up=True)


def downgrade() -> None:
    bind = op.get_bind()
    for table, _old, new in RENAMES:
        n = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {new} % 100 <> 0")).scalar_one()
        if n:
            raise RuntimeError(f"{table}.{new} holds {n} amounts with fen; revision 0016 keeps whole yuan")
    _scale(up=False)
