"""Human-friendly rendering of instants in a client's (or the owner's) time zone."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def _clock(local: datetime) -> str:
    abbreviation = local.tzname() or ""
    if abbreviation[:1] in "+-":
        abbreviation = f"UTC{abbreviation}"
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'} {abbreviation}".rstrip()


def format_absolute(at: datetime, zone: ZoneInfo) -> str:
    """Like "Monday, Jan 4 at 10:00 AM EST"."""
    local = at.astimezone(zone)
    return f"{local:%A}, {local:%b} {local.day} at {_clock(local)}"


def format_instant(at: datetime, now: datetime, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """Like "tomorrow (Tuesday, Dec 1) at 9:00 AM EST"; names the zone when the client's is unknown."""
    local = at.astimezone(zone)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    day = f"{local:%A}, {local:%b} {local.day}"
    if days_ahead == 0:
        day = "today"
    elif days_ahead == 1:
        day = f"tomorrow ({day})"
    text = f"{day} at {_clock(local)}"
    return f"{text} (your time)" if client_zone_known else f"{text} ({zone.key} time)"
