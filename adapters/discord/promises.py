"""Discord side of promises: the reminder's Done button, which keeps working after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord.answers import invocation
from adapters.discord.handlers import answer


class DoneButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"promise_done:(?P<id>\d+)"):
    """Marks promise `promise_id` done for the owner who presses it (the core refuses anyone else)."""

    def __init__(self, promise_id: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Done", style=discord.ButtonStyle.success, custom_id=f"promise_done:{promise_id}"
        )
        super().__init__(button)
        self.promise_id = promise_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DoneButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        service = interaction.client.service  # type: ignore[attr-defined]  # the bot carries its service
        await answer(
            interaction, service.handle_command(f"boundaries promises done {self.promise_id}", invocation(interaction))
        )


def done_view(promise_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DoneButton(promise_id))
    return view
