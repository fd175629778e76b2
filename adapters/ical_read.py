"""The owner's calendar read in, bounded: each event expanded only inside the window, up to a count and a time budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from itertools import islice
from typing import Any

import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar, Component, vRecur

from bot.calendar_import import CalendarEntry, SkippedEvent

MAX_PER_EVENT = 1000  # occurrences of one event in the window: daily for a year is 366, hourly is refused
MAX_OCCURRENCES = 5000  # occurrences of all events in the window
BUDGET_SECONDS = 20.0  # time to expand the events; the rest are skipped, and read again next time


@dataclass(frozen=True)
class CalendarRead:
    """The event occurrences read, in order of their start, and the events skipped with the reason."""

    entries: list[CalendarEntry]
    skipped: list[SkippedEvent]


def read_entries(
    body: bytes,
    start: datetime,
    end: datetime,
    relevant: Callable[[str], bool] | None = None,
    *,
    budget: float = BUDGET_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> CalendarRead:
    """Every occurrence between `start` and `end` of the events whose title is `relevant` (all without it).

    An event repeating more than MAX_PER_EVENT times in the window (an all-day event every minute, say) is skipped
    before it is expanded, and so is every event still unread when `budget` seconds (by `clock`) are spent or
    MAX_OCCURRENCES are read. This is slow, pure CPU work: call it off the event loop (`asyncio.to_thread`).
    ValueError when `body` is not an iCalendar file."""
    try:
        calendar = Calendar.from_ical(body)
        kept, skipped = _sift(calendar, start, end, relevant)
        query = recurring_ical_events.of(kept)
    except Exception as error:  # the parsers raise ValueError, KeyError, IndexError... on malformed input
        raise ValueError(f"not an iCalendar file (a .ics with BEGIN:VCALENDAR): {error}") from None
    repeating = {str(e.get("UID")) for e in kept.walk("VEVENT") if {"RRULE", "RDATE", "RECURRENCE-ID"} & set(e)}
    titles = {str(e.get("UID")): str(e.get("SUMMARY", "")) for e in kept.walk("VEVENT")}
    deadline = clock() + budget
    entries: list[CalendarEntry] = []
    for series in query.series:
        uid = str(series.uid)
        reason = None
        if clock() > deadline:
            reason = f"was not read: reading the calendar took longer than {budget:g} seconds"
        elif len(entries) >= MAX_OCCURRENCES:
            reason = f"was not read: the calendar has more than {MAX_OCCURRENCES} events in the window"
        else:
            try:
                occurrences = list(islice(series.between(start, end), MAX_PER_EVENT + 1))
            except Exception as error:  # a rule the library cannot expand
                occurrences, reason = [], f"cannot be read: {error}"
            if len(occurrences) > MAX_PER_EVENT:
                reason = f"has more than {MAX_PER_EVENT} occurrences {_window(start, end)}"
        if reason is not None:
            skipped.append(SkippedEvent(uid, titles.get(uid, ""), reason))
            continue
        read = (_entry(o.as_component(False), uid in repeating) for o in occurrences)
        entries.extend(entry for entry in read if entry is not None)
    entries.sort(key=lambda entry: (_aware(entry.start, start), entry.uid))
    return CalendarRead(entries, skipped)


def _sift(
    calendar: Calendar, start: datetime, end: datetime, relevant: Callable[[str], bool] | None
) -> tuple[Calendar, list[SkippedEvent]]:
    """`calendar` without the events not `relevant` and those repeating too often to expand (those skipped)."""
    events: dict[str, list[Component]] = {}
    for event in calendar.walk("VEVENT"):
        events.setdefault(str(event.get("UID", "")), []).append(event)
    dropped: set[str] = set()
    skipped = []
    for uid, series in events.items():
        if relevant is not None and not any(relevant(str(e.get("SUMMARY", ""))) for e in series):
            dropped.add(uid)
        elif (reason := _too_dense(series, start, end)) is not None:
            dropped.add(uid)
            skipped.append(SkippedEvent(uid, str(series[0].get("SUMMARY", "")), reason))
    calendar.subcomponents = [
        c for c in calendar.subcomponents if c.name != "VEVENT" or str(c.get("UID", "")) not in dropped
    ]
    return calendar, skipped


def _too_dense(series: list[Component], start: datetime, end: datetime) -> str | None:
    """Why an event repeats too often in the window to be expanded (counted with dateutil, bounded), or None."""
    for event in series:
        extra = sum(len(getattr(value, "dts", [value])) for value in _listed(event.get("RDATE")))
        if extra > MAX_PER_EVENT:
            return f"has more than {MAX_PER_EVENT} extra dates (RDATE)"
        if "DTSTART" not in event:
            continue
        first = _naive(event.decoded("DTSTART"))
        for rule in _listed(event.get("RRULE")):
            if _count(rule, first, _naive(start) - timedelta(days=1), _naive(end) + timedelta(days=1)) > MAX_PER_EVENT:
                shown = rule.to_ical().decode(errors="replace")[:80]
                return f"repeats more than {MAX_PER_EVENT} times {_window(start, end)} (RRULE:{shown})"
    return None


def _count(rule: vRecur, first: datetime, after: datetime, before: datetime) -> int:
    """Occurrences of `rule` from `first` between `after` and `before`, counted up to MAX_PER_EVENT + 1; 0 when
    dateutil cannot read it (the library then refuses it or expands it, bounded by MAX_PER_EVENT as well)."""
    parts = {key: value for key, value in rule.items() if key != "UNTIL"}
    until = [_naive(moment) for moment in rule.get("UNTIL", [])]
    if until:
        before = min(before, *until)
    try:
        occurrences = rrulestr(vRecur(parts).to_ical().decode(), dtstart=first)
        counted = 0
        for moment in occurrences.xafter(after, inc=True):
            if moment > before or counted > MAX_PER_EVENT:
                break
            counted += 1
    except (ValueError, TypeError, OverflowError):
        return 0
    return counted


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _naive(moment: date | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=None)
    return datetime.combine(moment, day_time(0))


def _window(start: datetime, end: datetime) -> str:
    return f"between {start:%b} {start.day}, {start.year} and {end:%b} {end.day}, {end.year}"


def _entry(event: Component, repeating: bool) -> CalendarEntry | None:
    if "DTSTART" not in event or str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    first = event.decoded("DTSTART")
    last = event.decoded("DTEND") if "DTEND" in event else first + event.decoded("DURATION", timedelta(days=1))
    uid = str(event.get("UID", ""))
    if repeating and "RECURRENCE-ID" in event:  # one occurrence of a repeating event: its own closure
        uid += "#" + event.decoded("RECURRENCE-ID").isoformat()
    return CalendarEntry(uid=uid, summary=str(event.get("SUMMARY", "")), start=first, end=last)


def _aware(moment: date | datetime, like: datetime) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, day_time(0), tzinfo=like.tzinfo)
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)
