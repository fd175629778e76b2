"""The slash commands (/closure, /meeting, /channel, /boundaries, /hours, /timezone) mapped onto the core's commands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable

import discord
from discord import app_commands

from adapters.discord.answers import OptionError, command_text, invocation, respond
from adapters.discord.autocomplete import ClosuresToCome, date_suggestions, time_suggestions, zone_suggestions
from adapters.discord.poster import NO_PINGS, PLATFORM, split_text
from bot.commands import CommandResult
from bot.commands import types as c
from bot.commands.show import describe_closure
from bot.commands.types import Command
from bot.hours_policy import WEEKDAYS as WEEKDAY_NAMES
from bot.service import BoundaryService

log = logging.getLogger(__name__)

Choice = app_commands.Choice
WEEKDAYS = [Choice(name=day.capitalize(), value=day) for day in WEEKDAY_NAMES]
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


def build_commands(service: BoundaryService) -> list[app_commands.Command | app_commands.Group]:
    """Every slash command, each a thin translation onto service.handle_command/execute_command."""

    async def run_text(interaction: discord.Interaction, text: str) -> None:
        await answer(interaction, service.handle_command(text, invocation(interaction)))

    async def run(interaction: discord.Interaction, head: str, *words: str | None, **options: str | None) -> None:
        try:
            text = command_text(head, *words, **options)
        except OptionError as error:
            await respond(interaction, f"Sorry, I couldn't do that: {error}")
            return
        await run_text(interaction, text)

    async def execute(interaction: discord.Interaction, command: Command) -> None:
        await answer(interaction, service.execute_command(command, invocation(interaction)))

    def dates(kind: str):
        async def suggest(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
            pairs = date_suggestions(current, service.policy.zone, service.clock(), kind=kind)
            return [Choice(name=name, value=value) for name, value in pairs]

        return suggest

    async def zones(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=z, value=z) for z in zone_suggestions(current, service.policy.timezone)]

    async def times(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return [Choice(name=t, value=t) for t in time_suggestions(current)]

    remembered = ClosuresToCome(service)
    service.after_command.append(remembered.refresh)

    async def open_closures(interaction: discord.Interaction, current: str | int) -> list[Choice[int]]:
        if not service.roles.is_owner(PLATFORM, str(interaction.user.id)):
            return []  # suggestions only; the core refuses the command itself
        now, typed = service.clock(), str(current).strip().lstrip("#")  # Discord sends what was typed, maybe as text
        closures = await remembered.current()
        return [
            Choice(name=f"#{x.id} {describe_closure(x, service.policy, now)}"[:100], value=x.id)
            for x in closures
            if x.id is not None and str(x.id).startswith(typed) and x.end > now
        ][:25]

    closure = app_commands.Group(name="closure", description="Closures (owner only): vacations, holidays, sick days")

    @closure.command(name="add", description="Add a closure, like Dec 24 to Jan 2 (owner only)")
    @app_commands.describe(
        dates="Dec 24 to Jan 2, tomorrow, next friday 13:00 to 17:00",
        reason="Why (shown to clients)",
        backup="Backup contact during the closure",
        notice="Days of notice to announce, like 14,1",
    )
    @app_commands.autocomplete(dates=dates("range"))
    async def closure_add(
        interaction: discord.Interaction,
        dates: str,
        reason: str | None = None,
        backup: str | None = None,
        notice: str | None = None,
    ) -> None:
        await run(interaction, "closure add", dates, reason=reason, backup=backup, notice=notice)

    @closure.command(name="now", description="Closed from now until a date: sick day, emergency (owner only)")
    @app_commands.describe(
        until="When you are back, like tomorrow or monday 9:00",
        reason="Why (shown to clients)",
        backup="Backup contact meanwhile",
    )
    @app_commands.autocomplete(until=dates("until"))
    async def closure_now(
        interaction: discord.Interaction, until: str, reason: str | None = None, backup: str | None = None
    ) -> None:
        await run(interaction, "closure now", until, reason=reason, backup=backup)

    @closure.command(name="list", description="List planned closures (owner only)")
    async def closure_list(interaction: discord.Interaction) -> None:
        await run(interaction, "closure list")

    @closure.command(name="cancel", description="Cancel a closure by its number (owner only)")
    @app_commands.describe(number="The # shown by /closure list")
    @app_commands.autocomplete(number=open_closures)
    async def closure_cancel(interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        await run(interaction, "closure cancel", str(number))

    @closure.command(
        name="detach", description="Keep an imported closure as it is, whatever its calendar event does (owner only)"
    )
    @app_commands.describe(number="The # shown by /closure list")
    @app_commands.autocomplete(number=open_closures)
    async def closure_detach(interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        await execute(interaction, c.DetachClosure(number))

    @closure.command(name="change", description="Move, shorten or extend a closure, or change its reason (owner only)")
    @app_commands.describe(
        number="The # shown by /closure list",
        dates="New dates, like Dec 23 to Jan 3, or through Jan 4 to change only the end",
        reason="New reason (shown to clients)",
        backup="New backup contact",
    )
    @app_commands.autocomplete(number=open_closures, dates=dates("range"))
    async def closure_change(
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1],
        dates: str | None = None,
        reason: str | None = None,
        backup: str | None = None,
    ) -> None:
        await run(interaction, "closure change", str(number), dates, reason=reason, backup=backup)

    meeting = app_commands.Group(
        name="meeting", description="This channel's weekly meeting (owner only)", guild_only=True
    )

    @meeting.command(name="set", description="Set this channel's weekly meeting slot (owner only)")
    @app_commands.describe(
        weekday="Day of the meeting",
        time="Time of day in your zone, like 10:00 or 2pm",
        minutes="Length in minutes (default 30)",
    )
    @app_commands.choices(weekday=WEEKDAYS)
    @app_commands.autocomplete(time=times)
    async def meeting_set(
        interaction: discord.Interaction, weekday: str, time: str, minutes: app_commands.Range[int, 5, 480] = 30
    ) -> None:
        await run(interaction, "meeting set", weekday, time, f"{minutes}m")

    @meeting.command(name="list", description="List every channel's weekly meeting (owner only)")
    async def meeting_list(interaction: discord.Interaction) -> None:
        await run(interaction, "meeting list")

    @meeting.command(name="skip", description="Skip one meeting: the next one, or on a date (owner only)")
    @app_commands.describe(date="The meeting's date, like dec 1 (the next one when left out)")
    @app_commands.autocomplete(date=dates("instant"))
    async def meeting_skip(interaction: discord.Interaction, date: str | None = None) -> None:
        await run(interaction, "meeting skip", date)

    @meeting.command(name="clear", description="Remove this channel's weekly meeting (owner only)")
    async def meeting_clear(interaction: discord.Interaction) -> None:
        await run(interaction, "meeting clear")

    channel = app_commands.Group(
        name="channel", description="Whether the bot answers clients here (owner only)", guild_only=True
    )

    @channel.command(name="client", description="The bot answers clients in this channel (owner only)")
    async def channel_client(interaction: discord.Interaction) -> None:
        await run(interaction, "channel client")

    @channel.command(name="internal", description="The bot stays quiet in this channel (owner only)")
    async def channel_internal(interaction: discord.Interaction) -> None:
        await run(interaction, "channel internal")

    boundaries = app_commands.Group(
        name="boundaries", description="Preview replies, the client guide, status, erasing a client, help"
    )

    @boundaries.command(name="preview", description="What the bot would reply to a message (owner only)")
    @app_commands.describe(text="A client's message", at="When it arrives, like friday 21:00 (now when left out)")
    @app_commands.autocomplete(at=dates("instant"))
    async def boundaries_preview(interaction: discord.Interaction, text: str, at: str | None = None) -> None:
        if at:
            await run_text(interaction, f"boundaries preview at {at.replace('|', ' ')} | {text}")
        else:  # structured, so a "|" in the message is not read as a time separator
            await execute(interaction, c.Preview(text.strip()))

    @boundaries.command(name="guide", description="Post the client guide in this channel (owner only)")
    async def boundaries_guide(interaction: discord.Interaction) -> None:
        await run(interaction, "boundaries guide")

    @boundaries.command(
        name="status", description="Open or closed now, what is coming, how the posts are doing (owner only)"
    )
    async def boundaries_status(interaction: discord.Interaction) -> None:
        await execute(interaction, c.ShowStatus())

    @boundaries.command(name="forget", description="Erase what is stored about one client (owner only)")
    @app_commands.describe(
        client="The client whose data to erase", confirm="Erase it now; without it, you see what would be erased"
    )
    async def boundaries_forget(interaction: discord.Interaction, client: discord.User, confirm: bool = False) -> None:
        await execute(interaction, c.Forget(str(client.id), confirmed=confirm))

    @boundaries.command(name="promises", description="Answers promised to clients and not yet given (owner only)")
    @app_commands.describe(done="Mark this promise answered (its # in the list)")
    async def boundaries_promises(
        interaction: discord.Interaction, done: app_commands.Range[int, 1] | None = None
    ) -> None:
        await execute(interaction, c.PromiseDone(done) if done is not None else c.ListPromises())

    @boundaries.command(name="calendar", description="The links of your calendar feed and this channel's (owner only)")
    async def boundaries_calendar(interaction: discord.Interaction) -> None:
        await execute(interaction, c.CalendarLinks())

    @boundaries.command(name="help", description="How the bot's commands work")
    async def boundaries_help(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    @app_commands.command(
        name="hours", description="Opening hours, turnaround, next opening and closures, in your zone"
    )
    async def hours(interaction: discord.Interaction) -> None:
        await run(interaction, "hours")

    timezone = app_commands.Group(name="timezone", description="Your time zone for the bot's replies to you")

    @timezone.command(name="set", description="Set your time zone, like Europe/London")
    @app_commands.describe(zone="An IANA time zone name; start typing a city")
    @app_commands.autocomplete(zone=zones)
    async def timezone_set(interaction: discord.Interaction, zone: str) -> None:
        await run(interaction, "timezone set", zone)

    return [closure, meeting, channel, boundaries, hours, timezone]


def register_commands(tree: app_commands.CommandTree, service: BoundaryService) -> None:
    """Add every command to the tree, with an error handler that still answers the user privately."""
    for command in build_commands(service):
        tree.add_command(command)

    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("Discord: /%s failed", getattr(interaction.command, "qualified_name", "?"), exc_info=error)
        with contextlib.suppress(discord.HTTPException):  # the interaction may have expired meanwhile
            await respond(interaction, "Sorry, something went wrong on my side; please try again.")

    tree.error(on_error)
