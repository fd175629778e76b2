"""Closures remember the owner's calendar event they were imported from (issue 19)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_calendar_import"
down_revision: str | Sequence[str] | None = "0007_claim_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.add_column(sa.Column("calendar_uid", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.drop_column("calendar_uid")
