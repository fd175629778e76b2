"""The owner's closure commands: add one, close now, list, cancel."""

from __future__ import annotations

from bot.commands import types as c
from bot.commands.show import describe_closure
from bot.commands.types import CommandError, CommandResult, Context
from bot.models import Closure, ClosureKind

MAX_OPEN_CLOSURES = 50  # a year of weekly closures; every notice and reply reads them all


async def add_closure(cmd: c.AddClosure, ctx: Context, kind: ClosureKind = ClosureKind.PLANNED) -> CommandResult:
    policy, now = ctx.policy, ctx.now
    existing = await ctx.store.list_closures(ending_after=now)
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


async def close_now(cmd: c.CloseNow, ctx: Context) -> CommandResult:
    return await add_closure(c.AddClosure(ctx.now, cmd.until, cmd.reason, cmd.backup), ctx, ClosureKind.EMERGENCY)


async def list_closures(cmd: c.ListClosures, ctx: Context) -> CommandResult:
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    if not closures:
        return CommandResult("No closures are planned. Add one with: closure add Dec 24 to Jan 2 reason: the holidays")
    return CommandResult(
        "\n".join(
            f"#{x.id} {describe_closure(x, ctx.policy, ctx.now)}"
            + (" (imported from your calendar)" if x.calendar_uid else "")
            for x in closures
        )
    )


async def cancel_closure(cmd: c.CancelClosure, ctx: Context) -> CommandResult:
    cancelled = await ctx.store.cancel_closure(cmd.closure_id, ctx.now)
    if cancelled is None:
        raise CommandError(f"there is no open closure #{cmd.closure_id}; see closure list for the numbers")
    return CommandResult(f"Cancelled closure #{cancelled.id} ({describe_closure(cancelled, ctx.policy, ctx.now)}).")
