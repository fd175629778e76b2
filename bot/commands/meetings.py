"""The owner's weekly-meeting commands for a client channel: set, list, skip one, clear."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.meetings import WEEKDAY_NAMES, next_meeting
from bot.models import MeetingSlot
from bot.owner_words import say
from bot.policy import Policy
from bot.timefmt import format_instant


async def set_meeting(cmd: c.SetMeeting, ctx: Context) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    slot = MeetingSlot(ctx.invocation.channel, cmd.weekday, cmd.local_time, cmd.duration_minutes)
    await ctx.store.set_meeting_slot(slot)
    first = next_meeting(slot, policy.zone, now, await ctx.store.list_closures(ending_after=now), policy.is_holiday)
    when = format_instant(first, now, policy.zone, client_zone_known=False) if first else say("meeting.not_soon")
    text = say(
        "meeting.set",
        day=WEEKDAY_NAMES[cmd.weekday],
        time=cmd.local_time,
        zone=policy.timezone,
        minutes=cmd.duration_minutes,
        when=when,
    )
    return CommandResult(text + _outside_hours(slot, first, policy))


def _outside_hours(slot: MeetingSlot, first: datetime | None, policy: Policy) -> str:
    """A note when the meeting is not within opening hours (it is kept: the owner may mean it)."""
    if first is None:
        return ""
    calendar = policy.calendar([])
    if calendar.is_open(first) and calendar.is_open(first + timedelta(minutes=slot.duration_minutes - 1)):
        return ""
    day = WEEKDAY_NAMES[slot.weekday]
    blocks: list[str] = getattr(policy.hours, day.lower())
    example = f"{day.lower()} {blocks[0].split('-')[0]}" if blocks else say("meeting.example")
    shown = ", ".join(blocks) or say("hours.closed")
    return say("meeting.outside_hours", day=day, blocks=shown, example=example)


async def list_meetings(cmd: c.ListMeetings, ctx: Context) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    slots = await ctx.store.list_meeting_slots()
    if not slots:
        return CommandResult(say("meeting.none"))
    closures = await ctx.store.list_closures(ending_after=now)
    lines = []
    for slot in slots:
        upcoming = next_meeting(slot, policy.zone, now, closures, policy.is_holiday)
        nxt = (
            format_instant(upcoming, now, policy.zone, client_zone_known=False) if upcoming else say("meeting.no_next")
        )
        day, minutes = WEEKDAY_NAMES[slot.weekday], slot.duration_minutes
        lines.append(
            say("meeting.listed", channel=slot.channel, day=day, time=slot.local_time, minutes=minutes, when=nxt)
        )
    return CommandResult("\n".join(lines))


async def skip_meeting(cmd: c.SkipMeeting, ctx: Context) -> CommandResult:
    policy, channel = ctx.policy, ctx.invocation.channel
    slot = await ctx.store.get_meeting_slot(channel)
    if slot is None:
        raise CommandError(say("meeting.no_meeting"))
    day = cmd.on
    if day is None:
        closures = await ctx.store.list_closures(ending_after=ctx.now)
        not_started = ctx.now + timedelta(microseconds=1)  # one starting this very moment is already under way
        upcoming = next_meeting(slot, policy.zone, not_started, closures, policy.is_holiday)
        day = upcoming.astimezone(policy.zone).date() if upcoming else None
    if day is None:
        raise CommandError(say("meeting.nothing_to_skip"))
    if day.weekday() != slot.weekday:
        raise CommandError(say("meeting.wrong_day", date=day, day=WEEKDAY_NAMES[slot.weekday]))
    await ctx.store.skip_meeting(channel, day)
    return CommandResult(say("meeting.skipped", day=WEEKDAY_NAMES[day.weekday()], date=day, day_of_month=day.day))


async def clear_meeting(cmd: c.ClearMeeting, ctx: Context) -> CommandResult:
    if not await ctx.store.clear_meeting_slot(ctx.invocation.channel):
        raise CommandError(say("meeting.nothing_to_clear"))
    return CommandResult(say("meeting.cleared"))
