"""Replies in the owner's own direct messages: plainly marked as automatic, in the conversation, never a button."""

from __future__ import annotations

from dataclasses import replace

from bot.messages import IncomingMessage, Reply, ReplyStyle

AUTOMATIC = "🤖 Automatic reply · "


def in_owner_dm(reply: Reply, message: IncomingMessage) -> Reply:
    """The reply as it goes into a direct message to the owner: marked, in the client's thread if they wrote in
    one, else in the conversation (a DM has no one else to hide it from), with no email button (a button on a
    message posted in the owner's name would look like theirs)."""
    return replace(
        reply,
        text=AUTOMATIC + reply.text,
        style=ReplyStyle.THREAD if message.thread_id else ReplyStyle.CHANNEL,
        offer_email_forward=False,
    )
