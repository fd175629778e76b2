"""Command values from their fields: the text parser and the platforms' structured options (Discord's slash-command
options, Slack's modal) build closure and meeting commands here, so a field is read the same way from either."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.commands import types as c
from bot.commands.help import USAGE
from bot.commands.types import CommandError
from bot.dates import DateError, DateRange, parse_instant, parse_range
from bot.hours_policy import WEEKDAYS
from bot.owner_words import say
from bot.zones import validate_zone

MAX_TEXT = 200  # characters of a reason or a backup
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_ONLY_END = re.compile(r"(to|through|until|till)\s+(.+)", re.IGNORECASE | re.DOTALL)
_BACK = re.compile(r"^(until|till|to|through)\s+", re.IGNORECASE)


def text_field(name: str, value: str | None) -> str | None:
    """A reason or backup as given (None when left out), or CommandError when it is blank or too long."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise CommandError(say("commands.option_empty", option=name))
    if len(value) > MAX_TEXT:
        raise CommandError(say("commands.option_long", option=name, length=len(value), limit=MAX_TEXT))
    return value


def notice_days(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        days = tuple(int(part.strip().removesuffix("d")) for part in text.split(","))
    except ValueError:
        raise CommandError(say("closure.notice_not_days", notice=text)) from None
    if any(d < 1 or d > 365 for d in days):
        raise CommandError(say("closure.notice_range", notice=text))
    return tuple(sorted(set(days), reverse=True))


def add_closure(
    dates: str,
    zone: ZoneInfo,
    now: datetime,
    *,
    reason: str | None = None,
    backup: str | None = None,
    notice: str | None = None,
) -> c.AddClosure:
    dates = dates.strip()
    if not dates:
        raise CommandError(say("closure.no_dates", usage=USAGE["closure add"]))
    span = _range(dates, zone, now)
    if span.end <= now:
        raise CommandError(say("closure.past", dates=dates))
    reason, backup = text_field("reason", reason) or "", text_field("backup", backup)
    return c.AddClosure(max(span.start, now), span.end, reason, backup, notice_days(notice))


def close_now(
    until: str, zone: ZoneInfo, now: datetime, *, reason: str | None = None, backup: str | None = None
) -> c.CloseNow:
    until = _BACK.sub("", until.strip())
    if not until:
        raise CommandError(say("closure.no_end", usage=USAGE["closure now"]))
    back = _instant(until, zone, now)  # "until tomorrow": back tomorrow, at its opening
    if back <= now:
        raise CommandError(say("closure.back_past", until=until))
    return c.CloseNow(back, text_field("reason", reason) or "", text_field("backup", backup))


def change_closure(
    closure_id: int,
    dates: str | None,
    zone: ZoneInfo,
    now: datetime,
    *,
    reason: str | None = None,
    backup: str | None = None,
    notice: str | None = None,
) -> c.ChangeClosure:
    dates = (dates or "").strip()
    if not dates and reason is None and backup is None and notice is None:
        raise CommandError(say("closure.no_change", usage=USAGE["closure change"]))
    start = end = None
    if only_end := _ONLY_END.match(dates):  # "through Jan 4" (that day included), "until Jan 4" (back that day)
        end = _instant(only_end[2], zone, now, end_of_day=only_end[1].lower() in ("to", "through"))
    elif dates:
        span = _range(dates, zone, now)
        start, end = span.start, span.end
    if end is not None and end <= now:
        raise CommandError(say("closure.past", dates=dates))
    reason, backup = text_field("reason", reason), text_field("backup", backup)
    return c.ChangeClosure(closure_id, start, end, reason, backup, notice_days(notice))


def set_meeting(weekday: str, clock: str, minutes: int = 30) -> c.SetMeeting:
    if not 5 <= minutes <= 480:
        raise CommandError(say("meeting.not_a_length", minutes=minutes))
    return c.SetMeeting(_weekday(weekday), parse_clock_text(clock), minutes)


def skip_meeting(on: str | None, zone: ZoneInfo, now: datetime) -> c.SkipMeeting:
    return c.SkipMeeting(_instant(on, zone, now).astimezone(zone).date() if on and on.strip() else None)


def set_timezone(zone: str) -> c.SetTimezone:
    if not zone.strip():
        raise CommandError(say("commands.no_zone"))
    try:
        return c.SetTimezone(validate_zone(zone.strip()))
    except ValueError as error:
        raise CommandError(str(error)) from None


def preview(text: str, at: str | None, zone: ZoneInfo, now: datetime) -> c.Preview:
    """A preview of the reply to `text`, arriving `at` (like "friday 21:00"; now when left out)."""
    if not text.strip():
        raise CommandError(say("commands.no_preview_text", usage=USAGE["boundaries preview"]))
    when = _instant(re.sub(r"^\s*at\s+", "", at, flags=re.IGNORECASE), zone, now) if at and at.strip() else None
    return c.Preview(text.strip(), when)


def _weekday(text: str) -> int:
    word = text.lower().rstrip("s")
    for index, name in enumerate(WEEKDAYS):
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return index
    raise CommandError(say("meeting.not_a_weekday", text=text))


def parse_clock_text(text: str) -> time:
    match = _CLOCK.match(text.strip())
    if match:
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CommandError(say("meeting.not_a_time", text=text))


def _range(text: str, zone: ZoneInfo, now: datetime) -> DateRange:
    try:
        return parse_range(text, zone, now)
    except DateError as error:
        raise CommandError(str(error)) from None


def _instant(text: str, zone: ZoneInfo, now: datetime, *, end_of_day: bool = False) -> datetime:
    try:
        return parse_instant(text, zone, now, end_of_day=end_of_day)
    except DateError as error:
        raise CommandError(str(error)) from None
