"""Store.load_message_state and Store.record_decision: one snapshot read, and a reply logged only on the version read."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from factories import message as client_message

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, ClosureKind, MeetingSlot, SentReply
from bot.promises import promise_for
from bot.store import DecisionRecord, MessageContext, MessageState
from storage.errors import is_unavailable

T0 = datetime(2026, 11, 23, 21, 0, 0, 123456, tzinfo=UTC)
A = ChannelRef("slack", "T1", "C1")
B = ChannelRef("slack", "T1", "C2")


def message(channel: ChannelRef = A, author: str = "U1", text: str = "hello") -> IncomingMessage:
    """Dana's message, the same on every call (and so one event, e1)."""
    return client_message(
        text,
        T0,
        channel,
        message_id="1795481200.000100",
        author_id=author,
        author_name="Dana",
        event_id="e1",
        permalink="https://example.slack.com/archives/C1/p1",
    )


def since(at: datetime):
    return lambda context, closures: at


async def test_a_fresh_channel_reads_empty_at_version_zero(store) -> None:
    state = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    assert state == MessageState(MessageContext(None, None, None), (), (), 0)


async def test_the_read_holds_context_closures_ending_later_and_history_since(store) -> None:
    await store.set_channel_mode(A, ChannelMode.CLIENT)
    await store.set_meeting_slot(MeetingSlot(A, weekday=1, local_time=time(10, 30), duration_minutes=45))
    await store.skip_meeting(A, date(2026, 12, 1))
    await store.set_client_timezone("slack", "T1", "U1", "Europe/London")
    past = await store.add_closure(Closure(T0 - timedelta(days=9), T0 - timedelta(days=2), "done"))
    later = await store.add_closure(
        Closure(
            T0 + timedelta(days=20),
            T0 + timedelta(days=27),
            "vacation",
            backup="Sam <sam@example.com>",
            notice_days=(14, 1),
        )
    )
    now = await store.add_closure(
        Closure(T0 - timedelta(hours=1), T0 + timedelta(hours=5), "sick", kind=ClosureKind.EMERGENCY, notice_days=())
    )
    cancelled = await store.add_closure(Closure(T0 + timedelta(days=1), T0 + timedelta(days=2), "off"))
    await store.cancel_closure(cancelled.id, T0)
    old = SentReply("after_hours", "window:old", T0 - timedelta(days=3))
    recent = SentReply("redirect", "", T0 - timedelta(minutes=5))
    await store.record_replies(message(), [old, recent])
    await store.record_replies(message(B), [SentReply("after_hours", "window:b", T0)])
    seen = []

    def history_since(context, closures):
        seen.append((context, closures))
        return T0 - timedelta(days=1)

    state = await store.load_message_state(A, "U1", T0, history_since)
    slot = MeetingSlot(A, 1, time(10, 30), 45, frozenset({date(2026, 12, 1)}))
    assert state.context == MessageContext(ChannelMode.CLIENT, slot, "Europe/London", channel_present=True)
    assert state.closures == (now, later) and past not in state.closures
    assert seen == [(state.context, state.closures)]
    assert state.history == (recent,)  # a reply in another channel, or before `since`, is not in it


async def test_no_history_is_read_when_the_decision_needs_none(store) -> None:
    await store.record_replies(message(), [SentReply("after_hours", "window:1", T0)])
    state = await store.load_message_state(A, "U1", T0, lambda context, closures: None)
    assert state.history == () and state.version == 0


async def test_recording_on_the_version_read_logs_the_replies_and_moves_the_version(store) -> None:
    state = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    replies = [SentReply("after_hours", "window:next", T0), SentReply("redirect", "", T0)]
    assert (
        await store.record_decision(DecisionRecord(message(), replies, version=state.version, remember_channel=False))
        is True
    )
    after = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    assert after.history == tuple(replies) and after.version != state.version
    logged = await store.reply_log_between(T0, T0 + timedelta(seconds=1))
    assert [
        (e.channel, e.client_id, e.client_name, e.kind, e.sent_at, e.text_excerpt, e.permalink) for e in logged
    ] == [
        (A, "U1", "Dana", kind, T0, "hello", "https://example.slack.com/archives/C1/p1")
        for kind in ("after_hours", "redirect")
    ]
    assert await store.list_channels() == []  # not asked to remember it


