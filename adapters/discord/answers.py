"""Answering a slash command: who ran it and where, its options as command text, the private answer."""

from __future__ import annotations

import re

import discord

from adapters.discord.events import DM_WORKSPACE, channel_ids
from adapters.discord.poster import NO_PINGS, PLATFORM, split_text
from bot.commands import Invocation

_MARKER = re.compile(r"\b(?:reason|backup|notice):", re.IGNORECASE)


class OptionError(ValueError):
    """An option value that would be misread once the options are joined into command text."""


def invocation(interaction: discord.Interaction) -> Invocation:
    """Who ran the command and where: the server (or "dm"), the channel (a thread's parent), the user."""
    channel_id, _ = channel_ids(interaction.channel, interaction.channel_id or 0)
    workspace = str(interaction.guild_id) if interaction.guild_id else DM_WORKSPACE
    return Invocation(PLATFORM, workspace, channel_id, str(interaction.user.id))


def command_text(head: str, *words: str | None, **options: str | None) -> str:
    """ "closure add Dec 24 to Jan 2 reason: holidays" from the structured options, read back by the core's parser."""
    for name, value in options.items():
        if value and (marker := _MARKER.search(value)):
            raise OptionError(f'{name} contains "{marker[0]}"; leave that word out, each option has its own field')
    for word in words:
        if word and (marker := _MARKER.search(word)):
            raise OptionError(f'"{word}" contains "{marker[0]}"; use the reason, backup and notice options')
    text = " ".join([head, *(w.strip() for w in words if w and w.strip())])
    return text + "".join(f" {name}: {value.strip()}" for name, value in options.items() if value and value.strip())


async def respond(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral answer only the invoking user sees (several when it is longer than one message)."""
    first, *rest = split_text(text)
    if interaction.response.is_done():  # deferred: the answer goes out as follow-ups
        rest = [first, *rest]
    else:
        await interaction.response.send_message(first, ephemeral=True, allowed_mentions=NO_PINGS)
    for piece in rest:
        await interaction.followup.send(piece, ephemeral=True, allowed_mentions=NO_PINGS)
