"""Promises: each automatic reply's answer-by time, until the owner or the team answers."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_promises"
down_revision: str | Sequence[str] | None = "0008_closure_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promises",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("channel_id", sa.String(128), nullable=False),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("client_name", sa.Text, nullable=False, server_default=""),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("permalink", sa.Text, nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("platform", "workspace_id", "channel_id", "message_id", name="uq_promises_message"),
    )
    op.create_index("ix_promises_open", "promises", ["platform", "workspace_id", "channel_id", "answered_at"])


def downgrade() -> None:
    op.drop_index("ix_promises_open", table_name="promises")
    op.drop_table("promises")
