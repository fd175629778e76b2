"""The owner's words posted at the next opening (`boundaries later`), and moving one of their messages there."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from bot.messages import ChannelRef, IncomingMessage, MessageKind
from bot.outbound import OwnerMessages, PostError
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import DeliveryKey, DeliveryQueue, DeliveryState, PlannedDelivery
from bot.store import Store

LATER_KIND = "owner_later"
KEEP_FOR = timedelta(days=1)  # a message that could not go out within a day of the opening is dropped, not posted late


class CannotMove(Exception):
    """Nothing was moved, and why."""


@dataclass(frozen=True)
class Moved:
    """Where the message is, whose it is, and its text (posted again as it was, in the same thread)."""

    channel: ChannelRef
    author_id: str
    message_id: str
    text: str
    thread_id: str | None = None

    def data(self) -> dict[str, str]:
        return {"moved": json.dumps({**asdict(self), "channel": asdict(self.channel)})}

    @classmethod
    def from_data(cls, data: Mapping[str, str] | None) -> Moved | None:
        if not data or not data.get("moved"):
            return None
        fields = json.loads(data["moved"])
        return cls(**{**fields, "channel": ChannelRef(**fields["channel"])})


def moved_from(message: IncomingMessage) -> Moved | None:
    """The message as one to move, when it can be: a new message with text and nothing attached."""
    if message.kind is not MessageKind.NEW or message.is_direct_message or message.owner_dm or message.has_files:
        return None
    if not message.text.strip():
        return None
    return Moved(message.channel, message.author_id, message.message_id, message.text, message.thread_id)


async def next_opening(store: Store, policy: Policy, now: datetime) -> datetime:
    opening = policy.calendar(await store.list_closures(ending_after=now)).next_opening(now)
    if opening is None or opening <= now:
        raise CannotMove(say("hold.open_now"))
    return opening


async def move_to_opening(
    moved: Moved, queue: DeliveryQueue, store: Store, policy: Policy, mover: OwnerMessages, now: datetime
) -> tuple[int, datetime]:
    """Queue the message for the opening, then take it down; when it cannot be taken down, nothing stays queued.
    Its key is the message's, so a second try queues nothing more. Returns the row's id and the opening."""
    opening = await next_opening(store, policy, now)
    where = moved.channel
    key = DeliveryKey(LATER_KIND, f"moved:{moved.message_id}", "", where.platform, where.workspace_id, where.channel_id)
    said = {"author": moved.author_id, "said": moved.text}
    if moved.thread_id:  # placed as a reply in that thread, as it was
        said |= {"reply_to": moved.thread_id, "thread": moved.thread_id}
    name = policy.owner.name or policy.business_name
    planned = PlannedDelivery(
        key, opening, opening + KEEP_FOR, say("common.signed", owner=name, text=moved.text), data=said
    )
    await queue.enqueue([planned], now)
    (row,) = [d for d in await queue.list_deliveries(kinds=[LATER_KIND]) if d.key == key]
    if row.state is not DeliveryState.PENDING:  # an earlier try was cancelled (or has gone out): never delete then
        raise CannotMove(say("hold.tried_before"))
    try:
        gone = await mover.delete(where, moved.author_id, moved.message_id)
    except PostError as error:
        await queue.cancel_pending(row.id, LATER_KIND, now)
        raise CannotMove(say("hold.not_taken_down", error=error)) from None
    if not gone:
        await queue.cancel_pending(row.id, LATER_KIND, now)
        raise CannotMove(say("hold.refused"))
    return row.id, opening
