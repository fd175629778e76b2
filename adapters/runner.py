"""Starting the bot: settings, policy, database, then the adapters the configuration calls for."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.clock import SimulatedClock
from bot.dates import DateError, parse_instant
from bot.outbound import Poster
from bot.policy import Policy
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    """`boundary-bot run`: Slack (Socket Mode) and/or Discord when configured, else the console demo."""
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
    if args.console or not (settings.slack_bot_token or settings.discord_token):
        return asyncio.run(_with_service(settings, policy, clock, _console))
    if settings.slack_bot_token and not settings.slack_app_token and not settings.discord_token:
        print("boundary-bot run: SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN; set it for Socket Mode, "
              "or use `boundary-bot serve` for HTTP mode.", file=sys.stderr)
        return 2
    return asyncio.run(_with_service(settings, policy, clock, _platforms))


def serve(args: argparse.Namespace) -> int:
    """`boundary-bot serve`: Slack's Events API, interactivity and commands over HTTP."""
    settings = Settings()
    logging.getLogger().setLevel(settings.log_level)
    policy = settings.load_policy()

    async def _serve(service: BoundaryService, settings: Settings, clock: SimulatedClock) -> int:
        from adapters.slack.http import serve_http

        await serve_http(service, settings, port=args.port, posters={})
        return 0

    return asyncio.run(_with_service(settings, policy, SimulatedClock(), _serve))


async def _with_service(settings: Settings, policy: Policy, clock: SimulatedClock, body) -> int:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        service = BoundaryService(database.store(), policy, settings.roles(), clock)
        return await body(service, settings, clock)
    finally:
        await database.dispose()


async def _console(service: BoundaryService, settings: Settings, clock: SimulatedClock) -> int:
    from adapters.console import run_console

    await run_console(service, clock)
    return 0


async def _platforms(service: BoundaryService, settings: Settings, clock: SimulatedClock) -> int:
    posters: dict[str, Poster] = {}
    runs = []
    if settings.slack_bot_token and settings.slack_app_token:
        from adapters.slack.socket import run_socket_mode

        runs.append(run_socket_mode(service, settings, posters=posters))
    if settings.discord_token:
        from adapters.discord.bot import run_discord

        runs.append(run_discord(service, settings, posters=posters))
    await asyncio.gather(*runs)
    return 0
