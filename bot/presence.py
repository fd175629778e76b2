"""What the owner's presence says at an instant: closed until a closure ends, or open with the turnaround."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

from bot.models import Closure
from bot.policy import Policy
from bot.timefmt import clock_time, short_date

CLOSED_EMOJI = ":palm_tree:"  # 🌴, the Slack status emoji while closed
CLOSED_PREFIX = "Closed until "
SNOOZE_LIMIT = timedelta(hours=24)  # one snooze at most this long (Slack refuses too long a num_minutes) ...
RENEW_EVERY = timedelta(hours=12)  # ... so, while closed, the presence is applied again this often


@dataclass(frozen=True)
class Presence:
    """The presence the owner and the bot should show: `closed_until` is the end of the closures in effect (None
    when open), `text` the line to show, like "Closed until Mon, Jan 4" or "Open · answers within 1 business day"."""

    text: str
    closed_until: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.closed_until is not None

    def snooze_minutes(self, now: datetime) -> int:
        """Minutes of notifications snoozed from `now`: to the closure's end, at most SNOOZE_LIMIT, at least 1."""
        if self.closed_until is None:
            return 0
        left = min(self.closed_until - now, SNOOZE_LIMIT)
        return max(1, math.ceil(left.total_seconds() / 60))


@dataclass(frozen=True)
class Applied:
    """A presence as it was last shown somewhere, and when."""

    presence: Presence
    at: datetime


class PresenceTarget(Protocol):
    """Where a presence is shown (the owner's Slack status, the Discord bot's own presence)."""

    platform: str

    async def show(self, presence: Presence, now: datetime) -> None:
        """Show `presence`; raises when the platform refused it (tried again at the next pass)."""


def closed_until(closures: Sequence[Closure], now: datetime) -> datetime | None:
    """The end of the closure in effect at `now`, carried on through closures that overlap it or begin as it ends;
    None when no closure is in effect."""
    live = sorted((c for c in closures if c.cancelled_at is None and c.end > now), key=lambda c: c.start)
    end = max((c.end for c in live if c.contains(now)), default=None)
    if end is None:
        return None
    for closure in live:
        if closure.start <= end < closure.end:
            end = closure.end
    return end


def presence_at(policy: Policy, closures: Sequence[Closure], now: datetime) -> Presence:
    """The presence at `now`: "Closed until Mon, Jan 4" (with the time when the closure ends during a day, in the
    owner's zone) while a closure is in effect, else "Open · answers within" the policy's turnaround."""
    end = closed_until(closures, now)
    if end is None:
        return Presence(f"Open · answers within {policy.turnaround_rule}")
    local = end.astimezone(policy.zone)
    day = short_date(local, now)
    return Presence(CLOSED_PREFIX + (day if local.time() == time(0) else f"{day}, {clock_time(local)}"), end)


def due(wanted: Presence, applied: Applied | None, now: datetime) -> bool:
    """Whether to show `wanted` now: when nothing was shown yet (a start), when it changed (a closure began, ended
    or moved), and every RENEW_EVERY while closed, so a snooze of at most a day lasts the whole closure."""
    if applied is None or applied.presence != wanted:
        return True
    return wanted.closed and now - applied.at >= RENEW_EVERY


def is_closed_status(text: str, emoji: str) -> bool:
    """Whether a Slack status is one this bot set (so it may clear it): the palm tree and "Closed until ..."."""
    return emoji == CLOSED_EMOJI and text.startswith(CLOSED_PREFIX)
