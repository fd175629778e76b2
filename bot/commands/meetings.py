"""The owner's weekly-meeting commands for a client channel: set, list, skip one, clear."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.meetings import WEEKDAY_NAMES, next_meeting
from bot.models import MeetingSlot
from bot.policy import Policy
from bot.timefmt import format_instant


async def set_meeting(cmd: c.SetMeeting, ctx: Context) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    slot = MeetingSlot(ctx.invocation.channel, cmd.weekday, cmd.local_time, cmd.duration_minutes)
    await ctx.store.set_meeting_slot(slot)
    first = next_meeting(slot, policy.zone, now, await ctx.store.list_closures(ending_after=now), policy.is_holiday)
    when = format_instant(first, now, policy.zone, client_zone_known=False) if first else "not within two years"
    text = (
        f"This channel's weekly meeting is now {WEEKDAY_NAMES[cmd.weekday]}s at {cmd.local_time:%H:%M} "
        f"({policy.timezone}) for {cmd.duration_minutes} minutes. Next: {when}."
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
    example = f"{day.lower()} {blocks[0].split('-')[0]}" if blocks else "tuesday 10:00"
    return (
        f" Note: that is outside your opening hours ({day}: {', '.join(blocks) or 'closed'}); it is kept as "
        f"set. To move it: meeting set {example}"
    )


async def list_meetings(cmd: c.ListMeetings, ctx: Context) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    slots = await ctx.store.list_meeting_slots()
    if not slots:
        return CommandResult("No weekly meetings are set. In a client channel: meeting set tuesday 10:00")
    closures = await ctx.store.list_closures(ending_after=now)
    lines = []
    for slot in slots:
        upcoming = next_meeting(slot, policy.zone, now, closures, policy.is_holiday)
        nxt = format_instant(upcoming, now, policy.zone, client_zone_known=False) if upcoming else "none"
        lines.append(
            f"{slot.channel}: {WEEKDAY_NAMES[slot.weekday]}s {slot.local_time:%H:%M}, "
            f"{slot.duration_minutes} min; next {nxt}"
        )
    return CommandResult("\n".join(lines))


async def skip_meeting(cmd: c.SkipMeeting, ctx: Context) -> CommandResult:
    policy, channel = ctx.policy, ctx.invocation.channel
    slot = await ctx.store.get_meeting_slot(channel)
    if slot is None:
        raise CommandError("this channel has no weekly meeting; set one with meeting set tuesday 10:00")
    day = cmd.on
    if day is None:
        closures = await ctx.store.list_closures(ending_after=ctx.now)
        not_started = ctx.now + timedelta(microseconds=1)  # one starting this very moment is already under way
        upcoming = next_meeting(slot, policy.zone, not_started, closures, policy.is_holiday)
        day = upcoming.astimezone(policy.zone).date() if upcoming else None
    if day is None:
        raise CommandError("there is no upcoming meeting in this channel to skip")
    if day.weekday() != slot.weekday:
        raise CommandError(f"{day} is not a {WEEKDAY_NAMES[slot.weekday]}, the day of this channel's meeting")
    await ctx.store.skip_meeting(channel, day)
    return CommandResult(f"Skipped the meeting on {WEEKDAY_NAMES[day.weekday()]}, {day:%b} {day.day}.")


async def clear_meeting(cmd: c.ClearMeeting, ctx: Context) -> CommandResult:
    if not await ctx.store.clear_meeting_slot(ctx.invocation.channel):
        raise CommandError("this channel has no weekly meeting to clear")
    return CommandResult("Cleared this channel's weekly meeting.")
