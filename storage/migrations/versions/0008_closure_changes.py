"""A closure the owner changed is cancelled and replaced: the new one names the one it replaces."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_closure_changes"
down_revision: str | Sequence[str] | None = "0007_claim_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.add_column(sa.Column("replaces", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("closures") as batch:
        batch.drop_column("replaces")
