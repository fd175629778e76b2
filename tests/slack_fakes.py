"""A loopback fake of Slack: the Web API methods the app calls, response URLs, and a Socket Mode websocket."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from loopback_http import LoopbackFake
from platform_limits import slack_message_problems, slack_view_problems
from slack_bookmarks_fake import BookmarkMethods
from slack_faults import InjectedFailures
from slack_faults import team_of as _team
from slack_files_fake import FileMethods
from slack_socket_fake import SocketModeFake
from slack_user_fake import USER_TOKEN, UserTokenMethods

BOT_TOKEN = "xoxb-test-T1"
APP_TOKEN = "xapp-test-A1"
TEAM = "T1"
BOT_USER = "U_BOT"
BOT_ID = "B_BOT"
OWNER = "U_OWNER"
CLIENT = "U_CLIENT"


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class FakeSlack(SocketModeFake, InjectedFailures, UserTokenMethods, BookmarkMethods, FileMethods, LoopbackFake):
    """Answers like Slack's Web API on 127.0.0.1; tell it to fail with `fail()`, read what it got in `calls`."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))  # the bot's, by team
    port: int = 0
    refusals: list[str] = field(default_factory=list)  # payloads real Slack refuses (see platform_limits)
    expect_refusals: bool = False  # a test of the refusals themselves

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        SocketModeFake.__init__(self)
        InjectedFailures.__init__(self)
        self._init_user_methods()
        self._runner: web.AppRunner | None = None
        self.add_user(OWNER, "Olivia", "America/New_York")
        self.add_user(CLIENT, "Sam", "Europe/London")
        self.add_user(BOT_USER, "boundary-bot", "America/Los_Angeles", is_bot=True)

    # control

    def add_user(self, user_id: str, first_name: str, tz: str | None, *, is_bot: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM,
            "name": first_name.lower(),
            "is_bot": is_bot,
            "real_name": f"{first_name} Example",
            "tz": tz,
            "profile": {"first_name": first_name, "display_name": first_name.lower()},
        }

    def add_channel(
        self, channel_id: str, name: str, *, team: str = TEAM, private: bool = False, archived: bool = False
    ) -> None:
        """The bot is a member of this channel: users.conversations lists it."""
        self.channels[team].append(
            {
                "id": channel_id,
                "name": name,
                "is_channel": not private,
                "is_group": private,
                "is_private": private,
                "is_archived": archived,
            }
        )

    def remove_channel(self, channel_id: str, team: str = TEAM) -> None:
        self.channels[team] = [c for c in self.channels[team] if c["id"] != channel_id]

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        async def enough() -> bool:
            return len(self.calls_to(method)) >= count

        await self._wait(enough, timeout, f"{count} call(s) to {method}")
        return self.calls_to(method)

    async def wait_for_response(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        async def enough() -> bool:
            return len(self.responses) >= count

        await self._wait(enough, timeout, f"{count} response_url post(s)")
        return self.responses

    async def _wait(self, check: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not await check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; calls: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)

    # server

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{id}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._websocket)
        self.port = await self._listen(app)
        return self

    async def close(self) -> None:
        await self._shut_down("Slack")

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(await request.post())
        token = args.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        elif auth.startswith("Basic "):
            token = "basic:" + base64.b64decode(auth.removeprefix("Basic ")).decode().split(":")[0]
        self.calls.append(Call(method, args, token))
        if (injected := self._injected(request, method, args, token)) is not None:
            return injected
        if refused := self._not_the_owners(method, args, token):
            return web.json_response(refused)
        if refused := self._check_limits(method, args):
            return web.json_response({"ok": False, "error": "invalid_blocks", "errors": refused})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response({"ok": True, **handler(args, token)}, headers=self._scope_headers(token))

    def _check_limits(self, method: str, args: dict[str, Any]) -> list[str]:
        """What real Slack would refuse in this call; remembered, so `stop` fails the test that sent it."""
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "respond"):
            problems = slack_message_problems(args)
        elif method.startswith("views."):
            problems = slack_view_problems(args.get("view"))
        else:
            return []
        self.refusals += [f"{method}: {problem}" for problem in problems]
        return problems

    # Web API methods

    def _auth_test(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if token == USER_TOKEN:
            return self._user_auth_test()
        team = _team(token)
        suffix = "" if team == TEAM else team
        return {
            "url": f"https://{team.lower()}.slack.example/",
            "team": f"Team {team}",
            "user": "boundary-bot",
            "team_id": team,
            "user_id": BOT_USER + suffix,
            "bot_id": BOT_ID + suffix,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        return {"user": user} if user else {"ok": False, "error": "user_not_found"}

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _chat_postMessage(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        ts = self._next_ts()
        metadata = args.get("metadata")
        message = {
            "type": "message",
            **self._author(token, BOT_USER, BOT_ID),
            "text": args.get("text"),
            "ts": ts,
            "thread_ts": args.get("thread_ts"),
            "metadata": json.loads(metadata) if isinstance(metadata, str) else metadata,
        }
        self.history[str(args.get("channel"))].insert(0, message)
        return {"channel": args.get("channel"), "ts": ts, "message": message}

    def _chat_postEphemeral(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _conversations_history(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        messages = [
            {k: v for k, v in m.items() if with_metadata or k != "metadata"}
            for m in self.history[str(args.get("channel"))]
        ][: int(args.get("limit") or 100)]
        return {"messages": messages, "has_more": False}

    def _conversations_replies(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        thread = str(args.get("ts"))
        found = self._conversations_history(args, token)["messages"]
        return {"messages": [m for m in found if thread in (m.get("thread_ts"), m.get("ts"))], "has_more": False}

    def _conversations_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """A channel the bot is in; a DM or group DM answers missing_scope (the app has no im:read or mpim:read)."""
        channel = str(args.get("channel"))
        found = [c for c in self.channels[_team(token)] if c["id"] == channel]
        if found:
            return {"channel": found[0]}
        if channel.startswith(("D", "G")):
            return {"ok": False, "error": "missing_scope", "needed": "im:read" if channel[0] == "D" else "mpim:read"}
        return {"ok": False, "error": "channel_not_found"}

    def _users_conversations(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """Pages by an opaque cursor; like Slack, archived channels are dropped after the page is cut, so a page may
        hold fewer than `limit` (even none) while more follow."""
        types = set(str(args.get("types") or "public_channel").split(","))
        start = int(base64.b64decode(args["cursor"]).decode().removeprefix("next:")) if args.get("cursor") else 0
        limit = min(int(args.get("limit") or 100), 1000)
        everything = self.channels[_team(token)]
        page = [
            c
            for c in everything[start : start + limit]
            if ("private_channel" if c["is_private"] else "public_channel") in types
            and not (c["is_archived"] and str(args.get("exclude_archived")).lower() in ("1", "true"))
        ]
        more = start + limit < len(everything)
        cursor = base64.b64encode(f"next:{start + limit}".encode()).decode() if more else ""
        return {"channels": [dict(c, is_member=True) for c in page], "response_metadata": {"next_cursor": cursor}}

    def _views_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"view": {"id": "V_MODAL", **_json(args.get("view"))}}

    def _views_publish(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"view": {"id": "V_HOME", **_json(args.get("view"))}}

    def _apps_connections_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    # response_url

    async def _respond(self, request: web.Request) -> web.Response:
        payload = await request.json()
        if self._check_limits("respond", payload):
            return web.Response(status=400, text="invalid_blocks")
        self.responses.append({"id": request.match_info["id"], **payload})
        return web.Response(text="ok")


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})
