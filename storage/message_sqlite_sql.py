"""The SQLite message path's statements that touch one table, compiled from the Core tables once, at import: a
column renamed in storage/tables.py fails here, at start, not in the middle of a decision. Parameters are named
(`:platform`, `:workspace`, `:channel`, `:client`, ...) for the raw sqlite3 cursor the path runs them on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, literal_column, null, or_, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.expression import Executable

from storage.tables import deliveries, promises, reply_heads, reply_log, seen_events

_DIALECT = sqlite.dialect(paramstyle="named")


def _text(statement: Executable) -> str:
    return str(statement.compile(dialect=_DIALECT))  # type: ignore[attr-defined]


def _place(table: Any, *, client: str | None = "client_id") -> list[ColumnElement[bool]]:
    """A channel's (and a client's) rows of `table`, by the path's parameter names."""
    match = [
        table.c.platform == bindparam("platform"),
        table.c.workspace_id == bindparam("workspace"),
        table.c.channel_id == bindparam("channel"),
    ]
    return [*match, table.c[client] == bindparam("client")] if client else match


def _values(**names: str | ColumnElement[Any]) -> dict[str, Any]:
    """Column values from parameter names (or SQL expressions)."""
    return {column: bindparam(value) if isinstance(value, str) else value for column, value in names.items()}


_KEY = {"platform": "platform", "workspace_id": "workspace", "channel_id": "channel"}

VERSION = _text(select(reply_heads.c.version).where(*_place(reply_heads)))
# A client's replies here and in the owner's DMs (one throttle for both); for a message in the owner's DMs, everywhere.
HISTORY = _text(
    select(reply_log.c.kind, reply_log.c.window_key, reply_log.c.sent_at)
    .where(
        reply_log.c.platform == bindparam("platform"),
        reply_log.c.workspace_id == bindparam("workspace"),
        reply_log.c.client_id == bindparam("client"),
        reply_log.c.sent_at >= bindparam("since"),
        or_(reply_log.c.channel_id == bindparam("channel"), reply_log.c.owner_dm, bindparam("owner_dm")),
    )
    .order_by(reply_log.c.sent_at, reply_log.c.id)
)
# The compare-and-set: each changes one row only if the version is still the one read (absent is version 0).
NEW_HEAD = _text(
    sqlite.insert(reply_heads)
    .values(_values(**_KEY, client_id="client", version=literal_column("1")))
    .on_conflict_do_nothing(index_elements=["platform", "workspace_id", "channel_id", "client_id"])
)
NEXT_HEAD = _text(
    update(reply_heads)
    .where(*_place(reply_heads), reply_heads.c.version == bindparam("version"))
    .values(version=reply_heads.c.version + literal_column("1"))
)
LOG = _text(
    reply_log.insert().values(
        _values(
            **_KEY,
            client_id="client",
            client_name="name",
            kind="kind",
            window_key="window_key",
            sent_at="sent_at",
            message_id="message_id",
            text_excerpt="excerpt",
            permalink="permalink",
            owner_dm="owner_dm",
        )
    )
)
# A live reply's row, leased to the deciding process while it posts (see bot.replies); its request may go out.
QUEUE_REPLY = _text(
    sqlite.insert(deliveries)
    .values(
        _values(
            kind="kind",
            subject_id="subject",
            occurrence=literal_column("''"),
            **_KEY,
            due_at="at",
            payload="payload",
            state=literal_column("'in_flight'"),
            attempts=literal_column("1"),
            next_attempt_at="lease_until",
            lease_owner="owner",
            lease_until="lease_until",
            posting_at="at",
            created_at="at",
            updated_at="at",
        )
    )
    .on_conflict_do_nothing(
        index_elements=["kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id"]
    )
)
PROMISE = _text(
    sqlite.insert(promises)
    .values(
        _values(
            **_KEY,
            client_id="client",
            client_name="name",
            message_id="message_id",
            permalink="permalink",
            due_at="due_at",
            rule="rule",
            created_at="created_at",
        )
    )
    .on_conflict_do_nothing(index_elements=["platform", "workspace_id", "channel_id", "message_id"])
)
# How the deciding process's own post of a live reply ended, while the row is still its lease.
SETTLE = _text(
    update(deliveries)
    .where(
        *_place(deliveries, client=None),
        deliveries.c.kind == bindparam("kind"),
        deliveries.c.subject_id == bindparam("subject"),
        deliveries.c.occurrence == bindparam("occurrence"),
        deliveries.c.state == literal_column("'in_flight'"),
        deliveries.c.lease_owner == bindparam("owner"),
    )
    .values(
        state=bindparam("state"),
        platform_message_id=func.coalesce(bindparam("message_id"), deliveries.c.platform_message_id),
        last_error=func.coalesce(bindparam("error"), deliveries.c.last_error),
        next_attempt_at=func.coalesce(bindparam("next"), deliveries.c.next_attempt_at),
        lease_owner=null(),
        lease_until=null(),
        updated_at=bindparam("now"),
    )
)
CLAIM = _text(
    sqlite.insert(seen_events)
    .values(_values(platform="platform", event_id="event_id", seen_at="at"))
    .on_conflict_do_nothing(index_elements=["platform", "event_id"])
)
