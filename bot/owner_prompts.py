"""Private prompts that help the owner keep the boundary too: back early during a closure, answering after hours."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.at_opening import CannotMove, Moved, move_to_opening, moved_from
from bot.messages import IncomingMessage, MessageKind
from bot.models import ChannelMode
from bot.outbound import CommandButton, OwnerMessages, buttons_data
from bot.owner_words import say
from bot.queue import DeliveryKey, DeliveryQueue, PlannedDelivery
from bot.responder import Situation
from bot.store import Store
from bot.timefmt import format_instant

log = logging.getLogger(__name__)

PROMPT_KIND = "owner_prompt"
KEEP_FOR = timedelta(hours=2)  # a prompt that could not go out by then is about a moment that has passed
REMEMBERED = 10_000  # prompts this process knows it queued (forgotten wholesale beyond; the outbox still dedupes)


def prompt_for(
    message: IncomingMessage, situation: Situation, now: datetime, movable: Moved | None = None
) -> PlannedDelivery | None:
    """The direct message for the owner or team member who just posted in a client channel: during a closure (the
    owner), "back early?", once per closure; outside hours (with `owner.nudge`), a reminder that clients learn
    from when you answer, once per off-hours stretch, offering to move `movable` (this message, where the platform
    can take it down) and the next ones to the opening. Its key makes it once, whichever channel or replica."""
    if message.kind is not MessageKind.NEW or message.is_direct_message or message.owner_dm:
        return None
    if situation.channel_mode is ChannelMode.INTERNAL:
        return None
    policy, person = situation.policy, message.author_id
    calendar = policy.calendar(situation.closures)
    closure = next((c for c in situation.closures if c.contains(now) and c.cancelled_at is None), None)
    if closure is not None:
        if not situation.roles.is_owner(message.platform, person, message.workspace_id):
            return None
        back = calendar.next_opening(closure.end) or closure.end
        subject = f"back_early:{closure.id if closure.id is not None else closure.start.isoformat()}"
        text = say("prompts.back_early", when=_when(back, now, situation))
        end = f"closure end {closure.id}" if closure.id is not None else "closure end"
        buttons: tuple[CommandButton, ...] = (
            CommandButton(say("prompts.end_now"), end, primary=True, confirm=say("prompts.end_confirm")),
            CommandButton(say("prompts.just_once")),
        )
    elif policy.owner.nudge and not calendar.is_open(now) and (opening := calendar.next_opening(now)):
        subject, when = f"nudge:{opening.isoformat()}", _when(opening, now, situation)
        text = say("prompts.nudge_movable" if movable else "prompts.nudge", now=now.astimezone(policy.zone), when=when)
        buttons = (CommandButton(say("prompts.not_tonight")),)
        if movable:
            buttons = (
                CommandButton(say("prompts.move"), "boundaries move", primary=True),
                CommandButton(say("prompts.hold", opening=opening.astimezone(policy.zone)), "boundaries hold"),
                *buttons,
            )
    else:
        return None
    key = DeliveryKey(PROMPT_KIND, subject, "", message.platform, message.workspace_id, person)
    data = buttons_data(*buttons) | (movable.data() if movable and subject.startswith("nudge:") else {})
    return PlannedDelivery(key, now, now + KEEP_FOR, text, direct=True, data=data)


def _when(at: datetime, now: datetime, situation: Situation) -> str:
    return format_instant(at, now, situation.policy.zone, client_zone_known=False)


class OwnerPrompts:
    """Moves a held message to the opening, or queues each prompt once; remembers what it queued so the owner's
    every message is not a write."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queued: set[str] = set()

    async def offer(
        self,
        message: IncomingMessage,
        situation: Situation,
        now: datetime,
        outbox: DeliveryQueue | None,
        mover: OwnerMessages | None = None,
    ) -> bool:
        """Move this message to the opening when its author holds theirs, else queue the prompt it calls for, if
        any and not queued before; True when something was queued."""
        if outbox is None or situation.policy.calendar(situation.closures).is_open(now):
            return False
        movable = await self._movable(message, situation, mover)
        if movable is not None and mover is not None and await self._held(message, now):
            try:
                await move_to_opening(movable, outbox, self.store, situation.policy, mover, now)
            except CannotMove as error:
                log.warning("a held message of %s stays where it is: %s", message.author_id, error)
                return False
            return True
        planned = prompt_for(message, situation, now, movable)
        if planned is None or outbox is None or (token := planned.key.token()) in self._queued:
            return False
        if len(self._queued) >= REMEMBERED:
            self._queued.clear()
        self._queued.add(token)
        return bool(await outbox.enqueue([planned], now))

    async def _movable(
        self, message: IncomingMessage, situation: Situation, mover: OwnerMessages | None
    ) -> Moved | None:
        if mover is None or situation.channel_mode is ChannelMode.INTERNAL or (moved := moved_from(message)) is None:
            return None
        return moved if await mover.can_delete(message.platform, message.workspace_id, message.author_id) else None

    async def _held(self, message: IncomingMessage, now: datetime) -> bool:
        return (
            await self.store.owner_held_until(message.platform, message.workspace_id, message.author_id, now)
            is not None
        )
