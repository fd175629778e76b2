"""A Slack HTTP app for the end-to-end benchmark, in its own process: this project's app, or a bare Bolt app."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import signal
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.runner import LIVE_REPLY_PLATFORMS
from adapters.slack.app import build_slack
from adapters.slack.client import SlackConnections, web_client
from adapters.slack.http import EVENTS_PATH, build_web_app
from bot.clock import SimulatedClock
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-T1"
MONDAY_9PM = datetime(2026, 11, 23, 21, 0, tzinfo=ZoneInfo("America/New_York"))  # after hours: every event gets a reply


def settings_for(api_url: str, database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_app_token=None,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        slack_owner_ids="U_OWNER",
        slack_client_id=None,
        slack_client_secret=None,
    )


def bare_app(settings: Settings, connections: SlackConnections | None) -> web.Application:
    """Verifies the signature (Bolt's own middleware) and posts one reply per message event, nothing else; with
    `connections` its client keeps connections open as this project's does, else one per call (Bolt's default)."""
    app = AsyncApp(
        client=web_client(settings, BOT_TOKEN, connections=connections),
        signing_secret=SIGNING_SECRET,
        process_before_response=False,
        ignoring_self_events_enabled=False,
    )

    @app.event("message")
    async def on_message(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(
            channel=event["channel"],
            thread_ts=event["ts"],
            unfurl_links=False,
            unfurl_media=False,
            text="Thanks for your message! We'll get back to you.",
        )

    async def events(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events)])
    return web_app


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = settings_for(args.api_url, args.database_url or "sqlite://")
    database = None
    connections = SlackConnections()
    if args.mode.startswith("bare"):
        web_app = bare_app(settings, connections if args.mode == "bare-keepalive" else None)
    else:
        database = Database(args.database_url)
        await database.migrate()
        service = BoundaryService(
            database.store(), load_policy(EXAMPLE_POLICY), settings.roles(), SimulatedClock(MONDAY_9PM)
        )
        if not os.environ.get("BENCH_NO_OUTBOX"):  # BENCH_NO_OUTBOX=1: live replies posted without their row
            service.outbox, service.outbox_platforms = database.deliveries(), LIVE_REPLY_PLATFORMS  # as the runner does
        slack = build_slack(service, settings, {}, http=True, oauth_database=database)
        connections = slack.connections
        web_app = build_web_app(slack)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await connections.close()
        if database is not None:
            await database.dispose()


def run(args: argparse.Namespace) -> None:
    """Serve until SIGTERM; with BENCH_PROFILE=FILE, under cProfile, the stats written to FILE.MODE at exit."""
    profile_to = os.environ.get("BENCH_PROFILE")
    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    try:
        asyncio.run(main(args))
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(f"{profile_to}.{args.mode}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["project", "bare", "bare-keepalive"])
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--database-url")
    run(parser.parse_args())
