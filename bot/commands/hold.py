"""The owner's after-hours messages moved to the opening: `boundaries move` (the one the reminder was about) and
`boundaries hold` (each one until then), taken down where they were and posted again there in the owner's name."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.at_opening import CannotMove, Moved, move_to_opening, next_opening
from bot.commands.types import CommandError, CommandResult, Context, HoldLater, MoveLater
from bot.outbound import OwnerMessages
from bot.owner_prompts import PROMPT_KIND
from bot.owner_words import say
from bot.queue import DeliveryQueue, DeliveryState
from bot.timefmt import format_instant

log = logging.getLogger(__name__)


def _opening_of(subject: str) -> datetime:
    """The opening a reminder was about, from its subject ("nudge:<opening>")."""
    return datetime.fromisoformat(subject.partition(":")[2])


def _mover(ctx: Context) -> tuple[OwnerMessages, DeliveryQueue]:
    if ctx.owner_messages is None or ctx.queue is None:
        raise CommandError(say("hold.needs_token"))
    return ctx.owner_messages, ctx.queue


async def move_later(cmd: MoveLater, ctx: Context) -> CommandResult:
    mover, queue = _mover(ctx)
    who = ctx.invocation
    reminders = [
        d
        for d in await queue.list_deliveries(kinds=[PROMPT_KIND])
        if (d.key.platform, d.key.workspace_id, d.key.channel_id) == (who.platform, who.workspace_id, who.user_id)
        and d.state is not DeliveryState.CANCELLED
        and Moved.from_data(d.data) is not None
    ]
    latest = max(reminders, key=lambda d: d.due_at, default=None)
    moved = Moved.from_data(latest.data) if latest is not None else None
    if latest is None or moved is None or _opening_of(latest.key.subject_id) <= ctx.now:
        raise CommandError(say("hold.nothing_to_move"))
    try:
        row_id, opening = await move_to_opening(moved, queue, ctx.store, ctx.policy, mover, ctx.now)
    except CannotMove as error:
        raise CommandError(str(error)) from None
    when = format_instant(opening, ctx.now, ctx.policy.zone, client_zone_known=False)
    return CommandResult(say("hold.moved", id=row_id, when=when))


async def hold_later(cmd: HoldLater, ctx: Context) -> CommandResult:
    who = ctx.invocation
    if cmd.off:
        await ctx.store.hold_owner(who.platform, who.workspace_id, who.user_id, None)
        return CommandResult(say("hold.off"))
    mover, _ = _mover(ctx)
    if not await mover.can_delete(who.platform, who.workspace_id, who.user_id):
        raise CommandError(say("hold.needs_token"))
    try:
        opening = await next_opening(ctx.store, ctx.policy, ctx.now)
    except CannotMove as error:
        raise CommandError(str(error)) from None
    await ctx.store.hold_owner(who.platform, who.workspace_id, who.user_id, opening)
    when = format_instant(opening, ctx.now, ctx.policy.zone, client_zone_known=False)
    return CommandResult(say("hold.holding", when=when))
