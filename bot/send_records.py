"""What the sender records after an attempt: sent, back to the queue, unknown (to be looked up), or failed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.outbound import PostError
from bot.queue import Delivery, DeliveryQueue

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    """What one sending pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    unknown: int = 0


@dataclass
class Records:
    """The queue updates for a row whose attempt did not post it, with the backoff and the retry limit."""

    queue: DeliveryQueue
    clock: Callable[[], datetime]
    retry_limit: int
    base_backoff: float
    max_backoff: float
    lost: Callable[[Delivery], Awaitable[None]] | None = None  # told of every row that failed for good

    async def failed(self, delivery: Delivery, error: str, now: datetime) -> None:
        await self.queue.mark_failed(delivery.id, error, now)
        await self.tell_lost(delivery)

    async def tell_lost(self, delivery: Delivery) -> None:
        if self.lost is not None:
            try:
                await self.lost(delivery)
            except Exception:  # the row's state is recorded; what the hook does on top is best effort
                log.exception("after delivery %s was lost", delivery.key.token())

    async def give_up_for_now(self, delivery: Delivery, error: PostError, report: SendReport) -> None:
        if error.permanent:
            await self.failed(delivery, str(error), self.clock())
            log.warning("delivery %s failed for good: %s", delivery.key.token(), error)
            report.failed += 1
        elif error.unknown:
            await self.still_unknown(delivery, str(error), None, report)
        else:
            await self.retry_or_fail(delivery, str(error), error.retry_after, report)

    def backoff(self, delivery: Delivery, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return min(self.max_backoff, self.base_backoff * 2.0 ** (delivery.attempts - 1))

    async def still_unknown(
        self, delivery: Delivery, error: str, retry_after: float | None, report: SendReport
    ) -> None:
        """Leave the row unknown, to be looked up later; past its moment or the retry limit it fails instead."""
        now = self.clock()
        if delivery.attempts >= self.retry_limit or now >= delivery.expires_at:
            await self.failed(delivery, f"whether it was posted stayed unknown: {error}", now)
            log.warning("delivery %s: whether it was posted stayed unknown: %s", delivery.key.token(), error)
            report.failed += 1
            return
        await self.queue.mark_unknown(
            delivery.id, now + timedelta(seconds=self.backoff(delivery, retry_after)), error, now
        )
        report.unknown += 1

    async def retry_or_fail(
        self, delivery: Delivery, error: str, retry_after: float | None, report: SendReport, *, count: bool = True
    ) -> None:
        """Back to the queue for a later attempt; after `retry_limit` attempts that failed (`count`), failed."""
        now = self.clock()
        if count and delivery.attempts >= self.retry_limit:
            await self.failed(delivery, f"gave up after {delivery.attempts} attempts: {error}", now)
            report.failed += 1
            return
        next_attempt = now + timedelta(seconds=self.backoff(delivery, retry_after))
        await self.queue.mark_retry(delivery.id, next_attempt, error, now)
        report.retried += 1
