"""Discord side of forwarding to email: the persistent "Send this to email" button and the owner's envelope reaction."""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.answers import respond
from adapters.discord.events import channel_ids
from adapters.discord.handlers import answer
from adapters.discord.poster import PLATFORM, workspace_of
from bot.commands import CommandResult
from bot.forwarding import ForwardRequest, is_envelope
from bot.messages import ChannelRef
from bot.promises import is_check_mark
from bot.service import BoundaryService

log = logging.getLogger(__name__)

FORWARD_CUSTOM_ID = "boundary-bot:forward-to-email"


def forward_request(message: discord.Message) -> ForwardRequest:
    """The neutral request for a Discord message; Discord never shares a user's email address."""
    channel_id, thread_id = channel_ids(message.channel, message.channel.id)
    return ForwardRequest(
        platform=PLATFORM,
        workspace_id=workspace_of(message.guild.id if message.guild else None),
        channel_id=channel_id,
        thread_id=thread_id,
        message_id=str(message.id),
        author_id=str(message.author.id),
        author_name=message.author.display_name,
        text=message.content,
        sent_at=message.created_at,
        channel_name=getattr(message.channel, "name", None) or "",
        permalink=message.jump_url,
    )


async def _referenced(interaction: discord.Interaction) -> discord.Message | None:
    """The client's message: the reply carrying the button refers to it (the bot always replies with a reference)."""
    reference = interaction.message.reference if interaction.message else None
    if reference is None or reference.message_id is None:
        return None
    if isinstance(reference.resolved, discord.Message):
        return reference.resolved
    channel = interaction.channel
    if channel is None or isinstance(channel, discord.CategoryChannel | discord.ForumChannel):  # no messages there
        return None
    try:
        return await channel.fetch_message(reference.message_id)
    except discord.HTTPException as error:
        log.warning("Discord: could not read message %s to forward it: %s", reference.message_id, error)
        return None


async def forward_pressed(service: BoundaryService, interaction: discord.Interaction) -> None:
    """The button: forward the referenced client message, answer privately (deferred first when slow)."""
    contact = service.policy.contact.email
    if service.forwarding is None:
        await respond(interaction, f"Sending to email is switched off; please email {contact} directly.")
        return
    bridge = service.forwarding

    async def work() -> CommandResult:
        original = await _referenced(interaction)
        if original is None:
            return CommandResult(f"That message could not be read any more; please email {contact} directly.", ok=False)
        outcome = await bridge.forward(forward_request(original), str(interaction.user.id))
        return CommandResult(outcome.text, ok=outcome.ok)

    await answer(interaction, work())


class ForwardView(discord.ui.View):
    """Persistent (no timeout, a fixed custom_id): registered once in setup_hook, it answers after restarts too."""

    def __init__(self, service: BoundaryService):
        super().__init__(timeout=None)
        self.service = service

    @discord.ui.button(
        label="Send this to email", emoji="\U0001f4e7", style=discord.ButtonStyle.secondary, custom_id=FORWARD_CUSTOM_ID
    )
    async def forward(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await forward_pressed(self.service, interaction)


async def reaction_added(client: Any, service: BoundaryService, payload: discord.RawReactionActionEvent) -> None:
    """The owner's envelope reaction forwards the message it is on, a check mark marks its promise done; anyone
    else's does nothing."""
    if is_check_mark(payload.emoji.name or ""):
        workspace = workspace_of(payload.guild_id)
        known = client.get_channel(payload.channel_id) if client is not None else None
        channel_id, _ = channel_ids(known, payload.channel_id)  # in a thread: the channel it belongs to
        place = ChannelRef(PLATFORM, workspace, channel_id)
        await service.promise_reacted(place, str(payload.message_id), str(payload.user_id))
        return
    bridge = service.forwarding
    if bridge is None or not is_envelope(payload.emoji.name or ""):
        return
    user = str(payload.user_id)
    if not service.roles.is_owner(PLATFORM, user):
        log.info("Discord: envelope reaction by %s (not an owner) ignored", user)
        return
    try:
        channel = client.get_channel(payload.channel_id) or await client.fetch_channel(payload.channel_id)
        message = await channel.fetch_message(payload.message_id)
    except discord.HTTPException as error:
        log.warning("Discord: could not read message %s to forward it: %s", payload.message_id, error)
        return
    if message.author.bot:
        return
    outcome = await bridge.forward(forward_request(message), user, reaction=True)
    log.info("Discord: envelope reaction by the owner: %s", outcome.text)
