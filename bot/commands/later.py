"""`boundaries later`: the owner's message posted in this channel at the next opening, through the outbox."""

from __future__ import annotations

import uuid

from bot.at_opening import KEEP_FOR, LATER_KIND
from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.queue import DeliveryKey, DeliveryQueue, DeliveryState, PlannedDelivery
from bot.timefmt import format_instant

MAX_LATER = 1_900  # characters: one Discord message (2,000) with the owner's name before it
SHOWN = 80  # characters of each waiting message in the list


def later_text(text: str, reply_to: str | None = None, thread_id: str | None = None) -> c.SendLater:
    text = text.strip()
    if not text:
        raise CommandError('later needs the message to send; like "boundaries later Here is the draft, more Monday."')
    if len(text) > MAX_LATER:
        raise CommandError(f"the message is {len(text):,} characters; keep it under {MAX_LATER:,}")
    return c.SendLater(text, reply_to, thread_id)


def _queue(ctx: Context) -> DeliveryQueue:
    if ctx.queue is None:
        raise CommandError("sending later needs the bot's outbox, which this place does not have")
    return ctx.queue


async def send_later(cmd: c.SendLater, ctx: Context) -> CommandResult:
    queue = _queue(ctx)
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    opening = ctx.policy.calendar(closures).next_opening(ctx.now)
    if opening is None:
        raise CommandError("the business does not open in the next year, so there is no opening to send it at")
    name = ctx.policy.owner.name or ctx.policy.business_name
    where = ctx.invocation.channel
    key = DeliveryKey(LATER_KIND, f"later:{uuid.uuid4().hex}", "", where.platform, where.workspace_id, where.channel_id)
    said = {"author": ctx.invocation.user_id, "said": cmd.text}  # in the owner's own name where a token allows
    if cmd.reply_to:
        said["reply_to"] = cmd.reply_to
    if cmd.thread_id:
        said["thread"] = cmd.thread_id
    await queue.enqueue([PlannedDelivery(key, opening, opening + KEEP_FOR, f"{name}: {cmd.text}", data=said)], ctx.now)
    (row,) = [d for d in await queue.list_deliveries(kinds=[LATER_KIND], updated_since=ctx.now) if d.key == key]
    when = (
        "now: you are open"
        if opening <= ctx.now
        else format_instant(opening, ctx.now, ctx.policy.zone, client_zone_known=False)
    )
    return CommandResult(
        f"#{row.id} will be posted {'as a reply to that message' if cmd.reply_to else 'here'} {when}, signed as {name}; "
        f"cancel it with boundaries later cancel {row.id}."
    )


async def list_later(cmd: c.ListLater, ctx: Context) -> CommandResult:
    waiting = [
        d
        for d in await _queue(ctx).list_deliveries(kinds=[LATER_KIND], states=[DeliveryState.PENDING])
        if d.key.platform == ctx.invocation.platform and d.key.workspace_id == ctx.invocation.workspace_id
    ]
    if not waiting:
        return CommandResult("Nothing is waiting to be sent later.")
    lines = [
        f"#{d.id} {format_instant(d.due_at, ctx.now, ctx.policy.zone, client_zone_known=False)} in #{d.key.channel_id}: "
        + (d.text if len(d.text) <= SHOWN else d.text[: SHOWN - 1] + "…")
        for d in sorted(waiting, key=lambda d: (d.due_at, d.id))
    ]
    return CommandResult("Waiting to be sent at the opening:\n" + "\n".join(lines))


async def cancel_later(cmd: c.CancelLater, ctx: Context) -> CommandResult:
    if not await _queue(ctx).cancel_pending(cmd.delivery_id, LATER_KIND, ctx.now):
        raise CommandError(
            f"there is no message #{cmd.delivery_id} waiting to be sent later (see boundaries later); "
            "one that is already going out cannot be stopped"
        )
    return CommandResult(f"Cancelled: #{cmd.delivery_id} will not be sent.")
