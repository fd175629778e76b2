"""A loopback fake of Discord: REST under /api/v10 (this module) and a JSON gateway at /gateway (discord_gateway)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import discord
from aiohttp import web
from discord_gateway import APP_ID, BOT_USER, JSON, TOKEN, FakeGateway, message_payload, user
from loopback_http import LoopbackFake
from platform_limits import discord_choice_problems, discord_message_problems

INTERACTION_WITHIN = 3.0  # Discord fails an interaction not answered (or deferred) within 3 seconds
TOPIC_EDITS, TOPIC_WINDOW, TOPIC_CHARS = 2, 600.0, 1024  # a channel's topic: 2 changes per 10 minutes, 1024 chars


class FakeDiscord(FakeGateway, LoopbackFake):
    """Records every REST call and gateway frame; tests push gateway events and queue failures per route."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.identify: dict[str, Any] | None = None
        self.gateway_query: dict[str, str] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.topics: dict[int, str] = {}
        self.topic_edits: dict[int, list[float]] = {}  # when each channel's topic changed (monotonic seconds)
        self.failures: list[tuple[str, int, dict[str, Any], dict[str, str]]] = []
        self.fail_after_creating = 0  # the next N created messages are stored, then answered 503 (a lost answer)
        self._nonces: dict[tuple[int, str], dict[str, Any]] = {}  # enforce_nonce: a resend returns the first
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)
        self.refusals: list[str] = []  # payloads real Discord refuses (see platform_limits)
        self.close_on_identify: int | None = None  # close the gateway with this code when the bot identifies
        self.resume_url: str | None = None  # READY's resume_gateway_url (default: this fake's gateway)
        self.resumes: list[dict[str, Any]] = []
        self.presences: list[dict[str, Any]] = []  # the presence updates (op 3) the bot sent, as Discord accepted them
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
        self.url = f"http://127.0.0.1:{await self._listen(app)}"

    async def close(self) -> None:
        await self._shut_down("Discord")

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

    # ---- REST ----
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body, files = await _body(request)
        call = {
            "method": request.method,
            "path": path,
            "body": body,
            "files": files,
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
            ("PATCH", r"/channels/(\d+)", self._edit_channel),
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
                    "description": "",  # Discord answers a message command (type 3) with an empty one
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
        kind = 19 if body.get("message_reference") else 0
        message = message_payload(self.snowflake(), channel_id, BOT_USER, body.get("content", ""), kind)
        message["attachments"] = [attachment(self.snowflake(), name, data) for name, data in call["files"]]
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

    def _edit_channel(self, call, channel_id):
        """Discord allows a channel's name or topic 2 changes per 10 minutes; a third is a 429 with the wait."""
        topic = (call["body"] or {}).get("topic", "")
        if len(topic) > TOPIC_CHARS:
            self.refusals.append(f"PATCH /channels/{channel_id}: topic is over {TOPIC_CHARS} characters")
            return self._json({"message": "Invalid Form Body", "code": 50035}, 400)
        now = time.monotonic()
        recent = [t for t in self.topic_edits.get(int(channel_id), []) if now - t < TOPIC_WINDOW]
        if len(recent) >= TOPIC_EDITS:
            wait = round(TOPIC_WINDOW - (now - recent[0]), 3)
            body = {"message": "You are being rate limited.", "retry_after": wait, "global": False}
            return self._json(body, 429, {"Retry-After": str(wait), "X-RateLimit-Scope": "shared"})
        self.topic_edits[int(channel_id)] = [*recent, now]
        self.topics[int(channel_id)] = topic
        return self._json({"id": channel_id, "type": 0, "name": "client", "topic": topic, "guild_id": "1"})

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


async def _body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    """The JSON body, or a multipart one's payload_json and its files (a message with attachments)."""
    if not request.can_read_body:
        return None, []
    if not request.content_type.startswith("multipart/"):
        return await request.json(), []
    form = await request.post()
    files = [(field.filename, field.file.read()) for name, field in form.items() if name.startswith("files[")]
    return json.loads(str(form["payload_json"])), files


def attachment(snowflake: int, name: str, data: bytes) -> dict[str, Any]:
    url = f"https://cdn.discordapp.invalid/attachments/{snowflake}/{name}"
    return {"id": str(snowflake), "filename": name, "size": len(data), "url": url, "proxy_url": url}
