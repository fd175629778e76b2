"""Delivery rows: what the planner queues and the sender claims, and the queue contract storage implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.messages import ChannelRef


class DeliveryState(StrEnum):
    """pending -> in_flight (leased) -> sent | failed | skipped | cancelled; unknown when a request may have
    reached the platform but no answer came back (it is looked up, never posted blindly again)."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    UNKNOWN = "unknown"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


UNFINISHED = (DeliveryState.PENDING, DeliveryState.IN_FLIGHT, DeliveryState.UNKNOWN)
WHOLE_WORKSPACE = ""  # a rate-limit pause's channel for a workspace-wide pause
LOOKUPS = "~lookups"  # a rate-limit pause's channel for the history lookups that settle unknown outcomes


class Start(StrEnum):
    """What `begin_post` found: go ahead, the row is no longer this worker's, or a rate-limit pause is on."""

    GO = "go"
    LOST = "lost"
    PAUSED = "paused"


@dataclass(frozen=True)
class Pause:
    """A 429's Retry-After, shared by every replica through the database."""

    platform: str
    workspace_id: str
    channel_id: str  # WHOLE_WORKSPACE, LOOKUPS or one channel
    until: datetime


@dataclass(frozen=True)
class DeliveryKey:
    """What makes a delivery unique: planning it twice, or in two processes, yields one row."""

    kind: str
    subject_id: str
    occurrence: str
    platform: str
    workspace_id: str
    channel_id: str

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef(self.platform, self.workspace_id, self.channel_id)

    def token(self) -> str:
        """A stable idempotency token for the platforms (message metadata, nonce)."""
        return "|".join(
            (self.kind, self.subject_id, self.occurrence, self.platform, self.workspace_id, self.channel_id)
        )


@dataclass(frozen=True)
class PlannedDelivery:
    """A message that is due: to a channel, or (direct=True) to a user as a direct message."""

    key: DeliveryKey
    due_at: datetime
    expires_at: datetime
    text: str
    direct: bool = False
    data: Mapping[str, str] | None = field(default=None, hash=False)  # extra facts a kind needs (email forwards)


@dataclass(frozen=True)
class Delivery:
    """A stored delivery row as the sender sees it."""

    id: int
    key: DeliveryKey
    due_at: datetime
    expires_at: datetime
    text: str
    direct: bool
    state: DeliveryState
    attempts: int
    platform_message_id: str | None = None
    last_error: str | None = None
    outcome_unknown: bool = field(default=False)  # an earlier request may have posted it: look before posting
    data: Mapping[str, str] | None = field(default=None, hash=False)


class DeliveryQueue(Protocol):
    """The deliveries table; every method is one transaction."""

    async def enqueue(
        self, planned: Sequence[PlannedDelivery], now: datetime, *, skipped_reason: str | None = None
    ) -> list[PlannedDelivery]:
        """Insert the rows that are absent (by key), as skipped when a reason is given; return the new ones."""

    async def claim(
        self, now: datetime, worker: str, lease: timedelta, limit: int, *, to_look_up: int | None = None
    ) -> list[Delivery]:
        """Lease due rows: pending and unknown ones, and in-flight ones whose lease ran out; at most `to_look_up`
        whose request may have gone out (they need a lookup, which is slow). Only the first unfinished row of a
        channel (in planned order) is due, and none under a rate-limit pause."""

    async def renew(self, worker: str, delivery_ids: Sequence[int], until: datetime) -> set[int]:
        """Extend this worker's leases (the heartbeat); return the ids it still holds."""

    async def begin_post(self, delivery_id: int, worker: str, now: datetime) -> tuple[Start, datetime | None]:
        """Record that the request is about to go out, if the row is still this worker's and no pause is on
        (GO); LOST when it was cancelled or re-leased; PAUSED with the pause's end."""

    async def pause(self, pause: Pause, *, refused: int | None = None) -> None:
        """Store a rate-limit pause (the later end wins); with `refused`, that delivery's request was the one
        refused, so it is known not to have been posted."""

    async def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None: ...

    async def mark_retry(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        """The platform did not take the post (a 429, a refused connection): pending again, posted without a look."""

    async def mark_unknown(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None:
        """The post may have gone out: look for it (at `next_attempt_at` or later) before posting again."""

    async def mark_failed(self, delivery_id: int, error: str, now: datetime) -> None: ...

    async def settle_live(
        self,
        key: DeliveryKey,
        owner: str,
        now: datetime,
        *,
        sent: str | None = None,
        failed: str | None = None,
        unknown: str | None = None,
    ) -> bool:
        """Record how the deciding process's own post of a live reply ended (sent with its message id, failed for
        good, or unknown: the sender looks it up), if the row is still leased to `owner`; False when it was not."""

    async def mark_skipped(self, delivery_id: int, reason: str, now: datetime) -> None: ...

    async def cancel_pending(self, delivery_id: int, kind: str, now: datetime) -> bool:
        """Cancel a row of `kind` that nobody has started to post; False when there is none (already out, or
        under way, or of another kind)."""

    async def count_by_state(self) -> dict[DeliveryState, int]:
        """How many deliveries are in each state."""

    async def sent_to(self, kinds: Sequence[str], subjects: Sequence[str]) -> set[tuple[str, ChannelRef]]:
        """(subject id, channel) of every delivery of these kinds about these subjects that was sent, or may have
        been (its request was out when it was cancelled). Asked about the subjects at hand only, it stays as cheap
        with years of history as on the first day."""

    async def list_deliveries(
        self,
        *,
        kinds: Sequence[str] = (),
        states: Sequence[DeliveryState] = (),
        updated_since: datetime | None = None,
        channel: ChannelRef | None = None,
    ) -> list[Delivery]:
        """Rows by kind, state, last change and (`channel`: its key's platform, workspace and channel), in due order."""


def by_channel(batch: Sequence[Delivery]) -> list[list[Delivery]]:
    """The rows of a batch grouped by channel, each group in the batch's order."""
    groups: dict[ChannelRef, list[Delivery]] = {}
    for delivery in batch:
        groups.setdefault(delivery.key.channel, []).append(delivery)
    return list(groups.values())
