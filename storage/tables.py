"""SQLAlchemy 2 declarative models for every table, with a UTC-preserving datetime type."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PAYLOAD_KEPT = "payload <> '{}'"  # a delivery's payload is cut to "{}" once retention says so
UNFINISHED_ROWS = "state IN ('pending', 'in_flight', 'unknown')"  # what the sender claims from; a literal, so
# SQLite sees that a query with it may read the partial index below
DELIVERY_STATES = ("pending", "in_flight", "unknown", "sent", "failed", "skipped", "cancelled")


def as_utc(value: datetime) -> datetime:
    """An aware datetime converted to UTC; naive datetimes are refused (their meaning is unknown)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; storage needs timezone-aware datetimes")
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns aware UTC datetimes (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = as_utc(value)
        # SQLite stores a fixed-width text without offset, so UTC values compare correctly as text.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base sharing one metadata with deterministic constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class WorkspaceKeyed:
    """A row's surrogate id and the workspace it belongs to: the columns most tables begin with (sort_order puts
    them first, where a mixin's columns would otherwise come last)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-4)
    platform: Mapped[str] = mapped_column(String(32), nullable=False, sort_order=-3)
    workspace_id: Mapped[str] = mapped_column(String(128), nullable=False, sort_order=-2)


class ChannelKeyed(WorkspaceKeyed):
    """A row's surrogate id and the channel it belongs to."""

    channel_id: Mapped[str] = mapped_column(String(128), nullable=False, sort_order=-1)


LIVE_IMPORTED = "calendar_uid IS NOT NULL AND cancelled_at IS NULL"


class ClosureRow(Base):
    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    backup: Mapped[str | None] = mapped_column(Text, nullable=True)
    notice_days: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replaces: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the closure this one changed
    calendar_uid: Mapped[str | None] = mapped_column(Text, nullable=True)
    detached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # from its calendar event

    __table_args__ = (
        Index("ix_closures_end", "end"),
        # One live closure per calendar event, however many processes import at once.
        Index(
            "uq_closures_calendar_uid",
            "calendar_uid",
            unique=True,
            sqlite_where=text(LIVE_IMPORTED),
            postgresql_where=text(LIVE_IMPORTED),
        ),
    )


class ChannelRow(ChannelKeyed, Base):
    __tablename__ = "channels"

    name: Mapped[str] = mapped_column(Text, nullable=False, default="")
    mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # the bot left or lost access

    __table_args__ = (UniqueConstraint("platform", "workspace_id", "channel_id", name="uq_channels_ref"),)


class MeetingSlotRow(ChannelKeyed, Base):
    __tablename__ = "meeting_slots"

    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    local_time: Mapped[time] = mapped_column(Time, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    skipped_dates: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)

    __table_args__ = (UniqueConstraint("platform", "workspace_id", "channel_id", name="uq_meeting_slots_channel"),)


class ClientTimezoneRow(WorkspaceKeyed, Base):
    __tablename__ = "client_timezones"

    user_id: Mapped[str] = mapped_column(String(128), nullable=False)
    zone: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (UniqueConstraint("platform", "workspace_id", "user_id", name="uq_client_timezones_user"),)


class DepartureRow(WorkspaceKeyed, Base):
    """A workspace the app was uninstalled from, and when; its client data is erased after the retention period."""

    __tablename__ = "departures"

    left_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("platform", "workspace_id", name="uq_departures_workspace"),)


class ReplyLogRow(ChannelKeyed, Base):
    __tablename__ = "reply_log"

    client_id: Mapped[str] = mapped_column(String(128), nullable=False)
    client_name: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    window_key: Mapped[str] = mapped_column(String(128), nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    message_id: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    text_excerpt: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    permalink: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner_dm: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())

    __table_args__ = (
        Index("ix_reply_log_client_sent", "platform", "workspace_id", "channel_id", "client_id", "sent_at"),
        Index("ix_reply_log_workspace_client", "platform", "workspace_id", "client_id", "sent_at"),  # shared throttle
        Index("ix_reply_log_sent_at", "sent_at", "id"),  # the digest, App Home's latest replies, pruning
    )


class ReplyHeadRow(Base):
    """The version of one client's logged replies in one channel; recording a decision bumps it (compare and set)."""

    __tablename__ = "reply_heads"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)


class SeenEventRow(Base):
    __tablename__ = "seen_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    event_id: Mapped[str] = mapped_column(String(255), nullable=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("platform", "event_id", name="uq_seen_events_event"),
        Index("ix_seen_events_seen_at", "seen_at"),
    )


class DeliveryRow(Base):
    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    subject_id: Mapped[str] = mapped_column(String(128), nullable=False)
    occurrence: Mapped[str] = mapped_column(String(10), nullable=False)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    workspace_id: Mapped[str] = mapped_column(String(128), nullable=False)
    channel_id: Mapped[str] = mapped_column(String(128), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    platform_message_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    posting_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # this attempt's request went out
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # never to be posted (again)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint(
            "kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id", name="uq_deliveries_key"
        ),
        CheckConstraint(f"state IN ({', '.join(repr(state) for state in DELIVERY_STATES)})", name="state"),
        Index("ix_deliveries_channel_state", "platform", "workspace_id", "channel_id", "state"),
        Index("ix_deliveries_state_updated", "state", "updated_at"),  # failures for the digest and follow-ups
        # Rows whose payload is not yet cut (see storage/retention.py): pruning never rereads the cut ones.
        Index(
            "ix_deliveries_payload_kept",
            "state",
            "updated_at",
            sqlite_where=text(PAYLOAD_KEPT),
            postgresql_where=text(PAYLOAD_KEPT),
        ),
        # The sender's claim, every few seconds: only the rows not finished, however long the history.
        Index(
            "ix_deliveries_unfinished",
            "due_at",
            "id",
            sqlite_where=text(UNFINISHED_ROWS),
            postgresql_where=text(UNFINISHED_ROWS),
        ),
    )


class RatePauseRow(Base):
    """A 429's Retry-After, shared by every replica: nothing posts to the workspace (channel_id "") or channel
    before `until`."""

    __tablename__ = "rate_pauses"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


# The Slack OAuth tables (in slack_sdk's store shape) live in their own module; importing it registers them here.
from storage import slack_tables as _slack_tables  # noqa: E402,F401
from storage.holds import OwnerHoldRow  # noqa: E402,F401
from storage.promise_tables import PromiseRow  # noqa: E402
from storage.welcomes import WelcomeRow  # noqa: E402,F401


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)  # a declarative class with a __tablename__ maps a Table


# the tables themselves, for Core statements (the hot paths and the bulk work use Core, not the ORM)
closures = _table(ClosureRow)
channels = _table(ChannelRow)
meeting_slots = _table(MeetingSlotRow)
client_timezones = _table(ClientTimezoneRow)
departures = _table(DepartureRow)
reply_log = _table(ReplyLogRow)
reply_heads = _table(ReplyHeadRow)
seen_events = _table(SeenEventRow)
deliveries = _table(DeliveryRow)
pauses = _table(RatePauseRow)
promises = _table(PromiseRow)
