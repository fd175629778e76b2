"""Fakes for the Discord tests: a service factory, a loopback fake of Discord's REST API and gateway, and a bot run on it."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import WSMsgType, web
from factories import make_policy
from platform_limits import discord_choice_problems, discord_message_problems

from adapters.discord.bot import run_discord
from bot.clock import SimulatedClock
from bot.roles import Roles
from bot.service import BoundaryService
from bot.settings import Settings

POLICY = make_policy()
INTERACTION_WITHIN = 3.0  # Discord fails an interaction not answered (or deferred) within 3 seconds


def make_service(store, at: datetime, *, owners=(), team=()) -> BoundaryService:
    """A service on `store` with the test policy, a clock frozen at `at`, and Discord owner/team ids."""
    roles = Roles(owners={"discord": frozenset(map(str, owners))}, team={"discord": frozenset(map(str, team))})
    return BoundaryService(store, POLICY, roles, SimulatedClock(at))


# ---- a loopback fake of Discord: REST under /api/v10 and a JSON gateway at /gateway ----

APP_ID, GUILD_ID, CHANNEL_ID, BOT_ID = 900000000000000001, 900000000000000002, 900000000000000003, 900000000000000004
TOKEN = "fake-bot-token"
JSON = {"Content-Type": "application/json"}  # discord.py parses JSON only with exactly this content type


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


BOT_USER = user(BOT_ID, "boundary-bot", bot=True)


def iso(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).isoformat()


class FakeDiscord:
    """Records every REST call and gateway frame; tests push gateway events and queue failures per route."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.identify: dict[str, Any] | None = None
        self.gateway_query: dict[str, str] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.failures: list[tuple[str, int, dict[str, Any], dict[str, str]]] = []
        self.fail_after_creating = 0  # the next N created messages are stored, then answered 503 (a lost answer)
        self._nonces: dict[tuple[int, str], dict[str, Any]] = {}  # enforce_nonce: a resend returns the first
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)
        self.refusals: list[str] = []  # payloads real Discord refuses (see platform_limits)
        self.close_on_identify: int | None = None  # close the gateway with this code when the bot identifies
        self.resume_url: str | None = None  # READY's resume_gateway_url (default: this fake's gateway)
        self.resumes: list[dict[str, Any]] = []
        self.expect_refusals = False  # a test of the refusals themselves
        self._interactions: dict[str, float] = {}  # interaction id: when it was dispatched
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    def snowflake(self) -> int:
        return discord.utils.time_snowflake(datetime.now(UTC)) + next(self._ids)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self.refusals and not self.expect_refusals:
            raise AssertionError("real Discord would have refused: " + "; ".join(self.refusals))

    # ---- what tests use ----
    def fail_next(self, pattern: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """Answer the next request whose "METHOD /path" matches `pattern` with this error."""
        self.failures.append((pattern, status, body, headers or {}))

    def calls(self, pattern: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if re.fullmatch(pattern, f"{r['method']} {r['path']}")]

    async def wait_for_call(self, pattern: str, count: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while len(self.calls(pattern)) < count:
                await asyncio.sleep(0.01)
        return self.calls(pattern)[count - 1]

    async def reconnect(self) -> None:
        """Ask the client to reconnect (op 7), as Discord does now and then; it resumes its session."""
        assert self._socket is not None
        await self._socket.send_str(json.dumps({"op": 7, "d": None, "s": None, "t": None}))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._socket is not None, "the client has not connected to the gateway"
        if event == "INTERACTION_CREATE":
            self._interactions[str(data["id"])] = time.monotonic()
        await self._socket.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    def client_message(self, content: str, author: dict[str, Any], channel_id: int = CHANNEL_ID) -> dict[str, Any]:
        """A MESSAGE_CREATE payload from a user in the guild."""
        return {
            "id": str(self.snowflake()),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "author": author,
            "member": {"roles": [], "joined_at": iso(), "deaf": False, "mute": False, "flags": 0},
            "content": content,
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    def slash_command(self, name: str, author: dict[str, Any], options: list | None = None) -> dict[str, Any]:
        """An INTERACTION_CREATE payload for /name in the guild channel."""
        return {
            "id": str(self.snowflake()),
            "application_id": str(APP_ID),
            "type": 2,
            "token": f"itoken{next(self._ids)}",
            "version": 1,
            "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": {
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "client-acme",
                "position": 0,
                "permission_overwrites": [],
            },
            "data": {"id": "1", "name": name, "type": 1, "guild_id": str(GUILD_ID), "options": options or []},
            "member": {
                "user": author,
                "roles": [],
                "permissions": "0",
                "joined_at": iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
            "app_permissions": "0",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 8388608,
        }

    # ---- REST ----
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await request.json() if request.can_read_body else None
        call = {
            "method": request.method,
            "path": path,
            "body": body,
            "query": dict(request.query),
            "auth": request.headers.get("Authorization"),
        }
        self.requests.append(call)
        if call["auth"] != f"Bot {TOKEN}" and not path.startswith("/interactions/"):
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        for index, (pattern, status, error, headers) in enumerate(self.failures):
            if re.fullmatch(pattern, f"{request.method} {path}"):
                del self.failures[index]
                return self._json(error, status, headers)
        if refused := self._check_limits(request.method, path, body):
            return self._json({"message": "Invalid Form Body", "code": 50035, "errors": refused}, 400)
        for method, route, handler in self._routes():
            match = re.fullmatch(route, path)
            if method == request.method and match:
                return handler(call, *match.groups())
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    def _check_limits(self, method: str, path: str, body: Any) -> list[str]:
        """What real Discord would refuse in this request; remembered, so `close` fails the test that sent it."""
        if method not in ("POST", "PATCH") or not isinstance(body, dict):
            return []
        if callback := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            data = body.get("data") or {}
            problems = (
                discord_choice_problems(data["choices"]) if body.get("type") == 8 else discord_message_problems(data)
            )
            took = time.monotonic() - self._interactions.get(callback.group(1), time.monotonic())
            if took > INTERACTION_WITHIN:
                problems.append(f"interaction answered after {took:.1f} s; Discord waits {INTERACTION_WITHIN:.0f} s")
        elif "/messages" in path or "/webhooks/" in path:
            problems = discord_message_problems(body)
        else:
            return []
        self.refusals += [f"{method} {path}: {problem}" for problem in problems]
        return problems

    def _routes(self):
        return [
            ("GET", r"/users/@me", lambda call: self._json(BOT_USER)),
            ("GET", r"/oauth2/applications/@me", lambda call: self._json(self._application())),
            ("PUT", r"/applications/\d+/commands", self._commands),
            ("PUT", r"/applications/\d+/guilds/(\d+)/commands", self._commands),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._interaction_callback),
        ]

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        return web.Response(status=status, body=json.dumps(data).encode(), headers={**JSON, **(headers or {})})

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "boundary-bot",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": user(1, "owner"),
            "verify_key": "00",
            "flags": 0,
            "team": None,
            "summary": "",
            "rpc_origins": [],
            "interactions_endpoint_url": None,
        }

    def _commands(self, call, guild_id=None):
        return self._json(
            [
                {
                    **command,
                    "id": str(self.snowflake()),
                    "application_id": str(APP_ID),
                    "version": "1",
                    **({"guild_id": guild_id} if guild_id else {}),
                }
                for command in call["body"]
            ]
        )

    def _create_message(self, call, channel_id):
        body = call["body"]
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and (int(channel_id), str(nonce)) in self._nonces:
            return self._json({**self._nonces[(int(channel_id), str(nonce))], "nonce": nonce})
        message = {
            "id": str(self.snowflake()),
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content", ""),
            "timestamp": iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": 0,
        }
        self.messages.setdefault(int(channel_id), []).append(message)
        if nonce is not None:
            self._nonces[(int(channel_id), str(nonce))] = message
        if self.fail_after_creating:
            self.fail_after_creating -= 1
            return self._json({"message": "503: Service Unavailable", "code": 0}, 503)
        return self._json({**message, "nonce": nonce})  # only the create answer carries the nonce

    def _history(self, call, channel_id):
        limit = int(call["query"].get("limit", 50))
        return self._json(list(reversed(self.messages.get(int(channel_id), [])))[:limit])

    def _open_dm(self, call):
        recipient = call["body"]["recipient_id"]
        return self._json(
            {
                "id": str(int(recipient) + 1),
                "type": 1,
                "last_message_id": None,
                "recipients": [user(int(recipient), "owner")],
            }
        )

    def _interaction_callback(self, call, interaction_id, token):
        flags = (call["body"].get("data") or {}).get("flags", 0)
        return self._json(
            {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_id": str(self.snowflake()),
                    "response_message_loading": False,
                    "response_message_ephemeral": bool(flags & 64),
                }
            }
        )

    # ---- gateway ----
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket, self.gateway_query = socket, dict(request.query)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None}))
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                break
            payload = json.loads(frame.data)
            if payload["op"] == 1:  # heartbeat
                await socket.send_str(json.dumps({"op": 11, "d": None}))
            elif payload["op"] == 2:  # identify
                self.identify = payload["d"]
                if code := self.close_on_identify:  # 4014: no privileged intent; 4004: a token the gateway refuses
                    await socket.close(code=code, message=b"Disallowed intent(s)." if code == 4014 else b"Refused.")
                    break
                await self.dispatch("READY", self._ready(request))
                await self.dispatch("GUILD_CREATE", self._guild())
            elif payload["op"] == 6:  # resume
                self.resumes.append(payload["d"])
                await self.dispatch("RESUMED", {})
        return socket

    def _ready(self, request: web.Request) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.resume_url or f"ws://{request.host}/gateway",
            "application": {"id": str(APP_ID), "flags": 0},
            "shard": [0, 1],
        }

    def _guild(self) -> dict[str, Any]:
        everyone = {
            "id": str(GUILD_ID),
            "name": "@everyone",
            "permissions": "274877975552",
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        channel = {
            "id": str(CHANNEL_ID),
            "type": 0,
            "name": "client-acme",
            "position": 0,
            "permission_overwrites": [],
            "guild_id": str(GUILD_ID),
        }
        me = {"user": BOT_USER, "roles": [], "joined_at": iso(), "deaf": False, "mute": False, "flags": 0}
        return {
            "id": str(GUILD_ID),
            "name": "Acme",
            "icon": None,
            "owner_id": "1",
            "roles": [everyone],
            "channels": [channel],
            "threads": [],
            "members": [me],
            "member_count": 2,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "unavailable": False,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "joined_at": iso(),
        }


@contextlib.asynccontextmanager
async def running_bot(
    service: BoundaryService, posters: dict | None = None, settings: Settings | None = None
) -> AsyncIterator[dict]:
    """`run_discord` for `service` against the fake (its URLs patched in by the test, or in `settings`), until its
    poster is up; cancelled on the way out. Yields the posters it registered in."""
    posters = {} if posters is None else posters
    settings = settings or Settings(discord_token=TOKEN, discord_guild_id=GUILD_ID, _env_file=None)
    task = asyncio.create_task(run_discord(service, settings, posters=posters, guild_ready_timeout=0.05))
    try:
        async with asyncio.timeout(10):
            while "discord" not in posters:  # registered in on_ready, after READY and GUILD_CREATE
                assert not task.done(), task.exception()
                await asyncio.sleep(0.01)
        yield posters
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
