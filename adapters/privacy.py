"""`boundary-bot forget` and `boundary-bot export`: erasing one client and exporting what is stored."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime

from bot.retention import ClientRef
from bot.settings import Settings


def _client(text: str | None) -> ClientRef | None:
    return ClientRef.parse(text) if text else None


async def _forget(url: str, client: ClientRef, confirmed: bool) -> str:
    from storage.database import Database

    async with Database(url) as database:
        await database.migrate()
        store = database.store()
        found = await store.forget_client(client, datetime.now(UTC), dry_run=not confirmed)
    if not confirmed:
        if not found.total:
            return f"Nothing is stored about {client.user_id}."
        return (
            f"This erases what is stored about {client.user_id}: {found.describe()}. Delivery keys stay, so "
            "nothing is posted twice. Run again with --yes to erase it."
        )
    return f"Erased what was stored about {client.user_id}: {found.describe()}."


async def _export(url: str, client: ClientRef | None) -> dict:
    from storage.database import Database
    from storage.export import export

    async with Database(url) as database:
        await database.migrate()
        return await export(database.engine, client)


def forget(args: argparse.Namespace) -> int:
    """Show what would be erased; with --yes, erase it."""
    try:
        client = ClientRef.parse(args.client)
    except ValueError as error:
        print(f"boundary-bot forget: {error}", file=sys.stderr)
        return 2
    print(asyncio.run(_forget(Settings().database_url, client, args.yes)))
    return 0


def export(args: argparse.Namespace) -> int:
    """Write the export as JSON to stdout, or to --output (created readable by this user only)."""
    try:
        client = _client(args.client)
    except ValueError as error:
        print(f"boundary-bot export: {error}", file=sys.stderr)
        return 2
    text = json.dumps(asyncio.run(_export(Settings().database_url, client)), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        descriptor = os.open(args.output, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)
    return 0
