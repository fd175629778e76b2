"""Retention: how long each kind of stored client data is kept, and what is due for pruning or erasure at `now`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from bot.durations import parse_duration
from bot.owner_words import say

if TYPE_CHECKING:
    from bot.models import Closure
    from bot.policy import Policy

# The owner's digest looks back at most 7 days (to the previous digest), so what it lists must outlive that.
DIGEST_LOOKBACK = timedelta(days=7)
MAX_PERIOD = timedelta(days=3660)  # ten years: longer is no retention period
# Each key's shortest allowed value and why: shorter would break a guarantee the bot gives.
MINIMUMS = {
    "event_ids": (timedelta(hours=1), "Slack re-delivers an event for minutes and a Discord resume replays it"),
    "replies": (DIGEST_LOOKBACK + timedelta(days=1), "the owner's digest lists the replies of up to 7 days"),
    "sent_payloads": (timedelta(0), ""),
    "failed_payloads": (DIGEST_LOOKBACK + timedelta(days=1), "the owner's digest lists failed posts of up to 7 days"),
}
REPLY_KINDS = ("after_hours", "closed", "redirect")  # the throttles whose durations the reply log must outlive


class Retention(BaseModel):
    """How long the bot keeps what clients wrote and what it posted; a pruning job applies it off-peak."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_ids: str = Field(
        default="7d",
        description="How long platform event ids are kept to drop re-deliveries "
        '(at least "1h"; Slack retries for minutes).',
    )
    replies: str = Field(
        default="90d",
        description="How long the reply log keeps each automatic reply with the "
        'client\'s name, message excerpt and link (at least "8d", the '
        "digest's reach; never less than the longest throttle or the "
        "current closure needs).",
    )
    sent_payloads: str = Field(
        default="0",
        description="How long a delivered post keeps its text and data (a "
        "forwarded email's body included) after it was sent or "
        'cancelled; "0" cuts it at the next pruning pass. Keys, '
        "state and message id stay for exactly-once delivery.",
    )
    failed_payloads: str = Field(
        default="14d",
        description="How long a failed or skipped post keeps its text and "
        "data, so the owner's digest can list it (at least "
        '"8d").',
    )
    batch_size: int = Field(
        default=500, ge=10, le=10_000, description="Rows deleted or cut per short transaction by the pruning job."
    )

    @field_validator("event_ids", "replies", "sent_payloads", "failed_payloads")
    @classmethod
    def _period(cls, value: str, info: ValidationInfo) -> str:
        period = parse_duration(value)
        shortest, reason = MINIMUMS[str(info.field_name)]
        if period < shortest:
            raise ValueError(f'"{value}" is too short: {reason}; use at least "{_days_or_hours(shortest)}"')
        if period > MAX_PERIOD:
            raise ValueError(f'"{value}" is more than ten years; use at most "3660d"')
        return value

    def period(self, name: str) -> timedelta:
        """One key's period as a duration."""
        return parse_duration(getattr(self, name))


def _days_or_hours(value: timedelta) -> str:
    return f"{value.days}d" if value.days else f"{int(value.total_seconds() // 3600)}h"


@dataclass(frozen=True)
class Cutoffs:
    """What is due at `now`: rows from strictly before each instant are pruned."""

    now: datetime  # rate-limit pauses ending at or before it are deleted
    event_ids: datetime  # seen_events.seen_at
    replies: datetime  # reply_log.sent_at
    sent_payloads: datetime  # deliveries sent or cancelled, by updated_at
    failed_payloads: datetime  # deliveries failed or skipped, by updated_at
    batch: int = 500


def cutoffs(
    retention: Retention, now: datetime, *, throttles: Iterable[timedelta] = (), keep_from: Iterable[datetime] = ()
) -> Cutoffs:
    """The instants before which each kind of row is due at `now`. The reply log is never cut later than the
    longest throttle (`throttles`) or the earliest instant a decision still reads (`keep_from`, like the start of
    the closure in force), so pruning never lets a throttled reply through twice."""
    replies = now - max([retention.period("replies"), *throttles])
    replies = min([replies, *keep_from])
    return Cutoffs(
        now=now,
        event_ids=now - retention.period("event_ids"),
        replies=replies,
        sent_payloads=now - retention.period("sent_payloads"),
        failed_payloads=now - retention.period("failed_payloads"),
        batch=retention.batch_size,
    )


def policy_cutoffs(policy: Policy, closures: Iterable[Closure], now: datetime) -> Cutoffs:
    """`cutoffs` for the owner's policy: its throttles, and the start of any closure in force (a once-per-closure
    reply is throttled by what was logged since that start) or of the off-hours stretch before `now`."""
    closures = [c for c in closures if c.cancelled_at is None]
    windows = [policy.throttle.window(kind) or timedelta(0) for kind in REPLY_KINDS]
    keep = [c.start for c in closures if c.contains(now)]
    closing = policy.calendar(closures).previous_closing(now)
    if closing is not None:
        keep.append(closing)
    return cutoffs(policy.retention, now, throttles=windows, keep_from=keep)


