"""`boundary-bot promises`: the answer-by times clients were told, from the database, as lines or JSON lines."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from bot.promises import Promise, promise_lines
from bot.settings import Settings


def as_json(promise: Promise, now: datetime, settings: Settings) -> dict[str, Any]:
    zone = settings.load_policy().zone
    return {
        "id": promise.id,
        "client": promise.client_id,
        "client_name": promise.client_name,
        "channel": str(promise.channel),
        "message": promise.message_id,
        "link": promise.permalink,
        "due": promise.due_at.astimezone(zone).isoformat(),
        "state": promise.state(now).value,
        "answered_at": promise.answered_at.astimezone(zone).isoformat() if promise.answered_at else None,
        "rule": promise.rule,
    }


async def _read(url: str, answered_too: bool) -> list[Promise]:
    from storage.database import Database

    async with Database(url) as database:
        await database.migrate()
        since = datetime.min.replace(tzinfo=UTC) if answered_too else None
        return await database.store().list_promises(answered_since=since)


def main(args: argparse.Namespace) -> int:
    settings, now = Settings(), datetime.now(UTC)
    promises = asyncio.run(_read(settings.database_url, args.all))
    if args.json:
        for promise in promises:
            print(json.dumps(as_json(promise, now, settings), ensure_ascii=False))
    elif promises:
        print("\n".join(promise_lines(promises, now, settings.load_policy().zone)))
    else:
        print("No promises are waiting for an answer.")
    return 0
