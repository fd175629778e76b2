"""SlackPoster: the outbound Poster for Slack, with each delivery's key in message metadata so a resend can be found."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.buttons import command_blocks
from adapters.slack.events import escape, reply_call
from adapters.slack.files import find_uploaded, upload
from adapters.slack.forwarding import forward_blocks
from bot.messages import ChannelRef, ReplyStyle
from bot.outbound import CommandButton, Post, PostError

log = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "boundary_bot_delivery"
# Slack answers these when the request was not processed and may succeed later; any other `ok: false`
# (not_in_channel, channel_not_found, is_archived, restricted_action, invalid_auth, ...) is permanent.
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "timeout",
    }
)
# ...and of those, these may come after part of the work was done ("it's possible some aspect of the operation
# succeeded"), so a post that met one may be in the channel.
AMBIGUOUS_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "timeout"})
RATE_LIMIT_ERRORS = frozenset({"ratelimited", "rate_limited"})
LOOKUP_GAP = 60 / 50  # conversations.history is Tier 3: about 50 calls a minute per workspace...
STATE_EMOJI = ":traffic_light:"  # marks the bookmark that carries the channel's open/closed line
BOOKMARK_TITLE = 80  # characters: more than any state line; Slack cuts long titles in the channel header
LOOKUP_BURST = 4  # ...with short bursts tolerated, so a few lookups after a quiet spell need not queue


class Budget:
    """A token bucket: `burst` calls at once, then one per `gap` seconds."""

    def __init__(self, gap: float, burst: int) -> None:
        self.gap, self.burst = gap, burst
        self._tokens, self._at = float(burst), float("-inf")

    def take(self, now: float) -> float:
        """Take a call's token at `now`; the seconds to wait before making the call (0: at once)."""
        tokens = min(float(self.burst), self._tokens + (now - self._at) / self.gap)
        wait = max(0.0, (1 - tokens) * self.gap)
        self._tokens, self._at = tokens + wait / self.gap - 1, now + wait
        return wait


ClientFor = Callable[[str], Awaitable[AsyncWebClient | None]]
FAILURES = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError)  # what a Web API call raises


