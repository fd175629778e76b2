"""The business's calendar feed as plain event records: closures, days off, opening hours and a meeting slot."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.hours_policy import WEEKDAYS
from bot.meetings import occurrences
from bot.models import Closure, MeetingSlot
from bot.owner_words import say
from bot.policy import Policy

FEED_DAYS = 366
UID_DOMAIN = "boundary-bot"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class FeedEvent:
    """One calendar event. A `date` start and end make an all-day event; datetimes are aware, in the owner's zone.
    `end` is exclusive. A weekly event repeats `count` times from `start`, except at the starts in `skipped`."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    description: str = ""
    count: int = 1
    skipped: tuple[datetime, ...] = ()
    busy: bool = True


def _live(closures: Iterable[Closure]) -> list[Closure]:
    return [c for c in closures if c.cancelled_at is None]


def closure_event(closure: Closure, zone: ZoneInfo) -> FeedEvent:
    """All-day when the closure runs from a local midnight to a local midnight, timed otherwise."""
    start, end = closure.start.astimezone(zone), closure.end.astimezone(zone)
    whole_days = start.time() == time(0) and end.time() == time(0)
    reason = closure.reason.strip()
    return FeedEvent(
        uid=f"closure-{closure.id}@{UID_DOMAIN}",
        summary=say("calendar.feed_closed_for", reason=reason) if reason else say("calendar.feed_closed"),
        start=start.date() if whole_days else start,
        end=end.date() if whole_days else end,
        description=reason,
    )


def day_off_events(policy: Policy, first: date, days: int) -> Iterator[FeedEvent]:
    """Public holidays and the owner's own days off from the policy, one all-day event each."""
    for offset in range(days):
        day = first + timedelta(days=offset)
        if (name := policy.holiday_name(day)) is not None:
            yield FeedEvent(
                uid=f"day-off-{day.isoformat()}@{UID_DOMAIN}",
                summary=say("calendar.feed_closed_for", reason=name),
                start=day,
                end=day + _DAY,
            )


def _cancelled(
    starts: Iterable[tuple[date, datetime]], policy: Policy, closures: Sequence[Closure]
) -> Iterator[datetime]:
    for day, start in starts:
        if policy.is_holiday(day) or any(c.contains(start) for c in closures):
            yield start


def hours_events(policy: Policy, closures: Sequence[Closure], now: datetime, weeks: int) -> Iterator[FeedEvent]:
    """Each opening block as a weekly event from this week on; holidays and closures cancel its occurrences."""
    zone, today = policy.zone, now.astimezone(policy.zone).date()
    for weekday, blocks in policy.hours.weekly().items():
        first = today + timedelta(days=(weekday - today.weekday()) % 7)
        for index, (opens, closes) in enumerate(blocks):
            start = datetime.combine(first, opens, tzinfo=zone)
            end = datetime.combine(first + _DAY if closes <= opens else first, closes, tzinfo=zone)
            starts = [(first + timedelta(weeks=n), start + timedelta(weeks=n)) for n in range(weeks)]
            yield FeedEvent(
                uid=f"hours-{WEEKDAYS[weekday]}-{index + 1}@{UID_DOMAIN}",
                summary="Open",
                start=start,
                end=end,
                count=weeks,
                skipped=tuple(_cancelled(starts, policy, closures)),
                busy=False,
            )


def meeting_event(
    policy: Policy, slot: MeetingSlot, closures: Sequence[Closure], now: datetime, weeks: int
) -> FeedEvent:
    """The channel's weekly meeting from its next occurrence on; skipped weeks, holidays and closures cancel one."""
    zone = policy.zone
    walls = [
        (day, datetime.combine(day, slot.local_time, tzinfo=zone))
        for day, _ in _take(occurrences(slot, zone, now), weeks)
    ]
    skipped = {day for day, _ in walls if day in slot.skipped_dates}
    cancelled = set(_cancelled(walls, policy, closures))
    start = walls[0][1]
    channel = slot.channel
    return FeedEvent(
        uid=f"meeting-{channel.platform}-{channel.workspace_id}-{channel.channel_id}@{UID_DOMAIN}",
        summary="Weekly meeting",
        start=start,
        end=start + timedelta(minutes=slot.duration_minutes),
        description="Our regular weekly meeting: the place for calls.",
        count=weeks,
        skipped=tuple(wall for day, wall in walls if day in skipped or wall in cancelled),
    )


def _take(items: Iterator[tuple[date, datetime]], n: int) -> list[tuple[date, datetime]]:
    return [item for _, item in zip(range(n), items, strict=False)]


def business_feed(
    policy: Policy,
    closures: Iterable[Closure],
    now: datetime,
    *,
    slot: MeetingSlot | None = None,
    hours: bool = False,
    days: int = FEED_DAYS,
) -> list[FeedEvent]:
    """Upcoming closures and days off within `days`, optionally the opening hours, and a channel's meeting slot."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    zone, horizon = policy.zone, now + timedelta(days=days)
    live = [c for c in _live(closures) if c.end > now and c.start < horizon]
    events = [closure_event(c, zone) for c in sorted(live, key=lambda c: (c.start, c.id or 0))]
    events += day_off_events(policy, now.astimezone(zone).date(), days)
    weeks = max(1, days // 7)
    if hours:
        events += hours_events(policy, live, now, weeks)
    if slot is not None:
        events.append(meeting_event(policy, slot, live, now, weeks))
    return events
