"""The owner's status page: open or closed now, what comes next, and how the posts are doing."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands.show import describe_closure
from bot.meetings import next_meeting
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
        lines = ["Open now."]
    elif current is not None:
        lines = [f"Closed now: {describe_closure(current, policy, now)}."]
    else:
        lines = [f"Closed now (outside opening hours); next opening {when(opening)}." if opening else "Closed now."]
    upcoming = [c for c in closures if c is not current]
    lines.append(f"Closures to come: {len(upcoming)}" + (":" if upcoming else "."))
    lines += [f"  #{c.id} {describe_closure(c, policy, now)}" for c in upcoming[:SHOWN]]
    if len(upcoming) > SHOWN:
        lines.append(f"  …and {len(upcoming) - SHOWN} more: closure list")
    slots = await store.list_meeting_slots()
    meetings = sorted(
        (at, slot) for slot in slots if (at := next_meeting(slot, zone, now, closures, policy.is_holiday)) is not None
    )
    lines.append(f"Weekly meetings: {len(slots)} channel(s) with a slot" + ("; next:" if meetings else "."))
    lines += [f"  {when(at)} in {slot.channel}" for at, slot in meetings[:SHOWN]]
    if queue is not None:
        counts = await queue.count_by_state()
        failed = await queue.list_deliveries(states=[DeliveryState.FAILED], updated_since=now - FAILED_SINCE)
        lines.append(
            f"Posts: {counts[DeliveryState.PENDING]} waiting, {counts[DeliveryState.IN_FLIGHT]} going out, "
            f"{counts[DeliveryState.UNKNOWN]} being checked; {counts[DeliveryState.SENT]} sent in all; "
            f"{len(failed)} failed in the last 7 days" + (" (the digest lists them)." if failed else ".")
        )
        digests = list(await queue.list_deliveries(kinds=["owner_digest"], states=[DeliveryState.SENT]))
        last = max((d.due_at for d in digests), default=None)
        lines.append(f"Last digest: {when(last)}." if last else "Last digest: none sent yet.")
    lines.append("Data kept (the policy's [retention]; the pruning job removes what is older):")
    lines += [f"  {line}" for line in held_lines(policy.retention, await store.held(), now)]
    return "\n".join(lines)
