"""Promises: each automatic reply that states an answer-by time, kept when the owner answers first, broken if not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.messages import ChannelRef, IncomingMessage
from bot.timefmt import format_instant


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


def promise_lines(promises: Sequence[Promise], now: datetime, zone: ZoneInfo) -> list[str]:
    """One line per promise, soonest due first: "#3 Sam in slack:T1:C1, due tomorrow (…) at 4:00 PM EST (overdue)"."""
    lines = []
    for promise in sorted(promises, key=lambda p: (p.due_at, p.id or 0)):
        due = format_instant(promise.due_at, now, zone, client_zone_known=True).removesuffix(" (your time)")
        late = " (overdue)" if promise.state(now) is PromiseState.BROKEN else ""
        who = promise.client_name or promise.client_id
        link = f" {promise.permalink}" if promise.permalink else ""
        lines.append(f"#{promise.id} {who} in {promise.channel}, due {due}{late}{link}")
    return lines
