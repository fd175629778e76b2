"""The parsed command values, one dataclass per command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.models import ChannelMode


@dataclass(frozen=True)
class AddClosure:
    start: datetime
    end: datetime
    reason: str = ""
    backup: str | None = None
    notice_days: tuple[int, ...] | None = None


@dataclass(frozen=True)
class CloseNow:
    until: datetime
    reason: str = ""
    backup: str | None = None


@dataclass(frozen=True)
class ListClosures:
    pass


@dataclass(frozen=True)
class CancelClosure:
    closure_id: int


@dataclass(frozen=True)
class SetMeeting:
    weekday: int
    local_time: time
    duration_minutes: int = 30


@dataclass(frozen=True)
class ListMeetings:
    pass


@dataclass(frozen=True)
class SkipMeeting:
    on: date | None = None


@dataclass(frozen=True)
class ClearMeeting:
    pass


@dataclass(frozen=True)
class MarkChannel:
    mode: ChannelMode


@dataclass(frozen=True)
class Preview:
    text: str
    at: datetime | None = None


@dataclass(frozen=True)
class PostGuide:
    """Post the client guide in this channel."""


@dataclass(frozen=True)
class ShowHours:
    pass


@dataclass(frozen=True)
class ShowStatus:
    """The owner's status: open or closed now, closures and meetings to come, how the posts are doing."""


@dataclass(frozen=True)
class SetTimezone:
    zone: str


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Forget:
    """Erase one client's data; unconfirmed, only count what would go."""

    user_id: str
    confirmed: bool = False


OWNER_ONLY = (
    ShowStatus,
    Forget,
    AddClosure,
    CloseNow,
    CancelClosure,
    SetMeeting,
    SkipMeeting,
    ClearMeeting,
    MarkChannel,
    Preview,
    ListClosures,
    ListMeetings,
    PostGuide,
)
