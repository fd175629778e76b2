"""Promise rows in SQL (bot/promises.py): stored once per message, answered by the owner's next word in the channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.messages import ChannelRef
from bot.promises import Promise
from storage.rows import channel_match, channel_record
from storage.tables import as_utc, promises


class SqlPromises:
    """The store's promise methods over `_engine`; SqlStore has them."""

    _engine: AsyncEngine

    async def answer_promises(self, channel: ChannelRef, at: datetime) -> int:
        statement = (
            update(promises)
            .where(
                *channel_match(promises, channel), promises.c.answered_at.is_(None), promises.c.created_at <= as_utc(at)
            )
            .values(answered_at=as_utc(at))
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(statement)).rowcount

    async def find_promise(self, channel: ChannelRef, message_id: str) -> Promise | None:
        query = select(promises).where(*channel_match(promises, channel), promises.c.message_id == message_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return channel_record(Promise, row) if row is not None else None

    async def promise_done(self, promise_id: int, at: datetime) -> Promise | None:
        statement = (
            update(promises)
            .where(promises.c.id == promise_id, promises.c.answered_at.is_(None))
            .values(answered_at=as_utc(at))
            .returning(*promises.c)
        )
        async with self._engine.begin() as conn:
            row = (await conn.execute(statement)).first()
        return channel_record(Promise, row) if row is not None else None

    async def move_promise(self, promise_id: int, due_at: datetime) -> bool:
        statement = (
            update(promises)
            .where(promises.c.id == promise_id, promises.c.answered_at.is_(None), promises.c.due_at < as_utc(due_at))
            .values(due_at=as_utc(due_at))
        )
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement)).rowcount)

    async def list_promises(self, *, answered_since: datetime | None = None) -> list[Promise]:
        shown: ColumnElement[bool] = promises.c.answered_at.is_(None)
        if answered_since is not None:
            shown = or_(shown, promises.c.answered_at >= as_utc(answered_since))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(promises).where(shown).order_by(promises.c.due_at, promises.c.id))).all()
        return [channel_record(Promise, row) for row in rows]
