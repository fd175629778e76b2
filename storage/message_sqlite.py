"""The message path on SQLite in hand-written SQL: each call a few microseconds, run on a DB-API connection."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, overload

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, MeetingSlot, SentReply
from bot.queue import DeliveryKey
from bot.store import DecisionRecord, HistorySince, MessageContext, MessageState
from storage import message_sqlite_sql as sql
from storage.rows import EXCERPT_CHARS, MESSAGE_CLOSURE_COLUMNS, LiveReply, closure_of_values
from storage.tables import as_utc

# stored() writes SQLAlchemy's text for a DateTime on SQLite ("2026-11-23 21:00:00.000000"): both read each other's rows

_CONTEXT = """
SELECT (SELECT mode FROM channels WHERE platform = :platform AND workspace_id = :workspace AND channel_id = :channel),
       EXISTS (SELECT 1 FROM channels WHERE platform = :platform AND workspace_id = :workspace AND channel_id = :channel
               AND left_at IS NULL),
       (SELECT zone FROM client_timezones WHERE platform = :platform AND workspace_id = :workspace AND user_id = :client),
       slot.weekday, slot.local_time, slot.duration_minutes, slot.skipped_dates
FROM (SELECT 1) AS one
LEFT JOIN meeting_slots AS slot
  ON slot.platform = :platform AND slot.workspace_id = :workspace AND slot.channel_id = :channel
"""
_CLOSURES = f"""
SELECT {MESSAGE_CLOSURE_COLUMNS} FROM closures
WHERE "end" > :now AND cancelled_at IS NULL ORDER BY start, id
"""
_REMEMBER = """
INSERT INTO channels (platform, workspace_id, channel_id, name, mode, first_seen_at)
VALUES (:platform, :workspace, :channel, '', NULL, :now)
ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET left_at = NULL WHERE left_at IS NOT NULL
"""


def stored(at: datetime) -> str:
    return as_utc(at).replace(tzinfo=None).isoformat(" ", "microseconds")


@overload
def instant(text: str) -> datetime: ...
@overload
def instant(text: None) -> None: ...
def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text is not None else None


def _keys(channel: ChannelRef, client_id: str) -> dict[str, str]:
    return {
        "platform": channel.platform,
        "workspace": channel.workspace_id,
        "channel": channel.channel_id,
        "client": client_id,
    }


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
    keys = _keys(channel, client_id)
    cursor.execute(_CONTEXT, keys)
    context = _context(channel, cursor.fetchone())
    cursor.execute(_CLOSURES, {"now": stored(now)})
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
    message, replies, version, promise = record.message, record.replies, record.version, record.promise
    keys = _keys(message.channel, message.author_id)
    try:
        with _transaction(conn, "BEGIN IMMEDIATE") as cursor:
            if replies:
                cursor.execute(sql.NEXT_HEAD if version else sql.NEW_HEAD, {**keys, "version": version})
                if cursor.rowcount != 1:
                    raise _Stale
                common = {
                    **keys,
                    "name": message.author_name,
                    "message_id": message.message_id,
                    "excerpt": message.text[:EXCERPT_CHARS],
                    "permalink": message.permalink,
                    "owner_dm": message.owner_dm is not None,
                }
                cursor.executemany(
                    sql.LOG,
                    [
                        {**common, "kind": reply.kind, "window_key": reply.window_key, "sent_at": stored(reply.sent_at)}
                        for reply in replies
                    ],
                )
            if record.remember_channel:
                cursor.execute(_REMEMBER, {**keys, "now": stored(now)})
            if reply is not None:
                cursor.execute(
                    sql.QUEUE_REPLY,
                    {
                        **keys,
                        "kind": reply.planned.key.kind,
                        "subject": reply.planned.key.subject_id,
                        "payload": reply.payload,
                        "owner": reply.owner,
                        "lease_until": stored(reply.lease_until),
                        "at": stored(reply.planned.due_at),
                    },
                )
            if promise is not None:
                cursor.execute(
                    sql.PROMISE,
                    {
                        **keys,
                        "name": promise.client_name,
                        "message_id": promise.message_id,
                        "permalink": promise.permalink,
                        "due_at": stored(promise.due_at),
                        "rule": promise.rule,
                        "created_at": stored(promise.created_at),
                    },
                )
    except _Stale:
        return False
    return True


def _context(channel: ChannelRef, row: Sequence[Any]) -> MessageContext:
    mode, present, zone, weekday, local_time, duration, skipped = row
    slot = None
    if weekday is not None:
        slot = MeetingSlot(
            channel,
            weekday,
            time.fromisoformat(local_time),
            duration,
            frozenset(date.fromisoformat(d) for d in json.loads(skipped)),
        )
    return MessageContext(ChannelMode(mode) if mode is not None else None, slot, zone, bool(present))


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
            cursor.execute(
                sql.SETTLE,
                {
                    "state": state,
                    "message_id": message_id,
                    "error": error,
                    "owner": owner,
                    "next": stored(now) if state == "unknown" else None,
                    "now": stored(now),
                    "kind": key.kind,
                    "subject": key.subject_id,
                    "occurrence": key.occurrence,
                    "platform": key.platform,
                    "workspace": key.workspace_id,
                    "channel": key.channel_id,
                },
            )
            done.append(cursor.rowcount == 1)
    return done