def off_peak(policy: Policy, closures: Iterable[Closure], now: datetime) -> bool:
    """The business is closed at `now`: the quiet time to prune."""
    return not policy.calendar(list(closures)).is_open(now)


@dataclass(frozen=True)
class PruneReport:
    """How many rows one pruning pass deleted or cut, per kind."""

    event_ids: int = 0
    replies: int = 0
    payloads: int = 0
    rate_pauses: int = 0

    def __add__(self, other: PruneReport) -> PruneReport:
        return PruneReport(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class ClientRef:
    """One client by user id; platform and workspace narrow it (None: in every one)."""

    user_id: str
    platform: str | None = None
    workspace_id: str | None = None

    @classmethod
    def parse(cls, text: str) -> ClientRef:
        """ "U123", or "slack:T1:U123" (platform, workspace, user)."""
        parts = text.strip().split(":")
        if len(parts) == 1 and parts[0]:
            return cls(parts[0])
        if len(parts) == 3 and all(parts):
            return cls(parts[2], parts[0], parts[1])
        raise ValueError(say("retention.not_a_client", text=text))

    def matches(self, platform: str, workspace_id: str, user_id: str) -> bool:
        return (
            user_id == self.user_id and self.platform in (None, platform) and self.workspace_id in (None, workspace_id)
        )


@dataclass(frozen=True)
class ForgetReport:
    """What erasing one client removed (or, before confirmation, would remove)."""

    replies: int = 0  # reply-log rows: name, excerpt and link
    timezones: int = 0  # stored time zones
    pending_posts: int = 0  # posts about the client not yet out, cancelled
    payloads: int = 0  # posts about the client whose text and data were cut (keys kept)
    promises: int = 0  # answer-by promises made to the client

    @property
    def total(self) -> int:
        return self.replies + self.timezones + self.pending_posts + self.payloads + self.promises

    def describe(self) -> str:
        return say(
            "retention.erased",
            replies=self.replies,
            timezones=self.timezones,
            promises=self.promises,
            pending=self.pending_posts,
            payloads=self.payloads,
        )


@dataclass(frozen=True)
class Held:
    """How many rows of one kind of data are stored, and when the oldest of them was written (None: no rows)."""

    rows: int = 0
    oldest: datetime | None = None


HELD = {  # what each retention key keeps, as the owner reads it
    "event_ids": say("retention.event_ids"),
    "replies": say("retention.replies"),
    "sent_payloads": say("retention.sent_payloads"),
    "failed_payloads": say("retention.failed_payloads"),
}


def held_lines(retention: Retention, held: dict[str, Held], now: datetime) -> list[str]:
    """One line per kind of data: how many rows, how old the oldest is, and how long the policy keeps it."""
    lines = []
    for name, what in HELD.items():
        found = held.get(name, Held())
        kept = getattr(retention, name)
        if found.oldest is None:
            lines.append(say("retention.held", what=what, rows=found.rows, kept=kept))
        else:
            age = _age(now - found.oldest)
            lines.append(say("retention.held_oldest", what=what, rows=found.rows, age=age, kept=kept))
    return lines


def _age(delta: timedelta) -> str:
    if delta >= timedelta(days=2):
        return say("retention.days", count=delta.days)
    if delta >= timedelta(hours=2):
        return say("retention.hours", count=int(delta.total_seconds() // 3600))
    return say("retention.minutes", count=max(0, int(delta.total_seconds() // 60)))


class Retaining(Protocol):
    """What a store offers for retention and erasure (the SQL store and the memory store both do)."""

    async def prune(self, due: Cutoffs, *, max_batches: int = 100) -> PruneReport:
        """Delete or cut what `due` says, in batches of `due.batch` rows, each its own short transaction."""

    async def forget_client(self, client: ClientRef, now: datetime, *, dry_run: bool = False) -> ForgetReport:
        """Erase the client's personal data, keeping only what exactly-once delivery needs; with `dry_run`,
        count what would go and change nothing."""

    async def held(self) -> dict[str, Held]:
        """For each retention key (`HELD`), the rows it governs that are stored now and the oldest one's time."""

    async def workspace_left(self, platform: str, workspace_id: str, now: datetime) -> None:
        """The app was uninstalled from this workspace now (its tokens are already gone)."""

    async def workspace_back(self, platform: str, workspace_id: str) -> None:
        """The app was installed in this workspace again: nothing of it is to be erased."""

    async def erase_departed(self, left_before: datetime, now: datetime) -> int:
        """Erase every client's data (as `forget_client` does) in the workspaces left before `left_before`, and
        forget those departures; the number of workspaces erased."""
