"""The owner's closure commands: add one, close now, list, change, cancel, detach one from the owner's calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.commands import types as c
from bot.commands.show import describe_closure
from bot.commands.types import CommandError, CommandResult, Context
from bot.models import Closure, ClosureKind
from bot.planner import taken_hours
from bot.timefmt import format_instant

QUIET = "That is all time you are closed anyway, so clients are not told about it."
MAX_OPEN_CLOSURES = 50  # a year of weekly closures; every notice and reply reads them all


def _refuse_overlap(existing: list[Closure], start: datetime, end: datetime, ctx: Context) -> None:
    for other in existing:
        if other.start < end and start < other.end:
            raise CommandError(
                f"it overlaps closure #{other.id} ({describe_closure(other, ctx.policy, ctx.now)}); "
                "cancel or change that one first"
            )


async def add_closure(cmd: c.AddClosure, ctx: Context, kind: ClosureKind = ClosureKind.PLANNED) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    existing = await ctx.store.list_closures(ending_after=now)
    if len(existing) >= MAX_OPEN_CLOSURES:
        raise CommandError(
            f"there are already {len(existing)} closures to come, the most this bot keeps; "
            "cancel one you no longer need first"
        )
    _refuse_overlap(existing, cmd.start, cmd.end, ctx)
    closure = await ctx.store.add_closure(
        Closure(
            start=cmd.start,
            end=cmd.end,
            reason=cmd.reason,
            backup=cmd.backup,
            notice_days=cmd.notice_days,
            kind=kind,
            created_at=now,
        )
    )
    lines = [f"Saved closure #{closure.id}: {describe_closure(closure, policy, now)}."]
    if taken_hours(policy, closure) is None:
        lines.append(QUIET)
    elif kind is ClosureKind.EMERGENCY:
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


async def close_now(cmd: c.CloseNow, ctx: Context) -> CommandResult:
    return await add_closure(c.AddClosure(ctx.now, cmd.until, cmd.reason, cmd.backup), ctx, ClosureKind.EMERGENCY)


async def list_closures(cmd: c.ListClosures, ctx: Context) -> CommandResult:
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    if not closures:
        return CommandResult("No closures are planned. Add one with: closure add Dec 24 to Jan 2 reason: the holidays")
    return CommandResult(
        "\n".join(
            f"#{x.id} {describe_closure(x, ctx.policy, ctx.now)}"
            + (" (imported from your calendar)" if x.imported else "")
            for x in closures
        )
    )


async def change_closure(cmd: c.ChangeClosure, ctx: Context) -> CommandResult:
    existing = await ctx.store.list_closures(ending_after=ctx.now)
    old = next((x for x in existing if x.id == cmd.closure_id), None)
    if old is None:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    start = old.start if cmd.start is None or old.start <= ctx.now else max(cmd.start, ctx.now)
    changed = replace(
        old,
        start=start,
        end=old.end if cmd.end is None else cmd.end,
        reason=old.reason if cmd.reason is None else cmd.reason,
        backup=old.backup if cmd.backup is None else cmd.backup,
        notice_days=old.notice_days if cmd.notice_days is None else cmd.notice_days,
        id=None,
    )
    if changed.end <= changed.start:
        raise CommandError(f"closure #{old.id} has begun ({describe_closure(old, ctx.policy, ctx.now)}); end it later")
    _refuse_overlap([x for x in existing if x.id != old.id], changed.start, changed.end, ctx)
    new = await ctx.store.change_closure(cmd.closure_id, changed, ctx.now)
    if new is None:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    lines = [
        f"Changed closure #{old.id}, now #{new.id}: {describe_closure(new, ctx.policy, ctx.now)}.",
        f"Before: {describe_closure(old, ctx.policy, ctx.now)}.",
        QUIET if taken_hours(ctx.policy, new) is None else "Client channels told about it get one update.",
    ]
    return CommandResult("\n".join(lines))


async def end_closure(cmd: c.EndClosure, ctx: Context) -> CommandResult:
    under_way = [x for x in await ctx.store.list_closures(ending_after=ctx.now) if x.start <= ctx.now]
    if cmd.closure_id is not None:
        under_way = [x for x in under_way if x.id == cmd.closure_id]
    if not under_way:
        which = "no closure is" if cmd.closure_id is None else f"closure #{cmd.closure_id} is not"
        raise CommandError(f"{which} under way (begun and not yet over), so there is nothing to end; see closure list")
    old = under_way[0]
    new = await ctx.store.change_closure(old.id or 0, replace(old, end=ctx.now, id=None), ctx.now)
    if new is None:
        raise CommandError(f"closure #{old.id} was changed or cancelled meanwhile; see closure list")
    reopening = ctx.policy.calendar([new]).next_opening(ctx.now) or ctx.now
    when = (
        "now" if reopening <= ctx.now else format_instant(reopening, ctx.now, ctx.policy.zone, client_zone_known=False)
    )
    return CommandResult(
        f"Ended closure #{old.id}{f' ({old.reason})' if old.reason else ''} now: you are open again. Client channels "
        f'get the usual "we\'re back" notice {when}; nothing else is said about the change.'
    )


async def cancel_closure(cmd: c.CancelClosure, ctx: Context) -> CommandResult:
    cancelled = await ctx.store.cancel_closure(cmd.closure_id, ctx.now)
    if cancelled is None:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    text = f"Cancelled closure #{cancelled.id} ({describe_closure(cancelled, ctx.policy, ctx.now)})."
    if taken_hours(ctx.policy, cancelled) is None:
        text += " No client was told about it, so there is nothing to take back."
    return CommandResult(text)


async def detach_closure(cmd: c.DetachClosure, ctx: Context) -> CommandResult:
    found = await ctx.store.get_closure(cmd.closure_id)
    if found is None or found.cancelled_at is not None or found.end <= ctx.now:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    if found.calendar_uid is None:
        raise CommandError(f"closure #{found.id} was not imported from your calendar, so there is nothing to detach")
    if found.detached_at is not None:
        raise CommandError(f"closure #{found.id} is already detached from your calendar")
    detached = await ctx.store.detach_closure(cmd.closure_id, ctx.now)
    if detached is None:  # cancelled or detached meanwhile
        raise CommandError(f"there is no open imported closure #{cmd.closure_id}; see closure list for the numbers")
    return CommandResult(
        f"Detached closure #{detached.id} ({describe_closure(detached, ctx.policy, ctx.now)}) from your calendar: "
        "later imports leave it as it is, even when its event moves or is deleted. Change or cancel it with "
        f"closure change {detached.id} or closure cancel {detached.id}."
    )
