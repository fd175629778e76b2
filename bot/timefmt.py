"""Human-friendly rendering of instants in a client's (or the owner's) time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# English names, as strftime's %A and %b give them in the C locale (this process never sets another), without its cost
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date(local: datetime, now: datetime | None = None) -> str:
    """ "Monday, Jan 4", with ", 2027" when that is not the year it is at `now` there."""
    text = f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}"
    return text + year_note(local, now)


def short_date(local: datetime, now: datetime | None = None) -> str:
    """ "Mon, Jan 4", with ", 2027" when that is not the year it is at `now` there."""
    return f"{_WEEKDAYS[local.weekday()][:3]}, {_MONTHS[local.month - 1]} {local.day}" + year_note(local, now)


def clock_time(local: datetime) -> str:
    """ "9:00 AM EST": the time of day with its zone's abbreviation."""
    return _clock(local)


def year_note(local: datetime, now: datetime | None) -> str:
    """ ", 2027" for a date in another year than `now` in the same zone; nothing without `now`."""
    return f", {local.year}" if now is not None and now.astimezone(local.tzinfo).year != local.year else ""


def _clock(local: datetime) -> str:
    abbreviation = local.tzname() or ""
    if abbreviation[:1] in "+-":
        abbreviation = f"UTC{abbreviation}"
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {abbreviation}".rstrip()


def format_absolute(at: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """Like "Monday, Jan 4 at 10:00 AM EST" (and the year when it is not the one at `now`)."""
    local = at.astimezone(zone)
    return f"{_date(local, now)} at {_clock(local)}"


def format_instant(at: datetime, now: datetime, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """Like "tomorrow (Tuesday, Dec 1) at 9:00 AM EST"; names the zone when the client's is unknown."""
    local = at.astimezone(zone)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    if days_ahead == 0:
        day = "today"
    elif days_ahead == 1:
        day = f"tomorrow ({_date(local, now)})"
    else:
        day = _date(local, now)
    text = f"{day} at {_clock(local)}"
    return f"{text} (your time)" if client_zone_known else f"{text} ({zone.key} time)"


def format_span(start: datetime, end: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """ "Thursday, Dec 24 through Saturday, Jan 2, 2027" for whole local days, else "from ... until ..."; a year
    is shown where it is not the one at `now`."""
    first, stop = start.astimezone(zone), end.astimezone(zone)
    if first.time() == time(0) and stop.time() == time(0):
        last = stop - timedelta(days=1)
        day = _date(first, now)
        if last.date() == first.date():
            return f"all day {day}"
        return f"{day} through {_date(last, now)}"
    return f"from {format_absolute(first, zone, now)} until {format_absolute(stop, zone, now)}"
