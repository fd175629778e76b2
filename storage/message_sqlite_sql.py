"""The SQLite message path's statements that touch one table, compiled from the Core tables once, at import: a
column renamed in storage/tables.py fails here, at start, not in the middle of a decision. Parameters are named
(`:platform`, `:workspace`, `:channel`, `:client`, ...) for the raw sqlite3 cursor the path runs them on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, bindparam, literal_column, null, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.expression import Executable

from storage import message_sql
from storage.rows import MESSAGE_CLOSURE_COLUMNS
from storage.tables import channels, closures, deliveries, promises, reply_heads, reply_log, seen_events

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

VERSION = _text(message_sql.VERSION)
HISTORY = _text(message_sql.history(*message_sql.HISTORY_COLUMNS).order_by(*message_sql.HISTORY_ORDER))
_context, _source = message_sql.context_columns()
CONTEXT = _text(select(*_context).select_from(_source))
CLOSURES = _text(
    select(*(closures.c[name] for name in MESSAGE_CLOSURE_COLUMNS))
    .where(closures.c.end > bindparam("now"), closures.c.cancelled_at.is_(None))
    .order_by(closures.c.start, closures.c.id)
)
# A channel seen for the first time, or again after the bot was marked gone from it.
REMEMBER = _text(
    sqlite.insert(channels)
    .values(_values(**_KEY, name=literal_column("''"), mode=null(), first_seen_at="now"))
    .on_conflict_do_update(
        index_elements=["platform", "workspace_id", "channel_id"],
        set_={"left_at": null()},
        where=channels.c.left_at.is_not(None),
    )
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
            kind="reply_kind",
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
SETTLE = _text(message_sql.SETTLE)
CLAIM = _text(
    sqlite.insert(seen_events)
    .values(_values(platform="platform", event_id="event_id", seen_at="at"))
    .on_conflict_do_nothing(index_elements=["platform", "event_id"])
)
