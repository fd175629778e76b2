"""Promises: each automatic reply that states an answer-by time, kept when the owner answers first, broken if not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.calendar import BusinessCalendar
from bot.messages import ChannelRef, IncomingMessage
from bot.owner_words import say
from bot.timefmt import format_instant
from bot.turnaround import Turnaround

SLACK_CHECKS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})
UNICODE_CHECKS = frozenset({"\u2705", "\u2714", "\u2611"})  # ✅ ✔ ☑


def is_check_mark(emoji: str) -> bool:
    """A check-mark reaction: a Slack emoji name, or the Unicode character (with or without its variation selector)."""
    name = emoji.strip(":")
    return name in SLACK_CHECKS or name.replace("\ufe0f", "") in UNICODE_CHECKS


class PromiseState(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class Promise:
    """ "You can expect an answer by …", told to a client about one message; `answered_at`: when the owner or the
    team answered in that channel (or the owner marked it done), None while nobody has."""

    channel: ChannelRef
    client_id: str
    message_id: str
    due_at: datetime
    rule: str  # the turnaround behind it, like "1 business day"
    created_at: datetime
    client_name: str = ""
    permalink: str | None = None
    answered_at: datetime | None = None
    id: int | None = None

    @property
    def place(self) -> tuple[str, str]:
        """(platform, workspace): whose owners hear of it."""
        return self.channel.platform, self.channel.workspace_id

    def state(self, now: datetime) -> PromiseState:
        if self.answered_at is not None:
            return PromiseState.KEPT if self.answered_at <= self.due_at else PromiseState.BROKEN
        return PromiseState.BROKEN if now >= self.due_at else PromiseState.OPEN


def promise_for(message: IncomingMessage, due_at: datetime, rule: str, now: datetime) -> Promise:
    """The promise an automatic reply to `message` makes when it names `due_at`."""
    return Promise(
        channel=message.channel,
        client_id=message.author_id,
        message_id=message.message_id,
        due_at=due_at,
        rule=rule,
        created_at=now,
        client_name=message.author_name,
        permalink=message.permalink,
    )


def moved(promises: Sequence[Promise], calendar: BusinessCalendar) -> list[Promise]:
    """The unanswered promises whose answer-by time the calendar now puts later (a closure added since the reply),
    with that time; a promise never moves earlier: the client was told the time it has."""
    later = []
    for promise in promises:
        if promise.answered_at is not None:
            continue
        due = calendar.reply_by(promise.created_at, Turnaround.parse(promise.rule))
        if due > promise.due_at:
            later.append(replace(promise, due_at=due))
    return later


def promise_lines(promises: Sequence[Promise], now: datetime, zone: ZoneInfo) -> list[str]:
    """One line per promise, soonest due first: "#3 Sam in slack:T1:C1, due tomorrow (…) at 4:00 PM EST (overdue)"."""
    lines = []
    for promise in sorted(promises, key=lambda p: (p.due_at, p.id or 0)):
        due = format_instant(promise.due_at, now, zone, client_zone_known=True).removesuffix(" (your time)")
        line = say(
            "promises.listed_overdue" if promise.state(now) is PromiseState.BROKEN else "promises.listed",
            id=promise.id,
            client=promise.client_name or promise.client_id,
            channel=promise.channel,
            due=due,
            link=say("common.with_link", link=promise.permalink) if promise.permalink else "",
        )
        lines.append(line)
    return lines


def week_line(answered: Sequence[Promise], calendar: BusinessCalendar) -> str | None:
    """ "Last 7 days: 4 of 5 promise(s) kept on time; typical time to answer 3.5 opening hour(s)", from the promises
    answered in those days (the typical time is the median of the opening hours each one waited)."""
    done = [p for p in answered if p.answered_at is not None]
    if not done:
        return None
    kept = sum(p.answered_at <= p.due_at for p in done if p.answered_at is not None)
    median = _median_wait(done, calendar) / timedelta(hours=1)
    return say("promises.week", kept=kept, answered=len(done), median=median)


def _open_time(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    return sum((b - a for a, b in calendar.open_intervals(start, end)), timedelta(0))


TYPICAL_AFTER = 5  # answered promises before a typical time is quoted
TYPICAL_DAYS = 30


def typical_answer(answered: Sequence[Promise], calendar: BusinessCalendar) -> timedelta | None:
    """The median opening time the answered promises waited, once there are TYPICAL_AFTER of them; else None."""
    done = [p for p in answered if p.answered_at is not None]
    return _median_wait(done, calendar) if len(done) >= TYPICAL_AFTER else None


def _median_wait(answered: Sequence[Promise], calendar: BusinessCalendar) -> timedelta:
    waits = sorted(_open_time(calendar, p.created_at, p.answered_at) for p in answered if p.answered_at is not None)
    middle = len(waits) // 2
    return waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
