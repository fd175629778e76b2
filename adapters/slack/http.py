"""HTTP mode: an aiohttp server with Slack's endpoint at POST /slack/events, OAuth install routes, /healthz, opt-in
/metrics, and the calendar feeds when CALENDAR_KEY is set."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.calendar_feeds import add_calendar_routes
from adapters.guide_page import add_guide_route
from adapters.metrics import CONTENT_TYPE, Metrics
from adapters.slack.app import SlackBot, build_slack
from adapters.slack.client import reveal
from adapters.slack.poster import TRANSIENT_ERRORS
from bot.outbound import Poster
from bot.service import BoundaryService
from bot.settings import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"

# The largest body Slack sends us is a message event: up to 40,000 characters of text (Slack truncates longer
# messages) carried twice, as `text` and again in its rich_text block. Slack's JSON escapes non-ASCII as \uXXXX,
# 6 bytes a character (emoji arrive as :short_codes:), so 2 x 40,000 x 6 = 480,000 bytes, plus the envelope and
# the blocks' structure: 512 KiB. Interactivity payloads carry our own messages and views, far smaller; an edit of
# such a message (sent with its previous version, four copies) may exceed it and gets a 413, but edits are ignored.
MAX_BODY_BYTES = 512 * 1024
# Slack gives up on a request not answered within 3 seconds, upload included: a body still arriving after that is
# not Slack's, and the connection is closed instead of held open.
BODY_TIMEOUT_SECONDS = 3.0
# Idle keep-alive, and the longest a client may take to send its headers (aiohttp's own serving default; longer
# than the 60 s idle timeout of the usual proxies in front, so they never reuse a connection we just closed).
KEEPALIVE_SECONDS = 75.0
SIGNATURE_MAX_AGE_SECONDS = 5 * 60  # Slack's rule: a request older than five minutes may be a replay
REFUSALS_LOG_EVERY_SECONDS = 60.0


def signed_by_slack(secret: str, body: bytes, headers: Mapping[str, str], now: float) -> bool:
    """Slack's v0 signature over the raw bytes, checked before anything reads them; any malformed header is False."""
    timestamp, signature = headers.get("X-Slack-Request-Timestamp", ""), headers.get("X-Slack-Signature", "")
    if not secret or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace"))


class Refusals:
    """Counts refused requests and logs them in one line at most every minute, never their content: a flood of
    forged requests must not flood the log (or write into it)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, every: float = REFUSALS_LOG_EVERY_SECONDS) -> None:
        self._clock, self._every = clock, every
        self._counts: Counter[str] = Counter()
        self._next_log = float("-inf")

    def refuse(self, reason: str, status: int) -> web.Response:
        self._counts[reason] += 1
        if (now := self._clock()) >= self._next_log:
            log.warning(
                "Slack HTTP: refused %s (bodies are never logged)",
                ", ".join(f"{count} {why}" for why, count in sorted(self._counts.items())),
            )
            self._counts.clear()
            self._next_log = now + self._every
        return web.json_response({"error": "invalid request"}, status=status, headers={"Connection": "close"})


class _NoBodies(logging.Filter):
    """Bolt's own check logs a refused request's whole body at INFO; ours refuses first, so this never has to."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Invalid request signature")


logging.getLogger("slack_bolt.AsyncRequestVerification").addFilter(_NoBodies())


def build_web_app(
    bot: SlackBot, metrics: Metrics | None = None, *, body_timeout: float = BODY_TIMEOUT_SECONDS
) -> web.Application:
    """Events, interactivity and commands share one signed endpoint: the signature is checked over the raw body
    before it is parsed, and a refused request gets 401 (bad signature), 413 (too large) or 400 (not Slack's); a
    body not complete within `body_timeout` seconds closes the connection. /metrics only when `metrics` is given."""
    secret = reveal(bot.settings.slack_signing_secret) or ""
    refusals = Refusals()

    async def events(request: web.Request) -> web.StreamResponse:
        try:
            body = await asyncio.wait_for(request.read(), body_timeout)
        except web.HTTPRequestEntityTooLarge:
            return refusals.refuse("too large", 413)
        except TimeoutError:
            if request.transport is not None:
                request.transport.close()  # not even a response: the client is not reading, it is holding us
            return refusals.refuse("sent too slowly", 408)
        if not signed_by_slack(secret, body, request.headers, time.time()):
            return refusals.refuse("without a valid signature", 401)
        try:
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"), query=request.query_string, headers=dict(request.headers)
            )
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
        except Exception:
            return refusals.refuse("signed but unreadable", 400)
        return await to_aiohttp_response(await bot.app.async_dispatch(bolt_request))

    async def health(request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True})

    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.add_routes([web.post(EVENTS_PATH, events), web.get(HEALTH_PATH, health)])
    if key := reveal(bot.settings.calendar_key):
        service = bot.service
        add_calendar_routes(web_app, service.store, service.policy, key, service.clock)
        add_guide_route(web_app, service.store, service.policy, key, service.clock)
    if metrics is not None:
        watch_api_errors(bot, metrics)
        add_metrics_route(web_app, metrics)
    flow = bot.app.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def callback(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        web_app.add_routes([web.get(flow.install_path, install), web.get(flow.redirect_uri_path, callback)])
    return web_app


def watch_api_errors(bot: SlackBot, metrics: Metrics) -> None:
    bot.on_api_error = lambda code: metrics.api_error("slack", permanent=code not in TRANSIENT_ERRORS)


def add_metrics_route(web_app: web.Application, metrics: Metrics) -> web.Application:
    async def exposition(request: web.Request) -> web.StreamResponse:
        return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    web_app.add_routes([web.get(METRICS_PATH, exposition)])
    return web_app


def web_runner(web_app: web.Application) -> web.AppRunner:
    """The access log is off because OAuth callback URLs carry one-time codes."""
    return web.AppRunner(web_app, access_log=None, keepalive_timeout=KEEPALIVE_SECONDS)


async def serve_http(
    service: BoundaryService,
    settings: Settings,
    *,
    port: int,
    posters: dict[str, Poster] | None = None,
    host: str = "0.0.0.0",
    metrics: Metrics | None = None,
    metrics_port: int | None = None,
) -> None:
    """Serve until cancelled. /metrics only with `metrics`: on `metrics_port` alone when given, else beside
    Slack's endpoint on `port` (then as public as it)."""
    if not reveal(settings.slack_signing_secret):
        raise ValueError("SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify Slack's requests")
    if metrics_port is not None and metrics_port == port:
        raise ValueError(f"METRICS_PORT {metrics_port} is the port Slack's endpoint listens on; choose another")
    bot = build_slack(service, settings, posters, http=True)
    sites = [(web_runner(build_web_app(bot, None if metrics_port else metrics)), port)]
    if metrics is not None and metrics_port:
        watch_api_errors(bot, metrics)
        sites.append((web_runner(add_metrics_route(web.Application(), metrics)), metrics_port))
    started: list[web.AppRunner] = []
    try:
        for runner, at in sites:
            await runner.setup()
            started.append(runner)
            await web.TCPSite(runner, host, at).start()
        bot.membership.start()
        where = "off" if metrics is None else f"on {host}:{metrics_port}" if metrics_port else "on this port"
        log.info(
            "Slack HTTP mode: listening on %s:%d (POST %s, GET %s%s); metrics %s",
            host,
            port,
            EVENTS_PATH,
            HEALTH_PATH,
            ", OAuth install at /slack/install" if bot.app.oauth_flow else "",
            where,
        )
        await asyncio.Event().wait()
    finally:
        for runner in started:
            await runner.cleanup()
        await bot.aclose()
