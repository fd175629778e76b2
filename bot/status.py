"""The owner's status page: open or closed now, what comes next, and how the posts are doing."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands.show import describe_closure
from bot.meetings import next_meeting
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import DeliveryQueue, DeliveryState
from bot.retention import held_lines
from bot.store import Store
from bot.timefmt import format_instant

SHOWN = 5  # closures and meetings listed; the rest counted
FAILED_SINCE = timedelta(days=7)


async def status_report(store: Store, queue: DeliveryQueue | None, policy: Policy, now: datetime) -> str:
    """What `boundary-bot status` and `/boundaries status` show, in the owner's zone."""
    zone = policy.zone

    def when(at: datetime) -> str:
        return format_instant(at, now, zone, client_zone_known=False)

    closures = await store.list_closures(ending_after=now)
    calendar = policy.calendar(closures)
    current = next((c for c in closures if c.contains(now)), None)
    opening = calendar.next_opening(now)
    if calendar.is_open(now):
        lines = [say("status.open")]
    elif current is not None:
        lines = [say("status.closed", closure=describe_closure(current, policy, now))]
    else:
        lines = [say("status.after_hours", when=when(opening)) if opening else say("status.never_opens")]
    upcoming = [c for c in closures if c is not current]
    lines.append(say("status.closures", count=len(upcoming)) if upcoming else say("status.no_closures"))
    lines += [say("status.closure", id=c.id, closure=describe_closure(c, policy, now)) for c in upcoming[:SHOWN]]
    if len(upcoming) > SHOWN:
        lines.append(say("status.more", more=len(upcoming) - SHOWN))
    slots = await store.list_meeting_slots()
    meetings = sorted(
        (at, slot) for slot in slots if (at := next_meeting(slot, zone, now, closures, policy.is_holiday)) is not None
    )
    lines.append(say("status.meetings" if meetings else "status.no_meetings", count=len(slots)))
    lines += [say("status.meeting", when=when(at), channel=slot.channel) for at, slot in meetings[:SHOWN]]
    if queue is not None:
        counts = await queue.count_by_state()
        failed = await queue.list_deliveries(states=[DeliveryState.FAILED], updated_since=now - FAILED_SINCE)
        lines.append(
            say(
                "status.posts_failed" if failed else "status.posts",
                pending=counts[DeliveryState.PENDING],
                in_flight=counts[DeliveryState.IN_FLIGHT],
                unknown=counts[DeliveryState.UNKNOWN],
                sent=counts[DeliveryState.SENT],
                failed=len(failed),
            )
        )
        digests = list(await queue.list_deliveries(kinds=["owner_digest"], states=[DeliveryState.SENT]))
        last = max((d.due_at for d in digests), default=None)
        lines.append(say("status.last_digest", when=when(last)) if last else say("status.no_digest"))
    lines.append(say("status.kept"))
    lines += [say("status.held", line=line) for line in held_lines(policy.retention, await store.held(), now)]
    return "\n".join(lines)
