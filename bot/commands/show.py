"""Text for showing closures and opening hours to the owner and to clients."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.hours_policy import WEEKDAYS
from bot.models import Closure, ClosureKind
from bot.owner_words import say
from bot.policy import Policy
from bot.timefmt import format_absolute, format_instant, format_span


def describe_closure(closure: Closure, policy: Policy, now: datetime, zone: ZoneInfo | None = None) -> str:
    """ "closed from ... through ..., reopening ... — reason (backup: ...)", naming the zone once."""
    shown = zone or policy.zone
    opening = policy.calendar([]).next_opening(closure.end)
    reopening = "" if opening is None else say("closure.reopening", when=format_absolute(opening, shown, now))
    reason = closure.reason or (say("closure.unplanned") if closure.kind is ClosureKind.EMERGENCY else "")
    return say(
        "closure.described",
        span=format_span(closure.start, closure.end, shown, now),
        reopening=reopening,
        zone=say("closure.your") if zone else policy.timezone,
        reason=say("closure.reason", reason=reason) if reason else "",
        backup=say("closure.backup", backup=closure.backup) if closure.backup else "",
    )


def hours_summary(policy: Policy, closures: Sequence[Closure], now: datetime, zone: ZoneInfo | None) -> str:
    """Opening hours, turnaround, next opening and upcoming closures, for anyone."""
    weekly = policy.hours
    lines = [say("hours.heading", zone=policy.timezone)]
    for weekday in WEEKDAYS:
        blocks = getattr(weekly, weekday)
        lines.append(say("hours.day", day=weekday.capitalize(), blocks=", ".join(blocks) or say("hours.closed")))
    country, subdivision = policy.holidays.country, policy.holidays.subdivision
    if country:
        region = say("hours.region", country=country, subdivision=subdivision) if subdivision else country
        lines.append(say("hours.holidays", country=region))
    lines.append(say("hours.turnaround", turnaround=policy.turnaround_rule, email=policy.contact.email))
    calendar = policy.calendar(closures)
    shown, known = (zone, True) if zone else (policy.zone, False)
    opening = calendar.next_opening(now)
    if calendar.is_open(now):
        lines.append(say("hours.open"))
    elif opening:
        lines.append(say("hours.next_opening", when=format_instant(opening, now, shown, client_zone_known=known)))
    upcoming = [x for x in closures if x.cancelled_at is None and x.end > now][:5]
    if upcoming:
        lines.append(say("hours.closures"))
        lines.extend(say("hours.closure", closure=describe_closure(x, policy, now, zone)) for x in upcoming)
    return "\n".join(lines)
