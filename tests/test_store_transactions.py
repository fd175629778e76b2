"""The message state's context (three lookups in one read), and reading beside another process's write lock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from factories import message as client_message

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, MeetingSlot
from bot.store import MessageContext
from storage.database import Database

T0 = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
A = ChannelRef("slack", "T1", "C1")
B = ChannelRef("slack", "T1", "C2")


def message(channel: ChannelRef = A, author: str = "U1") -> IncomingMessage:
    """The same message on every call: m1, event e1."""
    return client_message("hello", T0, channel, author_id=author, message_id="m1", event_id="e1")


async def context(store, channel: ChannelRef, client_id: str) -> MessageContext:
    return (await store.load_message_state(channel, client_id, T0, lambda context, closures: None)).context


async def test_message_context_reads_mode_slot_and_zone_for_this_channel_and_client(store) -> None:
    assert await context(store, A, "U1") == MessageContext(None, None, None)
    await store.set_channel_mode(A, ChannelMode.INTERNAL)
    await store.set_meeting_slot(MeetingSlot(A, weekday=1, local_time=time(10, 30), duration_minutes=45))
    await store.skip_meeting(A, date(2026, 12, 1))
    await store.set_client_timezone("slack", "T1", "U1", "Europe/London")
    await store.set_client_timezone("slack", "T2", "U2", "Asia/Tokyo")
    found = await context(store, A, "U1")
    assert found.channel_mode is ChannelMode.INTERNAL and found.client_zone == "Europe/London"
    assert found.meeting_slot == MeetingSlot(A, 1, time(10, 30), 45, frozenset({date(2026, 12, 1)}))
    assert await context(store, B, "U2") == MessageContext(None, None, None)  # U2's zone is for T2
    assert await context(store, B, "U1") == MessageContext(None, None, "Europe/London")


async def test_sqlite_readers_do_not_wait_for_a_writer_and_a_claim_fails_rather_than_hang(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with Database(url) as first, Database(url) as other:
        await first.migrate()
        store = first.store()
        await store.remember_channel(A)
        async with other.engine.begin() as locked:  # another process holds the write lock
            await locked.exec_driver_sql(
                "INSERT INTO channels (platform, workspace_id, channel_id, name, first_seen_at) "
                "VALUES ('slack', 'T1', 'C9', '', '2026-01-01')"
            )
            state = await store.load_message_state(A, "U1", T0, lambda context, closures: T0)
            assert state.context.channel_mode is None and state.history == ()
            with pytest.raises(Exception, match="database is locked"):  # after 2 s (message_path.BUSY_SECONDS)
                await store.mark_event_seen("slack", "Ev1", T0)
        assert await store.mark_event_seen("slack", "Ev1", T0) is True
