"""Welcoming a person who joined a client channel: decided once per client and workspace, posted through the outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.meetings import WEEKDAY_NAMES
from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode
from bot.policy import Policy
from bot.queue import Delivery, DeliveryKey, DeliveryQueue, PlannedDelivery
from bot.roles import Roles
from bot.store import Store
from bot.welcome import should_welcome, welcome_text

WELCOME_KIND = "welcome"
_SUBJECT = "welcome:"  # and the client's id: one welcome row per client, however many fallbacks
KEEP_FOR = timedelta(hours=6)  # a welcome that could not go out by then is dropped: it would read as stale


async def welcome_for(store: Store, policy: Policy, channel: ChannelRef, now: datetime) -> str:
    """The orientation a new client in `channel` gets now: with the channel's meeting and the closures to come."""
    slot = await store.get_meeting_slot(channel)
    meeting = f"{WEEKDAY_NAMES[slot.weekday]}s at {slot.local_time:%H:%M} ({policy.timezone})" if slot else None
    closures = [
        (x.start.astimezone(policy.zone), x.end.astimezone(policy.zone))
        for x in await store.list_closures(ending_after=now)
    ]
    return welcome_text(policy, meeting=meeting, closures=closures)


async def welcome_joiner(
    store: Store,
    queue: DeliveryQueue,
    policy: Policy,
    roles: Roles,
    channel: ChannelRef,
    user_id: str,
    now: datetime,
    *,
    is_bot: bool = False,
    ephemeral_ok: bool = True,
) -> PlannedDelivery | None:
    """Queue the orientation for `user_id`, who joined `channel`, if they are a client not yet welcomed in this
    workspace and welcomes are on; the planned row, or None. The welcomed-once record is claimed first, so two
    replicas seeing the same join queue one welcome."""
    mode = policy.replies.welcome
    if mode == "ephemeral" and not ephemeral_ok:  # a platform that shows nothing to one person alone (Discord)
        mode = "dm"
    platform, workspace = channel.platform, channel.workspace_id
    staff = roles.is_owner(platform, user_id, workspace) or roles.is_team(platform, user_id, workspace)
    if not should_welcome(mode=mode, role="staff" if staff else None, is_bot=is_bot, already_welcomed=False):
        return None
    if await store.get_channel_mode(channel) is ChannelMode.INTERNAL:
        return None
    if not await store.claim_welcome(platform, workspace, user_id, now):
        return None
    text = await welcome_for(store, policy, channel, now)
    direct = mode == "dm"
    place = user_id if direct else channel.channel_id
    key = DeliveryKey(WELCOME_KIND, _SUBJECT + user_id, "", platform, workspace, place)
    data = {"client": user_id, "style": "ephemeral" if mode == "ephemeral" else "channel", "joined": channel.channel_id}
    planned = PlannedDelivery(key, now, now + KEEP_FOR, text, direct=direct, data=data)
    await queue.enqueue([planned], now)
    return planned


def welcomed_client(delivery: Delivery) -> str:
    """The client a welcome row is for (its key keeps it after retention has cut the row's data)."""
    return delivery.key.subject_id.removeprefix(_SUBJECT)


async def direct_welcome_lost(queue: DeliveryQueue, delivery: Delivery, now: datetime) -> PlannedDelivery | None:
    """A welcome by direct message that could not be delivered (the client takes no direct messages): the same
    text in the channel they joined instead, once."""
    joined = (delivery.data or {}).get("joined")
    if delivery.key.kind != WELCOME_KIND or not delivery.direct or not joined:
        return None
    key = replace(delivery.key, channel_id=joined)
    data = {**(delivery.data or {}), "style": "channel"}
    planned = PlannedDelivery(key, now, now + KEEP_FOR, delivery.text, data=data)
    return planned if await queue.enqueue([planned], now) else None


class FirstMessages:
    """Welcomes a client on their first message where the platform shows no join (Discord): a client already seen
    by this process is not asked about again, so the welcomed-once record costs one write per client, not per
    message."""

    def __init__(self, limit: int = 10_000) -> None:
        self._seen: set[tuple[str, str, str]] = set()
        self._limit = limit

    async def welcome(
        self,
        store: Store,
        queue: DeliveryQueue,
        policy: Policy,
        roles: Roles,
        message: IncomingMessage,
        *,
        ephemeral_ok: bool,
    ) -> PlannedDelivery | None:
        client = (message.platform, message.workspace_id, message.author_id)
        if client in self._seen or message.is_direct_message:
            return None
        if len(self._seen) >= self._limit:
            self._seen.clear()
        self._seen.add(client)
        return await welcome_joiner(
            store,
            queue,
            policy,
            roles,
            message.channel,
            message.author_id,
            message.received_at,
            is_bot=message.author_is_bot or message.is_from_this_bot,
            ephemeral_ok=ephemeral_ok,
        )
