"""The parsed command values, one dataclass per command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.messages import ChannelRef
from bot.models import ChannelMode
from bot.outbound import OwnerMessages
from bot.policy import Policy
from bot.queue import DeliveryQueue
from bot.roles import Roles
from bot.store import Store

FeedLinks = Callable[[ChannelRef | None], str]  # the feed's address: the business's, or a channel's


class CommandError(ValueError):
    """Bad command input; the message says what was expected."""


@dataclass(frozen=True)
class Invocation:
    """Who ran a command, and where."""

    platform: str
    workspace_id: str
    channel_id: str
    user_id: str
    user_tz: str | None = None

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef(self.platform, self.workspace_id, self.channel_id)


@dataclass(frozen=True)
class CommandResult:
    """The private answer to a command; ok is False for refusals and bad input (nothing was changed)."""

    text: str
    ok: bool = True
    public: str | None = None  # to post in the channel for everyone, besides the private answer


@dataclass(frozen=True)
class Context:
    """What a command runs against: who ran it and where, the store, the policy, the roles and the time."""

    invocation: Invocation
    store: Store
    policy: Policy
    roles: Roles
    now: datetime
    feed_links: FeedLinks | None = None  # the calendar feeds' addresses, when CALENDAR_KEY is set
    queue: DeliveryQueue | None = None  # the outbox, where a command plans posts of its own
    owner_messages: OwnerMessages | None = None  # takes down the owner's own messages, where a platform can


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
class ChangeClosure:
    """Move, shorten or extend a closure, or change its reason or backup; None keeps what it was."""

    closure_id: int
    start: datetime | None = None
    end: datetime | None = None
    reason: str | None = None
    backup: str | None = None
    notice_days: tuple[int, ...] | None = None


@dataclass(frozen=True)
class CancelClosure:
    closure_id: int


@dataclass(frozen=True)
class EndClosure:
    """End a closure now (the one under way when no number is given): clients get the usual "we're back"."""

    closure_id: int | None = None


@dataclass(frozen=True)
class DetachClosure:
    """Keep an imported closure as it is: later calendar imports no longer move or cancel it."""

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
class PreviewWelcome:
    """`boundaries preview welcome`: the orientation a new client in this channel would get."""


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
class CalendarLinks:
    """The secret addresses of the business's calendar feed and this channel's."""


@dataclass(frozen=True)
class SetTimezone:
    zone: str


@dataclass(frozen=True)
class ListPromises:
    """The answer-by times told to clients that nobody has answered yet, soonest first."""


@dataclass(frozen=True)
class PromiseDone:
    promise_id: int


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Forget:
    """Erase one client's data; unconfirmed, only count what would go."""

    user_id: str
    confirmed: bool = False


@dataclass(frozen=True)
class SendLater:
    """Post the owner's text in this channel at the next opening, through the outbox; with `reply_to`, as a reply
    to that message (Slack: in its thread, `thread_id` when it was already in one; Discord: a reply)."""

    text: str
    reply_to: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class HoldLater:
    """Hold the owner's next messages in client channels until the opening (`off`: stop holding)."""

    off: bool = False


@dataclass(frozen=True)
class MoveLater:
    """Move the message the after-hours reminder was about to the opening."""


@dataclass(frozen=True)
class ListLater:
    pass


@dataclass(frozen=True)
class CancelLater:
    delivery_id: int


OWNER_ONLY = (
    SendLater,
    HoldLater,
    MoveLater,
    ListLater,
    CancelLater,
    ShowStatus,
    CalendarLinks,
    Forget,
    AddClosure,
    CloseNow,
    CancelClosure,
    ChangeClosure,
    DetachClosure,
    EndClosure,
    SetMeeting,
    SkipMeeting,
    ClearMeeting,
    MarkChannel,
    Preview,
    PreviewWelcome,
    ListClosures,
    ListMeetings,
    PostGuide,
    ListPromises,
    PromiseDone,
)

Command = (
    AddClosure
    | CloseNow
    | ListClosures
    | CancelClosure
    | ChangeClosure
    | DetachClosure
    | EndClosure
    | SetMeeting
    | ListMeetings
    | SkipMeeting
    | ClearMeeting
    | MarkChannel
    | Preview
    | PreviewWelcome
    | PostGuide
    | ShowHours
    | ShowStatus
    | CalendarLinks
    | SetTimezone
    | Help
    | Forget
    | ListPromises
    | PromiseDone
    | SendLater
    | HoldLater
    | MoveLater
    | ListLater
    | CancelLater
)
