"""Replies to the owner's direct messages are marked, so a client's DMs and channel messages share one throttle (issue 24)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_reply_log_owner_dm"
down_revision: str | Sequence[str] | None = "0012_closure_detached"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reply_log") as batch:
        batch.add_column(sa.Column("owner_dm", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_reply_log_workspace_client", "reply_log", ["platform", "workspace_id", "client_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_reply_log_workspace_client", table_name="reply_log")
    with op.batch_alter_table("reply_log") as batch:
        batch.drop_column("owner_dm")
