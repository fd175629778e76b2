"""Socket Mode: the Bolt app over Slack's websocket (SLACK_APP_TOKEN), for `boundary-bot run`."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.slack.app import SlackBot, build_slack
from adapters.slack.client import reveal
from bot.outbound import Poster
from bot.service import BoundaryService
from bot.settings import Settings

log = logging.getLogger(__name__)


async def connect_socket_mode(bot: SlackBot, app_token: str, *, ping_interval: float = 10) -> AsyncSocketModeHandler:
    """Open the websocket (apps.connections.open, then the URL it returns) and start handling envelopes."""
    handler = AsyncSocketModeHandler(bot.app, app_token=app_token, ping_interval=ping_interval)
    await handler.connect_async()
    return handler


async def run_socket_mode(
    service: BoundaryService, settings: Settings, *, posters: dict[str, Poster] | None = None
) -> None:
    """Run until cancelled; events, commands and interactions arrive over the websocket, acked by envelope id."""
    app_token = reveal(settings.slack_app_token)
    if not app_token:
        raise ValueError("SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token (xapp-...)")
    bot = build_slack(service, settings, posters, http=False)
    handler = await connect_socket_mode(bot, app_token)
    log.info("Slack Socket Mode: connected")
    bot.membership.start()
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()
        await bot.aclose()
