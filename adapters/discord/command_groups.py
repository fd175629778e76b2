"""The slash-command groups: each option read as its own field into the core's command values."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.handlers import Handlers
from bot.commands import build as make
from bot.commands import types as c
from bot.commands.later import MAX_LATER, later_text
from bot.hours_policy import WEEKDAYS as WEEKDAY_NAMES
from bot.models import ChannelMode

Choice = app_commands.Choice
WEEKDAYS = [Choice(name=day.capitalize(), value=day) for day in WEEKDAY_NAMES]


def closure_commands(h: Handlers) -> app_commands.Group:
    """/closure: add, now, list, cancel, detach, end, change."""
    execute, build, dates, open_closures = h.execute, h.build, h.dates, h.open_closures

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
        await build(
            interaction,
            lambda zone, now: make.add_closure(dates, zone, now, reason=reason, backup=backup, notice=notice),
        )

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
        await build(interaction, lambda zone, now: make.close_now(until, zone, now, reason=reason, backup=backup))

    @closure.command(name="list", description="List planned closures (owner only)")
    async def closure_list(interaction: discord.Interaction) -> None:
        await execute(interaction, c.ListClosures())

    @closure.command(name="cancel", description="Cancel a closure by its number (owner only)")
    @app_commands.describe(number="The # shown by /closure list")
    @app_commands.autocomplete(number=open_closures)
    async def closure_cancel(interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        await execute(interaction, c.CancelClosure(number))

    @closure.command(
        name="detach", description="Keep an imported closure as it is, whatever its calendar event does (owner only)"
    )
    @app_commands.describe(number="The # shown by /closure list")
    @app_commands.autocomplete(number=open_closures)
    async def closure_detach(interaction: discord.Interaction, number: app_commands.Range[int, 1]) -> None:
        await execute(interaction, c.DetachClosure(number))

    @closure.command(name="end", description="End the closure under way now; clients hear you are back (owner only)")
    @app_commands.describe(number="The # shown by /closure list; the one under way when left out")
    @app_commands.autocomplete(number=open_closures)
    async def closure_end(interaction: discord.Interaction, number: app_commands.Range[int, 1] | None = None) -> None:
        await execute(interaction, c.EndClosure(number))

    @closure.command(name="change", description="Move, shorten or extend a closure, or change its reason (owner only)")
    @app_commands.describe(
        number="The # shown by /closure list",
        dates="New dates, like Dec 23 to Jan 3, or through Jan 4 to change only the end",
        reason="New reason (shown to clients)",
        backup="New backup contact",
    )
    @app_commands.autocomplete(number=open_closures)
    @app_commands.autocomplete(dates=dates("range"))
    async def closure_change(
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1],
        dates: str | None = None,
        reason: str | None = None,
        backup: str | None = None,
    ) -> None:
        await build(
            interaction,
            lambda zone, now: make.change_closure(number, dates, zone, now, reason=reason, backup=backup),
        )

    return closure


def meeting_commands(h: Handlers) -> app_commands.Group:
    """/meeting: set, list, skip, clear."""
    execute, build, dates, times = h.execute, h.build, h.dates, h.times

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
        await build(interaction, lambda zone, now: make.set_meeting(weekday, time, minutes))

    @meeting.command(name="list", description="List every channel's weekly meeting (owner only)")
    async def meeting_list(interaction: discord.Interaction) -> None:
        await execute(interaction, c.ListMeetings())

    @meeting.command(name="skip", description="Skip one meeting: the next one, or on a date (owner only)")
    @app_commands.describe(date="The meeting's date, like dec 1 (the next one when left out)")
    @app_commands.autocomplete(date=dates("instant"))
    async def meeting_skip(interaction: discord.Interaction, date: str | None = None) -> None:
        await build(interaction, lambda zone, now: make.skip_meeting(date, zone, now))

    @meeting.command(name="clear", description="Remove this channel's weekly meeting (owner only)")
    async def meeting_clear(interaction: discord.Interaction) -> None:
        await execute(interaction, c.ClearMeeting())

    return meeting


def channel_commands(h: Handlers) -> app_commands.Group:
    """/channel: client, internal."""
    execute = h.execute

    channel = app_commands.Group(
        name="channel", description="Whether the bot answers clients here (owner only)", guild_only=True
    )

    @channel.command(name="client", description="The bot answers clients in this channel (owner only)")
    async def channel_client(interaction: discord.Interaction) -> None:
        await execute(interaction, c.MarkChannel(ChannelMode.CLIENT))

    @channel.command(name="internal", description="The bot stays quiet in this channel (owner only)")
    async def channel_internal(interaction: discord.Interaction) -> None:
        await execute(interaction, c.MarkChannel(ChannelMode.INTERNAL))

    return channel


def boundaries_commands(h: Handlers) -> app_commands.Group:
    """/boundaries: preview, guide, status, forget, promises, calendar, help."""
    execute, build, dates = h.execute, h.build, h.dates

    boundaries = app_commands.Group(
        name="boundaries", description="Preview replies, the client guide, status, erasing a client, help"
    )

    @boundaries.command(name="preview", description="What the bot would reply to a message (owner only)")
    @app_commands.describe(text="A client's message", at="When it arrives, like friday 21:00 (now when left out)")
    @app_commands.autocomplete(at=dates("instant"))
    async def boundaries_preview(interaction: discord.Interaction, text: str, at: str | None = None) -> None:
        await build(interaction, lambda zone, now: make.preview(text, at, zone, now))

    @boundaries.command(name="guide", description="Post the client guide in this channel (owner only)")
    async def boundaries_guide(interaction: discord.Interaction) -> None:
        await execute(interaction, c.PostGuide())

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

    @boundaries.command(
        name="later", description="Post a message here at the next opening; list or cancel (owner only)"
    )
    @app_commands.describe(
        text="What to post at the next opening, signed with your name (leave out to list what waits)",
        cancel="Cancel this waiting message (its # in the list)",
    )
    async def boundaries_later(
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, MAX_LATER] | None = None,
        cancel: app_commands.Range[int, 1] | None = None,
    ) -> None:
        if cancel is not None:
            await execute(interaction, c.CancelLater(cancel))
        elif text:
            await build(interaction, lambda zone, now: later_text(text))
        else:
            await execute(interaction, c.ListLater())

    @boundaries.command(name="calendar", description="The links of your calendar feed and this channel's (owner only)")
    async def boundaries_calendar(interaction: discord.Interaction) -> None:
        await execute(interaction, c.CalendarLinks())

    @boundaries.command(name="help", description="How the bot's commands work")
    async def boundaries_help(interaction: discord.Interaction) -> None:
        await execute(interaction, c.Help())

    return boundaries


def everyone_commands(h: Handlers) -> list[app_commands.Command | app_commands.Group]:
    """/hours and /timezone set, for everyone."""
    execute, build, zones = h.execute, h.build, h.zones

    @app_commands.command(
        name="hours", description="Opening hours, turnaround, next opening and closures, in your zone"
    )
    async def hours(interaction: discord.Interaction) -> None:
        await execute(interaction, c.ShowHours())

    timezone = app_commands.Group(name="timezone", description="Your time zone for the bot's replies to you")

    @timezone.command(name="set", description="Set your time zone, like Europe/London")
    @app_commands.describe(zone="An IANA time zone name; start typing a city")
    @app_commands.autocomplete(zone=zones)
    async def timezone_set(interaction: discord.Interaction, zone: str) -> None:
        await build(interaction, lambda _zone, _now: make.set_timezone(zone))

    return [hours, timezone]
