"""Text for showing closures and opening hours to the owner and to clients."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.hours_policy import WEEKDAYS
from bot.models import Closure, ClosureKind
from bot.policy import Policy
from bot.timefmt import format_absolute, format_instant, format_span


def describe_closure(closure: Closure, policy: Policy, now: datetime, zone: ZoneInfo | None = None) -> str:
    """ "closed from ... through ..., reopening ... — reason (backup: ...)", naming the zone once."""
    shown = zone or policy.zone
    text = f"closed {format_span(closure.start, closure.end, shown, now)}"
    reopening = policy.calendar([]).next_opening(closure.end)
    if reopening is not None:
        text += f", reopening {format_absolute(reopening, shown, now)}"
    text += " (your time)" if zone else f" ({policy.timezone} time)"
    reason = closure.reason or ("unplanned" if closure.kind is ClosureKind.EMERGENCY else "")
    if reason:
        text += f" — {reason}"
    if closure.backup:
        text += f" (backup: {closure.backup})"
    return text


def hours_summary(policy: Policy, closures: Sequence[Closure], now: datetime, zone: ZoneInfo | None) -> str:
    """Opening hours, turnaround, next opening and upcoming closures, for anyone."""
    weekly = policy.hours
    lines = [f"Opening hours ({policy.timezone}):"]
    for weekday in WEEKDAYS:
        blocks = getattr(weekly, weekday)
        lines.append(f"  {weekday.capitalize()}: {', '.join(blocks) if blocks else 'closed'}")
    if policy.holidays.country:
        lines.append(
            f"Closed on public holidays ({policy.holidays.country}"
            f"{'-' + policy.holidays.subdivision if policy.holidays.subdivision else ''})."
        )
    lines.append(f"Turnaround: {policy.turnaround_rule}. Requests go to {policy.contact.email}.")
    calendar = policy.calendar(closures)
    shown, known = (zone, True) if zone else (policy.zone, False)
    opening = calendar.next_opening(now)
    if calendar.is_open(now):
        lines.append("We're open now.")
    elif opening:
        lines.append(f"Next opening: {format_instant(opening, now, shown, client_zone_known=known)}.")
    upcoming = [x for x in closures if x.cancelled_at is None and x.end > now][:5]
    if upcoming:
        lines.append("Upcoming closures:")
        lines.extend(f"  • {describe_closure(x, policy, now, zone)}" for x in upcoming)
    return "\n".join(lines)
