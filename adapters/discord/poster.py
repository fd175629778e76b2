"""DiscordPoster: posts for the scheduler with deterministic nonces, and Discord errors mapped to PostError."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
import discord

from bot.messages import ReplyStyle
from bot.outbound import Answering, CommandButton, Post, PostError

log = logging.getLogger(__name__)

T = TypeVar("T")

PLATFORM = "discord"
DM_WORKSPACE = "dm"  # the workspace id of direct messages, which belong to no server


def workspace_of(guild_id: int | None) -> str:
    """The workspace id of a Discord server (a guild), or DM_WORKSPACE for a direct message."""
    return str(guild_id) if guild_id else DM_WORKSPACE


MAX_LENGTH = 2000  # Discord's limit for one message's content
TOPIC_CHARS = 1024  # Discord's limit for a text channel's topic
NONCE_LENGTH = 25  # Discord accepts string nonces of up to 25 characters
NO_PINGS = discord.AllowedMentions.none()  # never @everyone, @here, roles, users or the replied-to author


def nonce_for(key: str) -> str:
    """The same key always gives the same nonce; with enforce_nonce, Discord returns the first message for a resend."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:NONCE_LENGTH]


def split_text(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """Text cut into pieces Discord accepts, at line breaks where possible."""
    pieces, current = [], ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current or not pieces:
        pieces.append(current)
    return [piece.rstrip("\n") or "\u200b" for piece in pieces]


def _retry_after(error: discord.HTTPException) -> float | None:
    header = getattr(error.response, "headers", {}).get("Retry-After")
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def post_error(error: BaseException, what: str) -> PostError:
    """Forbidden, NotFound and other 4xx are permanent; 429, 5xx and connection errors are transient, and a 5xx or
    a connection lost after the request went out leaves the outcome unknown."""
    if isinstance(error, discord.RateLimited):
        return PostError(
            f"{what}: rate limited for {error.retry_after:.0f}s",
            permanent=False,
            retry_after=error.retry_after,
            channel_scoped=True,
        )
    if isinstance(error, discord.HTTPException):
        detail = f"{what}: HTTP {error.status} (code {error.code}) {error.text}".rstrip()
        if error.status == 429:
            return PostError(
                detail, permanent=False, retry_after=_retry_after(error), rate_limited=True, channel_scoped=True
            )
        if error.status >= 500:
            return PostError(detail, permanent=False, unknown=True)
        return PostError(detail, permanent=True)
    sent = not isinstance(error, aiohttp.ClientConnectorError)  # a refused connection never carried the request
    return PostError(f"{what}: {type(error).__name__}: {error}", permanent=False, unknown=sent)


RETRYABLE = (discord.DiscordException, aiohttp.ClientError, OSError, asyncio.TimeoutError)


async def _mapped(call: Awaitable[T], what: str) -> T:
    try:
        return await call
    except RETRYABLE as error:
        raise post_error(error, what) from error


async def send_parts(channel: discord.abc.Messageable, text: str, key: str, **options) -> discord.Message:
    """Send text (in pieces over Discord's limit), each piece with its own deterministic nonce; return the first."""
    sent = []
    for index, piece in enumerate(split_text(text)):
        nonce = nonce_for(key if index == 0 else f"{key}#{index}")
        sent.append(await channel.send(piece, nonce=nonce, allowed_mentions=NO_PINGS, **options))
        options.pop("reference", None)
        options.pop("view", None)  # a button goes on the first piece only
    return sent[0]


def reply_options(answer: Answering, channel_id: int, view: discord.ui.View | None = None) -> dict[str, Any]:
    """How a reply is sent, live or by the sender: attached to the client's message (pinging no one) unless it is a
    plain channel message; Discord has no ephemeral messages outside interactions, so those are replies too, and so
    is one with the email button (`view`), which finds the client's message through the reference."""
    options: dict[str, Any] = {"view": view} if view is not None else {}
    if answer.style is not ReplyStyle.CHANNEL or view is not None:
        try:
            message_id = int(answer.message_id)
        except ValueError:
            raise PostError(f'"{answer.message_id}" is not a Discord message id', permanent=True) from None
        options |= {
            "reference": discord.MessageReference(
                message_id=message_id, channel_id=channel_id, fail_if_not_exists=False
            ),
            "mention_author": False,
        }
    return options


class DiscordPoster:
    """The scheduler's Poster for Discord: channel posts, the owner's DMs, and finding a post after a crash."""

    platform = PLATFORM

    def __init__(
        self,
        client: discord.Client,
        *,
        forward_view: Callable[[], discord.ui.View | None] | None = None,
        history_limit: int = 50,
        lookback: timedelta = timedelta(hours=12),
    ):
        self.client = client
        self.forward_view = (
            forward_view  # the "Send this to email" button for a reply that offers it, if email is set up
        )
        self.history_limit = history_limit
        self.lookback = lookback

    def _target(self, post: Post) -> tuple[discord.abc.Messageable, int]:
        if post.channel.platform != PLATFORM:
            raise PostError(f"{post.channel} is not a Discord channel", permanent=True)
        thread = post.answering.thread_id if post.answering is not None else post.thread_id
        raw = thread or post.channel.channel_id  # a Discord thread is a channel of its own
        try:
            channel_id = int(raw)
        except ValueError:
            raise PostError(f'"{raw}" is not a Discord channel id', permanent=True) from None
        channel = self.client.get_channel(channel_id) or self.client.get_partial_messageable(channel_id)
        if not isinstance(channel, discord.abc.Messageable):  # a category or a forum: nothing is posted there
            raise PostError(f"{post.channel} is a Discord category or forum, where nothing is posted", permanent=True)
        return channel, channel_id

    async def post(self, post: Post) -> str:
        """Post with nonce and enforce_nonce (discord.py sends both), mentions disabled; return the message id."""
        if post.state_line:
            return await self._topic(post)
        channel, channel_id = self._target(post)
        options: dict[str, Any] = {}
        if post.answering is not None:
            view = self.forward_view() if post.answering.offer_forward and self.forward_view else None
            options = reply_options(post.answering, channel_id, view)
        if post.file is not None:  # a short text ("Dana: 📎 name"): one message, the file attached to it
            options["file"] = discord.File(io.BytesIO(post.file.data), filename=post.file.name)
        message = await _mapped(send_parts(channel, post.text, post.key, **options), f"posting to {post.channel}")
        return str(message.id)

    async def _topic(self, post: Post) -> str:
        """The channel's open/closed line as its topic (Discord posts nothing for a topic change; 2 changes per 10
        minutes per channel, which a 429 enforces and the sender waits out)."""
        if post.channel.workspace_id == DM_WORKSPACE:  # a direct message with the bot has no topic
            return "no topic in a direct message"
        _, channel_id = self._target(post)
        topic = (post.text + (f" · {post.link}" if post.link else ""))[:TOPIC_CHARS]
        edit = self.client.http.edit_channel(channel_id, topic=topic, reason="boundary-bot: open or closed")
        await _mapped(edit, f"setting the topic of {post.channel}")
        return f"topic:{channel_id}"

    async def find_posted(self, post: Post) -> str | None:
        return (await self.find_posted_many([post])).get(post.key)

    async def find_posted_many(self, posts: Sequence[Post]) -> dict[str, str]:
        """The bot's own recent messages in the posts' channel carrying a post's nonce or exact text, by key.

        Discord only honours enforce_nonce for a few minutes, and the history endpoint does not return
        nonces, so after that the bot's own messages of the last `lookback` are compared by text.
        """
        posts = [post for post in posts if not post.state_line]  # a topic is set again, never looked for
        if not posts:
            return {}
        channel, _ = self._target(posts[0])
        wanted = {post.key: (nonce_for(post.key), split_text(post.text)[0]) for post in posts}
        since = discord.utils.utcnow() - self.lookback
        me = self.client.user.id if self.client.user else None

        async def search() -> dict[str, str]:
            found: dict[str, str] = {}
            async for message in channel.history(limit=self.history_limit):
                if message.created_at < since or len(found) == len(wanted):
                    break
                if message.author.id != me:
                    continue
                for key, (nonce, first) in wanted.items():
                    if key not in found and (str(message.nonce) == nonce or message.content == first):
                        found[key] = str(message.id)
                        break
            return found

        return await _mapped(search(), f"reading the history of {posts[0].channel}")

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        """DM a user (the owner's digest); users who share no server with the bot or block DMs give a permanent error."""
        try:
            user = discord.Object(int(user_id))
        except ValueError:
            raise PostError(f'"{user_id}" is not a Discord user id', permanent=True) from None
        channel = await _mapped(self.client.create_dm(user), f"opening a DM with {user_id}")
        from adapters.discord.buttons import command_view  # the button's module reads the commands, which read this

        options = {"view": command_view(buttons)} if buttons else {}
        message = await _mapped(send_parts(channel, text, key, **options), f"sending a DM to {user_id}")
        return str(message.id)
