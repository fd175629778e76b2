"""The Slack channels the bot is in: users.conversations at start and every few hours, kept current by events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.slack.events import PLATFORM
from adapters.slack.poster import FAILURES, post_error
from bot.messages import ChannelRef
from bot.store import Store

log = logging.getLogger(__name__)

SYNC_EVERY = 6 * 3600.0  # seconds between full listings; events keep the list current in between
PAGE_GAP = 60 / 50  # users.conversations is Tier 3: about 50 calls a minute per workspace
DEFAULT_RETRY_AFTER = 5.0  # a 429 without Retry-After
RATE_LIMITS_PER_LISTING = 10  # beyond this many 429s the listing is given up, to be tried at the next round
PAGE_SIZE = 200
LEFT_EVENTS = ("channel_left", "group_left", "channel_archive", "group_archive")

ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]
Workspaces = Callable[[], Awaitable[list[str]]]


class ListingFailed(Exception):
    """users.conversations did not give the whole list; nothing is changed."""


class Membership:
    """Syncs each workspace's channel list into the store, and records joins and leaves as events report them."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        client_for: ClientFor,
        workspaces: Workspaces,
        *,
        page_gap: float = PAGE_GAP,
        default_retry_after: float = DEFAULT_RETRY_AFTER,
    ) -> None:
        self.store = store
        self.clock = clock
        self.client_for = client_for
        self.workspaces = workspaces
        self.page_gap = page_gap
        self.default_retry_after = default_retry_after
        self._joined_while_listing: dict[str, list[ChannelRef]] = {}
        self._task: asyncio.Task[None] | None = None

    async def list_channels(self, client: AsyncWebClient, workspace_id: str) -> list[tuple[ChannelRef, str]]:
        """Every public and private channel the bot is a member of, page by page; ListingFailed if cut short."""
        found: list[tuple[ChannelRef, str]] = []
        cursor, rate_limited = "", 0
        while True:
            try:
                page = await client.users_conversations(
                    types="public_channel,private_channel",
                    exclude_archived=True,
                    limit=PAGE_SIZE,
                    cursor=cursor or None,
                )
            except FAILURES as error:
                failure = post_error("users.conversations", error)
                too_fast = isinstance(error, SlackApiError) and getattr(error.response, "status_code", 0) == 429
                if not too_fast or rate_limited >= RATE_LIMITS_PER_LISTING:
                    raise ListingFailed(str(failure)) from None
                rate_limited += 1
                await asyncio.sleep(
                    failure.retry_after if failure.retry_after is not None else self.default_retry_after
                )
                continue
            found += [
                (ChannelRef(PLATFORM, workspace_id, channel["id"]), channel.get("name") or "")
                for channel in page.get("channels") or []
            ]
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return found
            await asyncio.sleep(self.page_gap)

    async def sync_workspace(self, workspace_id: str) -> bool:
        """List the workspace's channels and store the list; False (nothing changed) when the listing failed."""
        client = await self.client_for(workspace_id)
        if client is None:
            return False
        started = self.clock()
        self._joined_while_listing[workspace_id] = []
        try:
            present = await self.list_channels(client, workspace_id)
            await self.store.sync_channels(PLATFORM, workspace_id, present, started)
            for channel in self._joined_while_listing[workspace_id]:  # the list may predate these joins
                await self.store.remember_channel(channel)
        except ListingFailed as error:
            log.warning("Slack channel list of %s not synced: %s", workspace_id, error)
            return False
        finally:
            del self._joined_while_listing[workspace_id]
        log.info("Slack workspace %s: the bot is in %d channel(s)", workspace_id, len(present))
        return True

    async def sync_all(self) -> int:
        """Sync every workspace, one after the other; the number synced."""
        try:
            workspaces = await self.workspaces()
        except FAILURES as error:
            log.warning("Slack workspaces not listed: %s", post_error("auth.test", error))
            return 0
        return sum([await self.sync_workspace(workspace_id) for workspace_id in workspaces])

    async def joined(self, channel: ChannelRef) -> None:
        if (pending := self._joined_while_listing.get(channel.workspace_id)) is not None:
            pending.append(channel)
        await self.store.remember_channel(channel)

    async def left(self, channel: ChannelRef) -> None:
        await self.store.mark_channel_left(channel, self.clock())

    async def run(self, every: float = SYNC_EVERY) -> None:
        while True:
            try:
                await self.sync_all()
            except Exception:  # a database outage, say: the next round tries again
                log.exception("Slack channel sync failed")
            await asyncio.sleep(every)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="slack-channel-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


Welcome = Callable[[ChannelRef, str, AsyncWebClient], Awaitable[None]]  # a person joined a channel


def register(app: AsyncApp, membership: Membership, track: Callable[[], Any], welcome: Welcome | None = None) -> None:
    """The bot joining or leaving a channel, or a channel being archived, and (`welcome`) anyone else joining one;
    `track` counts the listener as running."""

    def channel(body: dict[str, Any], event: dict[str, Any], context: Any) -> ChannelRef:
        return ChannelRef(PLATFORM, context.team_id or body.get("team_id", ""), str(event.get("channel", "")))

    @app.event("member_joined_channel")
    async def on_joined(body: dict[str, Any], event: dict[str, Any], context: Any, client: AsyncWebClient) -> None:
        user = event.get("user")
        if user and user == context.bot_user_id:
            async with track():
                await membership.joined(channel(body, event, context))
        elif user and welcome is not None:
            async with track():
                await welcome(channel(body, event, context), str(user), client)

    @app.event("member_left_channel")
    async def on_member_left(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        if event.get("user") and event.get("user") == context.bot_user_id:
            async with track():
                await membership.left(channel(body, event, context))

    for name in LEFT_EVENTS:

        @app.event(name)
        async def on_left(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
            async with track():
                await membership.left(channel(body, event, context))


def installed_workspaces(installations: AsyncSQLAlchemyInstallationStore) -> Workspaces:
    """The workspaces with a bot token in the OAuth installation store (the ones `client_for` can serve)."""
    bots = installations.bots.c

    async def workspaces() -> list[str]:
        query = (
            select(bots.team_id)
            .distinct()
            .where(
                bots.client_id == installations.client_id,
                bots.enterprise_id.is_(None),
                bots.team_id.is_not(None),
                bots.bot_token.is_not(None),
            )
        )
        async with installations.engine.connect() as conn:
            return sorted((await conn.execute(query)).scalars())

    return workspaces


def token_workspace(client: AsyncWebClient) -> Workspaces:
    """The one workspace of a single bot token, from auth.test."""

    async def workspaces() -> list[str]:
        return [(await client.auth_test())["team_id"]]

    return workspaces
