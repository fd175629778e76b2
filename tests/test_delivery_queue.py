"""The delivery queue: unique keys, leases, and several senders sharing one database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, timedelta

from factories import ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.queue import WHOLE_WORKSPACE, DeliveryKey, DeliveryState, Pause, PlannedDelivery, Start
from bot.sender import Sender
from storage.queue_sql import cancel_unsent

NOW = ny(2026, 12, 10, 9).astimezone(UTC)


def planned(count: int, *, kind: str = "closure_notice") -> list[PlannedDelivery]:
    return [
        PlannedDelivery(
            DeliveryKey(kind, "closure:1", "2026-12-10", "slack", "T1", f"C{n:04d}"),
            NOW,
            NOW + timedelta(days=14),
            f"notice {n}",
        )
        for n in range(count)
    ]


async def test_enqueue_inserts_each_key_once_even_concurrently(database_factory):
    databases = [database_factory() for _ in range(3)]
    await databases[0].migrate()
    results = await asyncio.gather(*(db.deliveries().enqueue(planned(50), NOW) for db in databases))
    assert sum(len(r) for r in results) == 50
    rows = await databases[0].deliveries().list_deliveries()
    assert len(rows) == 50 and {r.state for r in rows} == {DeliveryState.PENDING}


async def test_claims_lease_rows_and_expired_leases_come_back_unknown_only_if_their_request_went_out(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(planned(3), NOW)
    first = await queue.claim(NOW, "a", timedelta(minutes=2), limit=2)
    assert len(first) == 2 and all(d.attempts == 1 and not d.outcome_unknown for d in first)
    assert await queue.begin_post(first[0].id, "a", NOW) == (Start.GO, None)
    assert await queue.begin_post(first[1].id, "b", NOW) == (Start.LOST, None)  # not b's lease
    second = await queue.claim(NOW, "b", timedelta(minutes=2), limit=10)
    assert [d.id for d in second] == [3]
    assert await queue.claim(NOW + timedelta(minutes=1), "b", timedelta(minutes=2), limit=10) == []
    assert await queue.begin_post(first[1].id, "a", NOW + timedelta(minutes=3)) == (Start.LOST, None)  # expired
    again = await queue.claim(NOW + timedelta(minutes=3), "b", timedelta(minutes=2), limit=10)
    assert sorted(d.id for d in again) == [1, 2, 3] and all(d.attempts == 2 for d in again)
    assert {d.id: d.outcome_unknown for d in again} == {1: True, 2: False, 3: False}


async def test_an_unknown_row_keeps_its_mark_until_it_is_settled_and_a_retry_clears_it(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(planned(2), NOW)
    one, two = await queue.claim(NOW, "a", timedelta(seconds=15), limit=2)
    for row in (one, two):
        assert (await queue.begin_post(row.id, "a", NOW))[0] is Start.GO
    await queue.mark_unknown(one.id, NOW + timedelta(seconds=5), "chat.postMessage failed: reset", NOW)
    await queue.mark_retry(two.id, NOW + timedelta(seconds=5), "chat.postMessage failed: ratelimited", NOW)
    states = {d.id: d.state for d in await queue.list_deliveries()}
    assert states == {1: DeliveryState.UNKNOWN, 2: DeliveryState.PENDING}
    assert await queue.claim(NOW + timedelta(seconds=4), "b", timedelta(seconds=15), limit=5) == []
    later = await queue.claim(NOW + timedelta(seconds=5), "b", timedelta(seconds=15), limit=5)
    assert {d.id: d.outcome_unknown for d in later} == {1: True, 2: False}


async def test_a_channels_rows_are_claimed_one_at_a_time_in_planned_order(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    channel = [
        PlannedDelivery(
            DeliveryKey(kind, "closure:1", "2026-12-10", "slack", "T1", "C1"),
            NOW + timedelta(seconds=n),
            NOW + timedelta(days=1),
            kind,
        )
        for n, kind in enumerate(["closure_notice", "closure_start"])
    ]
    await queue.enqueue([*planned(1), *reversed(channel)], NOW)
    later = NOW + timedelta(minutes=1)
    claimed = await queue.claim(later, "a", timedelta(seconds=15), limit=10)
    assert [d.key.kind for d in claimed if d.key.channel_id == "C1"] == ["closure_notice"]
    notice = next(d for d in claimed if d.key.channel_id == "C1")
    await queue.mark_unknown(notice.id, later, "reset", later)  # unknown still holds the channel's turn
    assert [d.key.channel_id for d in await queue.claim(later, "b", timedelta(seconds=15), limit=10)] == ["C1"]
    assert await queue.claim(later, "c", timedelta(seconds=15), limit=10) == []
    await queue.mark_sent(notice.id, "m1", later)
    [start] = await queue.claim(later, "c", timedelta(seconds=15), limit=10)
    assert start.key.kind == "closure_start"


async def test_a_pause_stored_by_one_worker_holds_every_worker_and_the_later_end_wins(database_factory):
    database = await database_factory.migrated()
    queue, other = database.deliveries(), database_factory().deliveries()
    await queue.enqueue(planned(2), NOW)
    [one, two] = await queue.claim(NOW, "a", timedelta(minutes=2), limit=2)
    await other.pause(Pause("slack", "T1", WHOLE_WORKSPACE, NOW + timedelta(seconds=30)))
    await other.pause(Pause("slack", "T1", WHOLE_WORKSPACE, NOW + timedelta(seconds=10)))  # shorter: ignored
    assert await queue.begin_post(one.id, "a", NOW) == (Start.PAUSED, NOW + timedelta(seconds=30))
    await queue.mark_retry(two.id, NOW, "429", NOW)
    assert await other.claim(NOW + timedelta(seconds=29), "b", timedelta(seconds=15), limit=5) == []
    [again] = await other.claim(NOW + timedelta(seconds=31), "b", timedelta(seconds=15), limit=5)
    await other.pause(Pause("slack", "T1", again.key.channel_id, NOW + timedelta(seconds=60)))  # one channel only
    assert (await queue.begin_post(one.id, "a", NOW + timedelta(seconds=31)))[0] is Start.GO
    assert await other.begin_post(again.id, "b", NOW + timedelta(seconds=31)) == (
        Start.PAUSED,
        NOW + timedelta(seconds=60),
    )


async def test_cancelling_drops_rows_not_yet_out_and_a_request_under_way_counts_as_maybe_posted(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(planned(5), NOW)
    out, claimed, unknown, _, died = await queue.claim(NOW, "a", timedelta(seconds=15), limit=5)
    for row in (out, unknown, died):  # `died`: its request was under way when its worker was killed
        await queue.begin_post(row.id, "a", NOW)
    await queue.mark_unknown(unknown.id, NOW, "reset", NOW)
    async with database.engine.begin() as conn:  # as the store's cancel_closure does, in its transaction
        assert await cancel_unsent(conn, "closure:1", ["closure_notice"], NOW) == 3
    assert await queue.begin_post(claimed.id, "a", NOW) == (Start.LOST, None)
    await queue.mark_retry(out.id, NOW, "429", NOW)  # the request under way failed: cancelled, never retried
    assert await queue.claim(NOW + timedelta(hours=1), "b", timedelta(seconds=15), limit=5) == []
    states = {d.id: d.state for d in await queue.list_deliveries()}
    assert set(states.values()) == {DeliveryState.CANCELLED}  # the dead worker's one too, once its lease ran out
    # The unknown one and the dead worker's may be in their channels, so corrections go there; the others never
    # went out.
    assert await queue.sent_to(["closure_notice"], ["closure:1"]) == {
        ("closure:1", ChannelRef("slack", "T1", "C0002")),
        ("closure:1", ChannelRef("slack", "T1", "C0004")),
    }


async def test_heartbeats_keep_a_workers_leases_and_report_the_ones_it_lost(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(planned(2), NOW)
    one, two = await queue.claim(NOW, "a", timedelta(seconds=15), limit=2)
    assert await queue.renew("a", [one.id, two.id], NOW + timedelta(seconds=40)) == {one.id, two.id}
    assert await queue.claim(NOW + timedelta(seconds=30), "b", timedelta(seconds=15), limit=5) == []
    await queue.mark_sent(one.id, "m1", NOW)
    assert await queue.renew("a", [one.id, two.id], NOW + timedelta(seconds=60)) == {two.id}
    assert await queue.renew("b", [two.id], NOW + timedelta(seconds=60)) == set()


async def test_three_senders_deliver_a_thousand_rows_once_and_finish_a_dead_senders_leases(database_factory):
    clock = SimulatedClock(NOW)
    poster = RecordingPoster("slack", clock)
    databases = [database_factory() for _ in range(4)]
    await databases[0].migrate()
    await databases[0].deliveries().enqueue(planned(1000), NOW)
    dead = await databases[3].deliveries().claim(clock(), "killed-sender", timedelta(minutes=2), limit=100)
    assert len(dead) == 100  # it leased a hundred rows and died without posting
    senders = [Sender(db.deliveries(), {"slack": poster}, clock, batch=25, pacing={}) for db in databases[:3]]
    reports = await asyncio.gather(*(s.run_once() for s in senders))
    assert sum(r.sent for r in reports) == 900 and all(r.sent > 0 for r in reports)
    clock.advance(timedelta(minutes=3))  # the dead sender's leases run out
    reports = await asyncio.gather(*(s.run_once() for s in senders))
    assert sum(r.sent for r in reports) == 100
    copies = poster.copies()
    assert len(copies) == 1000 and set(copies.values()) == {1}
    states = Counter(d.state for d in await databases[0].deliveries().list_deliveries())
    assert states == Counter({DeliveryState.SENT: 1000})


async def test_sent_to_lists_the_channels_each_subject_was_sent_to(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.enqueue(planned(2), NOW)
    assert await queue.sent_to(["closure_notice"], ["closure:1"]) == set()
    [row, _] = await queue.claim(NOW, "w", timedelta(minutes=2), limit=2)
    await queue.mark_sent(row.id, "m1", NOW)
    assert await queue.sent_to(["closure_notice"], ["closure:1"]) == {("closure:1", ChannelRef("slack", "T1", "C0000"))}
    assert await queue.sent_to(["closure_start"], ["closure:1"]) == set()
    assert await queue.sent_to(["closure_notice"], ["closure:2"]) == set()  # only the subjects asked about
    assert await queue.sent_to(["closure_notice"], []) == set()
