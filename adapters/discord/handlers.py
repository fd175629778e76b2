"""What the slash commands share: answering (deferred when slow), running or building a command, suggestions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from adapters.discord.answers import invocation, respond
from adapters.discord.autocomplete import ClosuresToCome, date_suggestions, time_suggestions, zone_suggestions
from adapters.discord.poster import NO_PINGS, PLATFORM, split_text
from bot.commands import CommandResult
from bot.commands.run import REFUSAL
from bot.commands.show import describe_closure
from bot.commands.types import Command, CommandError
from bot.owner_words import say
from bot.service import BoundaryService

Choice = app_commands.Choice
ANSWER_WITHIN = 2.0  # Discord drops an interaction not answered within 3 seconds; slower work is deferred first
_NO_MESSAGES = (discord.CategoryChannel, discord.ForumChannel)


async def answer(interaction: discord.Interaction, work: Awaitable[CommandResult]) -> None:
    """Answer with the core's result; if it takes long (a slow database), defer first so Discord keeps waiting."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=ANSWER_WITHIN)
    if not done:
        await interaction.response.defer(ephemeral=True, thinking=True)
    result = await task
    await respond(interaction, result.text)
    channel = interaction.channel  # the client guide goes to everyone there; a category or forum takes no message
    if result.public and channel is not None and not isinstance(channel, _NO_MESSAGES):
        for piece in split_text(result.public):
            await channel.send(piece, allowed_mentions=NO_PINGS)


class Handlers:
    """What every slash command shares: running a command value, building one from options, suggestions."""

    def __init__(self, service: BoundaryService) -> None:
        self.service = service
        self.remembered = ClosuresToCome(service)
        service.after_command.append(self.remembered.refresh)

    async def execute(self, interaction: discord.Interaction, command: Command) -> None:
        await answer(interaction, self.service.execute_command(command, invocation(interaction)))

    async def build(self, interaction: discord.Interaction, make: Callable[[ZoneInfo, datetime], Command]) -> None:
        """The command built from the options, each read as its own field; a mistake is answered, nothing runs
        (an owner-only command refuses anyone else first, as its text would)."""
        service = self.service
        try:
            command = make(service.policy.zone, service.clock())
        except CommandError as error:
            who = invocation(interaction)
            owner = service.roles.is_owner(PLATFORM, who.user_id, who.workspace_id)
            await respond(interaction, say("commands.not_done", error=error) if owner else REFUSAL)
            return
        await self.execute(interaction, command)

    def dates(self, kind: str) -> Callable[[discord.Interaction, str], Coroutine[Any, Any, list[Choice[str]]]]:
        async def suggest(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
            pairs = date_suggestions(current, self.service.policy.zone, self.service.clock(), kind=kind)
            return [Choice(name=name, value=value) for name, value in pairs]

        return suggest

    async def zones(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=z, value=z) for z in zone_suggestions(current, self.service.policy.timezone)]

    async def times(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=t, value=t) for t in time_suggestions(current)]

    async def open_closures(self, interaction: discord.Interaction, current: str | int) -> list[Choice[int]]:
        service = self.service
        if not service.roles.is_owner(PLATFORM, str(interaction.user.id)):
            return []  # suggestions only; the core refuses the command itself
        now, typed = service.clock(), str(current).strip().lstrip("#")  # Discord sends what was typed, maybe as text
        closures = await self.remembered.current()
        return [
            Choice(name=f"#{x.id} {describe_closure(x, service.policy, now)}"[:100], value=x.id)
            for x in closures
            if x.id is not None and str(x.id).startswith(typed) and x.end > now
        ][:25]
