"""Planning and sending against SQLite and PostgreSQL: once per channel, across restarts and processes."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from datetime import UTC, datetime, time, timedelta

from factories import make_policy, ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.models import Closure, MeetingSlot
from bot.outbound import PostError
from bot.queue import DeliveryState
from bot.scheduling import Scheduling
from bot.sender import Sender

POLICY = make_policy()
CHANNELS = [ChannelRef("slack", "T1", f"C{i}") for i in range(3)] + [ChannelRef("discord", "G1", "900")]


def scheduling_on(database, clock, posters) -> Scheduling:
    queue = database.deliveries()
    sender = Sender(queue, posters, clock, base_backoff=1.0, pacing={})
    return Scheduling(database.store(), queue, POLICY, sender, clock)


SEEDED_AT = ny(2026, 12, 4, 10)


async def seed(store, *, closure_created=SEEDED_AT):
    for channel in CHANNELS:
        await store.remember_channel(channel)
    return await store.add_closure(
        Closure(
            start=ny(2026, 12, 24).astimezone(UTC),
            end=ny(2027, 1, 3).astimezone(UTC),
            reason="the holidays",
            created_at=closure_created.astimezone(UTC),
        )
    )


async def seeded_scheduling(database, clock, posters) -> Scheduling:
    """Scheduling on `database` once it holds the channels and the closure of `seed`."""
    await seed(database.store())
    return scheduling_on(database, clock, posters)


def posters_for(clock):
    return {"slack": RecordingPoster("slack", clock), "discord": RecordingPoster("discord", clock)}


def all_posts(posters):
    return [(post, at) for poster in posters.values() for post, at in poster.posts]


EXPECTED_LOCAL_TIMES = {
    "closure_notice": [datetime(2026, 12, 10, 9), datetime(2026, 12, 23, 9)],
    "closure_start": [datetime(2026, 12, 24, 9)],  # at the notice time, not at midnight
    "closure_end": [datetime(2027, 1, 4, 9)],
}


def assert_exactly_the_closure_posts(posters):
    posts = all_posts(posters)
    copies = Counter(post.key for post, _ in posts)
    assert set(copies.values()) == {1}, "some post was sent twice"
    for channel in CHANNELS:
        mine = [
            (post.key.split("|")[0], at.astimezone(POLICY.zone).replace(tzinfo=None))
            for post, at in posts
            if post.channel == channel
        ]
        got = {kind: sorted(at for k, at in mine if k == kind) for kind in EXPECTED_LOCAL_TIMES}
        assert got == EXPECTED_LOCAL_TIMES, channel
        assert len(mine) == 4


# Planning every 3 hours from noon passes 00:00 and 09:00 exactly, where the notices fall due.
STEP = timedelta(hours=3)


async def test_a_closure_twenty_days_ahead_plays_out_once_per_channel_across_a_restart(database_factory):
    clock = SimulatedClock(ny(2026, 12, 4, 12))
    posters = posters_for(clock)
    first = await database_factory.migrated()
    scheduling = await seeded_scheduling(first, clock, posters)
    restart_at = ny(2026, 12, 20, 15).astimezone(UTC)
    assert (restart_at - clock()) % STEP == timedelta(0)
    while clock() < ny(2027, 1, 6).astimezone(UTC):
        await scheduling.tick()
        await scheduling.plan_once()  # planning again at the same instant adds nothing
        if clock() == restart_at:
            await first.dispose()
            scheduling = scheduling_on(database_factory(), clock, posters)
        clock.advance(STEP)
    assert_exactly_the_closure_posts(posters)


async def test_three_processes_planning_and_sending_at_once_post_each_notice_once(database_factory):
    clock = SimulatedClock(ny(2026, 12, 4, 12))
    posters = posters_for(clock)
    databases = [database_factory() for _ in range(3)]
    await databases[0].migrate()
    await seed(databases[0].store())
    processes = [scheduling_on(db, clock, posters) for db in databases]
    while clock() < ny(2027, 1, 6).astimezone(UTC):
        await asyncio.gather(*(p.tick() for p in processes))
        clock.advance(STEP)
    assert_exactly_the_closure_posts(posters)


async def test_after_two_hours_of_downtime_meaningful_posts_go_late_and_stale_ones_are_skipped(
    database_factory, caplog
):
    clock = SimulatedClock(ny(2026, 12, 22, 12))
    posters = posters_for(clock)
    database = await database_factory.migrated()
    store = database.store()
    await seed(store)
    await store.set_meeting_slot(MeetingSlot(CHANNELS[0], weekday=2, local_time=time(10, 30)))  # Wed Dec 23
    await store.set_meeting_slot(MeetingSlot(CHANNELS[1], weekday=2, local_time=time(12, 0)))
    scheduling = scheduling_on(database, clock, posters)
    while clock() < ny(2026, 12, 23, 8, 55).astimezone(UTC):
        await scheduling.tick()
        clock.advance(timedelta(minutes=5))
    clock.set(ny(2026, 12, 23, 11, 0))  # down from 08:55 to 11:00
    with caplog.at_level(logging.INFO):
        await scheduling.tick()
    late = [(post.channel, post.key.split("|")[0]) for post, at in all_posts(posters) if at == clock()]
    assert sorted(late, key=str) == sorted(
        [(channel, "closure_notice") for channel in CHANNELS] + [(CHANNELS[1], "meeting_reminder_1h")], key=str
    )
    skipped = await database.deliveries().list_deliveries(states=[DeliveryState.SKIPPED])
    assert [(d.key.kind, d.key.channel) for d in skipped] == [("meeting_reminder_1h", CHANNELS[0])]
    assert "skipped stale meeting_reminder_1h" in caplog.text
    await scheduling.tick()
    assert caplog.text.count("skipped stale") == 1  # logged once, not at every planning pass


async def test_rate_limits_server_errors_and_resets_still_deliver_exactly_once(database_factory):
    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    posters["slack"].failures = [
        PostError("ratelimited", permanent=False, retry_after=30),
        PostError("HTTP 500", permanent=False),
        PostError("connection reset by peer", permanent=False),
        PostError("HTTP 503", permanent=False),
    ]
    database = await database_factory.migrated()
    scheduling = await seeded_scheduling(database, clock, posters)
    report = await scheduling.tick()
    assert report.sent == 1  # discord went through; Slack's 30 s Retry-After holds every Slack channel
    assert posters["slack"].attempts == 1
    queue = database.deliveries()
    retry = {d.key.channel_id: d for d in await queue.list_deliveries(states=[DeliveryState.PENDING])}
    assert len(retry) == 3 and "ratelimited" in retry["C0"].last_error
    for _ in range(10):
        clock.advance(timedelta(seconds=30))
        await scheduling.tick()
    assert posters["slack"].copies() == Counter(dict.fromkeys(posters["slack"].copies(), 1))
    assert len(posters["slack"].posts) == 3 and len(posters["discord"].posts) == 1
    assert posters["slack"].attempts == 3 + 4


async def test_permanent_failures_stop_at_once_and_transient_ones_give_up_at_the_limit(database_factory):
    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    posters["discord"].failures = [PostError("Missing Access (50001)", permanent=True)]
    posters["slack"].failures = [PostError("HTTP 500", permanent=False)] * 100
    database = await database_factory.migrated()
    scheduling = await seeded_scheduling(database, clock, posters)
    scheduling.sender.retry_limit = 3
    for _ in range(20):
        await scheduling.tick()
        clock.advance(timedelta(minutes=1))
    failed = await database.deliveries().list_deliveries(states=[DeliveryState.FAILED])
    assert len(failed) == 4
    assert posters["discord"].attempts == 1
    assert posters["slack"].attempts == 3 * 3
    assert all("gave up after 3 attempts" in d.last_error for d in failed if d.key.platform == "slack")


async def test_a_crash_between_post_and_commit_is_recovered_without_posting_again(database_factory):
    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    database = await database_factory.migrated()
    scheduling = await seeded_scheduling(database, clock, posters)
    await scheduling.plan_once()
    queue = database.deliveries()
    claimed = await queue.claim(clock(), "crashed-worker", timedelta(minutes=2), limit=2)
    from bot.outbound import Post

    for delivery in claimed[:1]:  # posted, then the process died before recording it
        await queue.begin_post(delivery.id, "crashed-worker", clock())
        await posters[delivery.key.platform].post(Post(delivery.key.channel, delivery.text, delivery.key.token()))
    first = await scheduling.sender.run_once()
    assert (first.sent, first.recovered) == (2, 0)  # the two leased rows wait for their lease to run out
    clock.advance(timedelta(minutes=3))
    report = await scheduling.sender.run_once()
    assert report.recovered == 1 and report.sent == 1
    assert set(posters["slack"].copies().values()) | set(posters["discord"].copies().values()) == {1}
    assert len(all_posts(posters)) == 4


async def test_slack_posts_to_one_channel_are_paced_about_a_second_apart(database_factory):
    import time as wall

    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    stamps = []
    original = posters["slack"].post

    async def timed(post):
        stamps.append(wall.monotonic())
        return await original(post)

    posters["slack"].post = timed
    database = await database_factory.migrated()
    store = database.store()
    await store.remember_channel(CHANNELS[0])
    for hour in (10, 12, 14):  # three closures from Dec 24 to Dec 28: their 14-day notices are all due now
        await store.add_closure(
            Closure(
                start=ny(2026, 12, 24, hour).astimezone(UTC),
                end=ny(2026, 12, 28, hour + 1).astimezone(UTC),
                created_at=ny(2026, 12, 1).astimezone(UTC),
            )
        )
    sender = Sender(database.deliveries(), posters, clock)  # default pacing
    await Scheduling(store, database.deliveries(), POLICY, sender, clock).tick()
    assert len(stamps) == 3
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert all(gap >= 0.95 for gap in gaps), gaps
