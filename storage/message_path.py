"""Where the message path's SQL runs: SQLite on the event loop's own thread, PostgreSQL on a small asyncpg pool.

Every message costs a claim, a read and (when there is a reply) a write. Through SQLAlchemy's async engine each
statement cost about 0.4 ms of CPU here (aiosqlite hands every call to a thread and back), more than everything else
the bot does for a message; these calls skip that layer and do the same work in microseconds (SQLite) or one round
trip per step (PostgreSQL). Everything else stays on SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.messages import ChannelRef, IncomingMessage
from bot.queue import DeliveryKey
from bot.store import DecisionRecord, HistorySince, MessageState
from storage import message_postgres, message_sqlite
from storage.message_sql import settle_values
from storage.rows import LiveReply
from storage.tables import as_utc

T = TypeVar("T")
BUSY_SECONDS = 2.0  # how long a message-path write waits for another connection's SQLite lock (Slack wants 3 s)
POOL_SIZE = 10


class MessagePath(Protocol):
    """Claim, load and record for one database; `close` releases its connections."""

    async def claim(self, platform: str, event_id: str, at: datetime) -> bool: ...

    async def claim_and_load(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None: ...

    async def load(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState: ...

    async def record(self, record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> bool: ...

    async def settle(
        self, key: DeliveryKey, owner: str, now: datetime, state: str, message_id: str | None, error: str | None
    ) -> bool: ...

    async def close(self) -> None: ...


def message_path_for(engine: AsyncEngine, *, in_memory: bool) -> MessagePath:
    """The message path beside an engine; an in-memory SQLite database lives in the engine's one connection."""
    if engine.dialect.name == "postgresql":
        return PostgresMessagePath(engine)
    if in_memory:
        return SqliteMessagePath(_EngineConnection(engine))
    return SqliteMessagePath(_OwnConnection(str(engine.url.database)))


def _asyncpg_params(engine: AsyncEngine) -> dict[str, Any]:
    """asyncpg.connect's arguments as the engine builds them, its do_connect listeners (e.g. a search_path) applied."""
    dialect = engine.dialect
    cargs, params = dialect.create_connect_args(engine.url)
    cargs, params = list(cargs), dict(params)
    for listener in dialect.dispatch.do_connect:
        listener(dialect, None, cargs, params)
    for sqlalchemy_only in ("prepared_statement_cache_size", "prepared_statement_name_func", "async_creator_fn"):
        params.pop(sqlalchemy_only, None)
    return params


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


class _OwnConnection:
    """A sqlite3 connection used only from the event loop's thread, between awaits, so no call ever interleaves."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        if self._connection is None:
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            # No busy handler: waiting inside SQLite would block the event loop; a locked database is retried below.
            for pragma in ("busy_timeout = 0", "synchronous = NORMAL", "foreign_keys = ON"):
                connection.execute(f"PRAGMA {pragma}")
            self._connection = connection
        return work(self._connection, *args)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _EngineConnection:
    """In-memory SQLite lives in the engine's one connection, so the same SQL runs there (slower, tests only)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        async with self._engine.connect() as conn:
            return await conn.run_sync(lambda sync: work(sync.connection.dbapi_connection, *args))

    async def close(self) -> None:
        """The engine owns the connection."""


class SqliteMessagePath:
    """The SQLite message path; a locked database is retried with short sleeps for up to BUSY_SECONDS."""

    def __init__(self, connection: _OwnConnection | _EngineConnection, busy_seconds: float | None = None) -> None:
        self._connection = connection
        self._busy_seconds = BUSY_SECONDS if busy_seconds is None else busy_seconds
        self._settles: list[tuple[tuple, asyncio.Future[bool]]] = []
        self._settling: asyncio.Task[None] | None = None

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        deadline = time.monotonic() + self._busy_seconds
        wait = 0.001
        while True:
            try:
                return await self._connection.run(work, *args)
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() + wait > deadline:
                    raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, 0.05)

    async def claim(self, platform: str, event_id: str, at: datetime) -> bool:
        return await self._run(message_sqlite.claim, platform, event_id, at)

    async def claim_and_load(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None:
        return await self._run(message_sqlite.claim_and_load, message, now, history_since)

    async def load(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState:
        return await self._run(message_sqlite.load, channel, client_id, now, history_since, owner_dm)

    async def record(self, record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> bool:
        return await self._run(message_sqlite.record, record, now, reply)

    async def settle(
        self, key: DeliveryKey, owner: str, now: datetime, state: str, message_id: str | None, error: str | None
    ) -> bool:
        """Settles that arrive while one is being written go together in the next transaction (a group commit:
        SQLite has one writer, and every live reply is settled right after its post)."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._settles.append(((key, owner, now, state, message_id, error), done))
        if self._settling is None or self._settling.done():
            self._settling = asyncio.create_task(self._settle_waiting())
        return await done

    async def _settle_waiting(self) -> None:
        while self._settles:
            batch, self._settles = self._settles, []
            try:
                results = await self._run(message_sqlite.settle_many, [args for args, _ in batch])
            except Exception as error:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)

    async def close(self) -> None:
        if self._settling is not None:  # settles already asked for are written before the connection goes
            await asyncio.gather(self._settling, return_exceptions=True)
        await self._connection.close()


async def _keep_session(connection: Any) -> None:
    """The message path leaves no session state (no locks, cursors, LISTEN or SET), so a released connection
    needs no reset round trip."""


class PostgresMessagePath:
    """The PostgreSQL message path on its own asyncpg pool, opened on first use in the running event loop."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine  # for its connect arguments, read when the pool opens (after listeners are added)
        self._pool: Any = None
        self._opening = asyncio.Lock()

    async def _connection(self) -> Any:
        if self._pool is None:
            import asyncpg

            async with self._opening:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        min_size=1,
                        max_size=POOL_SIZE,
                        timeout=5,
                        command_timeout=10,
                        reset=_keep_session,
                        **_asyncpg_params(self._engine),
                    )
        return self._pool.acquire()

    async def claim(self, platform: str, event_id: str, at: datetime) -> bool:
        async with await self._connection() as conn:
            claim = message_postgres.sql.CLAIM
            status = await conn.execute(claim.sql, *claim.args(platform=platform, event_id=event_id, at=as_utc(at)))
        return status == "INSERT 0 1"

    async def claim_and_load(
        self, message: IncomingMessage, now: datetime, history_since: HistorySince
    ) -> MessageState | None:
        async with await self._connection() as conn:
            return await message_postgres.read(
                conn, message.channel, message.author_id, now, history_since, claim=message
            )

    async def load(
        self, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool = False
    ) -> MessageState:
        async with await self._connection() as conn:
            state = await message_postgres.read(conn, channel, client_id, now, history_since, owner_dm=owner_dm)
        assert state is not None  # only a claim reads None
        return state

    async def record(self, record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> bool:
        args = message_postgres.record_args(record, now, reply)
        async with await self._connection() as conn:
            return bool(await conn.fetchval(message_postgres.sql.RECORD.sql, *args))

    async def settle(
        self, key: DeliveryKey, owner: str, now: datetime, state: str, message_id: str | None, error: str | None
    ) -> bool:
        async with await self._connection() as conn:
            values = settle_values(key, owner, now, state, message_id, error, as_utc)
            done = await conn.execute(
                message_postgres.sql.SETTLE_LIVE.sql, *message_postgres.sql.SETTLE_LIVE.args(**values)
            )
        return done.endswith(" 1")

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
