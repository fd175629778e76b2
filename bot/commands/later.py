"""`boundaries later`: the owner's message posted in this channel at the next opening, through the outbox."""

from __future__ import annotations

import uuid

from bot.at_opening import KEEP_FOR, LATER_KIND
from bot.commands import types as c
from bot.commands.types import CommandError, CommandResult, Context
from bot.owner_words import say
from bot.queue import DeliveryKey, DeliveryQueue, DeliveryState, PlannedDelivery
from bot.timefmt import format_instant

MAX_LATER = 1_900  # characters: one Discord message (2,000) with the owner's name before it
SHOWN = 80  # characters of each waiting message in the list


def later_text(text: str, reply_to: str | None = None, thread_id: str | None = None) -> c.SendLater:
    text = text.strip()
    if not text:
        raise CommandError(say("later.no_text"))
    if len(text) > MAX_LATER:
        raise CommandError(say("later.too_long", length=len(text), limit=MAX_LATER))
    return c.SendLater(text, reply_to, thread_id)


def _queue(ctx: Context) -> DeliveryQueue:
    if ctx.queue is None:
        raise CommandError(say("later.no_outbox"))
    return ctx.queue


async def send_later(cmd: c.SendLater, ctx: Context) -> CommandResult:
    queue = _queue(ctx)
    closures = await ctx.store.list_closures(ending_after=ctx.now)
    opening = ctx.policy.calendar(closures).next_opening(ctx.now)
    if opening is None:
        raise CommandError(say("later.no_opening"))
    name = ctx.policy.owner.name or ctx.policy.business_name
    where = ctx.invocation.channel
    key = DeliveryKey(LATER_KIND, f"later:{uuid.uuid4().hex}", "", where.platform, where.workspace_id, where.channel_id)
    said = {"author": ctx.invocation.user_id, "said": cmd.text}  # in the owner's own name where a token allows
    if cmd.reply_to:
        said["reply_to"] = cmd.reply_to
    if cmd.thread_id:
        said["thread"] = cmd.thread_id
    posted = say("common.signed", owner=name, text=cmd.text)
    await queue.enqueue([PlannedDelivery(key, opening, opening + KEEP_FOR, posted, data=said)], ctx.now)
    (row,) = [d for d in await queue.list_deliveries(kinds=[LATER_KIND], updated_since=ctx.now) if d.key == key]
    when = (
        say("later.now")
        if opening <= ctx.now
        else format_instant(opening, ctx.now, ctx.policy.zone, client_zone_known=False)
    )
    return CommandResult(
        say("later.will_reply" if cmd.reply_to else "later.will_post", id=row.id, when=when, owner=name)
    )


async def list_later(cmd: c.ListLater, ctx: Context) -> CommandResult:
    waiting = [
        d
        for d in await _queue(ctx).list_deliveries(kinds=[LATER_KIND], states=[DeliveryState.PENDING])
        if d.key.platform == ctx.invocation.platform and d.key.workspace_id == ctx.invocation.workspace_id
    ]
    if not waiting:
        return CommandResult(say("later.none"))
    lines = [
        say(
            "later.listed",
            id=d.id,
            when=format_instant(d.due_at, ctx.now, ctx.policy.zone, client_zone_known=False),
            channel=d.key.channel_id,
            text=d.text if len(d.text) <= SHOWN else d.text[: SHOWN - 1] + "…",
        )
        for d in sorted(waiting, key=lambda d: (d.due_at, d.id))
    ]
    return CommandResult("\n".join([say("later.waiting"), *lines]))


async def cancel_later(cmd: c.CancelLater, ctx: Context) -> CommandResult:
    if not await _queue(ctx).cancel_pending(cmd.delivery_id, LATER_KIND, ctx.now):
        raise CommandError(say("later.no_such", id=cmd.delivery_id))
    return CommandResult(say("later.cancelled", id=cmd.delivery_id))
