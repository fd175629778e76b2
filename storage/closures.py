"""Closure rows in SQL: add, cancel (its posts not yet out are dropped), change (cancel and replace), detach one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Closure, ClosureKind
from bot.planner import UNSENT_ON_CANCEL, closure_subject
from storage.queue_sql import cancel_unsent
from storage.rows import closure as closure_of
from storage.tables import as_utc, closures


async def insert(conn: AsyncConnection, closure: Closure) -> Closure:
    values = {
        "start": as_utc(closure.start),
        "end": as_utc(closure.end),
        "reason": closure.reason,
        "backup": closure.backup,
        "notice_days": list(closure.notice_days) if closure.notice_days is not None else None,
        "kind": ClosureKind(closure.kind).value,
        "created_at": as_utc(closure.created_at) if closure.created_at else datetime.now(UTC),
        "cancelled_at": as_utc(closure.cancelled_at) if closure.cancelled_at else None,
        "replaces": closure.replaces,
        "calendar_uid": closure.calendar_uid,
        "detached_at": as_utc(closure.detached_at) if closure.detached_at else None,
    }
    result = await conn.execute(closures.insert().values(**values).returning(*closures.c))
    return closure_of(result.one())


async def cancel(conn: AsyncConnection, closure_id: int, at: datetime) -> Closure | None:
    """Cancel an open closure; its posts not yet out are dropped in the same transaction."""
    statement = (
        update(closures)
        .where(closures.c.id == closure_id, closures.c.cancelled_at.is_(None))
        .values(cancelled_at=as_utc(at))
        .returning(*closures.c)
    )
    row = (await conn.execute(statement)).first()
    if row is None:
        return None
    cancelled = closure_of(row)
    await cancel_unsent(conn, closure_subject(cancelled), UNSENT_ON_CANCEL, at)
    return cancelled


async def detach(conn: AsyncConnection, closure_id: int, at: datetime) -> Closure | None:
    """Detach an open imported closure from its calendar event; None if there is no such closure."""
    statement = (
        update(closures)
        .where(
            closures.c.id == closure_id,
            closures.c.cancelled_at.is_(None),
            closures.c.calendar_uid.is_not(None),
            closures.c.detached_at.is_(None),
        )
        .values(detached_at=as_utc(at))
        .returning(*closures.c)
    )
    row = (await conn.execute(statement)).first()
    return closure_of(row) if row is not None else None
