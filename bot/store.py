"""The storage contract the core's callers rely on; storage/ implements it, no SQL lives in bot/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, MeetingSlot, ReplyLogEntry, SentReply
from bot.promises import Promise
from bot.queue import PlannedDelivery
from bot.retention import Retaining


@dataclass(frozen=True)
class MessageContext:
    """What deciding on one client's message needs besides closures and reply history."""

    channel_mode: ChannelMode | None
    meeting_slot: MeetingSlot | None
    client_zone: str | None
    channel_present: bool = False  # the channel is stored and not marked left: no need to remember it again


@dataclass(frozen=True)
class MessageState:
    """Everything deciding on one client's message reads, from one snapshot, and the version of this client's
    replies in the channel that `record_decision` must still find for the decision to stand."""

    context: MessageContext
    closures: tuple[Closure, ...] = ()
    history: tuple[SentReply, ...] = ()
    version: int = 0
    history_complete: bool = True  # False: a claim's read stopped short of the history needed; decide on a new read


@dataclass(frozen=True)
class DecisionRecord:
    """What recording one decision on `message` writes, all in one transaction: `replies` logged only if this
    client's replies here are still at `version`; with `remember_channel`, the channel; with `reply`, the live
    reply's delivery row, leased to the deciding process; with `promise` (the reply's promise about `message`),
    the promise, once per message."""

    message: IncomingMessage
    replies: Sequence[SentReply] = ()
    version: int = 0
    remember_channel: bool = False
    reply: PlannedDelivery | None = None
    promise: Promise | None = None

    def __post_init__(self) -> None:
        promise, message = self.promise, self.message
        if promise is not None and (promise.channel, promise.message_id) != (message.channel, message.message_id):
            raise ValueError("a decision records only the promise about the message decided on")


# Given the context and the closures ending after now: how far back the reply history matters, None for none at all.
HistorySince = Callable[[MessageContext, Sequence[Closure]], "datetime | None"]


