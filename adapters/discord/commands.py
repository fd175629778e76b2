"""The slash commands (/closure, /meeting, /channel, /boundaries, /hours, /timezone) mapped onto the core's commands."""

from __future__ import annotations

import contextlib
import logging

import discord
from discord import app_commands

from adapters.discord.answers import respond
from adapters.discord.command_groups import (
    boundaries_commands,
    channel_commands,
    closure_commands,
    everyone_commands,
    meeting_commands,
)
from adapters.discord.handlers import Handlers
from adapters.discord.reply_later import reply_later_menu
from bot.service import BoundaryService

log = logging.getLogger(__name__)


def build_commands(
    service: BoundaryService,
) -> list[app_commands.Command | app_commands.Group | app_commands.ContextMenu]:
    """Every slash command, each a thin translation onto service.execute_command, and the message command."""
    h = Handlers(service)
    groups = [closure_commands(h), meeting_commands(h), channel_commands(h), boundaries_commands(h)]
    return [*groups, *everyone_commands(h), reply_later_menu(h)]


def register_commands(tree: app_commands.CommandTree, service: BoundaryService) -> None:
    """Add every command to the tree, with an error handler that still answers the user privately."""
    for command in build_commands(service):
        tree.add_command(command)

    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("Discord: /%s failed", getattr(interaction.command, "qualified_name", "?"), exc_info=error)
        with contextlib.suppress(discord.HTTPException):  # the interaction may have expired meanwhile
            await respond(interaction, "Sorry, something went wrong on my side; please try again.")

    tree.error(on_error)
