"""The sender: claims due deliveries, posts them through the platform posters, retries, never posts twice."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.outbound import Poster, PostError, buttons_of, find_posted_many
from bot.pace import START_RATE, Pace
from bot.queue import LOOKUPS, WHOLE_WORKSPACE, Delivery, DeliveryQueue, Pause, Start, by_channel
from bot.replies import post_of
from bot.send_records import Records, SendReport

ChannelPlace = tuple[str, str, str]  # platform, workspace, channel (or WHOLE_WORKSPACE)
WorkspacePlace = tuple[str, str]

log = logging.getLogger(__name__)

PACING_SECONDS = {"slack": 1.0}  # Slack allows about one message per second per channel
SEND_CONCURRENCY = 16  # what the running bot uses: posts in flight at once, each to a different channel


@dataclass
class Sender:
    """One worker; any number may share a queue (each row is leased to one worker at a time).

    Up to `concurrency` posts are in flight at once, never two to one channel, and a channel's rows go out in
    planned order, `pacing` apart; a workspace's posts are spaced by the rate it is learned to take (bot.pace).
    Leases are short and renewed by a heartbeat while this worker holds them, so a dead worker's rows are taken
    over within seconds. A failure after the request may have reached the platform
    leaves the row unknown: it is looked up (one lookup per channel) before it is ever posted again. A 429 pauses
    the workspace for every worker sharing the queue; a short Retry-After is waited out in this pass.
    One pass runs at a time: `run_once` during a pass makes the running pass look again instead.
    """

    queue: DeliveryQueue
    posters: Mapping[str, Poster]
    clock: Callable[[], datetime]
    retry_limit: int = 8
    lease: timedelta = timedelta(seconds=5)
    heartbeat: float = 1.0  # seconds between lease renewals: a lease survives four slow or failed ones
    batch: int = 0  # rows leased at a time; 0: twice `concurrency` (small, so a dead worker strands few)
    base_backoff: float = 2.0
    max_backoff: float = 600.0
    worker: str = field(default_factory=lambda: f"sender-{uuid.uuid4().hex[:8]}")
    pacing: Mapping[str, float] = field(default_factory=lambda: dict(PACING_SECONDS))
    concurrency: int = 1
    wait_out_retry_after: float = 5.0  # longest Retry-After waited for in-process
    default_retry_after: float = 2.0  # a 429 that names no wait
    rate_limit_retries: int = 10  # 429s one post may wait out in a pass before going back to the queue
    lookups: int = 4  # rows to look up claimed at once (each is a slow, rate-limited history read)
    look_again: float = 0.5  # seconds between claims while posts are under way and nothing else was due
    claim_ahead: float = 1.0  # seconds of posts, at a workspace's pace, claimed at once (a dead worker strands few)
    on_sent: Callable[[Delivery], None] | None = None
    on_error: Callable[[Delivery, PostError], None] | None = None
    lost: Callable[[Delivery], Awaitable[None]] | None = None  # a row failed or skipped for good (a reply's throttle)
    _last_post: dict[ChannelPlace, float] = field(default_factory=dict)
    _paused: dict[ChannelPlace, datetime] = field(default_factory=dict)  # pauses this worker stored, also in the queue
    _paces: dict[WorkspacePlace, Pace] = field(default_factory=dict)
    _running: bool = False
    _again: bool = False

    @property
    def _records(self) -> Records:
        return Records(self.queue, self.clock, self.retry_limit, self.base_backoff, self.max_backoff, self.lost)

    async def run_once(self) -> SendReport:
        """Claim and handle due deliveries until none are due; during a running pass, ask it to look again."""
        if self._running:
            self._again = True
            return SendReport()
        self._running = True
        report = SendReport()
        try:
            self._again = True
            while self._again:
                self._again = False
                await self._pass(report)
        finally:
            self._running = False
        return report

    async def _pass(self, report: SendReport) -> None:
        self._forget_old_posts()
        held: dict[int, Delivery] = {}
        heartbeat = asyncio.create_task(self._keep_leases(held))
        in_flight = asyncio.Semaphore(max(1, self.concurrency))
        running: set[asyncio.Task[None]] = set()
        failure: BaseException | None = None
        claimed_all = False  # the last claim found less than it had room for
        try:
            while True:
                batch_size = self._batch_size()  # it follows the pace, which this pass may change
                room = batch_size - len(held)
                if failure is None and room > 0 and (not running or room >= max(1, batch_size // 2) or claimed_all):
                    batch = await self.queue.claim(self.clock(), self.worker, self.lease, room, to_look_up=self.lookups)
                    held.update((d.id, d) for d in batch)
                    running |= {
                        asyncio.create_task(self._handle(group, held, in_flight, report)) for group in by_channel(batch)
                    }
                    claimed_all = len(batch) < room
                if not running:
                    break
                # After a claim that found everything due, look again now and then: a channel's next row, or a
                # row a dead worker left, becomes due while the posts under way finish.
                done, running = await asyncio.wait(
                    running, timeout=self.look_again if claimed_all else None, return_when=asyncio.FIRST_COMPLETED
                )
                failure = failure or next((t.exception() for t in done if t.exception() is not None), None)
        finally:
            if running:  # an error or a cancellation stops the claiming; what is under way still finishes
                await asyncio.gather(*running, return_exceptions=True)
            heartbeat.cancel()
        if failure is not None:
            raise failure

    async def _keep_leases(self, held: dict[int, Delivery]) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                kept = await self.queue.renew(self.worker, list(held), self.clock() + self.lease)
            except Exception as error:  # the next beat tries again; begin_post refuses a lost lease meanwhile
                log.warning("renewing %d leases failed: %s", len(held), error)
                continue
            for lost in set(held) - kept:
                log.info("lease on delivery %s was lost", held[lost].key.token())

    async def _handle(
        self, group: list[Delivery], held: dict[int, Delivery], in_flight: asyncio.Semaphore, report: SendReport
    ) -> None:
        """One channel's rows, in order: settle unknown outcomes with one lookup, then post what is still due."""
        try:
            unknown = [d for d in group if d.outcome_unknown and not d.direct]
            absent = await self._settle(unknown, report) if unknown else set()
            for delivery in group:
                if delivery.outcome_unknown and not delivery.direct:
                    if delivery.id not in absent:
                        continue
                    delivery = replace(delivery, outcome_unknown=False)
                await self._deliver(delivery, in_flight, report)
        finally:
            for delivery in group:
                held.pop(delivery.id, None)

    async def _settle(self, unknown: list[Delivery], report: SendReport) -> set[int]:
        """Look for rows whose outcome is unknown: found ones are sent; return the ids proven absent."""
        first = unknown[0]
        poster = self.posters.get(first.key.platform)
        if poster is None:
            return set()
        try:
            found = await find_posted_many(poster, [post_of(delivery) for delivery in unknown])
        except PostError as error:
            if error.rate_limited:
                await self._share_pause(first, error, LOOKUPS)
            for delivery in unknown:
                await self._records.still_unknown(
                    delivery, f"looking for it failed: {error}", error.retry_after, report
                )
            return set()
        absent = set()
        for delivery in unknown:
            if (message_id := found.get(delivery.key.token())) is not None:
                await self.queue.mark_sent(delivery.id, message_id, self.clock())
                report.recovered += 1
            else:
                absent.add(delivery.id)
        return absent

    async def _deliver(self, delivery: Delivery, in_flight: asyncio.Semaphore, report: SendReport) -> None:
        now = self.clock()
        if now >= delivery.expires_at:
            await self.queue.mark_skipped(delivery.id, "stale: its moment passed before it could be sent", now)
            await self._records.tell_lost(delivery)
            log.info("skipped stale delivery %s", delivery.key.token())
            report.skipped += 1
            return
        poster = self.posters.get(delivery.key.platform)
        if poster is None:
            await self._records.retry_or_fail(delivery, f"no {delivery.key.platform} connection", None, report)
            return
        rate_limited = 0
        while True:
            await self._wait_for_turn(delivery)
            pace = self._pace(delivery)
            await pace.turn()
            async with in_flight:
                if self._wait_before(delivery) > 0:
                    continue  # another post to this channel went out while this one waited for a slot
                start, until = await self.queue.begin_post(delivery.id, self.worker, self.clock())
                if start is Start.GO and (here := self._paused_here(delivery)) is not None:
                    start, until = Start.PAUSED, here  # a 429 reached this worker since begin_post looked
                if start is Start.LOST:
                    log.info("delivery %s is no longer this worker's (cancelled or re-leased)", delivery.key.token())
                    return
                if start is Start.PAUSED and until is not None:  # this worker or another was told to wait
                    if not self._own_pause(delivery, until):  # another worker's 429: the workspace is busy
                        pace.refused()
                    wait, reason = (until - self.clock()).total_seconds(), "waiting out a rate limit"
                else:
                    try:
                        await self._attempt(delivery, poster, report)
                        pace.accepted()
                        return
                    except PostError as error:
                        if self.on_error:
                            self.on_error(delivery, error)
                        if not error.rate_limited or error.permanent:
                            await self._records.give_up_for_now(delivery, error, report)
                            return
                        if not error.channel_scoped:
                            pace.refused()
                        wait, reason = await self._share_pause(delivery, error), str(error)
            if wait > self.wait_out_retry_after or rate_limited >= self.rate_limit_retries:
                await self._records.retry_or_fail(delivery, reason, wait, report, count=False)
                return
            rate_limited += 1
            await asyncio.sleep(wait)

    async def _attempt(self, delivery: Delivery, poster: Poster, report: SendReport) -> None:
        """Post and record it; PostError when it failed."""
        self._last_post[self._channel(delivery)] = time.monotonic()
        if delivery.direct:
            key, buttons = delivery.key, buttons_of(delivery.data)  # a reminder has its Done button
            message_id = await poster.direct_message(
                key.workspace_id, key.channel_id, delivery.text, key.token(), buttons
            )
        else:
            message_id = await poster.post(post_of(delivery))
        await self.queue.mark_sent(delivery.id, message_id, self.clock())
        report.sent += 1
        if self.on_sent:
            self.on_sent(delivery)

    async def _share_pause(self, delivery: Delivery, error: PostError, scope: str | None = None) -> float:
        """Store a 429's pause for every worker sharing the queue; return its length in seconds."""
        wait = error.retry_after if error.retry_after is not None else self.default_retry_after
        key = delivery.key
        channel = scope or (key.channel_id if error.channel_scoped else WHOLE_WORKSPACE)
        pause = Pause(key.platform, key.workspace_id, channel, self.clock() + timedelta(seconds=wait))
        place = (pause.platform, pause.workspace_id, pause.channel_id)
        self._paused[place] = max(pause.until, self._paused.get(place, pause.until))
        await self.queue.pause(pause, refused=None if scope else delivery.id)
        return wait

    def _own_pauses(self, delivery: Delivery) -> list[datetime]:
        """The ends of the pauses this worker was given that cover the delivery's channel."""
        key = delivery.key
        places = [(key.platform, key.workspace_id, channel) for channel in (key.channel_id, WHOLE_WORKSPACE)]
        return [self._paused[place] for place in places if place in self._paused]

    def _own_pause(self, delivery: Delivery, until: datetime) -> bool:
        """Whether a pause ending at `until` is one this worker was given itself (its pace was cut then)."""
        return any(own >= until for own in self._own_pauses(delivery))

    def _paused_here(self, delivery: Delivery) -> datetime | None:
        """The end of a pause this worker was given that covers the delivery's channel, if one is in force."""
        now = self.clock()
        return max((until for until in self._own_pauses(delivery) if until > now), default=None)

    async def _wait_for_turn(self, delivery: Delivery) -> None:
        """Sleep until the channel's last post from this worker is `pacing` ago."""
        while (wait := self._wait_before(delivery)) > 0:
            await asyncio.sleep(wait)

    def _wait_before(self, delivery: Delivery) -> float:
        gap = self.pacing.get(delivery.key.platform, 0.0)
        if not gap:
            return 0.0
        return self._last_post.get(self._channel(delivery), float("-inf")) + gap - time.monotonic()

    def _pace(self, delivery: Delivery) -> Pace:
        place = (delivery.key.platform, delivery.key.workspace_id)
        if place not in self._paces:
            self._paces[place] = Pace()
        return self._paces[place]

    def _batch_size(self) -> int:
        """Rows to hold at once: `batch`, or what the fastest known workspace takes in `claim_ahead` seconds."""
        if self.batch:
            return self.batch
        most = 2 * max(1, self.concurrency)
        ahead = max(
            (pace.ahead(self.claim_ahead) for pace in self._paces.values()), default=int(START_RATE * self.claim_ahead)
        )
        return min(most, max(2, ahead))

    @staticmethod
    def _channel(delivery: Delivery) -> ChannelPlace:
        return (delivery.key.platform, delivery.key.workspace_id, delivery.key.channel_id)

    def _forget_old_posts(self) -> None:
        now, horizon = self.clock(), time.monotonic() - max(self.pacing.values(), default=0.0)
        self._paused = {place: until for place, until in self._paused.items() if until > now}
        self._last_post = {channel: at for channel, at in self._last_post.items() if at >= horizon}
