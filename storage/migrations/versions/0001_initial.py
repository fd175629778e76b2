"""Initial schema: closures, channels, meeting slots, client time zones, reply log, seen events, deliveries."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _channel_columns() -> list[sa.Column]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("channel_id", sa.String(128), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "closures",
        _id(),
        sa.Column("start", TZ, nullable=False),
        sa.Column("end", TZ, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("backup", sa.Text(), nullable=True),
        sa.Column("notice_days", sa.JSON(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("cancelled_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_closures"),
    )
    op.create_index("ix_closures_end", "closures", ["end"])

    op.create_table(
        "channels",
        _id(),
        *_channel_columns(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=True),
        sa.Column("first_seen_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_channels"),
        sa.UniqueConstraint("platform", "workspace_id", "channel_id", name="uq_channels_ref"),
    )

    op.create_table(
        "meeting_slots",
        _id(),
        *_channel_columns(),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("skipped_dates", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_slots"),
        sa.UniqueConstraint("platform", "workspace_id", "channel_id", name="uq_meeting_slots_channel"),
    )

    op.create_table(
        "client_timezones",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(128), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_client_timezones"),
        sa.UniqueConstraint("platform", "workspace_id", "user_id", name="uq_client_timezones_user"),
    )

    op.create_table(
        "reply_log",
        _id(),
        *_channel_columns(),
        sa.Column("client_id", sa.String(128), nullable=False),
        sa.Column("client_name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("window_key", sa.String(128), nullable=False),
        sa.Column("sent_at", TZ, nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("text_excerpt", sa.String(200), nullable=False),
        sa.Column("permalink", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reply_log"),
    )
    op.create_index(
        "ix_reply_log_client_sent", "reply_log", ["platform", "workspace_id", "channel_id", "client_id", "sent_at"]
    )

    op.create_table(
        "seen_events",
        _id(),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seen_events"),
        sa.UniqueConstraint("platform", "event_id", name="uq_seen_events_event"),
    )
    op.create_index("ix_seen_events_seen_at", "seen_events", ["seen_at"])

    op.create_table(
        "deliveries",
        _id(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("occurrence", sa.String(10), nullable=False),
        *_channel_columns(),
        sa.Column("due_at", TZ, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", TZ, nullable=True),
        sa.Column("platform_message_id", sa.String(128), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint(
            "kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id", name="uq_deliveries_key"
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'in_flight', 'sent', 'failed', 'skipped')", name="ck_deliveries_state"
        ),
    )
    op.create_index("ix_deliveries_state_due", "deliveries", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_state_due", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_seen_events_seen_at", table_name="seen_events")
    op.drop_table("seen_events")
    op.drop_index("ix_reply_log_client_sent", table_name="reply_log")
    op.drop_table("reply_log")
    op.drop_table("client_timezones")
    op.drop_table("meeting_slots")
    op.drop_table("channels")
    op.drop_index("ix_closures_end", table_name="closures")
    op.drop_table("closures")
