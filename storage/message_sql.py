"""The message path's statements both backends share, built once from the Core tables, and the parameters of a
decision and a settle by name: each backend compiles them for its own driver (storage/message_sqlite_sql.py,
storage/message_postgres_sql.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    update,
)

from bot.messages import ChannelRef
from bot.queue import DeliveryKey
from bot.store import DecisionRecord
from storage.rows import EXCERPT_CHARS, LiveReply
from storage.tables import UTCDateTime, channels, client_timezones, deliveries, meeting_slots, reply_heads, reply_log

TEXT, FLAG, TIME = Text(), Boolean(), UTCDateTime()
ZERO: Any = literal_column("0")
ONE: Any = literal_column("1")


def p(name: str, type_: Any = TEXT) -> Any:
    """A named parameter; its type renders as a cast where the driver needs one (asyncpg)."""
    return bindparam(name, type_=type_)


def at_channel(table: Any) -> ColumnElement[bool]:
    """The rows of `table` in the channel the parameters name."""
    return and_(
        table.c.platform == p("platform"),
        table.c.workspace_id == p("workspace"),
        table.c.channel_id == p("channel"),
    )


def context_columns() -> tuple[list[Any], Any]:
    """What deciding needs besides closures and history, in storage.rows.message_context's order, and the FROM
    clause the slot's columns come from (one row, the slot's columns NULL when the channel has none)."""
    slot = meeting_slots.alias("slot")
    zone = select(client_timezones.c.zone).where(
        client_timezones.c.platform == p("platform"),
        client_timezones.c.workspace_id == p("workspace"),
        client_timezones.c.user_id == p("client"),
    )
    columns = [
        select(channels.c.mode).where(at_channel(channels)).scalar_subquery().label("mode"),
        exists().where(at_channel(channels), channels.c.left_at.is_(None)).label("present"),
        zone.scalar_subquery().label("zone"),
        slot.c.weekday,
        slot.c.local_time,
        slot.c.duration_minutes,
        cast(slot.c.skipped_dates, Text).label("skipped_dates"),
    ]
    one = select(ONE.label("one")).subquery("one")
    return columns, one.outerjoin(slot, at_channel(slot))


CONTEXT_NAMES = tuple(column.name for column in context_columns()[0])  # the row's names for message_context
VERSION = select(reply_heads.c.version).where(at_channel(reply_heads), reply_heads.c.client_id == p("client"))


def history(*columns: Any) -> Any:
    """`columns` over a client's replies since `since` here and in the owner's DMs (one throttle for both); for a
    message in the owner's DMs (`owner_dm`), everywhere."""
    return select(*columns).where(
        reply_log.c.platform == p("platform"),
        reply_log.c.workspace_id == p("workspace"),
        reply_log.c.client_id == p("client"),
        reply_log.c.sent_at >= p("since", TIME),
        or_(reply_log.c.channel_id == p("channel"), reply_log.c.owner_dm, p("owner_dm", FLAG)),
    )


HISTORY_COLUMNS = (reply_log.c.kind, reply_log.c.window_key, reply_log.c.sent_at)
HISTORY_ORDER = (reply_log.c.sent_at, reply_log.c.id)

# How the deciding process's own post of a live reply ended, while the row is still its lease.
SETTLE = (
    update(deliveries)
    .where(
        at_channel(deliveries),
        deliveries.c.kind == p("kind"),
        deliveries.c.subject_id == p("subject"),
        deliveries.c.occurrence == p("occurrence"),
        deliveries.c.state == literal_column("'in_flight'"),
        deliveries.c.lease_owner == p("owner"),
    )
    .values(
        state=p("state"),
        platform_message_id=func.coalesce(p("message_id"), deliveries.c.platform_message_id),
        last_error=func.coalesce(p("error"), deliveries.c.last_error),
        next_attempt_at=case(
            (p("state") == literal_column("'unknown'"), p("now", TIME)), else_=deliveries.c.next_attempt_at
        ),
        lease_owner=null(),
        lease_until=null(),
        updated_at=p("now", TIME),
    )
)


def place_values(channel: ChannelRef, client_id: str) -> dict[str, str]:
    """The parameters naming a client in a channel, as every statement here names them."""
    return {
        "platform": channel.platform,
        "workspace": channel.workspace_id,
        "channel": channel.channel_id,
        "client": client_id,
    }


def record_values(
    record: DecisionRecord, now: datetime, reply: LiveReply | None, time: Callable[[datetime], Any]
) -> dict[str, Any]:
    """The parameters of recording `record`, by name, but the replies (each backend passes those its own way);
    times as `time` gives them (each driver takes its own)."""
    message, promise = record.message, record.promise
    planned = reply.planned if reply else None
    return {
        **place_values(message.channel, message.author_id),
        "version": record.version,
        "name": message.author_name,
        "message_id": message.message_id,
        "excerpt": message.text[:EXCERPT_CHARS],
        "permalink": message.permalink,
        "owner_dm": message.owner_dm is not None,
        "remember": record.remember_channel,
        "now": time(now),
        "reply_kind": planned.key.kind if planned else "",
        "subject": planned.key.subject_id if planned else "",
        "payload": reply.payload if reply else None,
        "owner": reply.owner if reply else None,
        "lease_until": time(reply.lease_until) if reply else None,
        "at": time(planned.due_at) if planned else None,
        "due_at": time(promise.due_at) if promise else None,
        "rule": promise.rule if promise else None,
        "created_at": time(promise.created_at) if promise else None,
    }


def settle_values(
    key: DeliveryKey,
    owner: str,
    now: datetime,
    state: str,
    message_id: str | None,
    error: str | None,
    time: Callable[[datetime], Any],
) -> dict[str, Any]:
    """The parameters of SETTLE, by name, the time as `time` gives it."""
    return {
        "kind": key.kind,
        "subject": key.subject_id,
        "occurrence": key.occurrence,
        "platform": key.platform,
        "workspace": key.workspace_id,
        "channel": key.channel_id,
        "owner": owner,
        "state": state,
        "message_id": message_id,
        "error": error,
        "now": time(now),
    }