class Store(Retaining, Protocol):
    """Runtime state: every method is one transaction, committed whole or not at all."""

    # closures
    async def add_closure(self, closure: Closure) -> Closure:
        """Store a new closure and return it with its id and created_at set."""

    async def get_closure(self, closure_id: int) -> Closure | None: ...

    async def list_closures(self, *, ending_after: datetime, include_cancelled: bool = False) -> list[Closure]:
        """Closures whose end is after `ending_after`, ordered by start."""

    async def cancel_closure(self, closure_id: int, at: datetime) -> Closure | None:
        """Mark a closure cancelled; None if there is no such (uncancelled) closure."""

    async def change_closure(self, closure_id: int, changed: Closure, at: datetime) -> Closure | None:
        """In one transaction, cancel the closure and add `changed` as the one replacing it (its `replaces`); the
        new closure, or None if there is no such (uncancelled) closure."""

    async def detach_closure(self, closure_id: int, at: datetime) -> Closure | None:
        """Detach an imported closure from its calendar event (later imports leave it alone); None if there is no
        such open, imported, not yet detached closure."""

    # new-client orientation (bot/welcome.py)
    async def claim_welcome(self, platform: str, workspace_id: str, client_id: str, at: datetime) -> bool:
        """True the first time a client is claimed for a welcome in a workspace, False after (safe under concurrency)."""

    # the owner's after-hours messages held for the opening (bot/owner_hold.py)
    async def hold_owner(self, platform: str, workspace_id: str, person_id: str, until: datetime | None) -> None:
        """Hold this person's messages in client channels until `until` (None: no longer)."""

    async def owner_held_until(
        self, platform: str, workspace_id: str, person_id: str, now: datetime
    ) -> datetime | None:
        """Until when this person's messages are held, if they are at `now`."""

    # promises (bot/promises.py); a promise is stored with its reply's decision (record_decision)
    async def answer_promises(self, channel: ChannelRef, at: datetime) -> int:
        """The owner or team wrote in `channel` at `at`: every unanswered promise made there until then is answered."""

    async def find_promise(self, channel: ChannelRef, message_id: str) -> Promise | None:
        """The promise made about that message, if one was."""

    async def promise_done(self, promise_id: int, at: datetime) -> Promise | None:
        """The owner marked a promise answered; None if there is no such unanswered promise."""

    async def move_promise(self, promise_id: int, due_at: datetime) -> bool:
        """An unanswered promise falls due later (the business calendar changed); False if answered or not later."""

    async def list_promises(self, *, answered_since: datetime | None = None) -> list[Promise]:
        """The unanswered promises, and with `answered_since` also those answered since then, soonest due first."""

    # channels
    async def remember_channel(self, channel: ChannelRef, name: str = "") -> None:
        """Record that the bot is present in a channel (no longer left), without changing its mode."""

    async def mark_channel_left(self, channel: ChannelRef, at: datetime) -> None:
        """Record that the bot left or lost access to a known channel; nothing for an unknown one."""

    async def sync_channels(
        self, platform: str, workspace_id: str, present: Sequence[tuple[ChannelRef, str]], at: datetime
    ) -> None:
        """The platform's complete list of the channels the bot is in, with their names, for one workspace, taken
        at `at`: remember each (unless marked left after `at`) and mark every other known channel there left."""

    async def set_channel_mode(self, channel: ChannelRef, mode: ChannelMode, name: str = "") -> None: ...

    async def get_channel_mode(self, channel: ChannelRef) -> ChannelMode | None:
        """The owner's explicit mark, or None when the channel was never marked."""

    async def list_channels(self, mode: ChannelMode | None = None) -> list[ChannelRef]:
        """Channels the bot is in (left ones are not); with `mode`, only those whose effective mode matches
        (unmarked counts as client)."""

    # meeting slots
    async def set_meeting_slot(self, slot: MeetingSlot) -> None:
        """Create or replace the channel's weekly slot (skips are reset)."""

    async def get_meeting_slot(self, channel: ChannelRef) -> MeetingSlot | None: ...

    async def list_meeting_slots(self) -> list[MeetingSlot]: ...

    async def skip_meeting(self, channel: ChannelRef, on: date) -> MeetingSlot | None:
        """Skip one occurrence; None when the channel has no slot."""

    async def clear_meeting_slot(self, channel: ChannelRef) -> bool: ...

    # client time zones
    async def set_client_timezone(self, platform: str, workspace_id: str, user_id: str, zone: str) -> None: ...

    async def get_client_timezone(self, platform: str, workspace_id: str, user_id: str) -> str | None: ...

    # automatic-reply log (throttles and the owner's digest)
    async def recent_replies(self, channel: ChannelRef, client_id: str, since: datetime) -> list[SentReply]:
        """Replies sent to this client in this channel at or after `since`."""

    async def claim_message(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None:
        """Record the message's event id as seen and, in the same transaction, read its state as
        `load_message_state` does; None (nothing read) for a copy of an event already seen."""

    async def load_message_state(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState:
        """The context, closures ending after `now` and (from `history_since`) this client's replies here and in
        the owner's DMs, which share one throttle; for a message in the owner's DMs (`owner_dm`), anywhere."""

    async def record_decision(self, record: DecisionRecord) -> bool:
        """Write `record` whole; False, nothing written, when another decision moved this client's replies here
        past `record.version` first."""

    async def record_replies(self, message: IncomingMessage, replies: Sequence[SentReply]) -> None:
        """Log the automatic replies sent in answer to `message`."""

    async def release_replies(self, message: IncomingMessage) -> int:
        """Forget the replies logged for `message` (its reply could not be posted), so the throttle lets the
        client's next message be answered; moves the version like a decision. Returns how many were logged."""

    async def reply_log_between(self, start: datetime, end: datetime) -> list[ReplyLogEntry]:
        """Logged replies sent in [start, end), oldest first (the owner's digest)."""

    async def recent_reply_log(self, limit: int = 10) -> list[ReplyLogEntry]:
        """The latest logged automatic replies across all channels, newest first, at most `limit`."""

    # event de-duplication
    async def mark_event_seen(self, platform: str, event_id: str, at: datetime) -> bool:
        """True the first time an event id is seen, False for every copy after (safe under concurrency)."""
