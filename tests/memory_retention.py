"""Pruning and erasure for the in-memory test store, as storage/retention.py does them in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.retention import ClientRef, Cutoffs, ForgetReport, Held, PruneReport


class MemoryRetention:
    """The retention half of MemoryStore (bot.retention.Retaining) over the store's own dicts and lists."""

    _seen: dict[tuple[str, str], datetime]
    _replies: list[Any]
    _replies_by_client: dict[Any, list[Any]]
    _released: dict[Any, int]
    _timezones: dict[tuple[str, str, str], str]
    _departures: dict[tuple[str, str], datetime]
    _promises: dict[int, Any]

    async def prune(self, due: Cutoffs, *, max_batches: int = 100) -> PruneReport:
        """Drop event ids seen and replies logged strictly before their cutoffs (memory has no outbox)."""
        seen = {key: at for key, at in self._seen.items() if at >= due.event_ids}
        gone = [logged for logged in self._replies if logged.reply.sent_at < due.replies]
        events, self._seen = len(self._seen) - len(seen), seen
        self._drop(gone, bump=False)  # old history moves no version: no decision reads it any more
        return PruneReport(event_ids=events, replies=len(gone))

    async def held(self) -> dict[str, Held]:
        """Event ids and logged replies (memory keeps no outbox, so no post text)."""
        seen, sent = list(self._seen.values()), [logged.reply.sent_at for logged in self._replies]
        return {
            "event_ids": Held(len(seen), min(seen, default=None)),
            "replies": Held(len(sent), min(sent, default=None)),
        }

    async def workspace_left(self, platform: str, workspace_id: str, now: datetime) -> None:
        self._departures[(platform, workspace_id)] = now

    async def workspace_back(self, platform: str, workspace_id: str) -> None:
        self._departures.pop((platform, workspace_id), None)

    async def erase_departed(self, left_before: datetime, now: datetime) -> int:
        """Every client of each workspace left before `left_before` forgotten, then the departure."""
        gone = [place for place, at in self._departures.items() if at < left_before]
        for platform, workspace_id in gone:
            clients = {
                r.client_id
                for r in self._replies
                if (r.channel.platform, r.channel.workspace_id) == (platform, workspace_id)
            }
            clients |= {user for (p, w, user) in self._timezones if (p, w) == (platform, workspace_id)}
            for user_id in sorted(clients):
                await self.forget_client(ClientRef(user_id, platform, workspace_id), now)
            del self._departures[(platform, workspace_id)]
        return len(gone)

    async def forget_client(self, client: ClientRef, now: datetime, *, dry_run: bool = False) -> ForgetReport:
        """Drop the client's logged replies (their version moves on) and time zones."""
        replies = [r for r in self._replies if client.matches(r.channel.platform, r.channel.workspace_id, r.client_id)]
        zones = [key for key in self._timezones if client.matches(*key)]
        made = [
            i
            for i, p in self._promises.items()
            if client.matches(p.channel.platform, p.channel.workspace_id, p.client_id)
        ]
        if not dry_run:
            self._drop(replies, bump=True)
            for key in zones:
                del self._timezones[key]
            for promise_id in made:
                del self._promises[promise_id]
        return ForgetReport(replies=len(replies), timezones=len(zones), promises=len(made))

    def _drop(self, gone: list[Any], *, bump: bool) -> None:
        if not gone:
            return
        ids = {id(logged) for logged in gone}
        self._replies = [logged for logged in self._replies if id(logged) not in ids]
        for key, logged in list(self._replies_by_client.items()):
            kept = [r for r in logged if id(r) not in ids]
            dropped = len(logged) - len(kept)
            if dropped:  # the version counts logged plus released replies: what is dropped counts as released
                self._released[key] = self._released.get(key, 0) + dropped + (1 if bump else 0)
                self._replies_by_client[key] = kept
