"""SqlStore: the bot.store.Store contract on SQLAlchemy (SQLite or PostgreSQL), one transaction per method."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, MeetingSlot, ReplyLogEntry, SentReply
from bot.replies import LIVE_LEASE, LIVE_OWNER
from bot.store import DecisionRecord, HistorySince, MessageState
from storage import channels as channel_rows
from storage import closures as closure_rows
from storage import retention
from storage.holds import SqlHolds
from storage.message_path import MessagePath
from storage.promises import SqlPromises
from storage.rows import EXCERPT_CHARS, LiveReply
from storage.rows import channel_key as _channel_key
from storage.rows import channel_match as _channel_match
from storage.rows import closure as _closure
from storage.rows import reply_log_entry as _reply_log_entry
from storage.rows import slot as _slot
from storage.tables import (
    as_utc,
    client_timezones,
    closures,
    meeting_slots,
    reply_heads,
    reply_log,
)
from storage.welcomes import SqlWelcomes


class SqlStore(retention.SqlRetention, SqlPromises, SqlWelcomes, SqlHolds):
    """Implements bot.store.Store; each public method runs in its own transaction."""

    def __init__(self, engine: AsyncEngine, messages: MessagePath) -> None:
        self._engine = engine
        self._messages = messages  # the message path: claim, read and record in hand-written SQL

    def _insert(self, table: Any) -> Any:
        """A dialect insert that supports ON CONFLICT."""
        dialect = sqlite if self._engine.dialect.name == "sqlite" else postgresql
        return dialect.insert(table)

    # closures

    async def add_closure(self, closure: Closure) -> Closure:
        async with self._engine.begin() as conn:
            return await closure_rows.insert(conn, closure)

    async def get_closure(self, closure_id: int) -> Closure | None:
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(closures).where(closures.c.id == closure_id))).first()
        return _closure(row) if row is not None else None

    async def list_closures(self, *, ending_after: datetime, include_cancelled: bool = False) -> list[Closure]:
        query = select(closures).where(closures.c.end > as_utc(ending_after))
        if not include_cancelled:
            query = query.where(closures.c.cancelled_at.is_(None))
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query.order_by(closures.c.start, closures.c.id))).all()
        return [_closure(row) for row in rows]

    async def cancel_closure(self, closure_id: int, at: datetime) -> Closure | None:
        async with self._engine.begin() as conn:
            return await closure_rows.cancel(conn, closure_id, at)

    async def change_closure(self, closure_id: int, changed: Closure, at: datetime) -> Closure | None:
        async with self._engine.begin() as conn:
            if await closure_rows.cancel(conn, closure_id, at) is None:
                return None
            return await closure_rows.insert(conn, replace(changed, replaces=closure_id, created_at=at))

    async def detach_closure(self, closure_id: int, at: datetime) -> Closure | None:
        async with self._engine.begin() as conn:
            return await closure_rows.detach(conn, closure_id, at)

    # channels

    async def remember_channel(self, channel: ChannelRef, name: str = "") -> None:
        async with self._engine.begin() as conn:
            await channel_rows.remember(conn, [(channel, name)], datetime.now(UTC))

    async def mark_channel_left(self, channel: ChannelRef, at: datetime) -> None:
        async with self._engine.begin() as conn:
            await channel_rows.mark_left(conn, channel, at)

    async def sync_channels(
        self, platform: str, workspace_id: str, present: Sequence[tuple[ChannelRef, str]], at: datetime
    ) -> None:
        async with self._engine.begin() as conn:
            await channel_rows.sync(conn, platform, workspace_id, present, at)

    async def set_channel_mode(self, channel: ChannelRef, mode: ChannelMode, name: str = "") -> None:
        async with self._engine.begin() as conn:
            await channel_rows.set_mode(conn, channel, mode, name, datetime.now(UTC))

    async def get_channel_mode(self, channel: ChannelRef) -> ChannelMode | None:
        async with self._engine.begin() as conn:
            return await channel_rows.get_mode(conn, channel)

    async def list_channels(self, mode: ChannelMode | None = None) -> list[ChannelRef]:
        async with self._engine.begin() as conn:
            return await channel_rows.listed(conn, mode)

    # meeting slots

    async def set_meeting_slot(self, slot: MeetingSlot) -> None:
        values = {
            "weekday": slot.weekday,
            "local_time": slot.local_time,
            "duration_minutes": slot.duration_minutes,
            "skipped_dates": [],
        }
        statement = (
            self._insert(meeting_slots)
            .values(**_channel_key(slot.channel), **values)
            .on_conflict_do_update(
                index_elements=[meeting_slots.c.platform, meeting_slots.c.workspace_id, meeting_slots.c.channel_id],
                set_=values,
            )
        )
        async with self._engine.begin() as conn:
            await conn.execute(statement)

    async def get_meeting_slot(self, channel: ChannelRef) -> MeetingSlot | None:
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(meeting_slots).where(*_channel_match(meeting_slots, channel)))).first()
        return _slot(row) if row is not None else None

    async def list_meeting_slots(self) -> list[MeetingSlot]:
        query = select(meeting_slots).order_by(
            meeting_slots.c.platform, meeting_slots.c.workspace_id, meeting_slots.c.channel_id
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).all()
        return [_slot(row) for row in rows]

    async def skip_meeting(self, channel: ChannelRef, on: date) -> MeetingSlot | None:
        async with self._engine.begin() as conn:
            row = await _locked_slot(conn, channel)
            if row is None:
                return None
            skipped = sorted({*row.skipped_dates, on.isoformat()})
            statement = (
                update(meeting_slots)
                .where(meeting_slots.c.id == row.id)
                .values(skipped_dates=skipped)
                .returning(*meeting_slots.c)
            )
            return _slot((await conn.execute(statement)).one())

    async def clear_meeting_slot(self, channel: ChannelRef) -> bool:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(meeting_slots).where(*_channel_match(meeting_slots, channel)))
        return result.rowcount > 0

    # client time zones

    async def set_client_timezone(self, platform: str, workspace_id: str, user_id: str, zone: str) -> None:
        statement = (
            self._insert(client_timezones)
            .values(platform=platform, workspace_id=workspace_id, user_id=user_id, zone=zone)
            .on_conflict_do_update(
                index_elements=[
                    client_timezones.c.platform,
                    client_timezones.c.workspace_id,
                    client_timezones.c.user_id,
                ],
                set_={"zone": zone},
            )
        )
        async with self._engine.begin() as conn:
            await conn.execute(statement)

    async def get_client_timezone(self, platform: str, workspace_id: str, user_id: str) -> str | None:
        query = select(client_timezones.c.zone).where(
            client_timezones.c.platform == platform,
            client_timezones.c.workspace_id == workspace_id,
            client_timezones.c.user_id == user_id,
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(query)).scalar_one_or_none()

    # automatic-reply log

    async def recent_replies(self, channel: ChannelRef, client_id: str, since: datetime) -> list[SentReply]:
        query = (
            select(reply_log.c.kind, reply_log.c.window_key, reply_log.c.sent_at)
            .where(*_channel_match(reply_log, channel), reply_log.c.client_id == client_id)
            .where(reply_log.c.sent_at >= as_utc(since))
            .order_by(reply_log.c.sent_at, reply_log.c.id)
        )
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).all()
        return [SentReply(kind=row.kind, window_key=row.window_key, sent_at=row.sent_at) for row in rows]

    async def claim_message(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None:
        return await self._messages.claim_and_load(message, now, history_since)

    async def load_message_state(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState:
        return await self._messages.load(channel, client_id, now, history_since, owner_dm)

    async def record_decision(self, record: DecisionRecord) -> bool:
        reply = record.reply
        live = LiveReply(reply, LIVE_OWNER, reply.due_at + LIVE_LEASE) if reply is not None else None
        return await self._messages.record(record, datetime.now(UTC), live)

    async def record_replies(self, message: IncomingMessage, replies: Sequence[SentReply]) -> None:
        if not replies:
            return
        rows = [
            {
                **_channel_key(message.channel),
                "client_id": message.author_id,
                "client_name": message.author_name,
                "kind": reply.kind,
                "window_key": reply.window_key,
                "sent_at": as_utc(reply.sent_at),
                "message_id": message.message_id,
                "text_excerpt": message.text[:EXCERPT_CHARS],
                "permalink": message.permalink,
                "owner_dm": message.owner_dm is not None,
            }
            for reply in replies
        ]
        async with self._engine.begin() as conn:
            await conn.execute(reply_log.insert(), rows)

    async def release_replies(self, message: IncomingMessage) -> int:
        mine = [
            *_channel_match(reply_log, message.channel),
            reply_log.c.client_id == message.author_id,
            reply_log.c.message_id == message.message_id,
        ]
        head = [*_channel_match(reply_heads, message.channel), reply_heads.c.client_id == message.author_id]
        async with self._engine.begin() as conn:
            released = (await conn.execute(delete(reply_log).where(*mine))).rowcount
            if released:
                await conn.execute(update(reply_heads).where(*head).values(version=reply_heads.c.version + 1))
        return released

    async def reply_log_between(self, start: datetime, end: datetime) -> list[ReplyLogEntry]:
        query = (
            select(reply_log)
            .where(reply_log.c.sent_at >= as_utc(start), reply_log.c.sent_at < as_utc(end))
            .order_by(reply_log.c.sent_at, reply_log.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_reply_log_entry(row) for row in rows]

    async def recent_reply_log(self, limit: int = 10) -> list[ReplyLogEntry]:
        if limit <= 0:
            return []
        query = select(reply_log).order_by(reply_log.c.sent_at.desc(), reply_log.c.id.desc()).limit(limit)
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).all()
        return [_reply_log_entry(row) for row in rows]

    # event de-duplication

    async def mark_event_seen(self, platform: str, event_id: str, at: datetime) -> bool:
        return await self._messages.claim(platform, event_id, at)


async def _locked_slot(conn: AsyncConnection, channel: ChannelRef) -> Row[Any] | None:
    query = select(meeting_slots).where(*_channel_match(meeting_slots, channel)).with_for_update()
    return (await conn.execute(query)).first()
