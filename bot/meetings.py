"""Weekly meeting slots: their next occurrence, skipping skipped dates and closures."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.models import Closure, MeetingSlot

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def wall_to_instant(wall: datetime) -> datetime:
    """A local wall time (aware, fold=0) in UTC; one in a spring-forward gap moves to the gap's end."""
    for minutes in range(24 * 60):
        candidate = wall + timedelta(minutes=minutes)
        instant = candidate.astimezone(UTC)
        if instant.astimezone(wall.tzinfo).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return instant
    raise ValueError(f"{wall} has no valid local time within a day")


def local_instant(day: date, slot: MeetingSlot, zone: ZoneInfo) -> datetime:
    """The slot's start on `day` in UTC (the first of a repeated hour; past the gap of a skipped one)."""
    return wall_to_instant(datetime.combine(day, slot.local_time, tzinfo=zone))


def occurrences(slot: MeetingSlot, zone: ZoneInfo, after: datetime) -> Iterator[tuple[date, datetime]]:
    """Every (local date, start instant) of the slot starting at or after `after`, skips included."""
    day = after.astimezone(zone).date() - timedelta(days=1)
    day += timedelta(days=(slot.weekday - day.weekday()) % 7)
    while True:
        start = local_instant(day, slot, zone)
        if start >= after:
            yield day, start
        day += timedelta(days=7)


def next_meeting(
    slot: MeetingSlot,
    zone: ZoneInfo,
    now: datetime,
    closures: Sequence[Closure] = (),
    is_holiday: Callable[[date], bool] = lambda day: False,
    horizon_weeks: int = 104,
) -> datetime | None:
    """The next start that is not skipped, not on a holiday and not inside a closure."""
    for index, (day, start) in enumerate(occurrences(slot, zone, now)):
        if index >= horizon_weeks:
            return None
        if (
            day in slot.skipped_dates
            or is_holiday(day)
            or any(c.contains(start) and c.cancelled_at is None for c in closures)
        ):
            continue
        return start
    return None
