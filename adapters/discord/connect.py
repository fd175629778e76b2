"""Connecting to Discord: the gateway URL setting, a first connect that gives up with one clear line, and why."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import yarl

from bot.errors import StartError
from bot.settings import Settings

log = logging.getLogger(__name__)

PORTAL = "https://discord.com/developers/applications"
FIRST_CONNECT_TRIES = 4  # a network that is down for a moment at start is waited for; a wrong URL is not
FIRST_CONNECT_WAIT = 1.0  # seconds before the second try; doubled each time
GATEWAY_CLOSE = {
    4004: f"DISCORD_TOKEN was rejected by the gateway; reset the token under Bot in the Developer Portal ({PORTAL})",
    4013: "the bot asked the gateway for intents it does not know; is DISCORD_GATEWAY_URL a Discord-compatible server?",
    4014: "the Message Content Intent is off: turn on Bot > Privileged Gateway Intents > Message Content Intent in "
    f"the Developer Portal ({PORTAL}), then start the bot again",
}


def use_gateway(settings: Settings) -> yarl.URL | None:
    """Point discord.py's first connect at DISCORD_GATEWAY_URL (it has no setting of its own, only this attribute)."""
    if not settings.discord_gateway_url:
        return None
    url = yarl.URL(settings.discord_gateway_url)
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = url
    return url


def _api_url() -> str:
    return discord.http.Route.BASE


def explain(error: BaseException) -> str | None:
    """One line naming the setting or the portal page for a failure to start, or None for anything else."""
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return GATEWAY_CLOSE[4014]
    if isinstance(error, discord.LoginFailure):
        return f"DISCORD_TOKEN was rejected; reset the token under Bot in the Developer Portal ({PORTAL})"
    if isinstance(error, discord.ConnectionClosed):
        return GATEWAY_CLOSE.get(
            error.code, f"Discord closed the gateway with code {error.code} ({error.reason or 'no reason given'})"
        )
    if isinstance(error, (ssl.SSLError, aiohttp.ClientSSLError)):
        return f"a TLS connection to Discord failed ({_reason(error)}); check DISCORD_API_URL and DISCORD_GATEWAY_URL"
    if isinstance(error, discord.GatewayNotFound):
        return f"Discord's gateway could not be found at {discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY} (DISCORD_GATEWAY_URL)"
    return None


def _reason(error: BaseException) -> str:
    return str(getattr(error, "os_error", None) or error).splitlines()[0] or type(error).__name__


async def _first_connect(
    attempt: Callable[[], Awaitable[None]],
    what: str,
    where: object,
    setting: str,
    unreachable: tuple[type[BaseException], ...],
    wait: float,
) -> None:
    """`attempt` until it works; a network failure is tried again a few times (a network down for a moment at
    start), then is a StartError naming `setting`; a failure `explain` knows is one at once."""
    for tried in range(1, FIRST_CONNECT_TRIES + 1):
        try:
            await attempt()
            return
        except unreachable as error:
            if (line := explain(error)) is not None:
                raise StartError(line) from None
            if tried == FIRST_CONNECT_TRIES:
                raise StartError(
                    f"cannot reach Discord's {what} at {where} ({_reason(error)}); check {setting} and the network"
                ) from None
            log.warning("Discord: %s not reachable (%s); trying again in %.0f s", what, _reason(error), wait)
        except discord.HTTPException as error:  # an answer: the server is there
            if error.status < 500 or tried == FIRST_CONNECT_TRIES:
                raise StartError(
                    explain(error) or f"Discord refused the login: {error.status} {error.text or ''}".strip()
                ) from None
        await asyncio.sleep(wait)
        wait *= 2


async def login(client: discord.Client, token: str, *, wait: float = FIRST_CONNECT_WAIT) -> None:
    """Log in over REST, naming DISCORD_API_URL when it cannot be reached."""
    await _first_connect(
        lambda: client.login(token),
        "REST API",
        _api_url(),
        "DISCORD_API_URL",
        (aiohttp.ClientConnectorError, OSError, asyncio.TimeoutError),
        wait,
    )


async def reach_gateway(client: discord.Client, *, wait: float = FIRST_CONNECT_WAIT) -> None:
    """Open and close one websocket to the gateway before connecting for real: discord.py would otherwise retry an
    unreachable gateway forever, logging a traceback each time. Names DISCORD_GATEWAY_URL when it cannot."""
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY

    async def knock() -> None:
        socket = await client.http.ws_connect(str(gateway.with_query(v=10, encoding="json")))
        await socket.close()

    await _first_connect(
        knock, "gateway", gateway, "DISCORD_GATEWAY_URL", (aiohttp.ClientError, OSError, asyncio.TimeoutError), wait
    )


async def check_discord(settings: Settings) -> tuple[list[str], list[str]]:
    """`check --live` for Discord: log in through the REST API and reach the gateway, at their configured URLs."""
    passed: list[str] = []
    problems: list[str] = []
    if settings.discord_token is None:
        return passed, problems
    base = (settings.discord_api_url or discord.http.Route.BASE).rstrip("/")
    headers = {"Authorization": f"Bot {settings.discord_token.get_secret_value()}"}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{base}/users/@me", headers=headers) as response,
        ):
            if response.status != 200:
                problems.append(f"Discord: /users/@me answered HTTP {response.status}; check DISCORD_TOKEN")
            else:
                me = await response.json()
                passed.append(f"Discord: logged in as {me.get('username')}")
    except aiohttp.ClientError as error:
        problems.append(f"Discord: cannot reach {base}: {type(error).__name__}")
    gateway = settings.discord_gateway_url or str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    try:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"{gateway}?v=10&encoding=json"):
            passed.append(f"Discord: the gateway at {gateway} answers")
    except (aiohttp.ClientError, OSError) as error:
        problems.append(f"Discord: cannot reach the gateway at {gateway} (DISCORD_GATEWAY_URL): {type(error).__name__}")
    return passed, problems
