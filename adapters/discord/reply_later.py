"""Discord's "Reply at the opening" message command: the owner types a reply to a client's message in a form, and it
is sent as a reply to that message at the next opening (`boundaries later`, which a slash command cannot aim)."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.handlers import Handlers
from bot.commands.later import MAX_LATER, later_text

NAME = "Reply at the opening"


class ReplyLaterForm(discord.ui.Modal, title=NAME):
    """The reply's text; submitting it schedules the reply (the core refuses anyone but the owner)."""

    reply: discord.ui.TextInput[ReplyLaterForm] = discord.ui.TextInput(
        label="Your reply, sent when you open", style=discord.TextStyle.paragraph, max_length=MAX_LATER
    )

    def __init__(self, h: Handlers, message_id: int) -> None:
        super().__init__()
        self.h, self.message_id = h, message_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.h.build(interaction, lambda zone, now: later_text(self.reply.value, str(self.message_id)))


def reply_later_menu(h: Handlers) -> app_commands.ContextMenu:
    async def open_form(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_modal(ReplyLaterForm(h, message.id))

    return app_commands.ContextMenu(name=NAME, callback=open_form)
