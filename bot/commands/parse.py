"""Turning command text ("closure add Dec 24 to Jan 2 reason: holidays") into command values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands import build
from bot.commands import types as c
from bot.commands.help import USAGE
from bot.commands.later import later_text
from bot.commands.types import CommandError
from bot.dates import DateError
from bot.models import ChannelMode
from bot.owner_words import say

_OPTION = re.compile(r"\b(reason|backup|notice):", re.IGNORECASE)
_MINUTES = re.compile(r"^(?:for\s+)?(\d{1,3})\s*(?:m|min|mins|minutes?)$", re.IGNORECASE)
_MENTION = re.compile(r"^(?:<@!?([\w-]+)(?:\|[^>]*)?>|@?([\w-]+))$")  # <@U1>, <@!1>, <@U1|sam>, U1
MAX_ID = 2**31 - 1  # the largest id the database's integer columns hold

OWNER_VERBS = {
    "closure": {"add", "now", "list", "cancel", "change", "detach", "end"},
    "meeting": {"set", "list", "skip", "clear"},
    "channel": {"client", "internal"},
    "boundaries": {"preview", "guide", "forget", "status", "promises", "calendar", "later", "hold", "move"},
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
            raise CommandError(say("commands.option_twice", option=key))
        options[key] = build.text_field(key, value) or ""
    return head, options


def parse_command(text: str, zone: ZoneInfo, now: datetime) -> c.Command:
    """Parse command text into one of bot.commands.types, or raise CommandError with what is expected."""
    group, verb, rest = split_verb(text)
    try:
        return _PARSERS[group](verb, rest, zone, now)
    except KeyError:
        raise CommandError(say("commands.unknown", command=group, commands=", ".join(sorted(_PARSERS)))) from None
    except DateError as error:
        raise CommandError(str(error)) from None


def _closure(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb in ("add", "now"):
        head, options = _options(rest)
        if verb == "add":
            return build.add_closure(head, zone, now, **options)
        if "notice" in options:
            raise CommandError(say("closure.notice_now"))
        return build.close_now(head, zone, now, **options)
    if verb == "list" and not rest:
        return c.ListClosures()
    if verb == "cancel":
        return c.CancelClosure(_closure_number(rest.strip(), "cancel"))
    if verb == "detach":
        return c.DetachClosure(_closure_number(rest.strip(), "detach"))
    if verb == "end":
        return c.EndClosure(_closure_number(rest.strip(), "end") if rest.strip() else None)
    if verb == "change":
        number, _, rest = rest.strip().partition(" ")
        closure_id = _closure_number(number, "change")
        head, options = _options(rest)
        return build.change_closure(closure_id, head, zone, now, **options)
    return _usage("closure", verb)


def _closure_number(text: str, verb: str) -> int:
    return _number(text, "closure", f"closure {verb}")


def _number(text: str, thing: str, command: str) -> int:
    number = text.lstrip("#")
    listed = {"closure": "/closure list", "message": "boundaries later"}.get(thing, "boundaries promises")
    if not number:
        raise CommandError(say("commands.no_number", command=command, thing=thing, listed=listed))
    if not (number.isascii() and number.isdigit()) or int(number) > MAX_ID:
        raise CommandError(say("commands.not_a_number", text=text, thing=thing, listed=listed, command=command))
    return int(number)


def _meeting(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    words = rest.split()
    if verb == "set":
        if len(words) < 2:
            raise CommandError(say("meeting.no_time", usage=USAGE["meeting set"]))
        duration = 30
        if len(words) > 2:
            match = _MINUTES.match(" ".join(words[2:]))
            if not match or not 5 <= int(match[1]) <= 480:
                raise CommandError(say("meeting.not_a_length_text", text=" ".join(words[2:])))
            duration = int(match[1])
        return build.set_meeting(words[0], words[1], duration)
    if verb == "list" and not rest:
        return c.ListMeetings()
    if verb == "skip":
        return build.skip_meeting(rest, zone, now)
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
        when, _, text = rest.partition("|") if "|" in rest else ("", "", rest)
        return build.preview(text, when, zone, now)
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
        command = f"boundaries promises {rest.strip()}"
        raise CommandError(say("commands.not_a_command", command=command, usage=USAGE["boundaries promises"]))
    if verb == "later":
        return _later(rest)
    if verb == "hold" and rest.strip().lower() in ("", "off"):
        return c.HoldLater(off=bool(rest.strip()))
    if verb == "move" and not rest.strip():
        return c.MoveLater()
    if verb == "calendar" and not rest:
        return c.CalendarLinks()
    if verb == "hours" and not rest:
        return c.ShowHours()
    if verb == "timezone":
        sub_verb, _, tail = rest.strip().partition(" ")
        return _timezone(sub_verb, tail, zone, now)
    return _usage("boundaries", verb)


def _later(rest: str) -> c.Command:
    if not rest.strip():
        return c.ListLater()
    sub_verb, _, number = rest.strip().partition(" ")
    if sub_verb.lower() == "cancel" and (not number or number.strip().lstrip("#").isdigit()):
        return c.CancelLater(_number(number.strip(), "message", "boundaries later cancel"))
    return later_text(rest)


def _forget(rest: str) -> c.Forget:
    words = rest.split()
    mention = _MENTION.match(words[0]) if words else None
    if mention is None or len(words) > 2 or (len(words) == 2 and words[1].lower() != "confirm"):
        raise CommandError(say("commands.forget_whom", usage=USAGE["boundaries forget"]))
    return c.Forget(mention[1] or mention[2], confirmed=len(words) == 2)


def _timezone(verb: str, rest: str, zone: ZoneInfo, now: datetime) -> c.Command:
    if verb == "set":
        return build.set_timezone(rest)
    return _usage("timezone", verb)


def _usage(group: str, verb: str) -> c.Help:
    if verb in ("", "help"):
        return c.Help(group)
    usage = "; ".join(v for k, v in USAGE.items() if k.startswith(group))
    raise CommandError(say("commands.not_a_command", command=f"{group} {verb}", usage=usage))


_PARSERS: dict[str, Callable[[str, str, ZoneInfo, datetime], c.Command]] = {
    "closure": _closure,
    "meeting": _meeting,
    "channel": _channel,
    "boundaries": _boundaries,
    "hours": lambda verb, rest, zone, now: c.ShowHours() if not verb else _usage("hours", verb),
    "timezone": _timezone,
    "help": lambda verb, rest, zone, now: c.Help(verb or None),
}
