"""The deliveries table's shared conditions (per-channel order, pauses in force) and cancelling rows not yet out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, exists, or_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.queue import LOOKUPS, WHOLE_WORKSPACE, DeliveryState
from storage.rows import UNFINISHED_STATES as _UNFINISHED
from storage.tables import as_utc, deliveries, pauses

_EARLIER = deliveries.alias("earlier")


async def cancel_unsent(conn: AsyncConnection, subject_id: str, kinds: Sequence[str], now: datetime) -> int:
    """In `conn`'s transaction: rows not yet out are cancelled now; a row whose request is under way is cancelled
    if that request fails (an unknown one counts as possibly posted, so a correction still reaches its channel)."""
    d, now = deliveries, as_utc(now)
    mine = and_(d.c.subject_id == subject_id, d.c.kind.in_(list(kinds)), d.c.state.in_(_UNFINISHED))
    not_out = or_(d.c.state.in_([DeliveryState.PENDING.value, DeliveryState.UNKNOWN.value]), d.c.posting_at.is_(None))
    count = (
        await conn.execute(
            update(d)
            .where(mine, not_out)
            .values(
                state=DeliveryState.CANCELLED.value,
                cancelled_at=now,
                lease_owner=None,
                lease_until=None,
                last_error="cancelled before it was posted",
                updated_at=now,
            )
        )
    ).rowcount
    await conn.execute(update(d).where(mine).values(cancelled_at=now))
    return count


def unless_cancelled(state: DeliveryState):
    """`state`, or cancelled for a row cancelled while its request was under way."""
    return case((deliveries.c.cancelled_at.is_not(None), DeliveryState.CANCELLED.value), else_=state.value)


def earlier_unfinished():
    """An unfinished row planned before this one in the same channel (rows of a channel go out in order)."""
    d, e = deliveries, _EARLIER
    return exists().where(
        e.c.platform == d.c.platform,
        e.c.workspace_id == d.c.workspace_id,
        e.c.channel_id == d.c.channel_id,
        e.c.state.in_(_UNFINISHED),
        or_(e.c.due_at < d.c.due_at, and_(e.c.due_at == d.c.due_at, e.c.id < d.c.id)),
    )


def paused_over(now: datetime, *, lookups: bool = True):
    """A pause in force over this row's workspace or channel (and, for a row to look up, over lookups)."""
    d = deliveries
    scopes = [pauses.c.channel_id == d.c.channel_id, pauses.c.channel_id == WHOLE_WORKSPACE]
    if lookups:
        scopes.append(and_(pauses.c.channel_id == LOOKUPS, d.c.posting_at.is_not(None)))
    return exists().where(
        pauses.c.platform == d.c.platform, pauses.c.workspace_id == d.c.workspace_id, pauses.c.until > now, or_(*scopes)
    )
