"""reply_heads: a version per (channel, client) that every logged decision bumps, so recording one checks it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_reply_heads"
down_revision: str | Sequence[str] | None = "0002_slack_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reply_heads",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("channel_id", sa.String(128), nullable=False),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace_id", "channel_id", "client_id", name="pk_reply_heads"),
    )


def downgrade() -> None:
    op.drop_table("reply_heads")
