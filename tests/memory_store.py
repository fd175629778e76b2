"""MemoryStore: a dict-based, in-process implementation of bot.store.Store for tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from memory_closures import MemoryClosures, _utc
from memory_holds import MemoryHolds
from memory_promises import MemoryPromises
from memory_retention import MemoryRetention
from memory_welcomes import MemoryWelcomes

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, MeetingSlot, ReplyLogEntry, SentReply
from bot.promises import Promise
from bot.queue import PlannedDelivery
from bot.store import DecisionRecord, HistorySince, MessageContext, MessageState


@dataclass(frozen=True)
class _Channel:
    name: str
    mode: ChannelMode | None
    first_seen_at: datetime
    left_at: datetime | None = None


@dataclass(frozen=True)
class _LoggedReply:
    channel: ChannelRef
    client_id: str
    client_name: str
    reply: SentReply
    message_id: str
    text_excerpt: str
    permalink: str | None
    owner_dm: bool = False


def _entry(logged: _LoggedReply) -> ReplyLogEntry:
    return ReplyLogEntry(
        channel=logged.channel,
        client_id=logged.client_id,
        client_name=logged.client_name,
        kind=logged.reply.kind,
        sent_at=logged.reply.sent_at,
        text_excerpt=logged.text_excerpt,
        permalink=logged.permalink,
    )


class MemoryStore(MemoryClosures, MemoryRetention, MemoryPromises, MemoryWelcomes, MemoryHolds):
    """Implements bot.store.Store in memory; values handed out are frozen dataclasses, never shared state."""

    def __init__(self) -> None:
        self._closures: dict[int, Closure] = {}
        self._next_closure_id = 1
        self._channels: dict[ChannelRef, _Channel] = {}
        self._slots: dict[ChannelRef, MeetingSlot] = {}
        self._timezones: dict[tuple[str, str, str], str] = {}
        self._replies: list[_LoggedReply] = []
        self._replies_by_client: dict[tuple[ChannelRef, str], list[_LoggedReply]] = {}
        self._owner_dm_clients: set[tuple[str, str, str]] = set()  # clients with replies in the owner's DMs
        self._released: dict[tuple[ChannelRef, str], int] = {}  # keeps the version moving when replies are forgotten
        self._seen: dict[tuple[str, str], datetime] = {}
        self._departures: dict[tuple[str, str], datetime] = {}  # workspaces uninstalled from, and when
        self.queued_replies: list[PlannedDelivery] = []
        self._promises: dict[int, Promise] = {}
        self._welcomed: dict[tuple[str, str, str], datetime] = {}
        self._holds: dict[tuple[str, str, str], datetime] = {}

    # channels

    async def remember_channel(self, channel: ChannelRef, name: str = "") -> None:
        known = self._channels.get(channel)
        if known is None:
            self._channels[channel] = _Channel(name=name, mode=None, first_seen_at=datetime.now(UTC))
        else:
            self._channels[channel] = replace(known, name=name or known.name, left_at=None)

    async def mark_channel_left(self, channel: ChannelRef, at: datetime) -> None:
        known = self._channels.get(channel)
        if known is not None and known.left_at is None:
            self._channels[channel] = replace(known, left_at=_utc(at))

    async def sync_channels(
        self, platform: str, workspace_id: str, present: Sequence[tuple[ChannelRef, str]], at: datetime
    ) -> None:
        at = _utc(at)
        strays = [ref for ref, _ in present if (ref.platform, ref.workspace_id) != (platform, workspace_id)]
        if strays:
            raise ValueError(f"{strays[0]} is not in {platform} workspace {workspace_id}")
        names = dict(present)
        for ref, known in list(self._channels.items()):
            here = (ref.platform, ref.workspace_id) == (platform, workspace_id)
            if here and ref not in names and known.left_at is None:
                self._channels[ref] = replace(known, left_at=at)
        for ref, name in names.items():
            known = self._channels.get(ref)
            if known is None or known.left_at is None or known.left_at <= at:
                await self.remember_channel(ref, name)
            elif name:
                self._channels[ref] = replace(known, name=name)

    async def set_channel_mode(self, channel: ChannelRef, mode: ChannelMode, name: str = "") -> None:
        known = self._channels.get(channel) or _Channel(name="", mode=None, first_seen_at=datetime.now(UTC))
        self._channels[channel] = replace(known, mode=ChannelMode(mode), name=name or known.name)

    async def get_channel_mode(self, channel: ChannelRef) -> ChannelMode | None:
        known = self._channels.get(channel)
        return known.mode if known is not None else None

    async def list_channels(self, mode: ChannelMode | None = None) -> list[ChannelRef]:
        wanted = ChannelMode(mode) if mode is not None else None
        refs = [
            ref
            for ref, known in self._channels.items()
            if known.left_at is None and (wanted is None or (known.mode or ChannelMode.CLIENT) is wanted)
        ]
        return sorted(refs, key=lambda r: (r.platform, r.workspace_id, r.channel_id))

    # meeting slots

    async def set_meeting_slot(self, slot: MeetingSlot) -> None:
        self._slots[slot.channel] = replace(slot, skipped_dates=frozenset())

    async def get_meeting_slot(self, channel: ChannelRef) -> MeetingSlot | None:
        return self._slots.get(channel)

    async def list_meeting_slots(self) -> list[MeetingSlot]:
        order = sorted(self._slots, key=lambda r: (r.platform, r.workspace_id, r.channel_id))
        return [self._slots[ref] for ref in order]

    async def skip_meeting(self, channel: ChannelRef, on: date) -> MeetingSlot | None:
        slot = self._slots.get(channel)
        if slot is None:
            return None
        skipped = replace(slot, skipped_dates=slot.skipped_dates | {on})
        self._slots[channel] = skipped
        return skipped

    async def clear_meeting_slot(self, channel: ChannelRef) -> bool:
        return self._slots.pop(channel, None) is not None

    # client time zones

    async def set_client_timezone(self, platform: str, workspace_id: str, user_id: str, zone: str) -> None:
        self._timezones[(platform, workspace_id, user_id)] = zone

    async def get_client_timezone(self, platform: str, workspace_id: str, user_id: str) -> str | None:
        return self._timezones.get((platform, workspace_id, user_id))

    def _context(self, channel: ChannelRef, client_id: str) -> MessageContext:
        known = self._channels.get(channel)
        return MessageContext(
            known.mode if known else None,
            self._slots.get(channel),
            self._timezones.get((channel.platform, channel.workspace_id, client_id)),
            known is not None and known.left_at is None,
        )

    # automatic-reply log

    async def recent_replies(self, channel: ChannelRef, client_id: str, since: datetime) -> list[SentReply]:
        after = _utc(since)
        found = [
            logged.reply
            for logged in self._replies_by_client.get((channel, client_id), ())
            if logged.reply.sent_at >= after
        ]
        return sorted(found, key=lambda r: r.sent_at)  # stable: ties keep insertion order

    async def claim_message(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None:
        if not await self.mark_event_seen(message.platform, message.event_id, now):
            return None
        return await self.load_message_state(
            message.channel, message.author_id, now, history_since, message.owner_dm is not None
        )

    async def load_message_state(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState:
        context = self._context(channel, client_id)
        closures = tuple(await self.list_closures(ending_after=now))
        since = history_since(context, closures)
        if since is None:
            return MessageState(context, closures)
        person = (channel.platform, channel.workspace_id, client_id)
        if owner_dm or person in self._owner_dm_clients:  # one throttle for the owner's DMs and channels: see bot.store
            after = _utc(since)
            shared = [
                logged.reply
                for logged in self._replies
                if (logged.channel.platform, logged.channel.workspace_id, logged.client_id) == person
                and (logged.channel == channel or logged.owner_dm or owner_dm)
                and logged.reply.sent_at >= after
            ]
            history = tuple(sorted(shared, key=lambda r: r.sent_at))
        else:
            history = tuple(await self.recent_replies(channel, client_id, since))
        return MessageState(context, closures, history, self._version(channel, client_id))

    async def record_decision(self, record: DecisionRecord) -> bool:
        message, replies = record.message, record.replies
        if replies and self._version(message.channel, message.author_id) != record.version:
            return False
        if record.reply is not None:  # no queue in memory: kept for a test to read
            self.queued_replies.append(record.reply)
        if record.promise is not None:
            await self._add_promise(record.promise)
        await self.record_replies(message, replies)
        if record.remember_channel:
            await self.remember_channel(message.channel)
        return True

    def _version(self, channel: ChannelRef, client_id: str) -> int:
        return len(self._replies_by_client.get((channel, client_id), ())) + self._released.get((channel, client_id), 0)

    async def release_replies(self, message: IncomingMessage) -> int:
        client = (message.channel, message.author_id)
        mine = [r for r in self._replies_by_client.get(client, []) if r.message_id == message.message_id]
        if mine:
            self._replies = [r for r in self._replies if r not in mine]
            self._replies_by_client[client] = [r for r in self._replies_by_client[client] if r not in mine]
            self._released[client] = self._released.get(client, 0) + len(mine) + 1
        return len(mine)

    async def record_replies(self, message: IncomingMessage, replies: Sequence[SentReply]) -> None:
        logged = [
            _LoggedReply(
                channel=message.channel,
                client_id=message.author_id,
                client_name=message.author_name,
                reply=replace(reply, sent_at=_utc(reply.sent_at)),
                message_id=message.message_id,
                text_excerpt=message.text[:200],
                permalink=message.permalink,
                owner_dm=message.owner_dm is not None,
            )
            for reply in replies
        ]
        self._replies.extend(logged)  # all or nothing, like one transaction
        self._replies_by_client.setdefault((message.channel, message.author_id), []).extend(logged)
        if message.owner_dm is not None and logged:
            self._owner_dm_clients.add((message.channel.platform, message.channel.workspace_id, message.author_id))

    async def reply_log_between(self, start: datetime, end: datetime) -> list[ReplyLogEntry]:
        start, end = _utc(start), _utc(end)
        return [
            _entry(logged)
            for logged in sorted(self._replies, key=lambda logged: logged.reply.sent_at)
            if start <= logged.reply.sent_at < end
        ]

    async def recent_reply_log(self, limit: int = 10) -> list[ReplyLogEntry]:
        if limit <= 0:
            return []
        newest = sorted(enumerate(self._replies), key=lambda pair: (pair[1].reply.sent_at, pair[0]), reverse=True)
        return [_entry(logged) for _, logged in newest[:limit]]

    # event de-duplication

    async def mark_event_seen(self, platform: str, event_id: str, at: datetime) -> bool:
        key = (platform, event_id)
        if key in self._seen:
            return False
        self._seen[key] = _utc(at)
        return True
