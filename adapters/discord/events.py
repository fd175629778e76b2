"""Translating a discord.Message into the core's IncomingMessage, and posting the core's reply back to Discord."""

from __future__ import annotations

import logging
from datetime import datetime

import discord

from adapters.discord.poster import PLATFORM, RETRYABLE, post_error, reply_options, send_parts, workspace_of
from adapters.live_reply import post_reply
from bot.messages import IncomingMessage, MessageKind, Reply
from bot.replies import answering, reply_key
from bot.service import BoundaryService

log = logging.getLogger(__name__)

NEW_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


def channel_ids(channel: object, fallback_id: int) -> tuple[str, str | None]:
    """(channel id, thread id): a thread belongs to its parent channel, so the parent's mode and meeting apply."""
    if isinstance(channel, discord.Thread) and channel.parent_id:
        return str(channel.parent_id), str(channel.id)
    return str(getattr(channel, "id", None) or fallback_id), None


def to_incoming(message: discord.Message, *, bot_user_id: int | None, received_at: datetime) -> IncomingMessage:
    """The neutral message for a Discord message; deciding what it means is the core's job."""
    channel_id, thread_id = channel_ids(message.channel, message.channel.id)
    author = message.author
    return IncomingMessage(
        platform=PLATFORM,
        workspace_id=workspace_of(message.guild.id if message.guild else None),
        channel_id=channel_id,
        thread_id=thread_id,
        message_id=str(message.id),
        event_id=str(message.id),  # snowflakes are unique across Discord
        author_id=str(author.id),
        author_name=author.display_name,
        text=message.content,
        received_at=received_at,
        author_is_bot=author.bot or message.webhook_id is not None,
        is_from_this_bot=bot_user_id is not None and author.id == bot_user_id,
        kind=MessageKind.NEW if message.type in NEW_MESSAGE_TYPES else MessageKind.OTHER,
        is_direct_message=message.guild is None,
        permalink=message.jump_url,
        has_files=bool(message.attachments),
        replying_to=str(reference.message_id) if (reference := message.reference) and reference.message_id else None,
    )


async def send_reply(
    service: BoundaryService,
    message: discord.Message,
    incoming: IncomingMessage,
    reply: Reply,
    *,
    view: discord.ui.View | None = None,
    queued: bool = False,
) -> discord.Message | None:
    """Post the core's reply: a Discord reply to the client's message (or a plain channel message), pinging no one.

    Placed as `reply_options` says, as the sender's re-post is. A transient failure (a 503, a reset) is retried with the same nonce, which Discord's enforce_nonce turns into
    the first message if that one landed; a reply that fails for good releases its throttle.
    """
    options = reply_options(answering(incoming, reply), message.channel.id, view)

    async def post() -> discord.Message:
        try:  # the delivery row's key: a resend by the sender carries the same nonce
            return await send_parts(message.channel, reply.text, reply_key(incoming).token(), **options)
        except RETRYABLE as error:
            raise post_error(error, f"replying to message {message.id} in channel {message.channel.id}") from error

    return await post_reply(service, incoming, post, queued=queued, message_id=lambda sent: str(sent.id))