async def test_recording_on_a_stale_version_writes_nothing(store) -> None:
    state = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    first = [SentReply("after_hours", "window:next", T0)]
    assert await store.record_decision(DecisionRecord(message(), first, version=state.version, remember_channel=False))
    late = [SentReply("after_hours", "window:next", T0 + timedelta(seconds=1))]
    assert (
        await store.record_decision(DecisionRecord(message(), late, version=state.version, remember_channel=True))
        is False
    )
    assert await store.recent_replies(A, "U1", T0 - timedelta(days=1)) == first
    assert await store.list_channels() == []
    other_client = await store.load_message_state(A, "U2", T0, since(T0 - timedelta(days=1)))
    assert other_client.version == 0  # versions are per client and channel


async def test_the_reply_s_promise_is_stored_with_the_decision_and_only_if_it_stands(store) -> None:
    state = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    replies = [SentReply("after_hours", "window:next", T0)]
    promise = promise_for(message(), T0 + timedelta(hours=14), "1 business day", T0)
    stale = promise_for(message(author="U1"), T0 + timedelta(hours=99), "1 business day", T0)
    assert await store.record_decision(
        DecisionRecord(message(), replies, version=state.version, remember_channel=False, promise=promise)
    )
    assert (
        await store.record_decision(
            DecisionRecord(message(), replies, version=state.version, remember_channel=False, promise=stale)
        )
        is False
    )
    (stored,) = await store.list_promises()
    assert (stored.channel, stored.client_id, stored.message_id, stored.client_name) == (
        A,
        "U1",
        message().message_id,
        "Dana",
    )
    assert (stored.due_at, stored.rule, stored.created_at) == (promise.due_at, "1 business day", T0)
    assert stored.permalink == message().permalink and stored.answered_at is None
    again = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    later = replace(promise, due_at=T0 + timedelta(days=5))  # the same message decided again: still one promise
    assert await store.record_decision(
        DecisionRecord(message(), replies, version=again.version, remember_channel=False, promise=later)
    )
    assert [p.due_at for p in await store.list_promises()] == [promise.due_at]


async def test_no_replies_only_remembers_the_channel_and_keeps_the_version(store) -> None:
    state = await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    assert (
        await store.record_decision(DecisionRecord(message(), [], version=state.version + 7, remember_channel=True))
        is True
    )
    assert await store.list_channels() == [A]
    assert (await store.load_message_state(A, "U1", T0, since(T0))).version == state.version
    await store.set_channel_mode(A, ChannelMode.INTERNAL)
    assert await store.record_decision(DecisionRecord(message(), [], version=0, remember_channel=True))
    assert await store.get_channel_mode(A) is ChannelMode.INTERNAL  # remembering never resets the owner's mark