def post_error(method: str, error: Exception) -> PostError:
    """A PostError for a failed Web API call: 429/5xx/network are transient (with Retry-After), the rest permanent;
    a 5xx, a timeout or a connection lost after the request went out leaves the outcome unknown."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        retry_after = _retry_after(error.response.headers) if status == 429 else None
        transient = status == 429 or status >= 500 or code in TRANSIENT_ERRORS
        return PostError(
            f"{method} failed: {code or f'HTTP {status}'}",
            permanent=not transient,
            retry_after=retry_after,
            rate_limited=status == 429 or code in RATE_LIMIT_ERRORS,
            unknown=status >= 500 or code in AMBIGUOUS_ERRORS,
        )
    # A refused connection never carried the request; anything later (reset, timeout) may have.
    sent = not isinstance(error, aiohttp.ClientConnectorError)
    return PostError(f"{method} failed: {type(error).__name__}", permanent=False, unknown=sent)


def _retry_after(headers: Any) -> float | None:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                return None
    return None


def delivery_metadata(key: str) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"key": key}}


async def find_keys(
    client: AsyncWebClient, channel: str, thread_ts: str | None, keys: set[str], *, limit: int = 200
) -> dict[str, str]:
    """The ts of the channel's (or thread's) latest messages whose delivery metadata carries one of `keys`."""
    try:
        if thread_ts:
            response = await client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=limit
            )
        else:
            response = await client.conversations_history(channel=channel, include_all_metadata=True, limit=limit)
    except FAILURES as error:
        raise post_error("conversations.replies" if thread_ts else "conversations.history", error) from None
    found: dict[str, str] = {}
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        key = (metadata.get("event_payload") or {}).get("key")
        if metadata.get("event_type") == METADATA_EVENT_TYPE and key in keys:
            found.setdefault(key, message["ts"])
    return found


def _call_for(post: Post) -> tuple[str, dict[str, Any]]:
    """The method and arguments of a post: a reply placed as its style says, anything else in its channel or thread."""
    if post.answering is not None:
        return reply_call(post.channel.channel_id, post.answering, post.text)
    args: dict[str, Any] = {
        "channel": post.channel.channel_id,
        "text": escape(post.text),
        "unfurl_links": False,
        "unfurl_media": False,
    }
    if post.thread_id:
        args["thread_ts"] = post.thread_id
    return "chat.postMessage", args


class SlackPoster:
    """Implements bot.outbound.Poster; retries are the sender's job, so the client here does not retry on its own."""

    platform = "slack"

    def __init__(
        self,
        client_for: ClientFor,
        *,
        forwarding: Callable[[], bool] | None = None,
        history_limit: int = 200,
        lookup_gap: float = LOOKUP_GAP,
        lookup_burst: int = LOOKUP_BURST,
        user_client: AsyncWebClient | None = None,
        dm_reply_from: Callable[[], str] = lambda: "owner",
        owner_client_for: Callable[[str, str], Awaitable[AsyncWebClient | None]] | None = None,
    ):
        self._client_for = client_for
        self.user_client = user_client  # the owner's (SLACK_USER_TOKEN): replies in their direct messages
        self.dm_reply_from = dm_reply_from  # the policy's direct_messages.reply_from, read at each post
        self._owner_client_for = owner_client_for  # OAuth: each owner's token, from their own install
        self.forwarding = forwarding  # is email set up? then a reply offering it gets the email button
        self.history_limit = history_limit
        self.lookup_gap = lookup_gap
        self.lookup_burst = lookup_burst
        self._lookups: dict[str, tuple[asyncio.Lock, Budget]] = {}

    async def _client(self, workspace_id: str) -> AsyncWebClient:
        client = await self._client_for(workspace_id)
        if client is None:
            raise PostError(f"the app is not installed in Slack workspace {workspace_id}", permanent=True)
        return client

    async def owner_client(self, workspace_id: str, owner_id: str) -> AsyncWebClient | None:
        """A client with this owner's user token (SLACK_USER_TOKEN, or their own OAuth install); None without."""
        if self.user_client is not None:
            return self.user_client
        return await self._owner_client_for(workspace_id, owner_id) if self._owner_client_for else None

    async def _placed(self, post: Post) -> tuple[AsyncWebClient, Post]:
        """The client that posts `post`, and where: a reply to a client's direct message to the owner goes into
        that conversation with the owner's token, or (reply_from "bot") into the bot's own with the client."""
        answering, workspace = post.answering, post.channel.workspace_id
        voice = post.owner_voice
        if voice is not None and (own := await self.owner_client(workspace, voice.owner_id)) is not None:
            return own, replace(post, text=voice.text)  # unsigned: it is the owner posting
        if answering is None or answering.owner_dm is None:
            return await self._client(post.channel.workspace_id), post
        if self.dm_reply_from() == "bot":
            client = await self._client(post.channel.workspace_id)
            opened = await self._call("conversations.open", client.conversations_open(users=answering.author_id))
            channel = replace(post.channel, channel_id=opened["channel"]["id"])
            return client, replace(post, channel=channel, answering=replace(answering, style=ReplyStyle.CHANNEL))
        if (own := await self.owner_client(workspace, answering.owner_dm)) is None:
            raise PostError("a reply in the owner's name needs their user token (SLACK_USER_TOKEN)", permanent=True)
        return own, post

    async def _call(self, method: str, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except FAILURES as error:
            raise post_error(method, error) from None

    async def post(self, post: Post) -> str:
        if post.file is not None:  # by the bot, which has files:write (the owner's token need not)
            return await upload(self._call, await self._client(post.channel.workspace_id), post)
        client, post = await self._placed(post)
        if post.state_line:
            return await self._bookmark(client, post)
        method, args = _call_for(post)
        if post.answering is not None and post.answering.offer_forward and self.forwarding and self.forwarding():
            args["blocks"] = forward_blocks(args["text"], post.channel.channel_id, post.answering)
        if post.buttons:
            args["blocks"] = command_blocks(args["text"], post.buttons)
        if method == "chat.postEphemeral":  # Slack keeps no copy to look up, so a resend may show twice
            response = await self._call(method, client.chat_postEphemeral(**args))
            return response["message_ts"]
        args["metadata"] = delivery_metadata(post.key)
        response = await self._call(method, client.chat_postMessage(**args))
        return response["ts"]

    async def _bookmark(self, client: AsyncWebClient, post: Post) -> str:
        """The channel's open/closed line as a bookmark (ours: the one with STATE_EMOJI), edited in place or added;
        a bookmark posts nothing in the channel. Slack bookmarks are links: the client guide page is this one's."""
        if post.channel.channel_id.startswith("D"):  # a direct message with the bot: no line to keep there
            return "no bookmark in a direct message"
        if not post.link:
            raise PostError(
                "a Slack bookmark needs a link: set PUBLIC_URL and CALENDAR_KEY so the client guide page is its link",
                permanent=True,
            )
        channel, title = post.channel.channel_id, post.text[:BOOKMARK_TITLE]
        listed = await self._call("bookmarks.list", client.bookmarks_list(channel_id=channel))
        ours = next((b for b in listed.get("bookmarks") or [] if b.get("emoji") == STATE_EMOJI), None)
        if ours is None:
            add = client.bookmarks_add(channel_id=channel, title=title, type="link", link=post.link, emoji=STATE_EMOJI)
            return str((await self._call("bookmarks.add", add))["bookmark"]["id"])
        if (ours.get("title"), ours.get("link")) != (title, post.link):
            edit = client.bookmarks_edit(channel_id=channel, bookmark_id=ours["id"], title=title, link=post.link)
            await self._call("bookmarks.edit", edit)
        return str(ours["id"])

    async def find_posted(self, post: Post) -> str | None:
        return (await self.find_posted_many([post])).get(post.key)

    async def find_posted_many(self, posts: Sequence[Post]) -> dict[str, str]:
        """One history page of the posts' channel, or of each thread they went to, searched for every post's key in
        its metadata."""
        posts = [post for post in posts if not post.state_line]  # a bookmark is set again, never looked for
        files = [post for post in posts if post.file is not None]
        found = {
            p.key: i
            for p in files
            if (i := await find_uploaded(self._call, await self._client(p.channel.workspace_id), p))
        }
        if not (posts := [post for post in posts if post.file is None]):
            return found
        client, first = await self._placed(posts[0])  # one channel's posts, all placed alike
        if first.owner_voice is not None:  # the owner's token reads no channel history: the bot's looks
            client = await self._client(first.channel.workspace_id)
        places: dict[str | None, set[str]] = {}
        moved = first.channel != posts[0].channel  # into the bot's own direct message, where nothing is threaded
        for post in posts:
            places.setdefault(None if moved else _call_for(post)[1].get("thread_ts"), set()).add(post.key)
        for thread, keys in places.items():
            await self._lookup_turn(first.channel.workspace_id)
            found |= await find_keys(client, first.channel.channel_id, thread, keys, limit=self.history_limit)
        return found

    async def _lookup_turn(self, workspace_id: str) -> None:
        """Keep this process's history lookups in a workspace within Slack's Tier 3, first come first served."""
        if workspace_id not in self._lookups:
            self._lookups[workspace_id] = (asyncio.Lock(), Budget(self.lookup_gap, self.lookup_burst))
        lock, budget = self._lookups[workspace_id]
        async with lock:
            if wait := budget.take(time.monotonic()):
                await asyncio.sleep(wait)

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        client = await self._client(workspace_id)
        opened = await self._call("conversations.open", client.conversations_open(users=user_id))
        post = Post(ChannelRef(self.platform, workspace_id, opened["channel"]["id"]), text, key, buttons=buttons)
        return await self.find_posted(post) or await self.post(post)
