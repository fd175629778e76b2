"""The words the core puts into a reply besides the owner's templates (times, "by appointment"), in each template language."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from bot.timefmt import format_instant as format_english
from bot.timefmt import year_note


class Words(NamedTuple):
    today: str
    tomorrow: str
    at: str  # before the clock: "a las", "à"
    your_time: str
    zone_time: str  # with {zone}
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    date: str  # with {weekday}, {day}, {month}
    appointment: str
    next_meeting: str  # "next", before the next meeting slot
    reopening: str  # when no opening is known
    planned: str  # a closure's default reason
    unexpected: str
    there: str  # the client, when the platform gives no name
    units: tuple[str, str, str, str]  # business hour, hours, day, days
    year: str = " {year}"  # after the date, for a date in another year
    lately: str = "lately about {hours} opening hours"  # after the turnaround, when the policy quotes it


def _load() -> dict[str, Words]:
    """The tables of bot/reply_words.toml, lists as tuples; a missing key is an error at import, not in a reply."""
    tables = tomllib.loads((Path(__file__).parent / "reply_words.toml").read_text(encoding="utf-8"))
    loaded = {}
    for lang, table in tables.items():
        values: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value for key, value in table.items()
        }
        loaded[lang] = Words(**{"weekdays": (), "months": (), "date": "", **values})
    return loaded


WORDS = _load()  # the other template languages, by code
ENGLISH = WORDS.pop("en")


def words(lang: str) -> Words:
    return WORDS.get(lang, ENGLISH)


def format_instant(lang: str, at: datetime, now: datetime, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """Like bot.timefmt.format_instant, in `lang`: "mañana (martes, 24 nov.) a las 9:00 EST (hora de America/New_York)"."""
    if lang not in WORDS:
        return format_english(at, now, zone, client_zone_known=client_zone_known)
    w = WORDS[lang]
    local = at.astimezone(zone)
    date = w.date.format(weekday=w.weekdays[local.weekday()], day=local.day, month=w.months[local.month - 1])
    if year_note(local, now):
        date += w.year.format(year=local.year)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    day = w.today if days_ahead == 0 else f"{w.tomorrow} ({date})" if days_ahead == 1 else date
    abbreviation = local.tzname() or ""
    abbreviation = f"UTC{abbreviation}" if abbreviation[:1] in "+-" else abbreviation
    clock = f"{local.hour}:{local.minute:02d} {abbreviation}".rstrip()
    whose = w.your_time if client_zone_known else w.zone_time.format(zone=zone.key)
    return f"{day} {w.at} {clock} ({whose})"


def zone_note(lang: str, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """What format_instant adds after each time to name its zone: " (your time)", " (America/New_York time)"."""
    w = words(lang)
    return f" ({w.your_time if client_zone_known else w.zone_time.format(zone=zone.key)})"


def name_zone_once(text: str, note: str) -> str:
    """`text` with the zone note kept after its first time only."""
    first = text.find(note)
    if first < 0:
        return text
    cut = first + len(note)
    return text[:cut] + text[cut:].replace(note, "")


def turnaround(lang: str, amount: int, unit: str) -> str:
    """ "1 business day" in `lang`: "1 día hábil", "2 jours ouvrés"."""
    index = (0 if unit == "hours" else 2) + (amount != 1)
    return f"{amount} {words(lang).units[index]}"
