"""Each client channel's open/closed line ("Closed · back Mon 9:00 AM EST"), kept in a Slack bookmark or the Discord
channel topic: one update per channel each time the state changes, never in between."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.calendar import BusinessCalendar
from bot.messages import ChannelRef
from bot.models import Closure
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import DeliveryKey, PlannedDelivery

STATE_KIND = "channel_state"
WEEK = timedelta(days=7)
_SCAN = 60  # opening and closing instants looked at, at most, to step over short breaks


def state_line(policy: Policy, closures: Sequence[Closure], now: datetime) -> tuple[str, datetime] | None:
    """The line for `now` and when it stops being true (the key of its stretch); None when the business never opens
    again within the calendar's reach. A closed stretch shorter than `replies.short_break` (lunch) counts as open."""
    active = [c for c in closures if c.cancelled_at is None]
    calendar = policy.calendar(active)
    short = policy.replies.short_break_duration
    zone = policy.zone
    closure = next((c for c in active if c.contains(now)), None)
    opening = None if calendar.is_open(now) else calendar.next_opening(now)
    if closure is None and opening is not None:  # the evening before a closure: the stretch is the closure's
        closure = next((c for c in active if now <= c.start < opening), None)
    if opening is not None and (closure is not None or not _short(calendar, now, opening, short)):
        local = opening.astimezone(zone)
        if closure is not None and opening - now >= timedelta(days=1):
            back = say("channel_state.back_on", at=local, day=local.day)
            if closure.reason:
                return say("channel_state.closed_for", reason=closure.reason, back=back), opening
            return say("channel_state.closed", back=back), opening
        if opening - now < WEEK:
            back = say("channel_state.back_at", at=local)
        else:
            back = say("channel_state.back_later", at=local, day=local.day)
        return say("channel_state.closed", back=back), opening
    if opening is None and not calendar.is_open(now):
        return None
    ends = _long_closing(calendar, opening or now, short)
    return say("channel_state.open", turnaround=policy.turnaround), ends or now + WEEK


def _short(calendar: BusinessCalendar, now: datetime, opening: datetime, short: timedelta) -> bool:
    closed_at = calendar.previous_closing(now)
    return closed_at is not None and opening - closed_at < short


def _long_closing(calendar: BusinessCalendar, start: datetime, short: timedelta) -> datetime | None:
    """The next closing after `start` that begins a closed stretch of `short` or more."""
    at = start
    for _ in range(_SCAN):
        closing = calendar.next_closing(at)
        if closing is None:
            return None
        reopening = calendar.next_opening(closing)
        if reopening is None or reopening - closing >= short:
            return closing
        at = reopening
    return None


def state_updates(
    policy: Policy, closures: Sequence[Closure], channels: Sequence[ChannelRef], now: datetime, link: str | None
) -> list[PlannedDelivery]:
    """With `announcements.channel_state`, one update per client channel for the stretch `now` is in; the key (the
    stretch's end) makes it once per state change, whichever replica plans it."""
    line = state_line(policy, closures, now) if policy.announcements.channel_state else None
    if line is None:
        return []
    text, until = line
    data = {"link": link} if link else None
    return [
        PlannedDelivery(
            DeliveryKey(STATE_KIND, f"state:{until.isoformat()}", "", c.platform, c.workspace_id, c.channel_id),
            now,
            until,
            text,
            data=data,
        )
        for c in channels
    ]
