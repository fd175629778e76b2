"""The outbox: unknown and cancelled states, posting and cancel times, shared rate-limit pauses, channel presence."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_outbox"
down_revision: str | Sequence[str] | None = "0003_reply_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)
OLD_STATES = "state IN ('pending', 'in_flight', 'sent', 'failed', 'skipped')"
NEW_STATES = "state IN ('pending', 'in_flight', 'unknown', 'sent', 'failed', 'skipped', 'cancelled')"


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("ck_deliveries_state", type_="check")
        batch.create_check_constraint("ck_deliveries_state", NEW_STATES)
        batch.add_column(sa.Column("posting_at", TZ, nullable=True))
        batch.add_column(sa.Column("cancelled_at", TZ, nullable=True))
    op.create_index("ix_deliveries_channel_state", "deliveries", ["platform", "workspace_id", "channel_id", "state"])
    op.create_table(
        "rate_pauses",
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("channel_id", sa.String(128), nullable=False),
        sa.Column("until", TZ, nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace_id", "channel_id", name="pk_rate_pauses"),
    )
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("left_at", TZ, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("left_at")
    op.drop_table("rate_pauses")
    op.drop_index("ix_deliveries_channel_state", table_name="deliveries")
    op.execute("UPDATE deliveries SET state = 'in_flight' WHERE state = 'unknown'")  # how 0003 marked a lost outcome
    op.execute("UPDATE deliveries SET state = 'skipped' WHERE state = 'cancelled'")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("cancelled_at")
        batch.drop_column("posting_at")
        batch.drop_constraint("ck_deliveries_state", type_="check")
        batch.create_check_constraint("ck_deliveries_state", OLD_STATES)
