"""Delivery rows: what the planner queues and the sender claims, and the queue contract storage implements."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.messages import ChannelRef


class DeliveryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


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
        return "|".join((self.kind, self.subject_id, self.occurrence, self.platform, self.workspace_id, self.channel_id))


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
    outcome_unknown: bool = field(default=False)
    data: Mapping[str, str] | None = field(default=None, hash=False)


class DeliveryQueue(Protocol):
    """The deliveries table; every method is one transaction."""

    async def enqueue(self, planned: Sequence[PlannedDelivery], now: datetime, *,
                      skipped_reason: str | None = None) -> list[PlannedDelivery]:
        """Insert the rows that are absent (by key), as skipped when a reason is given; return the new ones."""

    async def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> list[Delivery]:
        """Lease due pending rows, and in-flight rows whose lease ran out (outcome_unknown=True)."""

    async def mark_sent(self, delivery_id: int, message_id: str, now: datetime) -> None: ...

    async def mark_retry(self, delivery_id: int, next_attempt_at: datetime, error: str, now: datetime) -> None: ...

    async def mark_failed(self, delivery_id: int, error: str, now: datetime) -> None: ...

    async def mark_skipped(self, delivery_id: int, reason: str, now: datetime) -> None: ...

    async def count_by_state(self) -> dict[DeliveryState, int]:
        """How many deliveries are in each state."""

    async def sent_subjects(self, kinds: Sequence[str]) -> set[str]:
        """Subject ids with at least one sent delivery of these kinds."""

    async def list_deliveries(self, *, kinds: Sequence[str] = (), states: Sequence[DeliveryState] = (),
                              updated_since: datetime | None = None) -> list[Delivery]: ...
