"""The delivery queue: unique keys, leases, and several senders sharing one database."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, timedelta

from factories import ny
from scheduling_fakes import RecordingPoster

from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.queue import DeliveryKey, DeliveryState, PlannedDelivery
from bot.sender import Sender

NOW = ny(2026, 12, 10, 9).astimezone(UTC)


def planned(count: int, *, kind: str = "closure_notice") -> list[PlannedDelivery]:
    return [
        PlannedDelivery(DeliveryKey(kind, "closure:1", "2026-12-10", "slack", "T1", f"C{n:04d}"), NOW,
                        NOW + timedelta(days=14), f"notice {n}")
        for n in range(count)
    ]


async def test_enqueue_inserts_each_key_once_even_concurrently(database_factory):
    databases = [database_factory() for _ in range(3)]
    await databases[0].migrate()
    results = await asyncio.gather(*(db.deliveries().enqueue(planned(50), NOW) for db in databases))
    assert sum(len(r) for r in results) == 50
    rows = await databases[0].deliveries().list_deliveries()
    assert len(rows) == 50 and {r.state for r in rows} == {DeliveryState.PENDING}


async def test_claims_lease_rows_and_expired_leases_come_back_marked_unknown(database_factory):
    database = database_factory()
    await database.migrate()
    queue = database.deliveries()
    await queue.enqueue(planned(3), NOW)
    first = await queue.claim(NOW, "a", timedelta(minutes=2), limit=2)
    assert len(first) == 2 and all(d.attempts == 1 and not d.outcome_unknown for d in first)
    second = await queue.claim(NOW, "b", timedelta(minutes=2), limit=10)
    assert [d.id for d in second] == [3]
    assert await queue.claim(NOW + timedelta(minutes=1), "b", timedelta(minutes=2), limit=10) == []
    again = await queue.claim(NOW + timedelta(minutes=3), "b", timedelta(minutes=2), limit=10)
    assert sorted(d.id for d in again) == [1, 2, 3] and all(d.outcome_unknown and d.attempts == 2 for d in again)


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


async def test_sent_subjects_only_counts_sent_rows(database_factory):
    database = database_factory()
    await database.migrate()
    queue = database.deliveries()
    await queue.enqueue(planned(2), NOW)
    assert await queue.sent_subjects(["closure_notice"]) == set()
    [row, _] = await queue.claim(NOW, "w", timedelta(minutes=2), limit=2)
    await queue.mark_sent(row.id, "m1", NOW)
    assert await queue.sent_subjects(["closure_notice"]) == {"closure:1"}
    assert await queue.sent_subjects(["closure_start"]) == set()
