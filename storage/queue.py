"""SqlDeliveryQueue: the deliveries table as a queue with unique keys, leases, per-channel order and shared pauses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.messages import ChannelRef
from bot.queue import (
    WHOLE_WORKSPACE,
    Delivery,
    DeliveryKey,
    DeliveryState,
    Pause,
    PlannedDelivery,
    Start,
)
from storage.message_path import MessagePath
from storage.queue_sql import earlier_unfinished, paused_over, unless_cancelled
from storage.rows import KEY_COLUMNS, channel_match, delivery_of, payload_of
from storage.tables import UNFINISHED_ROWS, as_utc, deliveries, pauses

ERROR_CHARS = 500


class SqlDeliveryQueue:
    """Implements bot.queue.DeliveryQueue on SQLite (one process) or PostgreSQL (many)."""

    def __init__(self, engine: AsyncEngine, messages: MessagePath) -> None:
        self._engine = engine
        self._messages = messages  # the message path: a live reply's row is settled on it, in one short statement
        self._postgres = engine.dialect.name == "postgresql"

    async def enqueue(
        self, planned: Sequence[PlannedDelivery], now: datetime, *, skipped_reason: str | None = None
    ) -> list[PlannedDelivery]:
        if not planned:
            return []
        now = as_utc(now)
        state = DeliveryState.SKIPPED if skipped_reason else DeliveryState.PENDING
        rows = [
            {
                **{name: getattr(item.key, name) for name in KEY_COLUMNS},
                "due_at": as_utc(item.due_at),
                "payload": payload_of(item),
                "state": state.value,
                "last_error": skipped_reason,
                "attempts": 0,
                "next_attempt_at": as_utc(item.due_at),
                "created_at": now,
                "updated_at": now,
            }
            for item in planned
        ]
        dialect = postgresql if self._postgres else sqlite
        statement = dialect.insert(deliveries).on_conflict_do_nothing(
            index_elements=[deliveries.c[name] for name in KEY_COLUMNS]
        )
        async with self._engine.begin() as conn:  # one statement per row keeps rowcount exact on both drivers
            counts = [(await conn.execute(statement, row)).rowcount for row in rows]
        return [item for item, count in zip(planned, counts, strict=True) if count]

    async def claim(
        self, now: datetime, worker: str, lease: timedelta, limit: int, *, to_look_up: int | None = None
    ) -> list[Delivery]:
        now = as_utc(now)
        d = deliveries
        due = and_(
            text(UNFINISHED_ROWS),
            or_(  # as a literal it lets both databases read ix_deliveries_unfinished
                and_(
                    d.c.state.in_([DeliveryState.PENDING.value, DeliveryState.UNKNOWN.value]),
                    d.c.next_attempt_at <= now,
                ),
                and_(d.c.state == DeliveryState.IN_FLIGHT.value, d.c.lease_until <= now),
            ),
        )
        query = (
            select(d)
            .where(due, d.c.cancelled_at.is_(None), ~earlier_unfinished(), ~paused_over(now))
            .order_by(d.c.due_at, d.c.id)
        )
        if self._postgres:
            query = query.with_for_update(of=d, skip_locked=True)
        lookups = limit if to_look_up is None else min(limit, to_look_up)
        async with self._engine.begin() as conn:
            # A request that was under way when its row was cancelled, and whose worker died: it may have posted
            # (a correction goes there), and it is never posted again.
            await conn.execute(
                update(d)
                .where(
                    text(UNFINISHED_ROWS),
                    d.c.cancelled_at.is_not(None),
                    d.c.state == DeliveryState.IN_FLIGHT.value,
                    d.c.lease_until <= now,
                )
                .values(state=DeliveryState.CANCELLED.value, lease_owner=None, lease_until=None)
            )
            rows = list((await conn.execute(query.where(d.c.posting_at.is_not(None)).limit(lookups))).all())
            rows += (await conn.execute(query.where(d.c.posting_at.is_(None)).limit(limit - len(rows)))).all()
            if not rows:
                return []
            await conn.execute(
                update(d)
                .where(d.c.id.in_([row.id for row in rows]))
                .values(
                    state=DeliveryState.IN_FLIGHT.value,
                    lease_owner=worker,
                    lease_until=now + lease,
                    attempts=d.c.attempts + 1,
                    updated_at=now,
                )
            )
        return [delivery_of(row, attempts=row.attempts + 1) for row in rows]

    async def renew(self, worker: str, delivery_ids: Sequence[int], until: datetime) -> set[int]:
        if not delivery_ids:
            return set()
        statement = (
            update(deliveries)
            .where(
                deliveries.c.id.in_(list(delivery_ids)),
                deliveries.c.lease_owner == worker,
                deliveries.c.state == DeliveryState.IN_FLIGHT.value,
            )
            .values(lease_until=as_utc(until))
            .returning(deliveries.c.id)
        )
        async with self._engine.begin() as conn:
            return set((await conn.execute(statement)).scalars())

    async def begin_post(self, delivery_id: int, worker: str, now: datetime) -> tuple[Start, datetime | None]:
        now = as_utc(now)
        d = deliveries
        mine = and_(
            d.c.id == delivery_id,
            d.c.lease_owner == worker,
            d.c.state == DeliveryState.IN_FLIGHT.value,
            d.c.lease_until > now,
        )
        statement = (
            update(d)
            .where(mine, ~paused_over(now, lookups=False))
            .values(posting_at=now, updated_at=now)
            .returning(d.c.id)
        )
        async with self._engine.begin() as conn:
            if (await conn.execute(statement)).first() is not None:
                return Start.GO, None
            row = (await conn.execute(select(d.c.platform, d.c.workspace_id, d.c.channel_id).where(mine))).first()
            if row is None:
                return Start.LOST, None
            until = (
                await conn.execute(
                    select(func.max(pauses.c.until)).where(
                        pauses.c.platform == row.platform,
                        pauses.c.workspace_id == row.workspace_id,
                        pauses.c.channel_id.in_([row.channel_id, WHOLE_WORKSPACE]),
                        pauses.c.until > now,
                    )
                )
            ).scalar()
        return (Start.PAUSED, until) if until is not None else (Start.LOST, None)

    async def pause(self, pause: Pause, *, refused: int | None = None) -> None:
        dialect = postgresql if self._postgres else sqlite
        insert = dialect.insert(pauses).values(
            platform=pause.platform,
            workspace_id=pause.workspace_id,
            channel_id=pause.channel_id,
            until=as_utc(pause.until),
        )
        statement = insert.on_conflict_do_update(
            index_elements=[pauses.c.platform, pauses.c.workspace_id, pauses.c.channel_id],
            set_={"until": insert.excluded.until},
            where=pauses.c.until < insert.excluded.until,
        )
        async with self._engine.begin() as conn:
            await conn.execute(statement)
            if refused is not None:  # a 429 proves the request did not post: no lookup is needed for it
                await conn.execute(update(deliveries).where(deliveries.c.id == refused).values(posting_at=None))

    async def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.SENT, platform_message_id=message_id)

    async def mark_retry(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        await self._finish(
            delivery_id,
            now,
            state=unless_cancelled(DeliveryState.PENDING),
            posting_at=None,
            next_attempt_at=as_utc(next_attempt_at),
            last_error=error[:ERROR_CHARS],
        )

    async def mark_unknown(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        await self._finish(
            delivery_id,
            now,
            state=unless_cancelled(DeliveryState.UNKNOWN),
            next_attempt_at=as_utc(next_attempt_at),
            last_error=error[:ERROR_CHARS],
        )

    async def mark_failed(self, delivery_id: int, error: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.FAILED, last_error=error[:ERROR_CHARS])

    async def mark_skipped(self, delivery_id: int, reason: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.SKIPPED, last_error=reason[:ERROR_CHARS])

    async def settle_live(
        self,
        key: DeliveryKey,
        owner: str,
        now: datetime,
        *,
        sent: str | None = None,
        failed: str | None = None,
        unknown: str | None = None,
    ) -> bool:
        state = (
            DeliveryState.SENT
            if sent is not None
            else DeliveryState.FAILED
            if failed is not None
            else DeliveryState.UNKNOWN
        )
        error = None if sent is not None else (failed if failed is not None else unknown or "")[:ERROR_CHARS]
        return await self._messages.settle(key, owner, as_utc(now), state.value, sent, error)

    async def _finish(self, delivery_id: int, now: datetime, *, state: Any, **values: Any) -> None:
        state = state.value if isinstance(state, DeliveryState) else state
        async with self._engine.begin() as conn:
            await conn.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery_id)
                .values(state=state, lease_owner=None, lease_until=None, updated_at=as_utc(now), **values)
            )

    async def cancel_pending(self, delivery_id: int, kind: str, now: datetime) -> bool:
        d = deliveries
        statement = (
            update(d)
            .where(
                d.c.id == delivery_id,
                d.c.kind == kind,
                d.c.state == DeliveryState.PENDING.value,
                d.c.posting_at.is_(None),
                d.c.cancelled_at.is_(None),
            )
            .values(state=DeliveryState.CANCELLED.value, cancelled_at=as_utc(now), updated_at=as_utc(now))
        )
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement)).rowcount)

    async def count_by_state(self) -> dict[DeliveryState, int]:
        query = select(deliveries.c.state, func.count()).group_by(deliveries.c.state)
        async with self._engine.connect() as conn:
            counts: dict[str, int] = dict((await conn.execute(query)).all())
        return {state: counts.get(state.value, 0) for state in DeliveryState}

    async def sent_to(self, kinds: Sequence[str], subjects: Sequence[str]) -> set[tuple[str, ChannelRef]]:
        if not subjects:
            return set()
        d = deliveries
        maybe_posted = or_(
            d.c.state == DeliveryState.SENT.value,
            and_(d.c.state == DeliveryState.CANCELLED.value, d.c.posting_at.is_not(None)),
        )
        query = (
            select(d.c.subject_id, d.c.platform, d.c.workspace_id, d.c.channel_id)
            .distinct()
            .where(d.c.kind.in_(list(kinds)), d.c.subject_id.in_(sorted(set(subjects))), maybe_posted)
        )
        async with self._engine.connect() as conn:
            return {
                (row.subject_id, ChannelRef(row.platform, row.workspace_id, row.channel_id))
                for row in (await conn.execute(query)).all()
            }

    async def list_deliveries(
        self,
        *,
        kinds: Sequence[str] = (),
        states: Sequence[DeliveryState] = (),
        updated_since: datetime | None = None,
        channel: ChannelRef | None = None,
    ) -> list[Delivery]:
        filters: list[Any] = [deliveries.c.kind.in_(list(kinds))] if kinds else []
        filters += [deliveries.c.state.in_([s.value for s in states])] if states else []
        filters += [deliveries.c.updated_at >= as_utc(updated_since)] if updated_since is not None else []
        filters += list(channel_match(deliveries, channel)) if channel is not None else []
        query = select(deliveries).where(*filters).order_by(deliveries.c.due_at, deliveries.c.id)
        async with self._engine.connect() as conn:
            return [delivery_of(row) for row in (await conn.execute(query)).all()]
