"""Database rows to the core's records (closures, meeting slots, reply-log entries) and channel keys to columns."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlalchemy.engine import Row

from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure, ClosureKind, MeetingSlot, ReplyLogEntry
from bot.promises import Promise
from bot.queue import UNFINISHED, Delivery, DeliveryKey, DeliveryState, PlannedDelivery
from bot.store import MessageContext
from storage.tables import as_utc

KEY_COLUMNS = ("kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id")
UNFINISHED_STATES = [state.value for state in UNFINISHED]
EXCERPT_CHARS = 200  # of a client's message, kept in the reply log for the digest
# The closure columns the message paths read, in this order.
MESSAGE_CLOSURE_COLUMNS = (
    "id",
    "start",
    "end",
    "reason",
    "backup",
    "notice_days",
    "kind",
    "created_at",
    "cancelled_at",
)


Record = TypeVar("Record", ReplyLogEntry, Promise)


def channel_of(row: Any) -> ChannelRef:
    return ChannelRef(row.platform, row.workspace_id, row.channel_id)


def channel_record(record: type[Record], row: Any) -> Record:
    """A record from a row keyed by channel: its channel from the key columns, every other field from the column of
    the same name."""
    return record(
        channel=channel_of(row), **{f.name: getattr(row, f.name) for f in fields(record) if f.name != "channel"}
    )


def reply_log_entry(row: Row) -> ReplyLogEntry:
    return channel_record(ReplyLogEntry, row)


def channel_key(channel: ChannelRef) -> dict[str, str]:
    return {"platform": channel.platform, "workspace_id": channel.workspace_id, "channel_id": channel.channel_id}


def channel_match(table: Any, channel: ChannelRef) -> tuple[Any, ...]:
    return (
        table.c.platform == channel.platform,
        table.c.workspace_id == channel.workspace_id,
        table.c.channel_id == channel.channel_id,
    )


def closure(row: Row[Any]) -> Closure:
    return Closure(
        id=row.id,
        start=row.start,
        end=row.end,
        reason=row.reason,
        backup=row.backup,
        notice_days=tuple(row.notice_days) if row.notice_days is not None else None,
        kind=ClosureKind(row.kind),
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
        replaces=row.replaces,
        calendar_uid=row.calendar_uid,
        detached_at=row.detached_at,
    )


def message_context(channel: ChannelRef, values: Sequence[Any]) -> MessageContext:
    """The context a message path read: the channel's mode and presence, the client's zone, and the channel's
    meeting slot (its time as text or a time, its skipped dates as JSON text), in that order."""
    mode, present, zone, weekday, local_time, duration, skipped = values
    slot = None
    if weekday is not None:
        slot = MeetingSlot(
            channel,
            weekday,
            time.fromisoformat(local_time) if isinstance(local_time, str) else local_time,
            duration,
            frozenset(date.fromisoformat(d) for d in json.loads(skipped)),
        )
    return MessageContext(ChannelMode(mode) if mode is not None else None, slot, zone, bool(present))


def closure_of_values(values: Sequence[Any], instant: Callable[[Any], datetime | None]) -> Closure:
    """A closure from a message path's MESSAGE_CLOSURE_COLUMNS, its times read by `instant` (each driver returns
    its own text); notice days come as a list or as JSON text."""
    closure_id, start, end, reason, backup, notice_days, kind, created_at, cancelled_at = values
    if isinstance(notice_days, str):
        notice_days = json.loads(notice_days)
    return Closure(
        id=closure_id,
        start=instant(start),  # type: ignore[arg-type]  # never NULL in the table
        end=instant(end),  # type: ignore[arg-type]
        reason=reason,
        backup=backup,
        notice_days=tuple(notice_days) if notice_days is not None else None,
        kind=ClosureKind(kind),
        created_at=instant(created_at),
        cancelled_at=instant(cancelled_at),
    )


def slot(row: Row[Any]) -> MeetingSlot:
    local_time: time = row.local_time
    return MeetingSlot(
        channel=channel_of(row),
        weekday=row.weekday,
        local_time=local_time,
        duration_minutes=row.duration_minutes,
        skipped_dates=frozenset(date.fromisoformat(d) for d in row.skipped_dates),
    )


def payload_of(item: PlannedDelivery) -> str:
    """The payload column of a planned delivery: its text, when it expires, and what its kind needs."""
    return json.dumps(
        {
            "text": item.text,
            "expires_at": as_utc(item.expires_at).isoformat(),
            "direct": item.direct,
            **({"data": dict(item.data)} if item.data else {}),
        }
    )


@dataclass(frozen=True)
class LiveReply:
    """A live reply's delivery row as the decision's transaction writes it: leased to `owner` until `lease_until`,
    its request about to go out (see bot.replies)."""

    planned: PlannedDelivery
    owner: str
    lease_until: datetime

    @property
    def payload(self) -> str:
        return payload_of(self.planned)


def delivery_of(row: Row[Any], *, attempts: int | None = None) -> Delivery:
    """A deliveries row as the queue's Delivery (`attempts` when the claim just counted one more)."""
    payload = json.loads(row.payload)
    return Delivery(
        id=row.id,
        key=DeliveryKey(*(getattr(row, name) for name in KEY_COLUMNS)),
        due_at=row.due_at,
        expires_at=datetime.fromisoformat(payload["expires_at"]) if "expires_at" in payload else row.due_at,
        text=payload.get("text", ""),  # "{}": retention cut the payload of a finished row
        direct=payload.get("direct", False),
        state=DeliveryState(row.state),
        attempts=row.attempts if attempts is None else attempts,
        platform_message_id=row.platform_message_id,
        last_error=row.last_error,
        outcome_unknown=row.posting_at is not None,
        data=payload.get("data"),
    )
