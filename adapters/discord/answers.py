"""Answering a slash command: who ran it and where, and the private answer."""

from __future__ import annotations

import discord

from adapters.discord.events import channel_ids
from adapters.discord.poster import NO_PINGS, PLATFORM, split_text, workspace_of
from bot.commands import Invocation


def invocation(interaction: discord.Interaction) -> Invocation:
    """Who ran the command and where: the server (or "dm"), the channel (a thread's parent), the user."""
    channel_id, _ = channel_ids(interaction.channel, interaction.channel_id or 0)
    workspace = workspace_of(interaction.guild_id)
    return Invocation(PLATFORM, workspace, channel_id, str(interaction.user.id))


async def respond(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer only the invoking user sees (several when it is longer than one message)."""
    first, *rest = split_text(text)
    if interaction.response.is_done():  # deferred: the answer goes out as follow-ups
        rest = [first, *rest]
    else:
        await interaction.response.send_message(first, ephemeral=True, allowed_mentions=NO_PINGS)
    for piece in rest:
        await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_PINGS)
