"""SqlDeliveryQueue: the deliveries table as a queue with unique keys, leases and SKIP LOCKED claims."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.queue import Delivery, DeliveryKey, DeliveryState, PlannedDelivery
from storage.tables import DeliveryRow, as_utc

deliveries = DeliveryRow.__table__
_KEY_COLUMNS = ("kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id")
ERROR_CHARS = 500


class SqlDeliveryQueue:
    """Implements bot.queue.DeliveryQueue on SQLite (one process) or PostgreSQL (many)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    async def enqueue(self, planned: Sequence[PlannedDelivery], now: datetime, *,
                      skipped_reason: str | None = None) -> list[PlannedDelivery]:
        if not planned:
            return []
        now = as_utc(now)
        state = DeliveryState.SKIPPED if skipped_reason else DeliveryState.PENDING
        rows = [
            {
                **{name: getattr(item.key, name) for name in _KEY_COLUMNS},
                "due_at": as_utc(item.due_at),
                "payload": json.dumps({"text": item.text, "expires_at": as_utc(item.expires_at).isoformat(),
                                       "direct": item.direct, **({"data": dict(item.data)} if item.data else {})}),
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
            index_elements=[deliveries.c[name] for name in _KEY_COLUMNS]
        )
        async with self._engine.begin() as conn:
            inserted = []
            for item, row in zip(planned, rows):  # one statement per row keeps rowcount exact on both drivers
                if (await conn.execute(statement, row)).rowcount:
                    inserted.append(item)
        return inserted

    async def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> list[Delivery]:
        now = as_utc(now)
        due = or_(
            and_(deliveries.c.state == DeliveryState.PENDING.value, deliveries.c.next_attempt_at <= now),
            and_(deliveries.c.state == DeliveryState.IN_FLIGHT.value, deliveries.c.lease_until <= now),
        )
        query = select(deliveries).where(due).order_by(deliveries.c.due_at, deliveries.c.id).limit(limit)
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        async with self._engine.begin() as conn:
            rows = (await conn.execute(query)).all()
            if not rows:
                return []
            await conn.execute(
                update(deliveries)
                .where(deliveries.c.id.in_([row.id for row in rows]))
                .values(state=DeliveryState.IN_FLIGHT.value, lease_owner=worker, lease_until=now + lease,
                        attempts=deliveries.c.attempts + 1, updated_at=now)
            )
        return [_delivery(row, attempts=row.attempts + 1,
                          outcome_unknown=row.state == DeliveryState.IN_FLIGHT.value) for row in rows]

    async def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.SENT, platform_message_id=message_id)

    async def mark_retry(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.PENDING, next_attempt_at=as_utc(next_attempt_at),
                           last_error=error[:ERROR_CHARS])

    async def mark_failed(self, delivery_id: int, error: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.FAILED, last_error=error[:ERROR_CHARS])

    async def mark_skipped(self, delivery_id: int, reason: str, now: datetime) -> None:
        await self._finish(delivery_id, now, state=DeliveryState.SKIPPED, last_error=reason[:ERROR_CHARS])

    async def _finish(self, delivery_id: int, now: datetime, *, state: DeliveryState, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(deliveries).where(deliveries.c.id == delivery_id)
                .values(state=state.value, lease_owner=None, lease_until=None, updated_at=as_utc(now), **values)
            )

    async def count_by_state(self) -> dict[DeliveryState, int]:
        query = select(deliveries.c.state, func.count()).group_by(deliveries.c.state)
        async with self._engine.connect() as conn:
            counts = dict((await conn.execute(query)).all())
        return {state: counts.get(state.value, 0) for state in DeliveryState}

    async def sent_subjects(self, kinds: Sequence[str]) -> set[str]:
        query = select(deliveries.c.subject_id).distinct().where(
            deliveries.c.kind.in_(list(kinds)), deliveries.c.state == DeliveryState.SENT.value
        )
        async with self._engine.connect() as conn:
            return set((await conn.execute(query)).scalars())

    async def list_deliveries(self, *, kinds: Sequence[str] = (), states: Sequence[DeliveryState] = (),
                              updated_since: datetime | None = None) -> list[Delivery]:
        query = select(deliveries).order_by(deliveries.c.due_at, deliveries.c.id)
        if kinds:
            query = query.where(deliveries.c.kind.in_(list(kinds)))
        if states:
            query = query.where(deliveries.c.state.in_([s.value for s in states]))
        if updated_since is not None:
            query = query.where(deliveries.c.updated_at >= as_utc(updated_since))
        async with self._engine.connect() as conn:
            return [_delivery(row) for row in (await conn.execute(query)).all()]


def _delivery(row: Row, *, attempts: int | None = None, outcome_unknown: bool = False) -> Delivery:
    payload = json.loads(row.payload)
    return Delivery(
        id=row.id,
        key=DeliveryKey(*(getattr(row, name) for name in _KEY_COLUMNS)),
        due_at=row.due_at,
        expires_at=datetime.fromisoformat(payload["expires_at"]),
        text=payload["text"],
        direct=payload.get("direct", False),
        state=DeliveryState(row.state),
        attempts=row.attempts if attempts is None else attempts,
        platform_message_id=row.platform_message_id,
        last_error=row.last_error,
        outcome_unknown=outcome_unknown,
        data=payload.get("data"),
    )
