"""The message path on PostgreSQL in hand-written SQL through asyncpg: one round trip to read, one to record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, overload

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, MeetingSlot, SentReply
from bot.store import DecisionRecord, HistorySince, MessageContext, MessageState
from storage.rows import EXCERPT_CHARS, MESSAGE_CLOSURE_COLUMNS, LiveReply, closure_of_values
from storage.tables import as_utc

# History this far back comes with the first read; a decision reaching further (a long closure) reads again.
HISTORY_LOOKBACK = timedelta(days=14)

CLAIM = """
INSERT INTO seen_events (platform, event_id, seen_at) VALUES ($1, $2, $3)
ON CONFLICT (platform, event_id) DO NOTHING
"""
# One round trip for a message: the claim (when asked), the context, the closures as one JSON array, and the
# version with the history since $9, all from one snapshot. The history is the client's replies in this channel and
# in the owner's DMs (one throttle for both); for a message in the owner's DMs ($10), everywhere.
STATE = f"""
WITH claim AS (
  INSERT INTO seen_events (platform, event_id, seen_at) SELECT $6, $7, $5 WHERE $8
  ON CONFLICT (platform, event_id) DO NOTHING
  RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claim) AS fresh,
       (SELECT mode FROM channels WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3) AS mode,
       EXISTS (SELECT 1 FROM channels WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3
               AND left_at IS NULL) AS present,
       (SELECT zone FROM client_timezones WHERE platform = $1 AND workspace_id = $2 AND user_id = $4) AS zone,
       slot.weekday, slot.local_time, slot.duration_minutes, slot.skipped_dates::text AS skipped_dates,
       (SELECT coalesce(json_agg(json_build_array({MESSAGE_CLOSURE_COLUMNS}) ORDER BY start, id), '[]')::text
        FROM closures WHERE "end" > $5 AND cancelled_at IS NULL) AS closures,
       (SELECT version FROM reply_heads
        WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND client_id = $4) AS version,
       (SELECT coalesce(json_agg(json_build_array(kind, window_key, sent_at) ORDER BY sent_at, id), '[]')::text
        FROM reply_log
        WHERE platform = $1 AND workspace_id = $2 AND client_id = $4 AND sent_at >= $9
          AND (channel_id = $3 OR owner_dm OR $10))
       AS history
FROM (SELECT 1) AS one
LEFT JOIN meeting_slots AS slot ON slot.platform = $1 AND slot.workspace_id = $2 AND slot.channel_id = $3
"""
# Version and history in one statement: one snapshot, so the history is exactly what that version logged.
HISTORY = """
SELECT (SELECT version FROM reply_heads
        WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND client_id = $4) AS version,
       (SELECT coalesce(json_agg(json_build_array(kind, window_key, sent_at) ORDER BY sent_at, id), '[]')::text
        FROM reply_log
        WHERE platform = $1 AND workspace_id = $2 AND client_id = $4 AND sent_at >= $5
          AND (channel_id = $3 OR owner_dm OR $6))
       AS history
