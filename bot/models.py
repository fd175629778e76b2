"""Runtime records the core reasons about: closures, meeting slots and sent-reply history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from bot.messages import ChannelRef


class ClosureKind(StrEnum):
    """A closure planned ahead (vacation, holiday) or declared on the spot (sick day)."""

    PLANNED = "planned"
    EMERGENCY = "emergency"


class ChannelMode(StrEnum):
    """Whether the bot answers clients in a channel."""

    CLIENT = "client"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Closure:
    """A period when the business is closed; `end` is exclusive. Instants are timezone-aware."""

    start: datetime
    end: datetime
    reason: str = ""
    backup: str | None = None
    notice_days: tuple[int, ...] | None = None
    kind: ClosureKind = ClosureKind.PLANNED
    id: int | None = None
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    replaces: int | None = None  # the closure this one changed (that one is cancelled, its channels told once)
    calendar_uid: str | None = None  # the owner's calendar event it was imported from
    detached_at: datetime | None = None  # when the owner detached it from that event: later imports leave it alone

    @property
    def imported(self) -> bool:
        """Whether it follows the owner's calendar: imported from it, and not detached since."""
        return self.calendar_uid is not None and self.detached_at is None

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True)
class MeetingSlot:
    """A client channel's weekly meeting, in the owner's time zone."""

    channel: ChannelRef
    weekday: int
    local_time: time
    duration_minutes: int = 30
    skipped_dates: frozenset[date] = field(default=frozenset())


@dataclass(frozen=True)
class SentReply:
    """One automatic reply already sent to a client in a channel, for throttling."""

    kind: str
    window_key: str
    sent_at: datetime


@dataclass(frozen=True)
class ReplyLogEntry:
    """One logged automatic reply, for the owner's view of what the bot said lately."""

    channel: ChannelRef
    client_id: str
    client_name: str
    kind: str
    sent_at: datetime
    text_excerpt: str
    permalink: str | None = None
