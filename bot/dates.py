"""Natural-language dates and ranges ("Dec 24 to Jan 2", "next friday 13:00 to 17:00") in the owner's zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.meetings import wall_to_instant
from bot.owner_words import say

_RANGE_SPLIT = re.compile(r"\s+(?:to|until|till|through|thru)\s+|\s+[-–—]\s+", re.IGNORECASE)
_HAS_TIME = re.compile(
    r"\d{1,2}:\d{2}|\b\d{1,2}\s*(?:am|pm)\b|\bnoon\b|\bmidnight\b|\bnow\b|\bin\s+\d+\s+(?:minute|hour)s?\b",
    re.IGNORECASE,
)


_YEAR = re.compile(r"\b\d{4}\b")
LONGEST_WITHOUT_YEAR = timedelta(days=180)  # a longer range written without years is a reversed one
FURTHEST_WITHOUT_YEAR = timedelta(days=300)  # a yearless date further ahead has passed this year: ask for the year
_CLOCK_ONLY = re.compile(r"\s*(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight)\s*", re.IGNORECASE)


# Beyond these a date is a typo (and year 1 or 9999 would overflow the arithmetic); a nearer past date is
# refused later, as in the past.
MAX_YEARS_AWAY, YEARS_BACK = 5, 50


class DateError(ValueError):
    """A date or range that could not be understood; the message says what was expected."""


@dataclass(frozen=True)
class DateRange:
    """A [start, end) range of instants in UTC."""

    start: datetime
    end: datetime


def _parse(text: str, zone: ZoneInfo, base: datetime) -> datetime:
    settings = {
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base.astimezone(zone).replace(tzinfo=None),
    }
    parsed: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        raise DateError(say("dates.not_a_date", text=text))
    return parsed


def has_time(text: str) -> bool:
    return bool(_HAS_TIME.search(text))


def parse_instant(text: str, zone: ZoneInfo, now: datetime, *, end_of_day: bool = False) -> datetime:
    """One date/time; a date alone means its start (or, with end_of_day, the start of the next day)."""
    text = text.strip()
    if not text:
        raise DateError(say("dates.missing"))
    local = _parse(text, zone, now)
    this_year = now.astimezone(zone).year
    if not this_year - YEARS_BACK <= local.year <= this_year + MAX_YEARS_AWAY:
        raise DateError(say("dates.too_far", text=text, year=local.year, years=MAX_YEARS_AWAY))
    if not has_time(text):
        today = now.astimezone(zone).date()
        if local.date() == _a_year_after(today) and not _YEAR.search(text):
            local = local.replace(year=today.year)  # a bare "Dec 8" on Dec 8 is today, not next year's
        local = datetime.combine(local.date() + timedelta(days=1 if end_of_day else 0), datetime.min.time())
    return wall_to_instant(local.replace(tzinfo=zone))


def _a_year_after(day: date) -> date | None:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # Feb 29
        return None


def parse_range(text: str, zone: ZoneInfo, now: datetime) -> DateRange:
    """ "Dec 24 to Jan 2" (whole days, end inclusive), "tomorrow", "next friday 13:00 to 17:00"."""
    parts = _RANGE_SPLIT.split(text.strip(), maxsplit=1)
    if len(parts) == 1:
        start = parse_instant(parts[0], zone, now)
        if has_time(parts[0]):
            raise DateError(say("dates.no_end", text=text))
        end = parse_instant(parts[0], zone, now, end_of_day=True)
        _not_a_year_away(parts[0], start, zone, now)
        return DateRange(start.astimezone(UTC), end.astimezone(UTC))
    start_text, end_text = parts
    start = parse_instant(start_text, zone, now)
    # A bare clock time ends on the start's day; a day is looked for from the start's day on.
    end_base = start if _CLOCK_ONLY.fullmatch(end_text) else start - timedelta(seconds=1)
    end = parse_instant(end_text, zone, end_base, end_of_day=True)
    if end <= start or (end - start > LONGEST_WITHOUT_YEAR and not _YEAR.search(end_text)):
        raise DateError(say("dates.backwards", text=text))
    _not_a_year_away(start_text, start, zone, now)
    return DateRange(start.astimezone(UTC), end.astimezone(UTC))


def _not_a_year_away(text: str, start: datetime, zone: ZoneInfo, now: datetime) -> None:
    """A yearless date that only makes sense next year has most likely just passed: say so, with the year."""
    if start - now > FURTHEST_WITHOUT_YEAR and not _YEAR.search(text):
        local = start.astimezone(zone)
        raise DateError(say("dates.passed", text=text.strip(), date=local, day_of_month=local.day, year=local.year))
