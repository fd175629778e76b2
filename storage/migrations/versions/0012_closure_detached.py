"""Imported closures the owner detached from their calendar event, which later imports leave alone (issue 19)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_closure_detached"
down_revision: str | Sequence[str] | None = "0011_welcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.add_column(sa.Column("detached_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.drop_column("detached_at")
