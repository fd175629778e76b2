"""The message path on SQLite in hand-written SQL: each call a few microseconds, run on a DB-API connection."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, overload

from bot.messages import ChannelRef, IncomingMessage
from bot.models import SentReply
from bot.queue import DeliveryKey
from bot.store import DecisionRecord, HistorySince, MessageState
from storage import message_sql
from storage import message_sqlite_sql as sql
from storage.rows import LiveReply, closure_of_values, message_context
from storage.tables import as_utc

# stored() writes SQLAlchemy's text for a DateTime on SQLite ("2026-11-23 21:00:00.000000"): both read each other's rows


@functools.lru_cache(maxsize=64)  # one decision writes the same few instants several times each
def stored(at: datetime) -> str:
    return as_utc(at).replace(tzinfo=None).isoformat(" ", "microseconds")


@overload
def instant(text: str) -> datetime: ...
@overload
def instant(text: None) -> None: ...
def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text is not None else None


def claim(conn: Any, platform: str, event_id: str, at: datetime) -> bool:
    """Record an event id (its own transaction); False when it was already there."""
    cursor = conn.cursor()
    try:
        cursor.execute(sql.CLAIM, {"platform": platform, "event_id": event_id, "at": stored(at)})
        return cursor.rowcount == 1
    finally:
        cursor.close()


class _Stale(Exception):
    """The version read is no longer the head: roll back and report it."""


@contextlib.contextmanager
def _transaction(conn: Any, begin: str) -> Iterator[Any]:
    """A cursor in a transaction begun with `begin`: committed at exit, rolled back on any error."""
    cursor = conn.cursor()
    try:
        cursor.execute(begin)
        try:
            yield cursor
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (a full disk, say)
                cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
    finally:
        cursor.close()


def load(
    conn: Any, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool
) -> MessageState:
    """Context, closures, history and version from one read transaction (a snapshot; no lock is taken)."""
    with _transaction(conn, "BEGIN") as cursor:
        return _read(cursor, channel, client_id, now, history_since, owner_dm)


def claim_and_load(
    conn: Any, message: IncomingMessage, now: datetime, history_since: HistorySince
) -> MessageState | None:
    """The claim, then (when fresh) the read, in one write transaction: committed before the caller acknowledges."""
    with _transaction(conn, "BEGIN IMMEDIATE") as cursor:
        cursor.execute(sql.CLAIM, {"platform": message.platform, "event_id": message.event_id, "at": stored(now)})
        if cursor.rowcount != 1:
            return None
        return _read(cursor, message.channel, message.author_id, now, history_since, message.owner_dm is not None)


def _read(
    cursor: Any, channel: ChannelRef, client_id: str, now: datetime, history_since: HistorySince, owner_dm: bool
) -> MessageState:
    keys = message_sql.place_values(channel, client_id)
    cursor.execute(sql.CONTEXT, keys)
    context = message_context(channel, cursor.fetchone())
    cursor.execute(sql.CLOSURES, {"now": stored(now)})
    closures = tuple(closure_of_values(row, instant) for row in cursor.fetchall())
    since = history_since(context, closures)
    if since is None:
        return MessageState(context, closures)
    cursor.execute(sql.VERSION, keys)
    row = cursor.fetchone()
    cursor.execute(sql.HISTORY, {**keys, "since": stored(since), "owner_dm": owner_dm})
    history = tuple(SentReply(kind, key, instant(at)) for kind, key, at in cursor.fetchall())
    return MessageState(context, closures, history, row[0] if row else 0)


def record(conn: Any, record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> bool:
    """The compare-and-set of bot.store.Store.record_decision, in one write transaction."""
    replies, version, promise = record.replies, record.version, record.promise
    values = message_sql.record_values(record, now, reply, stored)
    try:
        with _transaction(conn, "BEGIN IMMEDIATE") as cursor:
            if replies:
                cursor.execute(sql.NEXT_HEAD if version else sql.NEW_HEAD, values)
                if cursor.rowcount != 1:
                    raise _Stale
                logged = [
                    {**values, "kind": r.kind, "window_key": r.window_key, "sent_at": stored(r.sent_at)}
                    for r in replies
                ]
                cursor.executemany(sql.LOG, logged)
            if record.remember_channel:
                cursor.execute(sql.REMEMBER, values)
            if reply is not None:
                cursor.execute(sql.QUEUE_REPLY, values)
            if promise is not None:
                cursor.execute(sql.PROMISE, values)
    except _Stale:
        return False
    return True


def settle(
    conn: Any, key: DeliveryKey, owner: str, now: datetime, state: str, message_id: str | None, error: str | None
) -> bool:
    """See bot.queue.DeliveryQueue.settle_live: one short write transaction."""
    return settle_many(conn, [(key, owner, now, state, message_id, error)])[0]


def settle_many(conn: Any, settles: list[tuple]) -> list[bool]:
    """Several `settle`s (their arguments in order) in one write transaction; whether each settled its row."""
    done = []
    with _transaction(conn, "BEGIN IMMEDIATE") as cursor:
        for key, owner, now, state, message_id, error in settles:
            cursor.execute(sql.SETTLE, message_sql.settle_values(key, owner, now, state, message_id, error, stored))
            done.append(cursor.rowcount == 1)
    return done
