"""The owner's promise commands: what clients were told to expect and nobody has answered yet; marking one done."""

from __future__ import annotations

from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.owner_words import say
from bot.promises import PromiseState, promise_lines


async def list_promises(cmd: c.ListPromises, ctx: Context) -> CommandResult:
    waiting = await ctx.store.list_promises()
    if not waiting:
        return CommandResult(say("promises.none"))
    late = sum(p.state(ctx.now) is PromiseState.BROKEN for p in waiting)
    if late:
        heading = say("promises.waiting_overdue", count=len(waiting), overdue=late)
    else:
        heading = say("promises.waiting", count=len(waiting))
    lines = promise_lines(waiting, ctx.now, ctx.policy.zone)
    return CommandResult("\n".join([heading, *lines, say("promises.how_done")]))


async def promise_done(cmd: c.PromiseDone, ctx: Context) -> CommandResult:
    done = await ctx.store.promise_done(cmd.promise_id, ctx.now)
    if done is None:
        raise CommandError(say("promises.no_such", id=cmd.promise_id))
    kept = say("promises.kept" if done.state(ctx.now) is PromiseState.KEPT else "promises.answered_late")
    return CommandResult(say("promises.marked", id=done.id, client=done.client_name or done.client_id, kept=kept))
