"""HTTP mode: an aiohttp server with Slack's endpoint at POST /slack/events, OAuth install routes, /healthz and /metrics."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

from adapters.slack.app import SlackBot, build_slack
from adapters.metrics import CONTENT_TYPE, Metrics
from adapters.slack.client import reveal
from adapters.slack.poster import TRANSIENT_ERRORS
from bot.outbound import Poster
from bot.service import BoundaryService
from bot.settings import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def build_web_app(bot: SlackBot, metrics: Metrics | None = None) -> web.Application:
    """Events, interactivity and commands share one signed endpoint; Bolt answers 401 to a bad signature."""

    async def events(request: web.Request) -> web.StreamResponse:
        return await to_aiohttp_response(await bot.app.async_dispatch(await to_bolt_request(request)))

    async def health(request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get(HEALTH_PATH, health)])
    if metrics is not None:
        bot.on_api_error = lambda code: metrics.api_error("slack", permanent=code not in TRANSIENT_ERRORS)

        async def exposition(request: web.Request) -> web.StreamResponse:
            return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})

        web_app.add_routes([web.get(METRICS_PATH, exposition)])
    flow = bot.app.oauth_flow
    if flow is not None:
        async def install(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def callback(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        web_app.add_routes([web.get(flow.install_path, install), web.get(flow.redirect_uri_path, callback)])
    return web_app


async def serve_http(service: BoundaryService, settings: Settings, *, port: int,
                     posters: dict[str, Poster] | None = None, host: str = "0.0.0.0",
                     metrics: Metrics | None = None) -> None:
    """Serve until cancelled; the access log is off because OAuth callback URLs carry one-time codes."""
    if not reveal(settings.slack_signing_secret):
        raise ValueError("SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify Slack's requests")
    bot = build_slack(service, settings, posters, http=True)
    runner = web.AppRunner(build_web_app(bot, metrics), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bot.membership.start()
        log.info("Slack HTTP mode: listening on %s:%d (POST %s, GET %s%s)", host, port, EVENTS_PATH, HEALTH_PATH,
                 ", OAuth install at /slack/install" if bot.app.oauth_flow else "")
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bot.aclose()
