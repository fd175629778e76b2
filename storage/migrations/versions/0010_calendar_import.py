"""Closures remember the owner's calendar event they were imported from (issue 19)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_calendar_import"
down_revision: str | Sequence[str] | None = "0009_promises"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


LIVE_IMPORTED = "calendar_uid IS NOT NULL AND cancelled_at IS NULL"  # as in storage/tables.py


def upgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.add_column(sa.Column("calendar_uid", sa.Text(), nullable=True))
    op.create_index(
        "uq_closures_calendar_uid",
        "closures",
        ["calendar_uid"],
        unique=True,
        sqlite_where=sa.text(LIVE_IMPORTED),
        postgresql_where=sa.text(LIVE_IMPORTED),
    )


def downgrade() -> None:
    op.drop_index("uq_closures_calendar_uid", table_name="closures")
    with op.batch_alter_table("closures") as batch:
        batch.drop_column("calendar_uid")
