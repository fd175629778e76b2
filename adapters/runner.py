"""Starting the bot: settings, policy, database, then the adapters the configuration calls for."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.clock import SimulatedClock
from bot.dates import DateError, parse_instant
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    """`boundary-bot run`: the console demo unless platform tokens are configured."""
    settings = Settings()
    logging.getLogger().setLevel(settings.log_level)
    policy = settings.load_policy()
    clock = SimulatedClock()
    if args.at:
        try:
            clock.set(parse_instant(args.at, policy.zone, clock()))
        except DateError as error:
            print(f"boundary-bot run: --at {error}", file=sys.stderr)
            return 2
    platforms = [name for name, token in (("Slack", settings.slack_bot_token), ("Discord", settings.discord_token)) if token]
    if platforms and not args.console:
        print(f"boundary-bot run: {' and '.join(platforms)} token(s) are set, but this build has only the console "
              "adapter; use --console, or unset the tokens.", file=sys.stderr)
        return 2
    return asyncio.run(_console(settings, policy, clock))


async def _console(settings: Settings, policy, clock: SimulatedClock) -> int:
    from adapters.console import run_console

    database = Database(settings.database_url)
    try:
        await database.migrate()
        service = BoundaryService(database.store(), policy, settings.roles(), clock)
        await run_console(service, clock)
    finally:
        await database.dispose()
    return 0
