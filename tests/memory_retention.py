"""Pruning and erasure for the in-memory test store, as storage/retention.py does them in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.retention import ClientRef, Cutoffs, ForgetReport, Held, PruneReport


def prune(store: Any, due: Cutoffs) -> PruneReport:
    """Drop event ids seen and replies logged strictly before their cutoffs (memory has no outbox)."""
    seen = {key: at for key, at in store._seen.items() if at >= due.event_ids}
    gone = [logged for logged in store._replies if logged.reply.sent_at < due.replies]
    events, store._seen = len(store._seen) - len(seen), seen
    _drop(store, gone, bump=False)  # old history moves no version: no decision reads it any more
    return PruneReport(event_ids=events, replies=len(gone))


def held(store: Any) -> dict[str, Held]:
    """Event ids and logged replies (memory keeps no outbox, so no post text)."""
    seen, sent = list(store._seen.values()), [logged.reply.sent_at for logged in store._replies]
    return {"event_ids": Held(len(seen), min(seen, default=None)), "replies": Held(len(sent), min(sent, default=None))}


async def erase_departed(store: Any, left_before: datetime, now: datetime) -> int:
    """Every client of each workspace left before `left_before` forgotten, then the departure."""
    gone = [place for place, at in store._departures.items() if at < left_before]
    for platform, workspace_id in gone:
        clients = {
            r.client_id
            for r in store._replies
            if (r.channel.platform, r.channel.workspace_id) == (platform, workspace_id)
        }
        clients |= {user for (p, w, user) in store._timezones if (p, w) == (platform, workspace_id)}
        for user_id in sorted(clients):
            forget(store, ClientRef(user_id, platform, workspace_id), now)
        del store._departures[(platform, workspace_id)]
    return len(gone)


def forget(store: Any, client: ClientRef, now: datetime, *, dry_run: bool = False) -> ForgetReport:
    """Drop the client's logged replies (their version moves on) and time zones."""
    replies = [r for r in store._replies if client.matches(r.channel.platform, r.channel.workspace_id, r.client_id)]
    zones = [key for key in store._timezones if client.matches(*key)]
    if not dry_run:
        _drop(store, replies, bump=True)
        for key in zones:
            del store._timezones[key]
    return ForgetReport(replies=len(replies), timezones=len(zones))


def _drop(store: Any, gone: list, *, bump: bool) -> None:
    if not gone:
        return
    ids = {id(logged) for logged in gone}
    store._replies = [logged for logged in store._replies if id(logged) not in ids]
    for key, logged in list(store._replies_by_client.items()):
        kept = [r for r in logged if id(r) not in ids]
        dropped = len(logged) - len(kept)
        if dropped:  # the version counts logged plus released replies: what is dropped counts as released
            store._released[key] = store._released.get(key, 0) + dropped + (1 if bump else 0)
            store._replies_by_client[key] = kept
