"""The sender: claims due deliveries, posts them through the platform posters, retries, never posts twice."""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.outbound import Post, PostError, Poster
from bot.queue import Delivery, DeliveryQueue

log = logging.getLogger(__name__)

PACING_SECONDS = {"slack": 1.0}  # Slack allows about one message per second per channel


@dataclass
class SendReport:
    """What one sending pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0


@dataclass
class Sender:
    """One worker; several may share a PostgreSQL queue (each row is leased to one worker at a time)."""

    queue: DeliveryQueue
    posters: Mapping[str, Poster]
    clock: Callable[[], datetime]
    retry_limit: int = 8
    lease: timedelta = timedelta(minutes=2)
    batch: int = 50
    base_backoff: float = 2.0
    max_backoff: float = 600.0
    worker: str = field(default_factory=lambda: f"sender-{uuid.uuid4().hex[:8]}")
    pacing: Mapping[str, float] = field(default_factory=lambda: dict(PACING_SECONDS))
    _last_post: dict[tuple, float] = field(default_factory=dict)
    on_sent: Callable[[Delivery], None] | None = None
    on_error: Callable[[Delivery, PostError], None] | None = None

    async def run_once(self) -> SendReport:
        """Claim and handle due deliveries until none are due."""
        report = SendReport()
        while batch := await self.queue.claim(self.clock(), self.worker, self.lease, self.batch):
            for delivery in batch:
                await self._deliver(delivery, report)
        return report

    async def _deliver(self, delivery: Delivery, report: SendReport) -> None:
        now = self.clock()
        if now >= delivery.expires_at:
            await self.queue.mark_skipped(delivery.id, "stale: its moment passed before it could be sent", now)
            log.info("skipped stale delivery %s", delivery.key.token())
            report.skipped += 1
            return
        poster = self.posters.get(delivery.key.platform)
        if poster is None:
            await self._retry_or_fail(delivery, f"no {delivery.key.platform} connection", None, report)
            return
        post = Post(delivery.key.channel, delivery.text, delivery.key.token())
        try:
            if delivery.outcome_unknown and not delivery.direct:
                found = await poster.find_posted(post)
                if found is not None:
                    await self.queue.mark_sent(delivery.id, found, self.clock())
                    report.recovered += 1
                    return
            await self._pace(delivery)
            if delivery.direct:
                message_id = await poster.direct_message(delivery.key.workspace_id, delivery.key.channel_id,
                                                         delivery.text, post.key)
            else:
                message_id = await poster.post(post)
        except PostError as error:
            if self.on_error:
                self.on_error(delivery, error)
            if error.permanent:
                await self.queue.mark_failed(delivery.id, str(error), self.clock())
                log.warning("delivery %s failed for good: %s", delivery.key.token(), error)
                report.failed += 1
            else:
                await self._retry_or_fail(delivery, str(error), error.retry_after, report)
            return
        await self.queue.mark_sent(delivery.id, message_id, self.clock())
        report.sent += 1
        if self.on_sent:
            self.on_sent(delivery)

    async def _retry_or_fail(self, delivery: Delivery, error: str, retry_after: float | None, report: SendReport) -> None:
        now = self.clock()
        if delivery.attempts >= self.retry_limit:
            await self.queue.mark_failed(delivery.id, f"gave up after {delivery.attempts} attempts: {error}", now)
            report.failed += 1
            return
        delay = retry_after if retry_after is not None else min(self.max_backoff, self.base_backoff * 2 ** (delivery.attempts - 1))
        await self.queue.mark_retry(delivery.id, now + timedelta(seconds=delay), error, now)
        report.retried += 1

    async def _pace(self, delivery: Delivery) -> None:
        gap = self.pacing.get(delivery.key.platform, 0.0)
        if not gap:
            return
        channel = (delivery.key.platform, delivery.key.workspace_id, delivery.key.channel_id)
        wait = self._last_post.get(channel, float("-inf")) + gap - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_post[channel] = time.monotonic()
