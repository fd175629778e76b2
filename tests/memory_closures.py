"""The in-memory closures (add, list, cancel, change, detach), mixed into MemoryStore."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.models import Closure, ClosureKind


def _utc(value: datetime) -> datetime:
    """Aware datetimes in UTC, like the SQL store returns them; naive ones are refused."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"naive datetime {value.isoformat()} given; storage needs timezone-aware datetimes")
    return value.astimezone(UTC)


class MemoryClosures:
    """Closures by id, numbered from 1."""

    _closures: dict[int, Closure]
    _next_closure_id: int

    async def add_closure(self, closure: Closure) -> Closure:
        stored = replace(
            closure,
            id=self._next_closure_id,
            start=_utc(closure.start),
            end=_utc(closure.end),
            kind=ClosureKind(closure.kind),
            notice_days=tuple(closure.notice_days) if closure.notice_days is not None else None,
            created_at=_utc(closure.created_at) if closure.created_at else datetime.now(UTC),
            cancelled_at=_utc(closure.cancelled_at) if closure.cancelled_at else None,
            detached_at=_utc(closure.detached_at) if closure.detached_at else None,
        )
        self._next_closure_id += 1
        self._closures[stored.id] = stored
        return stored

    async def get_closure(self, closure_id: int) -> Closure | None:
        return self._closures.get(closure_id)

    async def list_closures(self, *, ending_after: datetime, include_cancelled: bool = False) -> list[Closure]:
        after = _utc(ending_after)
        found = [c for c in self._closures.values() if c.end > after and (include_cancelled or c.cancelled_at is None)]
        return sorted(found, key=lambda c: (c.start, c.id))

    async def cancel_closure(self, closure_id: int, at: datetime) -> Closure | None:
        closure = self._closures.get(closure_id)
        if closure is None or closure.cancelled_at is not None:
            return None
        cancelled = replace(closure, cancelled_at=_utc(at))
        self._closures[closure_id] = cancelled
        return cancelled

    async def change_closure(self, closure_id: int, changed: Closure, at: datetime) -> Closure | None:
        if await self.cancel_closure(closure_id, at) is None:
            return None
        return await self.add_closure(replace(changed, replaces=closure_id, created_at=at))

    async def detach_closure(self, closure_id: int, at: datetime) -> Closure | None:
        closure = self._closures.get(closure_id)
        if closure is None or closure.cancelled_at is not None or not closure.imported:
            return None
        detached = replace(closure, detached_at=_utc(at))
        self._closures[closure_id] = detached
        return detached
