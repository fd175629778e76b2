"""iCalendar with the icalendar library: the core's feed events written out, the owner's calendar read in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import recurring_ical_events
from icalendar import Calendar, Event

from bot.calendar_feed import FeedEvent
from bot.calendar_import import CalendarEntry

PRODID = "-//boundary-bot//business calendar//EN"
MAX_OCCURRENCES = 5000


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


def read_entries(body: bytes, start: datetime, end: datetime) -> list[CalendarEntry]:
    """Every event occurrence between `start` and `end`, recurring events expanded; ValueError when `body` is not
    an iCalendar file or holds more than MAX_OCCURRENCES of them (a rule repeating every minute, say)."""
    try:
        calendar = Calendar.from_ical(body)
        repeating = {str(e.get("UID")) for e in calendar.walk("VEVENT") if {"RRULE", "RDATE", "RECURRENCE-ID"} & set(e)}
        occurrences = []
        for event in recurring_ical_events.of(calendar).after(start):  # in order of their start
            if "DTSTART" in event and _aware(event.decoded("DTSTART"), end) >= end:
                break
            occurrences.append(event)
            if len(occurrences) > MAX_OCCURRENCES:
                raise _TooMany
    except _TooMany:
        raise ValueError(f"the calendar has more than {MAX_OCCURRENCES} events in the coming year") from None
    except Exception as error:  # the parsers raise ValueError, KeyError, IndexError... on malformed input
        raise ValueError(f"not an iCalendar file (a .ics with BEGIN:VCALENDAR): {error}") from None
    entries = []
    for event in occurrences:
        if "DTSTART" not in event or str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        first = event.decoded("DTSTART")
        last = event.decoded("DTEND") if "DTEND" in event else first + event.decoded("DURATION", timedelta(days=1))
        uid = str(event.get("UID", ""))
        if uid in repeating and "RECURRENCE-ID" in event:  # one occurrence of a repeating event: its own closure
            uid += "#" + event.decoded("RECURRENCE-ID").isoformat()
        entries.append(CalendarEntry(uid=uid, summary=str(event.get("SUMMARY", "")), start=first, end=last))
    return entries


class _TooMany(Exception):
    pass


def _aware(moment: date | datetime, like: datetime) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(0), tzinfo=like.tzinfo)
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)
