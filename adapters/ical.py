"""iCalendar with the icalendar library: the core's feed events written out (read in: adapters/ical_read.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from bot.calendar_feed import FeedEvent

PRODID = "-//boundary-bot//business calendar//EN"


def render_feed(events: Iterable[FeedEvent], name: str, now: datetime) -> bytes:
    """A VCALENDAR with one VEVENT per event; `now` is every event's DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    records = list(events)
    for record in records:
        event = Event()
        event.add("uid", record.uid)
        event.add("dtstamp", now)
        event.add("summary", record.summary)
        event.add("dtstart", record.start)
        event.add("dtend", record.end)
        if record.description:
            event.add("description", record.description)
        if record.count > 1:
            event.add("rrule", {"freq": "weekly", "count": record.count})
        for start in record.skipped:
            event.add("exdate", start)
        event.add("transp", "OPAQUE" if record.busy else "TRANSPARENT")
        calendar.add_component(event)
    days = [_day(record.start) for record in records] + [_day(record.end) for record in records] + [now.date()]
    last = max(days) + timedelta(weeks=max((record.count for record in records), default=1))
    calendar.add_missing_timezones(first_date=min(days) - timedelta(days=1), last_date=last)
    return bytes(calendar.to_ical())


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
