"""The concurrent sender: several posts in flight, never two at once to one channel, 429s wait the workspace out."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from datetime import UTC, timedelta

from factories import RunningClock, ny

from bot.clock import SimulatedClock
from bot.outbound import Post, PostError
from bot.queue import DeliveryKey, DeliveryState, PlannedDelivery
from bot.sender import Sender

NOW = ny(2026, 12, 10, 9).astimezone(UTC)


def planned(channels: int, per_channel: int = 1, workspace: str = "T1") -> list[PlannedDelivery]:
    return [
        PlannedDelivery(
            DeliveryKey("closure_notice", f"closure:{n}", "2026-12-10", "slack", workspace, f"C{c:03d}"),
            NOW,
            NOW + timedelta(days=1),
            f"notice {n} to C{c:03d}",
        )
        for c in range(channels)
        for n in range(per_channel)
    ]


class SlowPoster:
    """Takes a moment per post; records what was in flight and when; can answer 429 or advance the clock."""

    platform = "slack"

    def __init__(self, *, delay: float = 0.01) -> None:
        self.delay = delay
        self.in_flight: Counter = Counter()
        self.most_in_flight = 0
        self.overlaps = 0
        self.posts: list[tuple[Post, float]] = []
        self.refusals: list[PostError] = []
        self.before_post = None

    async def post(self, post: Post) -> str:
        channel = post.channel.channel_id
        if self.in_flight[channel]:
            self.overlaps += 1
        self.in_flight[channel] += 1
        self.most_in_flight = max(self.most_in_flight, sum(self.in_flight.values()))
        try:
            if self.before_post:
                self.before_post(post)
            await asyncio.sleep(self.delay)
            if self.refusals:
                raise self.refusals.pop(0)
            self.posts.append((post, time.monotonic()))
            return f"ts-{len(self.posts)}"
        finally:
            self.in_flight[channel] -= 1

    async def find_posted(self, post: Post) -> str | None:
        return next((f"ts-{i}" for i, (p, _) in enumerate(self.posts, 1) if p.key == post.key), None)

    async def direct_message(self, workspace_id, user_id, text, key, buttons=()) -> str:
        raise NotImplementedError


async def queue_with(database_factory, items):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(items, NOW)
    return queue


async def test_posts_run_concurrently_but_one_at_a_time_per_channel_and_paced(database_factory) -> None:
    queue = await queue_with(database_factory, planned(30) + planned(3, per_channel=3, workspace="T2"))
    poster = SlowPoster()
    sender = Sender(queue, {"slack": poster}, SimulatedClock(NOW), concurrency=8, pacing={"slack": 0.2})
    report = await sender.run_once()
    assert report.sent == 39 and report.retried == report.failed == 0
    assert 1 < poster.most_in_flight <= 8 and poster.overlaps == 0
    assert Counter(p.key for p, _ in poster.posts) == Counter(
        {d.key.token(): 1 for d in planned(30) + planned(3, per_channel=3, workspace="T2")}
    )
    for channel in ("C000", "C001", "C002"):
        stamps = [at for p, at in poster.posts if p.channel.workspace_id == "T2" and p.channel.channel_id == channel]
        assert len(stamps) == 3 and all(b - a >= 0.19 for a, b in itertools.pairwise(stamps))


async def test_a_short_retry_after_pauses_the_workspace_and_the_post_goes_out_in_the_same_pass(database_factory):
    queue = await queue_with(database_factory, planned(6))
    poster = SlowPoster()
    poster.refusals = [PostError("ratelimited", permanent=False, retry_after=0.3)]
    refused_at = []
    poster.before_post = lambda post: refused_at.append(time.monotonic()) if poster.refusals else None
    report = await Sender(queue, {"slack": poster}, RunningClock(NOW), concurrency=3).run_once()
    assert (report.sent, report.retried) == (6, 0)
    assert {d.state for d in await queue.list_deliveries()} == {DeliveryState.SENT}
    # every post that started after the 429 came back waited for Retry-After (posts already under way finished)
    late = [at for _, at in poster.posts if at > refused_at[0] + poster.delay * 2]
    assert late and all(at >= refused_at[0] + 0.3 for at in late)


async def test_a_long_retry_after_sends_the_row_back_to_the_queue(database_factory) -> None:
    queue = await queue_with(database_factory, planned(2))
    poster = SlowPoster()
    poster.refusals = [PostError("ratelimited", permanent=False, retry_after=30)]
    tried = []
    poster.before_post = lambda post: tried.append(post.channel.channel_id)
    report = await Sender(queue, {"slack": poster}, SimulatedClock(NOW), concurrency=2).run_once()
    # The workspace's posts are paced, so the second one's turn came after the 429: it waits out the pause too.
    assert (report.sent, report.retried) == (0, 2) and len(tried) == 1
    waiting = {d.key.channel_id: d.last_error for d in await queue.list_deliveries(states=[DeliveryState.PENDING])}
    assert "ratelimited" in waiting[tried[0]] and len(waiting) == 2


async def test_a_row_whose_lease_ran_short_is_not_posted_on_it_but_claimed_again_and_posted_once(database_factory):
    queue = await queue_with(database_factory, planned(2))  # two channels, leased together, posted one at a time
    clock = SimulatedClock(NOW)
    poster = SlowPoster()
    poster.before_post = lambda post: clock.advance(timedelta(minutes=2))  # the first post took the whole lease
    sender = Sender(queue, {"slack": poster}, clock, concurrency=1, pacing={"slack": 0.05})
    report = await sender.run_once()
    assert (report.sent, report.recovered) == (2, 0)
    assert sorted(Counter(p.key for p, _ in poster.posts).values()) == [1, 1]
    rows = await queue.list_deliveries()
    assert sorted(d.attempts for d in rows) == [1, 2]  # the second row went out on a fresh lease
    assert {d.state for d in rows} == {DeliveryState.SENT}


async def test_a_database_error_stops_claiming_and_is_raised_after_posts_under_way(database_factory) -> None:
    queue = await queue_with(database_factory, planned(5))
    original = queue.mark_sent
    calls = []

    async def failing(delivery_id, message_id, now):
        calls.append(delivery_id)
        if len(calls) == 1:  # the first post to finish fails to be recorded, before any other is
            raise ConnectionError("database went away")
        await original(delivery_id, message_id, now)

    queue.mark_sent = failing
    poster = SlowPoster()
    sender = Sender(queue, {"slack": poster}, SimulatedClock(NOW), concurrency=5, batch=2)
    try:
        await sender.run_once()
        raise AssertionError("the error should surface")
    except ConnectionError:
        pass
    assert len(poster.posts) == 2  # nothing more was claimed after the failure
