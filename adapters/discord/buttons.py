"""Discord side of command buttons (a reminder's Done, a prompt's "End the closure now"), which keep working after
a restart: the command rides in the button's custom id and runs for whoever presses it."""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord.answers import invocation
from adapters.discord.handlers import answer
from bot.commands import CommandResult
from bot.outbound import CommandButton

PREFIX = "bb:"  # then the button's place (custom ids are unique on a message), whether it asks first, the command
MAX_COMMAND = 100 - len(PREFIX) - 6  # Discord allows 100 characters in a custom id
ACKNOWLEDGED = "OK: nothing changes."


async def _run(interaction: discord.Interaction, command: str) -> None:
    service = interaction.client.service  # type: ignore[attr-defined]  # the bot carries its service
    if not command:
        await answer(interaction, _acknowledged())
        return
    await answer(interaction, service.handle_command(command, invocation(interaction)))


async def _acknowledged() -> CommandResult:
    return CommandResult(ACKNOWLEDGED)


class CommandPress(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bb:(?P<place>\d+):(?P<ask>[01]):(?P<command>.*)"
):
    """Runs its command for the one who presses it (the core refuses anyone the command is not for). One that
    asks first (Discord has no confirm dialog) answers privately with the question and a button that runs it."""

    def __init__(self, place: int, command: str, label: str = "", primary: bool = False, ask: bool = False) -> None:
        if len(command) > MAX_COMMAND:  # a cut command would run as another: never
            raise ValueError(f"a button's command is at most {MAX_COMMAND} characters: {command[:40]}...")
        style = discord.ButtonStyle.success if primary else discord.ButtonStyle.secondary
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or None, style=style, custom_id=f"{PREFIX}{place}:{int(ask)}:{command}"
        )
        super().__init__(button)
        self.command, self.ask = command, ask

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CommandPress:
        return cls(int(match["place"]), match["command"], ask=match["ask"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        if not self.ask:
            await _run(interaction, self.command)
            return
        confirm = discord.ui.View(timeout=None)
        confirm.add_item(CommandPress(0, self.command, "Yes, do it", primary=True))
        await interaction.response.send_message(
            f"Are you sure? This runs `{self.command}`.", view=confirm, ephemeral=True
        )


class DoneButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"promise_done:(?P<id>\d+)"):
    """A reminder's Done button from before command buttons: marks its promise done."""

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
        await _run(interaction, f"boundaries promises done {self.promise_id}")


def command_view(buttons: tuple[CommandButton, ...]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for place, button in enumerate(buttons):
        view.add_item(CommandPress(place, button.command, button.label, button.primary, ask=bool(button.confirm)))
    return view
