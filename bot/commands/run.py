"""Running parsed commands against the store, with authorization checked first."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands import types as c
from bot.commands.help import help_text
from bot.commands.parse import CommandError, is_owner_only, parse_command
from bot.commands.show import describe_closure, hours_summary
from bot.guide import client_guide
from bot.meetings import WEEKDAY_NAMES, next_meeting
from bot.messages import ChannelRef, IncomingMessage
from bot.models import Closure, ClosureKind, MeetingSlot
from bot.policy import Policy
from bot.queue import DeliveryQueue
from bot.responder import Situation, decide
from bot.retention import ClientRef
from bot.roles import Roles
from bot.store import Store
from bot.timefmt import format_instant

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    """Who ran a command, and where."""

    platform: str
    workspace_id: str
    channel_id: str
    user_id: str
    user_tz: str | None = None

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef(self.platform, self.workspace_id, self.channel_id)


@dataclass(frozen=True)
class CommandResult:
    """The private answer to a command; ok is False for refusals and bad input (nothing was changed)."""

    text: str
    ok: bool = True
    public: str | None = None  # to post in the channel for everyone, besides the private answer


MAX_OPEN_CLOSURES = 50  # a year of weekly closures; every notice and reply reads them all
FAILED = (
    "Sorry, something went wrong on my side, so that command may not have finished. The error is in the bot's "
    "log; please try again in a minute."
)
REFUSAL = "Only the business owner can use that command. To see hours and closures, use /hours."


async def run_command(
    text: str,
    invocation: Invocation,
    *,
    store: Store,
    policy: Policy,
    roles: Roles,
    now: datetime,
    queue: DeliveryQueue | None = None,
) -> CommandResult:
    """Authorize, parse and execute command text; bad input changes nothing."""
    if is_owner_only(text) and not roles.is_owner(invocation.platform, invocation.user_id, invocation.workspace_id):
        return CommandResult(REFUSAL, ok=False)
    try:
        command = parse_command(text, policy.zone, now)
    except CommandError as error:
        return CommandResult(f"Sorry, I couldn't do that: {error}", ok=False)
    except Exception:
        log.exception("command %r from %s failed while being read", text[:200], invocation.user_id)
        return CommandResult(FAILED, ok=False)
    return await execute(command, invocation, store=store, policy=policy, roles=roles, now=now, queue=queue)


async def execute(
    command,
    invocation: Invocation,
    *,
    store: Store,
    policy: Policy,
    roles: Roles,
    now: datetime,
    queue: DeliveryQueue | None = None,
) -> CommandResult:
    """Execute a parsed command (adapters with structured options call this directly)."""
    if isinstance(command, c.OWNER_ONLY) and not roles.is_owner(
        invocation.platform, invocation.user_id, invocation.workspace_id
    ):
        return CommandResult(REFUSAL, ok=False)
    try:
        if isinstance(command, c.ShowStatus):  # the one command that also reads the outbox
            from bot.status import status_report

            return CommandResult(await status_report(store, queue, policy, now))
        return await _HANDLERS[type(command)](command, invocation, store, policy, roles, now)
    except CommandError as error:
        return CommandResult(f"Sorry, I couldn't do that: {error}", ok=False)
    except Exception:
        log.exception("command %s from %s failed", type(command).__name__, invocation.user_id)
        return CommandResult(FAILED, ok=False)


async def _add_closure(cmd, inv, store, policy, roles, now, kind=ClosureKind.PLANNED):
    existing = await store.list_closures(ending_after=now)
    if len(existing) >= MAX_OPEN_CLOSURES:
        raise CommandError(
            f"there are already {len(existing)} closures to come, the most this bot keeps; "
            "cancel one you no longer need first"
        )
    for other in existing:
        if other.start < cmd.end and cmd.start < other.end:
            raise CommandError(
                f"it overlaps closure #{other.id} ({describe_closure(other, policy, now)}); cancel or change that one first"
            )
    closure = await store.add_closure(
        Closure(
            start=cmd.start,
            end=cmd.end,
            reason=cmd.reason,
            backup=cmd.backup,
            notice_days=getattr(cmd, "notice_days", None),
            kind=kind,
            created_at=now,
        )
    )
    lines = [f"Saved closure #{closure.id}: {describe_closure(closure, policy, now)}."]
    if kind is ClosureKind.EMERGENCY:
        lines.append("Clients writing in will be told you're closed and when you're back.")
    else:
        notice = closure.notice_days or tuple(policy.announcements.notice_days)
        days_ahead = (closure.start - now).days
        if notice and days_ahead < max(notice):
            lines.append(
                f"Heads up: that is {days_ahead} day(s) away, less than the {max(notice)} days' notice "
                "your policy promises; clients will be told as soon as possible."
            )
    return CommandResult("\n".join(lines))


async def _close_now(cmd, inv, store, policy, roles, now):
    return await _add_closure(
        c.AddClosure(now, cmd.until, cmd.reason, cmd.backup), inv, store, policy, roles, now, kind=ClosureKind.EMERGENCY
    )


async def _list_closures(cmd, inv, store, policy, roles, now):
    closures = await store.list_closures(ending_after=now)
    if not closures:
        return CommandResult("No closures are planned. Add one with: closure add Dec 24 to Jan 2 reason: the holidays")
    return CommandResult("\n".join(f"#{x.id} {describe_closure(x, policy, now)}" for x in closures))


async def _cancel_closure(cmd, inv, store, policy, roles, now):
    cancelled = await store.cancel_closure(cmd.closure_id, now)
    if cancelled is None:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    return CommandResult(f"Cancelled closure #{cancelled.id} ({describe_closure(cancelled, policy, now)}).")


async def _set_meeting(cmd, inv, store, policy, roles, now):
    slot = MeetingSlot(inv.channel, cmd.weekday, cmd.local_time, cmd.duration_minutes)
    await store.set_meeting_slot(slot)
    first = next_meeting(slot, policy.zone, now, await store.list_closures(ending_after=now), policy.is_holiday)
    when = format_instant(first, now, policy.zone, client_zone_known=False) if first else "not within two years"
    text = (
        f"This channel's weekly meeting is now {WEEKDAY_NAMES[cmd.weekday]}s at {cmd.local_time:%H:%M} "
        f"({policy.timezone}) for {cmd.duration_minutes} minutes. Next: {when}."
    )
    return CommandResult(text + _outside_hours(slot, first, policy))


def _outside_hours(slot, first, policy) -> str:
    """A note when the meeting is not within opening hours (it is kept: the owner may mean it)."""
    calendar = policy.calendar([])
    last_minute = first + timedelta(minutes=slot.duration_minutes - 1) if first else None
    if first is None or (calendar.is_open(first) and calendar.is_open(last_minute)):
        return ""
    day = WEEKDAY_NAMES[slot.weekday]
    blocks = getattr(policy.hours, day.lower())
    example = f"{day.lower()} {blocks[0].split('-')[0]}" if blocks else "tuesday 10:00"
    return (
        f" Note: that is outside your opening hours ({day}: {', '.join(blocks) or 'closed'}); it is kept as "
        f"set. To move it: meeting set {example}"
    )


async def _list_meetings(cmd, inv, store, policy, roles, now):
    slots = await store.list_meeting_slots()
    if not slots:
        return CommandResult("No weekly meetings are set. In a client channel: meeting set tuesday 10:00")
    closures = await store.list_closures(ending_after=now)
    lines = []
    for slot in slots:
        upcoming = next_meeting(slot, policy.zone, now, closures, policy.is_holiday)
        nxt = format_instant(upcoming, now, policy.zone, client_zone_known=False) if upcoming else "none"
        lines.append(
            f"{slot.channel}: {WEEKDAY_NAMES[slot.weekday]}s {slot.local_time:%H:%M}, "
            f"{slot.duration_minutes} min; next {nxt}"
        )
    return CommandResult("\n".join(lines))


async def _skip_meeting(cmd, inv, store, policy, roles, now):
    slot = await store.get_meeting_slot(inv.channel)
    if slot is None:
        raise CommandError("this channel has no weekly meeting; set one with meeting set tuesday 10:00")
    day = cmd.on
    if day is None:
        upcoming = next_meeting(slot, policy.zone, now, await store.list_closures(ending_after=now), policy.is_holiday)
        day = upcoming.astimezone(policy.zone).date() if upcoming else None
    if day is None:
        raise CommandError("there is no upcoming meeting in this channel to skip")
    if day.weekday() != slot.weekday:
        raise CommandError(f"{day} is not a {WEEKDAY_NAMES[slot.weekday]}, the day of this channel's meeting")
    await store.skip_meeting(inv.channel, day)
    return CommandResult(f"Skipped the meeting on {WEEKDAY_NAMES[day.weekday()]}, {day:%b} {day.day}.")


async def _clear_meeting(cmd, inv, store, policy, roles, now):
    if not await store.clear_meeting_slot(inv.channel):
        raise CommandError("this channel has no weekly meeting to clear")
    return CommandResult("Cleared this channel's weekly meeting.")


async def _mark_channel(cmd, inv, store, policy, roles, now):
    await store.set_channel_mode(inv.channel, cmd.mode)
    if cmd.mode.value == "client":
        return CommandResult("This is now a client channel: the bot answers clients here.")
    return CommandResult("This is now an internal channel: the bot stays quiet here.")


async def _preview(cmd, inv, store, policy, roles, now):
    at = cmd.at or now
    message = IncomingMessage(
        platform=inv.platform,
        workspace_id=inv.workspace_id,
        channel_id=inv.channel_id,
        message_id="preview",
        author_id="preview-client",
        text=cmd.text,
        event_id="preview",
        received_at=at,
    )
    situation = Situation(
        policy=policy,
        closures=await store.list_closures(ending_after=at),
        meeting_slot=await store.get_meeting_slot(inv.channel),
    )
    decision = decide(message, situation, at)
    when = format_instant(at, now, policy.zone, client_zone_known=False)
    evidence = decision.intent.evidence if decision.intent else ()
    detected = f"\n(detected: {', '.join(evidence) or 'no call, text or urgency'}"
    if decision.reply is None:
        return CommandResult(
            f"At {when}, the bot would not reply (it's business hours and no redirect applies).{detected})"
        )
    return CommandResult(
        f"At {when}, the bot would reply ({', '.join(decision.reasons)}):\n{decision.reply.text}"
        f"{detected}; written in {decision.language})"
    )


async def _show_hours(cmd, inv, store, policy, roles, now):
    zone_name = await store.get_client_timezone(inv.platform, inv.workspace_id, inv.user_id) or inv.user_tz
    closures = await store.list_closures(ending_after=now)
    return CommandResult(hours_summary(policy, closures, now, ZoneInfo(zone_name) if zone_name else None))


async def _set_timezone(cmd, inv, store, policy, roles, now):
    await store.set_client_timezone(inv.platform, inv.workspace_id, inv.user_id, cmd.zone)
    return CommandResult(f"Saved: replies to you will show times in {cmd.zone}.")


async def _post_guide(cmd, inv, store, policy, roles, now):
    return CommandResult("Posted the client guide in this channel.", public=client_guide(policy, markdown=False))


async def _forget(cmd, inv, store, policy, roles, now):
    client, who = ClientRef(cmd.user_id, inv.platform, inv.workspace_id), f"<@{cmd.user_id}>"
    if not cmd.confirmed:
        found = await store.forget_client(client, now, dry_run=True)
        if not found.total:
            return CommandResult(f"Nothing is stored about {who} here: no logged replies, time zone or posts.")
        return CommandResult(
            f"This erases what is stored about {who}: {found.describe()}. Delivery keys stay, so "
            f"nothing is posted twice. To go ahead: boundaries forget {cmd.user_id} confirm"
        )
    done = await store.forget_client(client, now)
    return CommandResult(f"Erased what was stored about {who}: {done.describe()}.")


async def _help(cmd, inv, store, policy, roles, now):
    return CommandResult(help_text(cmd.topic))


_HANDLERS = {
    c.AddClosure: _add_closure,
    c.CloseNow: _close_now,
    c.ListClosures: _list_closures,
    c.CancelClosure: _cancel_closure,
    c.SetMeeting: _set_meeting,
    c.ListMeetings: _list_meetings,
    c.SkipMeeting: _skip_meeting,
    c.ClearMeeting: _clear_meeting,
    c.MarkChannel: _mark_channel,
    c.Preview: _preview,
    c.ShowHours: _show_hours,
    c.SetTimezone: _set_timezone,
    c.Help: _help,
    c.PostGuide: _post_guide,
    c.Forget: _forget,
}
