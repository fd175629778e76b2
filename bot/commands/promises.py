"""The owner's promise commands: what clients were told to expect and nobody has answered yet; marking one done."""

from __future__ import annotations

from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.promises import PromiseState, promise_lines


async def list_promises(cmd: c.ListPromises, ctx: Context) -> CommandResult:
    waiting = await ctx.store.list_promises()
    if not waiting:
        return CommandResult("No promises are waiting: every client told when to expect an answer has had one.")
    late = sum(p.state(ctx.now) is PromiseState.BROKEN for p in waiting)
    heading = f"{len(waiting)} promise(s) waiting for an answer" + (f", {late} overdue" if late else "") + ":"
    lines = promise_lines(waiting, ctx.now, ctx.policy.zone)
    return CommandResult("\n".join([heading, *lines, "Answer in the channel, or: boundaries promises done NUMBER"]))


async def promise_done(cmd: c.PromiseDone, ctx: Context) -> CommandResult:
    done = await ctx.store.promise_done(cmd.promise_id, ctx.now)
    if done is None:
        raise CommandError(f"there is no waiting promise #{cmd.promise_id}; see boundaries promises for the numbers")
    kept = "kept" if done.state(ctx.now) is PromiseState.KEPT else "answered after its time"
    return CommandResult(f"Marked promise #{done.id} ({done.client_name or done.client_id}) done: {kept}.")
