"""Promises for the in-memory test store, as storage/promises.py keeps them in SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.messages import ChannelRef
from bot.promises import Promise


class MemoryPromises:
    """The promise half of MemoryStore."""

    _promises: dict[int, Promise]

    async def _add_promise(self, promise: Promise) -> Promise:
        """One promise per message, like the SQL stores' unique key (found by an index, not a scan)."""
        index: dict[tuple[ChannelRef, str], int] = self.__dict__.setdefault("_promise_of", {})
        if (known := index.get((promise.channel, promise.message_id))) in self._promises:  # not forgotten since
            return self._promises[known]
        next_id = self.__dict__.get("_promise_next", len(self._promises)) + 1  # never an id reused
        self.__dict__["_promise_next"] = next_id
        stored = replace(promise, id=next_id)
        self._promises[stored.id] = stored
        index[(promise.channel, promise.message_id)] = stored.id
        return stored

    async def answer_promises(self, channel: ChannelRef, at: datetime) -> int:
        due = [
            p for p in self._promises.values() if p.channel == channel and p.answered_at is None and p.created_at <= at
        ]
        for promise in due:
            self._promises[promise.id] = replace(promise, answered_at=at)
        return len(due)

    async def find_promise(self, channel: ChannelRef, message_id: str) -> Promise | None:
        return next((p for p in self._promises.values() if (p.channel, p.message_id) == (channel, message_id)), None)

    async def promise_done(self, promise_id: int, at: datetime) -> Promise | None:
        promise = self._promises.get(promise_id)
        if promise is None or promise.answered_at is not None:
            return None
        self._promises[promise_id] = done = replace(promise, answered_at=at)
        return done

    async def move_promise(self, promise_id: int, due_at: datetime) -> bool:
        promise = self._promises.get(promise_id)
        if promise is None or promise.answered_at is not None or promise.due_at >= due_at:
            return False
        self._promises[promise_id] = replace(promise, due_at=due_at)
        return True

    async def list_promises(self, *, answered_since: datetime | None = None) -> list[Promise]:
        shown = [
            p
            for p in self._promises.values()
            if p.answered_at is None or (answered_since is not None and p.answered_at >= answered_since)
        ]
        return sorted(shown, key=lambda p: (p.due_at, p.id or 0))
