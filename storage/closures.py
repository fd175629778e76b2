"""Closure rows in SQL: add one, cancel one (its posts not yet out are dropped), change one (cancel and replace)."""

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
