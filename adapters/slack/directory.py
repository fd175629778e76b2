"""Who wrote a message (users.info), what a conversation is called, and each workspace's URL, cached with a TTL."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.zones import validate_zone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """What the adapter needs to know about a Slack user."""

    user_id: str
    name: str = ""
    tz: str | None = None
    is_bot: bool = False
    email: str | None = None  # only with the users:read.email scope, and only when the profile shares it
    team: str | None = None  # their own workspace: another organisation's for a Slack Connect member


def person_from(user: dict[str, Any]) -> Person:
    """A Person from a users.info `user` object; an unknown time zone name is dropped, not trusted."""
    profile = user.get("profile") or {}
    name = profile.get("first_name") or profile.get("display_name") or user.get("real_name") or user.get("name") or ""
    zone = user.get("tz")
    try:
        zone = validate_zone(zone) if zone else None
    except ValueError:
        zone = None
    return Person(
        user_id=user.get("id", ""),
        name=name,
        tz=zone,
        is_bot=bool(user.get("is_bot")),
        email=profile.get("email") or None,
        team=user.get("team_id") or None,
    )


class Directory:
    """A cache, not a record: entries expire after `ttl` seconds, failures after `failure_ttl`."""

    def __init__(self, ttl: float = 3600.0, failure_ttl: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self._clock = clock
        self._entries: dict[tuple[str, ...], tuple[float, asyncio.Future[Any]]] = {}

    async def person(self, client: AsyncWebClient, team_id: str, user_id: str) -> Person:
        async def load() -> Person:
            response = await client.users_info(user=user_id)
            return person_from(response["user"])

        return await self._cached(("user", team_id, user_id), load, Person(user_id))

    async def channel_name(
        self, client: AsyncWebClient, team_id: str, channel_id: str, *, author_id: str | None = None
    ) -> str:
        """A channel's name (conversations.info), "direct message with Sam" for a DM (the name of `author_id`, the
        client who wrote there) and "group direct message" for a group DM: the app has no im:read or mpim:read
        scope, so conversations.info answers missing_scope for those two; "" when Slack will not say."""

        async def load() -> str:
            if channel_id.startswith("D"):  # a DM's id says what it is; its other member is the message's author
                person = await self.person(client, team_id, author_id) if author_id else None
                return f"direct message with {person.name}" if person and person.name else "direct message"
            try:
                channel = (await client.conversations_info(channel=channel_id)).get("channel") or {}
            except SlackApiError as error:
                if error.response.get("error") != "missing_scope":
                    raise
                return "group direct message"  # public and private channels are readable (channels:read, groups:read)
            return "group direct message" if channel.get("is_mpim") else channel.get("name") or ""

        key = (
            ("channel", team_id, channel_id, author_id or "")
            if channel_id.startswith("D")
            else ("channel", team_id, channel_id)
        )
        return await self._cached(key, load, "")

    async def workspace_url(self, client: AsyncWebClient, team_id: str) -> str | None:
        async def load() -> str | None:
            response = await client.auth_test()
            return response.get("url")

        return await self._cached(("url", team_id), load, None)

    async def _cached(self, key: tuple[str, ...], load: Callable[[], Awaitable[Any]], fallback: Any) -> Any:
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return await asyncio.shield(entry[1])
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._entries[key] = (now + self.ttl, future)  # copies arriving meanwhile share this lookup
        try:
            value = await load()
        except Exception as error:  # a lookup that fails must never stop a message from being handled
            reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            log.warning("Slack lookup %s failed (%s); going on without it", key[0], reason)
            value = fallback
            self._entries[key] = (now + self.failure_ttl, future)
        except BaseException:
            self._entries.pop(key, None)
            future.set_result(fallback)
            raise
        future.set_result(value)
        return value
