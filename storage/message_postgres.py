"""The message path on PostgreSQL through asyncpg (storage/message_postgres_sql.py): one round trip to read, one to
record."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, overload

from bot.messages import ChannelRef, IncomingMessage
from bot.models import SentReply
from bot.store import DecisionRecord, HistorySince, MessageState
from storage import message_postgres_sql as sql
from storage.message_sql import CONTEXT_NAMES, place_values, record_values
from storage.rows import LiveReply, closure_of_values, message_context
from storage.tables import as_utc

# History this far back comes with the first read; a decision reaching further (a long closure) reads again.
HISTORY_LOOKBACK = timedelta(days=14)


def record_args(record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> tuple[Any, ...]:
    replies = record.replies
    return sql.RECORD.args(
        **record_values(record, now, reply, as_utc),
        kinds=[r.kind for r in replies],
        keys=[r.window_key for r in replies],
        sent=[as_utc(r.sent_at) for r in replies],
    )


async def read(
    conn: Any,
    channel: ChannelRef,
    client_id: str,
    now: datetime,
    history_since: HistorySince,
    *,
    claim: IncomingMessage | None = None,
    owner_dm: bool = False,
) -> MessageState | None:
    """One round trip; None when `claim`'s event was already seen. A decision that needs history from before
    HISTORY_LOOKBACK takes a second round trip, except after a claim: that returns at once, marked incomplete,
    so that nothing can fail between recording the event and answering for it (the decision reads again)."""
    now = as_utc(now)
    lookback = now - HISTORY_LOOKBACK
    row = await conn.fetchrow(
        sql.STATE.sql,
        *sql.STATE.args(
            **place_values(channel, client_id),
            now=now,
            claim_platform=claim.platform if claim else "",
            event_id=claim.event_id if claim else "",
            claim=claim is not None,
            since=lookback,
            owner_dm=owner_dm or (claim is not None and claim.owner_dm is not None),
        ),
    )
    if claim is not None and not row["fresh"]:
        return None
    context = message_context(channel, [row[name] for name in CONTEXT_NAMES])
    closures = tuple(closure_of_values(item, _instant) for item in json.loads(row["closures"]))
    since = history_since(context, closures)
    if since is None:
        return MessageState(context, closures)
    if since < lookback:
        if claim is not None:
            return MessageState(context, closures, history_complete=False)
        place = place_values(channel, client_id)
        row = await conn.fetchrow(sql.HISTORY.sql, *sql.HISTORY.args(**place, since=as_utc(since), owner_dm=owner_dm))
    history = tuple(reply for reply in _history(row["history"]) if reply.sent_at >= since)
    return MessageState(context, closures, history, row["version"] or 0)


def _history(text: str) -> list[SentReply]:
    return [SentReply(kind, key, _instant(at)) for kind, key, at in json.loads(text)]


@overload
def _instant(text: str) -> datetime: ...
@overload
def _instant(text: None) -> None: ...
def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text is not None else None
