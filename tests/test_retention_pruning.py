"""Pruning at the boundaries: a row one second inside its period stays, one second outside goes, on every backend."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from factories import make_policy, message
from sqlalchemy import select

from bot.messages import ChannelRef
from bot.models import SentReply
from bot.pruning import Pruning
from bot.queue import DeliveryKey, DeliveryState, Pause, PlannedDelivery
from bot.retention import Retention, cutoffs
from storage.tables import pauses

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
RETENTION = Retention(event_ids="7d", replies="90d", sent_payloads="1h", failed_payloads="14d", batch_size=10)


def log_reply(at: datetime, text: str):
    return message(text, at, author_name="Sam Client"), [SentReply("after_hours", f"window:{text}", at)]


async def test_event_ids_and_replies_one_second_either_side_of_their_period(store):
    inside, outside = NOW - timedelta(days=7) + SECOND, NOW - timedelta(days=7) - SECOND
    assert await store.mark_event_seen("slack", "Ev-in", inside)
    assert await store.mark_event_seen("slack", "Ev-out", outside)
    for at, text in ((NOW - timedelta(days=90) + SECOND, "inside"), (NOW - timedelta(days=90) - SECOND, "outside")):
        await store.record_replies(*log_reply(at, text))

    report = await store.prune(cutoffs(RETENTION, NOW))

    assert (report.event_ids, report.replies) == (1, 1)
    assert not await store.mark_event_seen("slack", "Ev-in", NOW)  # still remembered: a re-delivery is dropped
    assert await store.mark_event_seen("slack", "Ev-out", NOW)  # forgotten
    kept = await store.reply_log_between(NOW - timedelta(days=100), NOW)
    assert [entry.text_excerpt for entry in kept] == ["inside"]
    assert (await store.prune(cutoffs(RETENTION, NOW))).replies == 0  # idempotent


async def test_pruning_runs_in_batches_until_done(store):
    for n in range(25):
        await store.mark_event_seen("slack", f"Ev{n}", NOW - timedelta(days=30))
    report = await store.prune(cutoffs(RETENTION, NOW))
    assert report.event_ids == 25
    assert (await store.prune(cutoffs(RETENTION, NOW))).total == 0


async def test_the_pruning_job_waits_for_off_peak_and_keeps_what_throttles_need(store):
    policy = make_policy(retention={"replies": "10d"}, throttle={"redirect": "30d"})
    await store.record_replies(*log_reply(NOW - timedelta(days=29), "throttling"))
    await store.record_replies(*log_reply(NOW - timedelta(days=31), "old"))
    open_hours = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York, a Tuesday
    assert await Pruning(store, policy, lambda: open_hours).run_once() is None
    report = await Pruning(store, policy, lambda: NOW).run_once()  # 23:00 the evening before: closed
    assert report is not None and report.replies == 1
    assert [e.text_excerpt for e in await store.reply_log_between(NOW - timedelta(days=40), NOW)] == ["throttling"]


def planned(n: int, *, kind: str = "closure_notice", data: dict | None = None) -> PlannedDelivery:
    key = DeliveryKey(kind, f"subject:{n}", "2026-03-01", "slack", "T1", f"C{n}")
    return PlannedDelivery(key, NOW - timedelta(days=30), NOW + timedelta(days=30), f"text {n}", data=data)


async def test_payloads_are_cut_past_their_period_keeping_keys_state_and_message_id(database_factory):
    database = await database_factory.migrated()
    queue, store = database.deliveries(), database.store()
    rows = [planned(n, data={"excerpt": f"words {n}"}) for n in range(5)]
    await queue.enqueue(rows, NOW - timedelta(days=30))
    ids = {d.key.subject_id: d.id for d in await queue.list_deliveries()}
    await queue.mark_sent(ids["subject:0"], "ts-0", NOW - timedelta(hours=1) + SECOND)
    await queue.mark_sent(ids["subject:1"], "ts-1", NOW - timedelta(hours=1) - SECOND)
    await queue.mark_failed(ids["subject:2"], "not_in_channel", NOW - timedelta(days=14) + SECOND)
    await queue.mark_failed(ids["subject:3"], "not_in_channel", NOW - timedelta(days=14) - SECOND)
    # subject:4 stays pending however old: it has not gone out yet

    report = await store.prune(cutoffs(RETENTION, NOW))

    assert report.payloads == 2
    after = {d.key.subject_id: d for d in await queue.list_deliveries()}
    assert {s: (d.text, d.data) for s, d in after.items() if not d.text} == {
        "subject:1": ("", None),
        "subject:3": ("", None),
    }
    assert after["subject:0"].text == "text 0" and after["subject:0"].data == {"excerpt": "words 0"}
    assert after["subject:2"].text == "text 2" and after["subject:4"].text == "text 4"
    cut = after["subject:1"]
    assert (cut.key, cut.state, cut.platform_message_id) == (planned(1).key, DeliveryState.SENT, "ts-1")
    assert after["subject:3"].last_error == "not_in_channel"
    assert await queue.enqueue([planned(1)], NOW) == []  # its key still holds: planning again adds nothing
    # The digest still finds the failure by when it failed: cutting never moves updated_at.
    failed = await queue.list_deliveries(states=[DeliveryState.FAILED], updated_since=NOW - timedelta(days=15))
    assert len(failed) == 2
    assert (await store.prune(cutoffs(RETENTION, NOW))).payloads == 0


async def test_rate_pauses_go_once_they_have_ended(database_factory):
    database = await database_factory.migrated()
    queue = database.deliveries()
    await queue.pause(Pause("slack", "T1", "C1", NOW - SECOND))
    await queue.pause(Pause("slack", "T1", "C2", NOW + SECOND))
    assert (await database.store().prune(cutoffs(RETENTION, NOW))).rate_pauses == 1
    async with database.engine.connect() as conn:
        left = (await conn.execute(select(pauses.c.channel_id))).scalars().all()
    assert left == ["C2"]


async def test_two_replicas_pruning_at_once_remove_each_row_once(database_factory):
    first, second = database_factory(), database_factory()
    await first.migrate()
    store = first.store()
    for n in range(60):
        await store.mark_event_seen("slack", f"Ev{n}", NOW - timedelta(days=30))
    reports = await asyncio.gather(
        first.store().prune(cutoffs(RETENTION, NOW)), second.store().prune(cutoffs(RETENTION, NOW))
    )
    assert sum(r.event_ids for r in reports) == 60
    assert await store.mark_event_seen("slack", "Ev0", NOW)


async def test_memory_and_sql_agree_that_pruned_history_moves_no_version(store):
    channel = ChannelRef("slack", "T1", "C1")
    await store.record_replies(*log_reply(NOW - timedelta(days=200), "old"))
    before = await store.load_message_state(channel, "U_CLIENT", NOW, lambda *_: NOW - timedelta(days=1))
    await store.prune(cutoffs(RETENTION, NOW))
    after = await store.load_message_state(channel, "U_CLIENT", NOW, lambda *_: NOW - timedelta(days=1))
    assert after.version == before.version
