"""Clients welcomed once per workspace by the new-client orientation."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_welcomes"
down_revision: str | Sequence[str] | None = "0010_calendar_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "welcomes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "workspace_id", "client_id", name="uq_welcomes_client"),
    )


def downgrade() -> None:
    op.drop_table("welcomes")
