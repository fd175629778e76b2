"""Autocomplete for slash-command options: IANA time zones, dates with a live preview, times of day, closures."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.commands import CommandError
from bot.commands.build import parse_clock_text
from bot.dates import DateError, parse_instant, parse_range
from bot.models import Closure
from bot.service import BoundaryService

log = logging.getLogger(__name__)
FIRST_READ_WITHIN = 1.5  # the first read of the closures; later ones answer from memory at once
MAX_CHOICES = 25  # Discord shows at most 25 suggestions
MAX_CHARS = 100  # and each name and string value is at most 100 characters
COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)
RANGE_EXAMPLES = ("tomorrow", "next friday", "Dec 24 to Jan 2", "next monday 13:00 to 17:00")
INSTANT_EXAMPLES = ("tomorrow", "next monday", "friday 17:00", "Jan 4")


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones() | {"UTC"}))


def zone_suggestions(current: str, preferred: str | None = None) -> list[str]:
    """IANA names matching what was typed ("new york", "london", "europe/"), best matches first."""
    query = current.strip().lower().replace(" ", "_")
    if not query:
        first = [preferred] if preferred else []
        return (first + [z for z in COMMON_ZONES if z != preferred])[:MAX_CHOICES]

    def rank(name: str) -> int | None:
        lowered, city = name.lower(), name.rsplit("/", 1)[-1].lower()
        if lowered == query:
            return 0
        if city.startswith(query):
            return 1
        if lowered.startswith(query):
            return 2
        if query in lowered:
            return 3
        return None

    ranked = sorted((r, name) for name in zone_names() if (r := rank(name)) is not None)
    return [name for _, name in ranked[:MAX_CHOICES]]


def _short(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%a} {local:%b} {local.day}, {local:%H:%M}"


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def date_suggestions(current: str, zone: ZoneInfo, now: datetime, *, kind: str = "range") -> list[tuple[str, str]]:
    """(name, value) pairs: what was typed with how it reads ("Dec 24 to Jan 2 → Thu Dec 24, 00:00 until ..."),
    or examples when nothing is typed yet. kind is "range" (closure dates), "until" (an end) or "instant"."""
    typed = current.strip()
    if len(typed) > MAX_CHARS:
        return []
    texts = [typed] if typed else list(RANGE_EXAMPLES if kind == "range" else INSTANT_EXAMPLES)
    suggestions = []
    for text in texts:
        try:
            if kind == "range":
                span = parse_range(text, zone, now)
                preview = f"{_short(span.start, zone)} until {_short(span.end, zone)}"
            else:
                preview = _short(parse_instant(text, zone, now), zone)
        except DateError as error:
            preview = f"not understood: {error}"
        suggestions.append((_fit(f"{text} → {preview}"), text))
    return suggestions


def time_suggestions(current: str) -> list[str]:
    """Times of day ("10:00"): the typed one when it reads as a time, else half hours matching what was typed."""
    typed = current.strip()
    try:
        exact = [f"{parse_clock_text(typed):%H:%M}"] if typed else []
    except CommandError:
        exact = []
    halves = [f"{h:02d}:{m:02d}" for h in range(7, 21) for m in (0, 30)]
    matching = [t for t in halves if t.startswith(typed) or t.lstrip("0").startswith(typed)]
    return list(dict.fromkeys(exact + matching))[:MAX_CHOICES]


class ClosuresToCome:
    """The closures to come, kept in memory for autocomplete, which Discord drops after 3 seconds and which cannot
    be deferred: read again in the background after every command and whenever suggestions are asked for."""

    def __init__(self, service: BoundaryService) -> None:
        self.service = service
        self.closures: list[Closure] = []
        self._loading: asyncio.Future[None] | None = None
        self._loaded = False

    def refresh(self) -> None:
        if self._loading is None or self._loading.done():
            self._loading = asyncio.ensure_future(self._load())

    async def _load(self) -> None:
        try:
            self.closures = await self.service.store.list_closures(ending_after=self.service.clock())
            self._loaded = True
        except Exception:
            log.warning("could not read the closures for autocomplete", exc_info=True)

    async def current(self) -> list[Closure]:
        """What is remembered now (waiting a moment the first time), and a fresh read started for next time."""
        self.refresh()
        if not self._loaded and self._loading is not None:
            await asyncio.wait({self._loading}, timeout=FIRST_READ_WITHIN)
        return self.closures
