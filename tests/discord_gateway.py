"""The gateway half of the loopback Discord fake: the JSON websocket, READY and GUILD_CREATE, and the events tests push."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

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


def message_payload(
    message_id: int, channel_id: int | str, author: dict[str, Any], content: str, kind: int = 0
) -> dict[str, Any]:
    """A Discord message object (kind 19: a reply)."""
    return {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
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
        "type": kind,
        "flags": 0,
    }


STATUSES = {"online", "dnd", "idle", "invisible", "offline"}


def presence_problems(update: Any) -> list[str]:
    """What Discord refuses in a presence update (op 3): its four fields, a known status, and activities it can
    show (a custom status, type 4, shows `state`, at most 128 characters)."""
    if not isinstance(update, dict) or set(update) != {"since", "activities", "status", "afk"}:
        return [
            f"needs exactly since, activities, status and afk, got {sorted(update) if isinstance(update, dict) else update}"
        ]
    problems = []
    if update["status"] not in STATUSES:
        problems.append(f"status {update['status']!r} is none of {sorted(STATUSES)}")
    since = update["since"]
    if not isinstance(update["afk"], bool) or not (since is None or isinstance(since, int | float)):
        problems.append("afk must be a boolean and since null or a number")
    if not isinstance(update["activities"], list):
        return [*problems, "activities must be a list"]
    for activity in update["activities"]:
        if not isinstance(activity.get("name"), str) or activity.get("type") not in (0, 1, 2, 3, 4, 5):
            problems.append(f"activity {activity} needs a name and a type from 0 to 5")
        elif activity["type"] == 4 and len(activity.get("state") or "") > 128:
            problems.append(f"custom status is {len(activity['state'])} characters, more than 128")
    return problems


class FakeGateway:
    """Discord's gateway for FakeDiscord: tests push events with `dispatch` and build them with the payload makers."""

    identify: dict[str, Any] | None
    gateway_query: dict[str, str]
    close_on_identify: int | None  # close the gateway with this code when the bot identifies
    resume_url: str | None  # READY's resume_gateway_url (default: this fake's gateway)
    resumes: list[dict[str, Any]]
    presences: list[dict[str, Any]]
    refusals: list[str]
    _ids: itertools.count[int]
    _seq: itertools.count[int]
    _interactions: dict[str, float]  # interaction id: when it was dispatched
    _socket: web.WebSocketResponse | None

    def snowflake(self) -> int:
        raise NotImplementedError

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
        member = {"roles": [], "joined_at": iso(), "deaf": False, "mute": False, "flags": 0}
        return {
            **message_payload(self.snowflake(), channel_id, author, content),
            "guild_id": str(GUILD_ID),
            "member": member,
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
            elif payload["op"] == 3:  # presence update: a malformed one closes the connection, as Discord does
                if problems := presence_problems(payload["d"]):
                    self.refusals += [f"presence update: {problem}" for problem in problems]
                    await socket.close(code=4002, message=b"Error while decoding payload.")
                    break
                self.presences.append(payload["d"])
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
