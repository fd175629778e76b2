"""The PostgreSQL message path's statements, compiled from the Core tables once, at import, for asyncpg: each is its
SQL ($1, $2, ...) and the names of its parameters in that order, so a caller passes values by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import cast as typing_cast

from sqlalchemy import ARRAY, Integer, Text, cast, exists, func, literal_column, null, or_, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from storage.message_sql import (
    FLAG,
    HISTORY_COLUMNS,
    HISTORY_ORDER,
    ONE,
    SETTLE,
    TIME,
    VERSION,
    ZERO,
    at_channel,
    context_columns,
    history,
    p,
)
from storage.rows import MESSAGE_CLOSURE_COLUMNS
from storage.tables import channels, closures, deliveries, promises, reply_heads, reply_log, seen_events

_DIALECT = postgresql.asyncpg.dialect()
_EMPTY_JSON: Any = literal_column("'[]'")
_KEY = ["platform", "workspace_id", "channel_id"]
_MESSAGE = ["message_id", "text_excerpt", "permalink", "owner_dm"]
_LEASE = ["next_attempt_at", "lease_owner", "lease_until", "posting_at", "created_at", "updated_at"]


@dataclass(frozen=True)
class Statement:
    """Compiled SQL and its parameter names in positional order."""

    sql: str
    names: tuple[str, ...]

    def args(self, **values: Any) -> tuple[Any, ...]:
        """The positional arguments for `values` given by name; every name, and only those, must be given."""
        if len(values) != len(self.names):
            raise TypeError(f"expected the parameters {', '.join(self.names)}; got {', '.join(values)}")
        return tuple(values[name] for name in self.names)


def _compiled(statement: ClauseElement) -> Statement:
    compiled = typing_cast(SQLCompiler, statement.compile(dialect=_DIALECT))
    return Statement(str(compiled), tuple(compiled.positiontup or ()))


def _json_rows(columns: list[Any], *order: Any) -> Any:
    """The columns of each row as one JSON array of arrays, as text ('[]' when there is no row)."""
    return cast(
        func.coalesce(func.json_agg(aggregate_order_by(func.json_build_array(*columns), *order)), _EMPTY_JSON), Text
    )


_HISTORY = history(_json_rows(list(HISTORY_COLUMNS), *HISTORY_ORDER))


def _state() -> ClauseElement:
    """The claim (when `claim`), the context, the closures, the version and the history since `since`: one
    snapshot, one round trip."""
    claim = (
        postgresql.insert(seen_events)
        .from_select(
            ["platform", "event_id", "seen_at"],
            select(p("claim_platform"), p("event_id"), p("now", TIME)).where(p("claim", FLAG)),
        )
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(ONE)
        .cte("claim")
    )
    open_closures = select(
        _json_rows([closures.c[name] for name in MESSAGE_CLOSURE_COLUMNS], closures.c.start, closures.c.id)
    ).where(closures.c.end > p("now", TIME), closures.c.cancelled_at.is_(None))
    context, source = context_columns()
    return select(
        exists(select(ONE).select_from(claim)).label("fresh"),
        *context,
        open_closures.scalar_subquery().label("closures"),
        VERSION.scalar_subquery().label("version"),
        _HISTORY.scalar_subquery().label("history"),
    ).select_from(source)


def _record() -> ClauseElement:
    """The compare-and-set: the head moves from `version` to the next (or is created at 1 from 0), and the
    replies, the channel, the live reply's row and the promise are written only if it did (or there is no reply
    to log). ON CONFLICT DO UPDATE sees the latest committed version even under READ COMMITTED."""
    kinds = p("kinds", ARRAY(Text))
    head = (
        postgresql.insert(reply_heads)
        .from_select(
            ["platform", "workspace_id", "channel_id", "client_id", "version"],
            select(p("platform"), p("workspace"), p("channel"), p("client"), ONE).where(
                func.cardinality(kinds) > ZERO  # rows are never deleted: absent is version 0
            ),
        )
        .on_conflict_do_update(
            index_elements=["platform", "workspace_id", "channel_id", "client_id"],
            set_={"version": reply_heads.c.version + ONE},
            where=reply_heads.c.version == p("version", Integer()),
        )
        .returning(reply_heads.c.version)
        .cte("head")
    )
    stands = or_(func.cardinality(kinds) == ZERO, exists(select(ONE).select_from(head)))
    reply = (
        func.unnest(kinds, p("keys", ARRAY(Text)), p("sent", ARRAY(TIME)))
        .table_valued("kind", "window_key", "sent_at")
        .render_derived(name="reply")
    )
    here = [p("platform"), p("workspace"), p("channel")]
    logged = postgresql.insert(reply_log).from_select(
        [*_KEY, "client_id", "client_name", "kind", "window_key", "sent_at", *_MESSAGE],
        select(*here, p("client"), p("name"), reply.c.kind, reply.c.window_key, reply.c.sent_at)
        .add_columns(p("message_id"), p("excerpt"), p("permalink"), p("owner_dm", FLAG))
        .select_from(head, reply),
    )
    remember = p("remember", FLAG)
    remembered = (
        postgresql.insert(channels)
        .from_select(
            [*_KEY, "name", "mode", "first_seen_at"],
            select(*here, literal_column("''"), null(), p("now", TIME)).where(remember, stands),
        )
        .on_conflict_do_nothing(index_elements=_KEY)
    )
    # A separate UPDATE: ON CONFLICT DO UPDATE would lock (write) the row on every message.
    rejoined = (
        update(channels)
        .where(at_channel(channels), channels.c.left_at.is_not(None), remember, stands)
        .values(left_at=null())
    )
    at, lease_until, payload = p("at", TIME), p("lease_until", TIME), p("payload")
    queued = postgresql.insert(deliveries).from_select(  # the live reply's row, leased while it posts (bot.replies)
        ["kind", "subject_id", "occurrence", *_KEY, "due_at", "payload", "state", "attempts", *_LEASE],
        select(p("reply_kind"), p("subject"), literal_column("''"), *here, at, payload)
        .add_columns(literal_column("'in_flight'"), ONE, lease_until, p("owner"), lease_until, at, at, at)
        .where(payload.is_not(None), stands),
    )
    due_at = p("due_at", TIME)
    promised = postgresql.insert(promises).from_select(  # the reply's promise about the message, once per message
        [*_KEY, "client_id", "client_name", "message_id", "permalink", "due_at", "rule", "created_at"],
        select(*here, p("client"), p("name"), p("message_id"), p("permalink"), due_at, p("rule"))
        .add_columns(p("created_at", TIME))
        .where(due_at.is_not(None), stands),
    )
    return select(stands.label("recorded")).add_cte(
        logged.cte("logged"),
        remembered.cte("remembered"),
        rejoined.cte("rejoined"),
        queued.on_conflict_do_nothing(index_elements=["kind", "subject_id", "occurrence", *_KEY]).cte("queued"),
        promised.on_conflict_do_nothing(index_elements=[*_KEY, "message_id"]).cte("promised"),
    )


CLAIM = _compiled(
    postgresql.insert(seen_events)
    .from_select(["platform", "event_id", "seen_at"], select(p("platform"), p("event_id"), p("at", TIME)))
    .on_conflict_do_nothing(index_elements=["platform", "event_id"])
)
STATE = _compiled(_state())
# Version and history in one statement: one snapshot, so the history is exactly what that version logged.
HISTORY = _compiled(select(VERSION.scalar_subquery().label("version"), _HISTORY.scalar_subquery().label("history")))
RECORD = _compiled(_record())
SETTLE_LIVE = _compiled(SETTLE)