"""
# Compare and set in one statement: the head moves from $5 to $5 + 1 (or is created at 1 from 0), and the replies
# are logged only if it did. ON CONFLICT DO UPDATE sees the latest committed version even under READ COMMITTED.
RECORD = """
WITH head AS (
  INSERT INTO reply_heads AS h (platform, workspace_id, channel_id, client_id, version)
  SELECT $1, $2, $3, $4, 1 WHERE cardinality($7::text[]) > 0  -- rows are never deleted: absent is version 0
  ON CONFLICT (platform, workspace_id, channel_id, client_id)
  DO UPDATE SET version = h.version + 1 WHERE h.version = $5
  RETURNING version
), logged AS (
  INSERT INTO reply_log (platform, workspace_id, channel_id, client_id, client_name, kind, window_key, sent_at,
                         message_id, text_excerpt, permalink, owner_dm)
  SELECT $1, $2, $3, $4, $6, reply.kind, reply.window_key, reply.sent_at, $10, $11, $12, $24
  FROM head, unnest($7::text[], $8::text[], $9::timestamptz[]) AS reply(kind, window_key, sent_at)
), remembered AS (
  INSERT INTO channels (platform, workspace_id, channel_id, name, mode, first_seen_at)
  SELECT $1, $2, $3, '', NULL, $14 WHERE $13 AND (cardinality($7::text[]) = 0 OR EXISTS (SELECT 1 FROM head))
  ON CONFLICT (platform, workspace_id, channel_id) DO NOTHING
), rejoined AS (  -- a separate UPDATE: ON CONFLICT DO UPDATE would lock (write) the row on every message
  UPDATE channels SET left_at = NULL
  WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND left_at IS NOT NULL
    AND $13 AND (cardinality($7::text[]) = 0 OR EXISTS (SELECT 1 FROM head))
), queued AS (  -- the live reply's row, leased to the deciding process while it posts (see bot.replies)
  INSERT INTO deliveries (kind, subject_id, occurrence, platform, workspace_id, channel_id, due_at, payload, state,
                          attempts, next_attempt_at, lease_owner, lease_until, posting_at, created_at, updated_at)
  SELECT $15, $16, '', $1, $2, $3, $20, $17, 'in_flight', 1, $19, $18, $19, $20, $20, $20
  WHERE $17::text IS NOT NULL AND (cardinality($7::text[]) = 0 OR EXISTS (SELECT 1 FROM head))
  ON CONFLICT (kind, subject_id, occurrence, platform, workspace_id, channel_id) DO NOTHING
), promised AS (  -- the reply's promise about the message (bot.promises), once per message
  INSERT INTO promises (platform, workspace_id, channel_id, client_id, client_name, message_id, permalink, due_at,
                        rule, created_at)
  SELECT $1, $2, $3, $4, $6, $10, $12, $21, $22, $23
  WHERE $21::timestamptz IS NOT NULL AND (cardinality($7::text[]) = 0 OR EXISTS (SELECT 1 FROM head))
  ON CONFLICT (platform, workspace_id, channel_id, message_id) DO NOTHING
)
SELECT cardinality($7::text[]) = 0 OR EXISTS (SELECT 1 FROM head) AS recorded
"""


SETTLE = """
UPDATE deliveries SET state = $8::text, platform_message_id = coalesce($9::text, platform_message_id),
       last_error = coalesce($10::text, last_error),
       next_attempt_at = CASE WHEN $8::text = 'unknown' THEN $11 ELSE next_attempt_at END,
       lease_owner = NULL, lease_until = NULL, updated_at = $11
WHERE kind = $1 AND subject_id = $2 AND occurrence = $3 AND platform = $4 AND workspace_id = $5 AND channel_id = $6
  AND state = 'in_flight' AND lease_owner = $7
"""


def record_args(record: DecisionRecord, now: datetime, reply: LiveReply | None = None) -> tuple[Any, ...]:
    message, replies, promise = record.message, record.replies, record.promise
    channel = message.channel
    queued = (
        (
            reply.planned.key.kind,
            reply.planned.key.subject_id,
            reply.payload,
            reply.owner,
            as_utc(reply.lease_until),
            as_utc(reply.planned.due_at),
        )
        if reply
        else ("", "", None, None, None, None)
    )
    return (
        channel.platform,
        channel.workspace_id,
        channel.channel_id,
        message.author_id,
        record.version,
        message.author_name,
        [r.kind for r in replies],
        [r.window_key for r in replies],
        [as_utc(r.sent_at) for r in replies],
        message.message_id,
        message.text[:EXCERPT_CHARS],
        message.permalink,
        record.remember_channel,
        as_utc(now),
        *queued,
        *((as_utc(promise.due_at), promise.rule, as_utc(promise.created_at)) if promise else (None, None, None)),
        message.owner_dm is not None,
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
        STATE,
        channel.platform,
        channel.workspace_id,
        channel.channel_id,
        client_id,
        now,
        claim.platform if claim else "",
        claim.event_id if claim else "",
        claim is not None,
        lookback,
        owner_dm or (claim is not None and claim.owner_dm is not None),
    )
    if claim is not None and not row["fresh"]:
        return None
    context = _context(channel, row)
    closures = tuple(closure_of_values(item, _instant) for item in json.loads(row["closures"]))
    since = history_since(context, closures)
    if since is None:
        return MessageState(context, closures)
    if since < lookback:
        if claim is not None:
            return MessageState(context, closures, history_complete=False)
        row = await conn.fetchrow(
            HISTORY, channel.platform, channel.workspace_id, channel.channel_id, client_id, as_utc(since), owner_dm
        )
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


def _context(channel: ChannelRef, row: Any) -> MessageContext:
    slot = None
    if row["weekday"] is not None:
        local_time: time = row["local_time"]
        slot = MeetingSlot(
            channel,
            row["weekday"],
            local_time,
            row["duration_minutes"],
            frozenset(date.fromisoformat(d) for d in json.loads(row["skipped_dates"])),
        )
    mode = row["mode"]
    return MessageContext(ChannelMode(mode) if mode is not None else None, slot, row["zone"], row["present"])
