"""Indexes for the reads that grow with history (digest, App Home, planner, failures) and for pruning."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_retention_indexes"
down_revision: str | Sequence[str] | None = "0004_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAYLOAD_KEPT = "payload <> '{}'"  # as in storage/tables.py: rows whose payload retention has not cut yet


def upgrade() -> None:
    op.create_index("ix_reply_log_sent_at", "reply_log", ["sent_at", "id"])
    op.create_index("ix_deliveries_kind_state", "deliveries", ["kind", "state"])
    op.create_index("ix_deliveries_state_updated", "deliveries", ["state", "updated_at"])
    op.create_index(
        "ix_deliveries_payload_kept",
        "deliveries",
        ["state", "updated_at"],
        sqlite_where=sa.text(PAYLOAD_KEPT),
        postgresql_where=sa.text(PAYLOAD_KEPT),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_payload_kept", table_name="deliveries")
    op.drop_index("ix_deliveries_state_updated", table_name="deliveries")
    op.drop_index("ix_deliveries_kind_state", table_name="deliveries")
    op.drop_index("ix_reply_log_sent_at", table_name="reply_log")
