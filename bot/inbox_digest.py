"""The inbox in the owner's digest: forwarded requests still waiting for an answer, and emails left unposted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.forwarding import FORWARD_KIND, PLATFORM_NAMES, source_place
from bot.inbox_answers import ANSWER_KIND, REFUSED_KIND
from bot.messages import ChannelRef
from bot.owner_words import say
from bot.queue import Delivery, DeliveryQueue, DeliveryState
from bot.store import Store
from bot.timefmt import format_absolute

WAITING_FOR = timedelta(days=14)  # a forward older than this no longer shows as waiting
Place = tuple[str, str]


async def waiting_lines(queue: DeliveryQueue, store: Store, now: datetime, zone: ZoneInfo) -> dict[Place, list[str]]:
    """Per platform and workspace, each message forwarded to the inbox (with answers by email on) in the last two
    weeks that has had no answer: none by email, and its promise, if one was made, not kept in the chat either."""
    since = now - WAITING_FOR
    forwards = await queue.list_deliveries(kinds=[FORWARD_KIND], states=[DeliveryState.SENT], updated_since=since)
    routed = [f for f in forwards if f.data and f.data.get("request")]
    if not routed:
        return {}
    answers = await queue.list_deliveries(kinds=[ANSWER_KIND], updated_since=since)
    answered = {a.data.get("request") for a in answers if a.data}
    lines: dict[Place, list[str]] = {}
    for forward in sorted(routed, key=lambda f: f.due_at):
        data = forward.data or {}
        if data.get("request") in answered or await _kept_in_chat(store, data):
            continue
        lines.setdefault(source_place(forward), []).append(_line(forward, zone))
    return lines


async def _kept_in_chat(store: Store, data: Mapping[str, str]) -> bool:
    if not data.get("message_id"):
        return False
    channel = ChannelRef(data.get("platform", ""), data.get("workspace_id", ""), data.get("channel_id", ""))
    promise = await store.find_promise(channel, data["message_id"])
    return promise is not None and promise.answered_at is not None


def _line(forward: Delivery, zone: ZoneInfo) -> str:
    data = forward.data or {}
    platform = PLATFORM_NAMES.get(data.get("platform", ""), data.get("platform"))
    where = say("common.channel", channel=data.get("channel_id", "?"), platform=platform)
    client, since = data.get("author") or say("common.client"), format_absolute(forward.due_at, zone)
    if data.get("excerpt"):
        return say("inbox.waiting_excerpt", client=client, where=where, since=since, excerpt=data["excerpt"])
    return say("inbox.waiting", client=client, where=where, since=since)


async def left_line(queue: DeliveryQueue, since: datetime) -> str | None:
    """How many emails in the inbox were left unposted since `since`, and why."""
    left: Sequence[Delivery] = await queue.list_deliveries(kinds=[REFUSED_KIND], updated_since=since)
    if not left:
        return None
    reasons = Counter((row.data or {}).get("why", "unknown") for row in left)
    why = "; ".join(say("inbox.left_reason", reason=reason, count=count) for reason, count in reasons.most_common())
    return say("inbox.left", count=len(left), why=why)
