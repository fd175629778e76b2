"""Closures from the owner's calendar: which events count as time off, and what an import creates, moves, cancels."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.models import Closure

DEFAULT_WORDS = ["vacation", "OOO", "out of office", "holiday", "closed", "time off"]


class ImportRule(BaseModel):
    """Which of the owner's calendar events become closures."""

    model_config = ConfigDict(extra="forbid")

    words: list[str] = Field(
        default=DEFAULT_WORDS,
        description="An event counts when its title contains one of these words (any case, whole words).",
    )
    whole_days_only: bool = Field(
        default=True, description="Only all-day or multi-day events count; false: timed events too."
    )

    def matches(self, entry: CalendarEntry) -> bool:
        if self.whole_days_only and not entry.whole_days:
            return False
        return self.mentions(entry.summary)

    def mentions(self, summary: str) -> bool:
        """Whether a title names time off, whatever the event's length: the events worth expanding at all."""
        return bool(self.words) and _pattern(tuple(self.words)).search(summary) is not None


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w.strip()) for w in sorted(words, key=len, reverse=True) if w.strip())
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class CalendarEntry:
    """One occurrence of an event in the owner's calendar: a `date` start and end for all-day events (end
    exclusive), datetimes otherwise (naive ones are floating, read in the owner's zone)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime

    @property
    def whole_days(self) -> bool:
        if not isinstance(self.start, datetime):
            return True
        return isinstance(self.end, datetime) and self.end - self.start >= timedelta(days=1)


@dataclass(frozen=True)
class SkippedEvent:
    """An event the import did not read (a rule repeating every minute, say), and why, in the owner's words."""

    uid: str
    summary: str
    reason: str

    def describe(self) -> str:
        title = " ".join(self.summary.split())[:200] or "(no title)"
        return f'"{title}" ({self.uid[:200]}) {self.reason}; it was not imported'


@dataclass(frozen=True)
class ImportPlan:
    """What an import does: closures to create, (old, new) pairs to move, closures to cancel; and the events it
    skipped, whose closures are left as they are."""

    create: list[Closure] = field(default_factory=list)
    change: list[tuple[Closure, Closure]] = field(default_factory=list)
    cancel: list[Closure] = field(default_factory=list)
    skipped: list[SkippedEvent] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.create or self.change or self.cancel)


def _instant(moment: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time(0), tzinfo=zone).astimezone(UTC)
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


def as_closure(entry: CalendarEntry, zone: ZoneInfo) -> Closure:
    reason = " ".join(entry.summary.split())[:200]
    return Closure(
        start=_instant(entry.start, zone), end=_instant(entry.end, zone), reason=reason, calendar_uid=entry.uid
    )


def plan_import(
    entries: Iterable[CalendarEntry],
    rule: ImportRule,
    zone: ZoneInfo,
    imported: Sequence[Closure],
    now: datetime,
    skipped: Sequence[SkippedEvent] = (),
) -> ImportPlan:
    """Matching events still to end become closures; an imported closure whose event moved is changed, one whose
    event is gone (or no longer matches) is cancelled. Closures not imported are never touched, nor those of an
    event that was skipped (its occurrences are unknown, not gone), nor those the owner detached from their event
    (`imported` holds those too, cancelled or not: their events make no new closure)."""
    detached = {c.calendar_uid for c in imported if c.calendar_uid and c.detached_at is not None}
    wanted: dict[str, Closure] = {}
    for entry in entries:
        if (
            entry.uid not in detached
            and rule.matches(entry)
            and (closure := as_closure(entry, zone)).end > now
            and closure.end > closure.start
        ):
            wanted.setdefault(entry.uid, closure)
    plan = ImportPlan(skipped=list(skipped))
    unread = {event.uid for event in skipped}
    known = {
        c.calendar_uid: c
        for c in imported
        if c.imported and c.cancelled_at is None and c.end > now and not _unread(c.calendar_uid or "", unread)
    }
    for uid, closure in wanted.items():
        old = known.get(uid)
        if old is None:
            plan.create.append(closure)
        elif (old.start, old.end, old.reason) != (closure.start, closure.end, closure.reason):
            plan.change.append((old, replace(old, start=closure.start, end=closure.end, reason=closure.reason)))
    plan.cancel.extend(c for uid, c in known.items() if uid not in wanted)
    return plan


def _unread(uid: str, skipped: set[str]) -> bool:
    """Whether a closure came from a skipped event (`UID` itself, or `UID#occurrence` of a repeating one)."""
    return uid in skipped or uid.rsplit("#", 1)[0] in skipped