async def test_concurrent_decisions_on_one_version_record_once(database_factory) -> None:
    databases = [database_factory() for _ in range(4)]
    await databases[0].migrate()
    stores = [database.store() for database in databases]
    state = await stores[0].load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    results = await asyncio.gather(
        *(
            store.record_decision(
                DecisionRecord(
                    message(text=f"copy {n}"),
                    [SentReply("after_hours", "w", T0)],
                    version=state.version,
                    remember_channel=True,
                )
            )
            for n, store in enumerate(stores * 3)
        )
    )
    assert sorted(results) == [False] * 11 + [True]
    assert len(await stores[1].recent_replies(A, "U1", T0 - timedelta(days=1))) == 1


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_sqlite_waits_for_another_writer_then_records(database_factory) -> None:
    database = await database_factory.migrated()
    store = database.store()
    holder = sqlite3.connect(database_factory.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    recording = asyncio.ensure_future(
        store.record_decision(
            DecisionRecord(message(), [SentReply("after_hours", "w", T0)], version=0, remember_channel=True)
        )
    )
    await asyncio.sleep(0.3)
    assert not recording.done()  # waiting, and the event loop is free meanwhile
    holder.execute("COMMIT")
    assert await recording is True
    holder.close()


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_sqlite_locked_past_the_wait_is_an_unavailable_error(database_factory, monkeypatch) -> None:
    monkeypatch.setattr("storage.message_path.BUSY_SECONDS", 0.2)
    database = await database_factory.migrated()
    holder = sqlite3.connect(database_factory.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            await database.store().mark_event_seen("slack", "Ev-locked", T0)
        assert is_unavailable(raised.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert await database.store().mark_event_seen("slack", "Ev-locked", T0) is True  # nothing was half-written


async def test_a_claim_records_the_event_and_reads_the_state_a_copy_reads_nothing(store) -> None:
    await store.set_client_timezone("slack", "T1", "U1", "Asia/Tokyo")
    await store.record_replies(message(), [SentReply("redirect", "", T0 - timedelta(hours=2))])
    state = await store.claim_message(message(), T0, since(T0 - timedelta(days=1)))
    assert state == await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=1)))
    assert state.context.client_zone == "Asia/Tokyo" and [r.kind for r in state.history] == ["redirect"]
    assert await store.claim_message(message(), T0, since(T0 - timedelta(days=1))) is None
    assert await store.mark_event_seen("slack", "e1", T0) is False


async def test_history_from_long_ago_is_read_when_a_decision_reaches_that_far(store) -> None:
    """A reply at the start of a month-long closure still throttles at its end (beyond the first read's lookback)."""
    long_ago = SentReply("closed", "closure:1", T0 - timedelta(days=30))
    recent = SentReply("redirect", "", T0 - timedelta(days=2))
    await store.record_replies(message(), [long_ago, recent])
    claimed = await store.claim_message(message(), T0, since(T0 - timedelta(days=31)))
    if type(store).__name__ == "SqlStore" and store._engine.dialect.name == "postgresql":
        # a claim on PostgreSQL is one statement, nothing after it: it says the history is cut short
        assert not claimed.history_complete and claimed.history == ()
    else:
        assert claimed.history_complete and claimed.history == (long_ago, recent)
    assert (await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=31)))).history == (long_ago, recent)
    assert (await store.load_message_state(A, "U1", T0, since(T0 - timedelta(days=3)))).history == (recent,)
    assert (await store.load_message_state(A, "U1", T0, since(recent.sent_at))).history == (recent,)  # inclusive


async def test_a_client_s_replies_in_the_owner_s_dms_and_in_channels_are_one_history(store) -> None:
    dm, elsewhere = ChannelRef("slack", "T1", "D9"), ChannelRef("slack", "T2", "C1")
    in_dm = replace(message(dm, text="in the dm"), owner_dm="U_OWNER", message_id="m-dm", event_id="e-dm")
    in_a, in_b, in_dm_reply = (SentReply(kind, "window:1", T0 + timedelta(seconds=n)) for n, kind in enumerate("abc"))
    await store.record_replies(message(A), [in_a])
    await store.record_replies(message(B), [in_b])
    assert await store.record_decision(DecisionRecord(in_dm, [in_dm_reply], version=0, remember_channel=False))
    await store.record_replies(message(A, author="U2"), [SentReply("x", "window:1", T0)])  # another client
    await store.record_replies(replace(message(elsewhere), owner_dm="U_OWNER"), [SentReply("y", "", T0)])
    read_from = since(T0 - timedelta(days=1))

    assert (await store.load_message_state(A, "U1", T0, read_from)).history == (in_a, in_dm_reply)
    assert (await store.load_message_state(B, "U1", T0, read_from)).history == (in_b, in_dm_reply)
    everywhere = (in_a, in_b, in_dm_reply)
    assert (await store.load_message_state(dm, "U1", T0, read_from, owner_dm=True)).history == everywhere
    claimed = await store.claim_message(replace(in_dm, event_id="e-dm-2"), T0, read_from)
    assert claimed is not None and claimed.history == everywhere
    assert (await store.load_message_state(A, "U2", T0, read_from)).history == (SentReply("x", "window:1", T0),)
