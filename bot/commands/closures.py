"""The owner's closure commands: add one, close now, list, change, cancel, detach one from the owner's calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.commands import types as c
from bot.commands.show import describe_closure
from bot.commands.types import CommandError, CommandResult, Context
from bot.models import Closure, ClosureKind
from bot.owner_words import say
from bot.planner import taken_hours
from bot.timefmt import format_instant

MAX_OPEN_CLOSURES = 50  # a year of weekly closures; every notice and reply reads them all


def _refuse_overlap(existing: list[Closure], start: datetime, end: datetime, ctx: Context) -> None:
    for other in existing:
        if other.start < end and start < other.end:
            raise CommandError(
                say("closure.overlaps", id=other.id, closure=describe_closure(other, ctx.policy, ctx.now))
            )


async def add_closure(cmd: c.AddClosure, ctx: Context, kind: ClosureKind = ClosureKind.PLANNED) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    existing = await ctx.store.list_closures(ending_after=now)
    if len(existing) >= MAX_OPEN_CLOSURES:
        raise CommandError(say("closure.too_many", count=len(existing)))
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
    lines = [say("closure.saved", id=closure.id, closure=describe_closure(closure, policy, now))]
    if taken_hours(policy, closure) is None:
        lines.append(say("closure.quiet"))
    elif kind is ClosureKind.EMERGENCY:
        lines.append(say("closure.emergency"))
    else:
        notice = closure.notice_days or tuple(policy.announcements.notice_days)
        days_ahead = (closure.start - now).days
        if notice and days_ahead < max(notice):
            lines.append(say("closure.short_notice", days=days_ahead, notice=max(notice)))
    return CommandResult("\n".join(lines))


async def close_now(cmd: c.CloseNow, ctx: Context) -> CommandResult:
    return await add_closure(c.AddClosure(ctx.now, cmd.until, cmd.reason, cmd.backup), ctx, ClosureKind.EMERGENCY)


async def list_closures(cmd: c.ListClosures, ctx: Context) -> CommandResult:
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    if not closures:
        return CommandResult(say("closure.none"))
    return CommandResult(
        "\n".join(
            say(
                "closure.listed_imported" if x.imported else "closure.listed",
                id=x.id,
                closure=describe_closure(x, ctx.policy, ctx.now),
            )
            for x in closures
        )
    )


async def change_closure(cmd: c.ChangeClosure, ctx: Context) -> CommandResult:
    existing = await ctx.store.list_closures(ending_after=ctx.now)
    old = next((x for x in existing if x.id == cmd.closure_id), None)
    if old is None:
        raise CommandError(say("closure.no_such", id=cmd.closure_id))
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
        raise CommandError(say("closure.begun", id=old.id, closure=describe_closure(old, ctx.policy, ctx.now)))
    _refuse_overlap([x for x in existing if x.id != old.id], changed.start, changed.end, ctx)
    new = await ctx.store.change_closure(cmd.closure_id, changed, ctx.now)
    if new is None:
        raise CommandError(say("closure.no_such", id=cmd.closure_id))
    lines = [
        say("closure.changed", id=old.id, new=new.id, closure=describe_closure(new, ctx.policy, ctx.now)),
        say("closure.before", closure=describe_closure(old, ctx.policy, ctx.now)),
        say("closure.quiet" if taken_hours(ctx.policy, new) is None else "closure.update"),
    ]
    return CommandResult("\n".join(lines))


async def end_closure(cmd: c.EndClosure, ctx: Context) -> CommandResult:
    under_way = [x for x in await ctx.store.list_closures(ending_after=ctx.now) if x.start <= ctx.now]
    if cmd.closure_id is not None:
        under_way = [x for x in under_way if x.id == cmd.closure_id]
    if not under_way:
        if cmd.closure_id is None:
            raise CommandError(say("closure.none_under_way"))
        raise CommandError(say("closure.not_under_way", id=cmd.closure_id))
    old = under_way[0]
    new = await ctx.store.change_closure(old.id or 0, replace(old, end=ctx.now, id=None), ctx.now)
    if new is None:
        raise CommandError(say("closure.changed_meanwhile", id=old.id))
    reopening = ctx.policy.calendar([new]).next_opening(ctx.now) or ctx.now
    when = (
        say("closure.now")
        if reopening <= ctx.now
        else format_instant(reopening, ctx.now, ctx.policy.zone, client_zone_known=False)
    )
    reason = say("closure.ended_reason", reason=old.reason) if old.reason else ""
    return CommandResult(say("closure.ended", id=old.id, reason=reason, when=when))


async def cancel_closure(cmd: c.CancelClosure, ctx: Context) -> CommandResult:
    cancelled = await ctx.store.cancel_closure(cmd.closure_id, ctx.now)
    if cancelled is None:
        raise CommandError(say("closure.no_such", id=cmd.closure_id))
    quietly = taken_hours(ctx.policy, cancelled) is None
    closure = describe_closure(cancelled, ctx.policy, ctx.now)
    return CommandResult(
        say("closure.cancelled_quietly" if quietly else "closure.cancelled", id=cancelled.id, closure=closure)
    )


async def detach_closure(cmd: c.DetachClosure, ctx: Context) -> CommandResult:
    found = await ctx.store.get_closure(cmd.closure_id)
    if found is None or found.cancelled_at is not None or found.end <= ctx.now:
        raise CommandError(say("closure.no_such", id=cmd.closure_id))
    if found.calendar_uid is None:
        raise CommandError(say("closure.not_imported", id=found.id))
    if found.detached_at is not None:
        raise CommandError(say("closure.already_detached", id=found.id))
    detached = await ctx.store.detach_closure(cmd.closure_id, ctx.now)
    if detached is None:  # cancelled or detached meanwhile
        raise CommandError(say("closure.no_such_imported", id=cmd.closure_id))
    return CommandResult(
        say("closure.detached", id=detached.id, closure=describe_closure(detached, ctx.policy, ctx.now))
    )
