"""Running parsed commands against the store, with authorization checked first."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar_links import guide_link
from bot.commands import types as c
from bot.commands.closures import (
    add_closure,
    cancel_closure,
    change_closure,
    close_now,
    detach_closure,
    end_closure,
    list_closures,
)
from bot.commands.help import help_text
from bot.commands.hold import hold_later, move_later
from bot.commands.later import cancel_later, list_later, send_later
from bot.commands.meetings import clear_meeting, list_meetings, set_meeting, skip_meeting
from bot.commands.parse import is_owner_only, parse_command
from bot.commands.promises import list_promises, promise_done
from bot.commands.show import hours_summary
from bot.commands.types import CommandError, CommandResult, Context
from bot.guide import client_guide
from bot.messages import IncomingMessage
from bot.owner_words import say
from bot.responder import Situation, decide
from bot.retention import ClientRef
from bot.timefmt import format_instant
from bot.welcoming import welcome_for

log = logging.getLogger(__name__)

REFUSAL = say("commands.refused")  # the adapters refuse with it too
FAILED = say("commands.failed")


async def run_command(text: str, context: Context) -> CommandResult:
    """Authorize, parse and execute command text; bad input changes nothing."""
    who = context.invocation
    if is_owner_only(text) and not context.roles.is_owner(who.platform, who.user_id, who.workspace_id):
        return CommandResult(REFUSAL, ok=False)
    try:
        command = parse_command(text, context.policy.zone, context.now)
    except CommandError as error:
        return CommandResult(say("commands.not_done", error=error), ok=False)
    except Exception:
        log.exception("command %r from %s failed while being read", text[:200], who.user_id)
        return CommandResult(FAILED, ok=False)
    return await execute(command, context)


async def execute(command: c.Command, context: Context) -> CommandResult:
    """Execute a parsed command (adapters with structured options call this directly)."""
    who = context.invocation
    if isinstance(command, c.OWNER_ONLY) and not context.roles.is_owner(who.platform, who.user_id, who.workspace_id):
        return CommandResult(REFUSAL, ok=False)
    try:
        if isinstance(command, c.ShowStatus):  # the one command that also reads the outbox
            from bot.status import status_report

            return CommandResult(await status_report(context.store, context.queue, context.policy, context.now))
        return await _HANDLERS[type(command)](command, context)
    except CommandError as error:
        return CommandResult(say("commands.not_done", error=error), ok=False)
    except Exception:
        log.exception("command %s from %s failed", type(command).__name__, who.user_id)
        return CommandResult(FAILED, ok=False)


async def _mark_channel(cmd: c.MarkChannel, ctx: Context) -> CommandResult:
    await ctx.store.set_channel_mode(ctx.invocation.channel, cmd.mode)
    if cmd.mode.value == "client":
        return CommandResult(say("commands.client_channel"))
    return CommandResult(say("commands.internal_channel"))


async def _preview_welcome(cmd: c.PreviewWelcome, ctx: Context) -> CommandResult:
    text = await welcome_for(ctx.store, ctx.policy, ctx.invocation.channel, ctx.now)
    return CommandResult(say("commands.welcome_preview", welcome=text))


async def _preview(cmd: c.Preview, ctx: Context) -> CommandResult:
    inv, policy, at = ctx.invocation, ctx.policy, cmd.at or ctx.now
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
        closures=await ctx.store.list_closures(ending_after=at),
        meeting_slot=await ctx.store.get_meeting_slot(inv.channel),
    )
    decision = decide(message, situation, at)
    when = format_instant(at, ctx.now, policy.zone, client_zone_known=False)
    evidence = decision.intent.evidence if decision.intent else ()
    detected = ", ".join(evidence) or say("commands.no_evidence")
    if decision.reply is None:
        return CommandResult(say("commands.preview_quiet", when=when, detected=detected))
    reasons, reply = ", ".join(decision.reasons), decision.reply.text
    return CommandResult(
        say(
            "commands.preview_reply",
            when=when,
            reasons=reasons,
            reply=reply,
            detected=detected,
            language=decision.language,
        )
    )


async def _show_hours(cmd: c.ShowHours, ctx: Context) -> CommandResult:
    inv = ctx.invocation
    zone_name = await ctx.store.get_client_timezone(inv.platform, inv.workspace_id, inv.user_id) or inv.user_tz
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    return CommandResult(hours_summary(ctx.policy, closures, ctx.now, ZoneInfo(zone_name) if zone_name else None))


async def _set_timezone(cmd: c.SetTimezone, ctx: Context) -> CommandResult:
    inv = ctx.invocation
    await ctx.store.set_client_timezone(inv.platform, inv.workspace_id, inv.user_id, cmd.zone)
    return CommandResult(say("commands.timezone_saved", zone=cmd.zone))


async def _post_guide(cmd: c.PostGuide, ctx: Context) -> CommandResult:
    return CommandResult(say("commands.guide_posted"), public=client_guide(ctx.policy, markdown=False))


async def _forget(cmd: c.Forget, ctx: Context) -> CommandResult:
    client, who = ClientRef(cmd.user_id, ctx.invocation.platform, ctx.invocation.workspace_id), f"<@{cmd.user_id}>"
    if not cmd.confirmed:
        found = await ctx.store.forget_client(client, ctx.now, dry_run=True)
        if not found.total:
            return CommandResult(say("commands.forget_nothing", who=who))
        return CommandResult(say("commands.forget_ask", who=who, found=found.describe(), id=cmd.user_id))
    done = await ctx.store.forget_client(client, ctx.now)
    return CommandResult(say("commands.forgotten", who=who, done=done.describe()))


async def _help(cmd: c.Help, ctx: Context) -> CommandResult:
    return CommandResult(help_text(cmd.topic))


async def _calendar_links(cmd: c.CalendarLinks, ctx: Context) -> CommandResult:
    if ctx.feed_links is None:
        return CommandResult(say("commands.calendar_off"))
    business, channel = ctx.feed_links(None), ctx.feed_links(ctx.invocation.channel)
    return CommandResult(say("commands.calendar_links", business=business, channel=channel, guide=guide_link(business)))


_HANDLERS: dict[type, Callable[[Any, Context], Awaitable[CommandResult]]] = {
    c.CalendarLinks: _calendar_links,
    c.AddClosure: add_closure,
    c.CloseNow: close_now,
    c.ListClosures: list_closures,
    c.CancelClosure: cancel_closure,
    c.ChangeClosure: change_closure,
    c.DetachClosure: detach_closure,
    c.EndClosure: end_closure,
    c.SetMeeting: set_meeting,
    c.ListMeetings: list_meetings,
    c.SkipMeeting: skip_meeting,
    c.ClearMeeting: clear_meeting,
    c.MarkChannel: _mark_channel,
    c.Preview: _preview,
    c.PreviewWelcome: _preview_welcome,
    c.ShowHours: _show_hours,
    c.SetTimezone: _set_timezone,
    c.Help: _help,
    c.PostGuide: _post_guide,
    c.Forget: _forget,
    c.ListPromises: list_promises,
    c.PromiseDone: promise_done,
    c.SendLater: send_later,
    c.ListLater: list_later,
    c.CancelLater: cancel_later,
    c.HoldLater: hold_later,
    c.MoveLater: move_later,
}
