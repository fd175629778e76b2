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
SEND_CONCURRENCY = 16  # what the running bot uses: posts in flight at once, each to a different channel


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
    """One worker; several may share a PostgreSQL queue (each row is leased to one worker at a time).

    Up to `concurrency` posts are in flight at once, never two to one channel, and posts to one channel keep
    `pacing` apart. A rate limit (429) with a short Retry-After pauses the whole workspace that long and the
    post is tried again in this pass; a longer one sends the row back to the queue for later.
    """

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
    concurrency: int = 1
    wait_out_retry_after: float = 5.0  # longest Retry-After waited for in-process
    rate_limit_retries: int = 10  # 429s one post may wait out in a pass before going back to the queue
    on_sent: Callable[[Delivery], None] | None = None
    on_error: Callable[[Delivery, PostError], None] | None = None
    _last_post: dict[tuple, float] = field(default_factory=dict)
    _paused_until: dict[tuple, float] = field(default_factory=dict)
    _channel_locks: dict[tuple, asyncio.Lock] = field(default_factory=dict)

    async def run_once(self) -> SendReport:
        """Claim and handle due deliveries until none are due, keeping up to `batch` rows leased at a time."""
        report = SendReport()
        self._forget_old_posts()
        in_flight = asyncio.Semaphore(max(1, self.concurrency))
        running: set[asyncio.Task] = set()
        failure: BaseException | None = None
        drained = False
        try:
            while True:
                room = self.batch - len(running)
                if failure is None and (not running or room >= max(1, self.batch // 2)):
                    claimed_at = self.clock()
                    batch = await self.queue.claim(claimed_at, self.worker, self.lease, room)
                    running |= {asyncio.create_task(self._deliver(d, claimed_at, in_flight, report)) for d in batch}
                    drained = len(batch) < room  # nothing more is due now: finish these, then look once more
                if not running:
                    break
                done, running = await asyncio.wait(
                    running, return_when=asyncio.ALL_COMPLETED if drained else asyncio.FIRST_COMPLETED)
                failure = failure or next((t.exception() for t in done if t.exception() is not None), None)
        finally:
            if running:  # an error or a cancellation stops the claiming; what is under way still finishes
                await asyncio.gather(*running, return_exceptions=True)
            self._channel_locks.clear()
        if failure is not None:
            raise failure
        return report

    async def _deliver(self, delivery: Delivery, claimed_at: datetime, in_flight: asyncio.Semaphore,
                       report: SendReport) -> None:
        async with self._channel_locks.setdefault(self._channel(delivery), asyncio.Lock()):
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
            rate_limited = 0
            while True:
                await self._wait_for_turn(delivery)
                async with in_flight:
                    if self._wait_before(delivery) > 0:
                        continue  # a 429 paused the workspace while this post waited for a slot
                    if not self._lease_holds(claimed_at):
                        # Another worker may hold the row by now; it looks for a copy before posting, so leave it.
                        log.info("lease on delivery %s ran short before posting; left for the next claim",
                                 delivery.key.token())
                        return
                    try:
                        await self._attempt(delivery, poster, report)
                        return
                    except PostError as error:
                        if self.on_error:
                            self.on_error(delivery, error)
                        if not self._wait_out(delivery, error, rate_limited):
                            await self._give_up_for_now(delivery, error, report)
                            return
                rate_limited += 1

    async def _attempt(self, delivery: Delivery, poster: Poster, report: SendReport) -> None:
        """Post (or, after a lost outcome, find the earlier post) and record it; PostError when it failed."""
        post = Post(delivery.key.channel, delivery.text, delivery.key.token())
        if delivery.outcome_unknown and not delivery.direct:
            found = await poster.find_posted(post)
            if found is not None:
                await self.queue.mark_sent(delivery.id, found, self.clock())
                report.recovered += 1
                return
        self._last_post[self._channel(delivery)] = time.monotonic()
        if delivery.direct:
            message_id = await poster.direct_message(delivery.key.workspace_id, delivery.key.channel_id,
                                                     delivery.text, post.key)
        else:
            message_id = await poster.post(post)
        await self.queue.mark_sent(delivery.id, message_id, self.clock())
        report.sent += 1
        if self.on_sent:
            self.on_sent(delivery)

    async def _give_up_for_now(self, delivery: Delivery, error: PostError, report: SendReport) -> None:
        if error.permanent:
            await self.queue.mark_failed(delivery.id, str(error), self.clock())
            log.warning("delivery %s failed for good: %s", delivery.key.token(), error)
            report.failed += 1
        else:
            await self._retry_or_fail(delivery, str(error), error.retry_after, report)

    def _wait_out(self, delivery: Delivery, error: PostError, rate_limited: int) -> bool:
        """After a 429 with a short Retry-After: pause the workspace that long and say to try again."""
        wait = error.retry_after
        if error.permanent or wait is None or rate_limited >= self.rate_limit_retries:
            return False
        if wait > self.wait_out_retry_after:
            return False  # a long wait is better spent by the queue than by a leased row
        workspace = (delivery.key.platform, delivery.key.workspace_id)
        self._paused_until[workspace] = max(self._paused_until.get(workspace, 0.0), time.monotonic() + wait)
        return True

    def _lease_holds(self, claimed_at: datetime) -> bool:
        """Whether the lease leaves a quarter of its length for the post and its record (a slow pass loses it)."""
        return self.clock() < claimed_at + self.lease * 0.75

    async def _wait_for_turn(self, delivery: Delivery) -> None:
        """Sleep until the workspace is not paused by a 429 and the channel's last post is `pacing` ago."""
        while (wait := self._wait_before(delivery)) > 0:
            await asyncio.sleep(wait)

    def _wait_before(self, delivery: Delivery) -> float:
        gap = self.pacing.get(delivery.key.platform, 0.0)
        ready = max(self._paused_until.get((delivery.key.platform, delivery.key.workspace_id), 0.0),
                    self._last_post.get(self._channel(delivery), float("-inf")) + gap if gap else 0.0)
        return ready - time.monotonic()

    @staticmethod
    def _channel(delivery: Delivery) -> tuple:
        return (delivery.key.platform, delivery.key.workspace_id, delivery.key.channel_id)

    def _forget_old_posts(self) -> None:
        horizon = time.monotonic() - max(self.pacing.values(), default=0.0)
        for channel in [c for c, at in self._last_post.items() if at < horizon]:
            del self._last_post[channel]
        for workspace in [w for w, until in self._paused_until.items() if until < time.monotonic()]:
            del self._paused_until[workspace]

    async def _retry_or_fail(self, delivery: Delivery, error: str, retry_after: float | None,
                             report: SendReport) -> None:
        now = self.clock()
        if delivery.attempts >= self.retry_limit:
            await self.queue.mark_failed(delivery.id, f"gave up after {delivery.attempts} attempts: {error}", now)
            report.failed += 1
            return
        delay = retry_after if retry_after is not None else min(self.max_backoff,
                                                                 self.base_backoff * 2 ** (delivery.attempts - 1))
        await self.queue.mark_retry(delivery.id, now + timedelta(seconds=delay), error, now)
        report.retried += 1
