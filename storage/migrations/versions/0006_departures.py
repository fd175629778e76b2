"""Workspaces the app was uninstalled from: their client data is erased once the retention period has passed."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_departures"
down_revision: str | Sequence[str] | None = "0005_retention_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "departures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "workspace_id", name="uq_departures_workspace"),
    )


def downgrade() -> None:
    op.drop_table("departures")
