"""Turning command text ("closure add Dec 24 to Jan 2 reason: holidays") into command values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.commands import types as c
from bot.commands.help import USAGE
from bot.commands.types import CommandError
from bot.dates import DateError, parse_instant, parse_range
from bot.hours_policy import WEEKDAYS
from bot.models import ChannelMode
from bot.zones import validate_zone

_OPTION = re.compile(r"\b(reason|backup|notice):", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_MINUTES = re.compile(r"^(?:for\s+)?(\d{1,3})\s*(?:m|min|mins|minutes?)$", re.IGNORECASE)
_MENTION = re.compile(r"^(?:<@!?([\w-]+)(?:\|[^>]*)?>|@?([\w-]+))$")  # <@U1>, <@!1>, <@U1|sam>, U1
MAX_TEXT = 200
MAX_ID = 2**31 - 1  # the largest id the database's integer columns hold

OWNER_VERBS = {
    "closure": {"add", "now", "list", "cancel", "change", "detach"},
    "meeting": {"set", "list", "skip", "clear"},
    "channel": {"client", "internal"},
    "boundaries": {"preview", "guide", "forget", "status", "promises", "calendar"},
}


def split_verb(text: str) -> tuple[str, str, str]:
    """("closure", "add", "Dec 24 to Jan 2 ...") from the command text, lower-cased words."""
    words = text.strip().lstrip("/").split(maxsplit=2)
    group = words[0].lower() if words else "help"
    verb = words[1].lower() if len(words) > 1 else ""
    rest = words[2] if len(words) > 2 else ""
    return group, verb, rest


def is_owner_only(text: str) -> bool:
    group, verb, _ = split_verb(text)
    return verb in OWNER_VERBS.get(group, set())


def _options(rest: str) -> tuple[str, dict[str, str]]:
    pieces = _OPTION.split(rest)
    head, options = pieces[0].strip(), {}
    for key, value in zip(pieces[1::2], pieces[2::2], strict=True):
        key = key.lower()
        if key in options:
            raise CommandError(f"{key}: is given twice; give it once")
        options[key] = value.strip()
        if not options[key]:
            raise CommandError(f"{key}: is empty; write {key}: followed by the text")
        if len(options[key]) > MAX_TEXT:
            raise CommandError(f"{key}: is {len(options[key])} characters; keep it under {MAX_TEXT}")
    return head, options


def _notice(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        days = tuple(int(part.strip().removesuffix("d")) for part in text.split(","))
    except ValueError:
        raise CommandError(f'notice: "{text}" is not a list of days; use numbers of days like "14,1"') from None
    if any(d < 1 or d > 365 for d in days):
        raise CommandError(f'notice: "{text}" must be between 1 and 365 days')
    return tuple(sorted(set(days), reverse=True))


def _weekday(text: str) -> int:
    word = text.lower().rstrip("s")
    for index, name in enumerate(WEEKDAYS):
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return index
    raise CommandError(f'"{text}" is not a weekday; use a day like "tuesday" or "tue"')


def parse_clock_text(text: str) -> time:
    match = _CLOCK.match(text.strip())
    if match:
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if half:
            hour = hour % 12 + (12 if half == "pm" else 0) if 1 <= hour <= 12 else 99
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CommandError(f'"{text}" is not a time of day; use HH:MM like "10:00" or "2pm"')


def parse_command(text: str, zone: ZoneInfo, now: datetime) -> c.Command:
    """Parse command text into one of bot.commands.types, or raise CommandError with what is expected."""
    group, verb, rest = split_verb(text)
    try:
        return _PARSERS[group](verb, rest, zone, now)
    except KeyError:
        raise CommandError(f'"{group}" is not a command; use one of: {", ".join(sorted(_PARSERS))}') from None
    except DateError as error:
        raise CommandError(str(error)) from None


def _closure(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb == "add":
        head, options = _options(rest)
        if not head:
            raise CommandError("closure add needs dates; " + USAGE["closure add"])
        span = parse_range(head, zone, now)
        if span.end <= now:
            raise CommandError(f'"{head}" is entirely in the past; give dates from today on')
        return c.AddClosure(
            max(span.start, now),
            span.end,
            options.get("reason", ""),
            options.get("backup"),
            _notice(options.get("notice")),
        )
    if verb == "now":
        head, options = _options(rest)
        head = re.sub(r"^(until|till|to|through)\s+", "", head, flags=re.IGNORECASE)
        if not head:
            raise CommandError("closure now needs an end; " + USAGE["closure now"])
        until = parse_instant(head, zone, now)  # "until tomorrow": back tomorrow, at its opening
        if until <= now:
            raise CommandError(f'"{head}" is already past; give when you will be back, like "tomorrow"')
        if "notice" in options:
            raise CommandError("notice: does not apply to closure now; it is announced at once")
        return c.CloseNow(until, options.get("reason", ""), options.get("backup"))
    if verb == "list" and not rest:
        return c.ListClosures()
    if verb == "cancel":
        return c.CancelClosure(_closure_number(rest.strip(), "cancel"))
    if verb == "detach":
        return c.DetachClosure(_closure_number(rest.strip(), "detach"))
    if verb == "change":
        number, _, rest = rest.strip().partition(" ")
        closure_id = _closure_number(number, "change")
        head, options = _options(rest)
        if not head and not options:
            raise CommandError("closure change needs new dates, a reason: or a backup:; " + USAGE["closure change"])
        start = end = None
        if only_end := _ONLY_END.match(head):  # "through Jan 4" (that day included), "until Jan 4" (back that day)
            end = parse_instant(only_end[2], zone, now, end_of_day=only_end[1].lower() in ("to", "through"))
        elif head:
            dates = parse_range(head, zone, now)
            start, end = dates.start, dates.end
        if end is not None and end <= now:
            raise CommandError(f'"{head}" is entirely in the past; give dates from today on')
        return c.ChangeClosure(
            closure_id,
            start,
            end,
            options.get("reason"),
            options.get("backup"),
            _notice(options.get("notice")),
        )
    return _usage("closure", verb)


_ONLY_END = re.compile(r"(to|through|until|till)\s+(.+)", re.IGNORECASE | re.DOTALL)


def _closure_number(text: str, verb: str) -> int:
    return _number(text, "closure", f"closure {verb}")


def _number(text: str, thing: str, command: str) -> int:
    number = text.lstrip("#")
    listed = "/closure list" if thing == "closure" else "boundaries promises"
    example = f'use the # shown by {listed}, like "{command} 3"'
    if not number:
        raise CommandError(f"{command} needs the {thing}'s number; {example}")
    if not (number.isascii() and number.isdigit()) or int(number) > MAX_ID:
        raise CommandError(f'"{text}" is not a {thing} number; {example}')
    return int(number)


def _meeting(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    words = rest.split()
    if verb == "set":
        if len(words) < 2:
            raise CommandError("meeting set needs a weekday and a time; " + USAGE["meeting set"])
        duration = 30
        if len(words) > 2:
            match = _MINUTES.match(" ".join(words[2:]))
            if not match or not 5 <= int(match[1]) <= 480:
                raise CommandError(
                    f'"{" ".join(words[2:])}" is not a meeting length; use minutes from 5 to 480, like "45m"'
                )
            duration = int(match[1])
        return c.SetMeeting(_weekday(words[0]), parse_clock_text(words[1]), duration)
    if verb == "list" and not rest:
        return c.ListMeetings()
    if verb == "skip":
        return c.SkipMeeting(parse_instant(rest, zone, now).astimezone(zone).date() if rest.strip() else None)
    if verb == "clear" and not rest:
        return c.ClearMeeting()
    return _usage("meeting", verb)


def _channel(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb in ("client", "internal") and not rest:
        return c.MarkChannel(ChannelMode(verb))
    return _usage("channel", verb)


def _boundaries(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb == "preview" and rest.strip().lower() == "welcome":
        return c.PreviewWelcome()
    if verb == "preview":
        at = None
        if "|" in rest:
            when, rest = rest.split("|", 1)
            at = parse_instant(re.sub(r"^\s*at\s+", "", when, flags=re.IGNORECASE), zone, now)
        if not rest.strip():
            raise CommandError("preview needs a message; " + USAGE["boundaries preview"])
        return c.Preview(rest.strip(), at)
    if verb in ("", "help"):
        return c.Help(rest.strip() or None)
    if verb == "guide" and not rest:
        return c.PostGuide()
    if verb == "forget":
        return _forget(rest)
    if verb == "status" and not rest:
        return c.ShowStatus()
    if verb == "promises":
        sub_verb, _, number = rest.strip().partition(" ")
        if not sub_verb:
            return c.ListPromises()
        if sub_verb.lower() == "done":
            return c.PromiseDone(_number(number.strip(), "promise", "boundaries promises done"))
        raise CommandError(f'"boundaries promises {rest.strip()}" is not a command; ' + USAGE["boundaries promises"])
    if verb == "calendar" and not rest:
        return c.CalendarLinks()
    if verb == "hours" and not rest:
        return c.ShowHours()
    if verb == "timezone":
        sub_verb, _, tail = rest.strip().partition(" ")
        return _timezone(sub_verb, tail, zone, now)
    return _usage("boundaries", verb)


def _forget(rest: str) -> c.Forget:
    words = rest.split()
    mention = _MENTION.match(words[0]) if words else None
    if mention is None or len(words) > 2 or (len(words) == 2 and words[1].lower() != "confirm"):
        raise CommandError("name one client; " + USAGE["boundaries forget"])
    return c.Forget(mention[1] or mention[2], confirmed=len(words) == 2)


def _timezone(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb == "set" and not rest.strip():
        raise CommandError(
            'timezone set needs a time zone; name one like "timezone set Europe/London" '
            "(a city's IANA name: America/New_York, Asia/Tokyo)"
        )
    if verb == "set":
        try:
            return c.SetTimezone(validate_zone(rest.strip()))
        except ValueError as error:
            raise CommandError(str(error)) from None
    return _usage("timezone", verb)


def _usage(group: str, verb: str) -> c.Help:
    if verb in ("", "help"):
        return c.Help(group)
    raise CommandError(
        f'"{group} {verb}" is not a command; ' + "; ".join(v for k, v in USAGE.items() if k.startswith(group))
    )


_PARSERS: dict[str, Callable[[str, str, ZoneInfo, datetime], c.Command]] = {
    "closure": _closure,
    "meeting": _meeting,
    "channel": _channel,
    "boundaries": _boundaries,
    "hours": lambda verb, rest, zone, now: c.ShowHours() if not verb else _usage("hours", verb),
    "timezone": _timezone,
    "help": lambda verb, rest, zone, now: c.Help(verb or None),
}
