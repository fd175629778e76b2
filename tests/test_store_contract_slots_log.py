"""The Store contract, continued, on every backend: meeting slots, client time zones, the reply log, seen events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from test_store_contract import A_OTHER_WORKSPACE, PARIS, T0, A, B, message

from bot.messages import ChannelRef
from bot.models import MeetingSlot, SentReply


def slot(channel: ChannelRef = A, weekday: int = 1, at: time = time(10, 0), minutes: int = 30) -> MeetingSlot:
    return MeetingSlot(channel=channel, weekday=weekday, local_time=at, duration_minutes=minutes)


async def test_meeting_slot_set_get_list(store) -> None:
    assert await store.get_meeting_slot(A) is None
    assert await store.list_meeting_slots() == []
    await store.set_meeting_slot(slot(B, weekday=3, at=time(15, 30), minutes=45))
    await store.set_meeting_slot(slot(A))
    assert await store.get_meeting_slot(B) == slot(B, weekday=3, at=time(15, 30), minutes=45)
    assert await store.get_meeting_slot(A_OTHER_WORKSPACE) is None
    assert await store.list_meeting_slots() == [slot(A), slot(B, weekday=3, at=time(15, 30), minutes=45)]


async def test_skip_meeting(store) -> None:
    assert await store.skip_meeting(A, date(2025, 3, 11)) is None
    await store.set_meeting_slot(slot(A))
    first = await store.skip_meeting(A, date(2025, 3, 18))
    assert first is not None and first.skipped_dates == frozenset({date(2025, 3, 18)})
    second = await store.skip_meeting(A, date(2025, 3, 11))
    again = await store.skip_meeting(A, date(2025, 3, 11))
    assert second == again
    assert again.skipped_dates == frozenset({date(2025, 3, 11), date(2025, 3, 18)})
    assert (await store.get_meeting_slot(A)).skipped_dates == again.skipped_dates
    assert (await store.get_meeting_slot(A)).local_time == time(10, 0)


async def test_replacing_a_slot_resets_skips(store) -> None:
    await store.set_meeting_slot(slot(A))
    await store.skip_meeting(A, date(2025, 3, 11))
    await store.set_meeting_slot(slot(A, weekday=4, at=time(9, 15), minutes=60))
    replaced = await store.get_meeting_slot(A)
    assert replaced == slot(A, weekday=4, at=time(9, 15), minutes=60)
    assert replaced.skipped_dates == frozenset()
    # skips carried in the given slot are reset too
    await store.set_meeting_slot(MeetingSlot(A, 4, time(9, 15), 60, frozenset({date(2025, 3, 14)})))
    assert (await store.get_meeting_slot(A)).skipped_dates == frozenset()
    assert len(await store.list_meeting_slots()) == 1


async def test_clear_meeting_slot(store) -> None:
    await store.set_meeting_slot(slot(A))
    await store.set_meeting_slot(slot(B))
    assert await store.clear_meeting_slot(A) is True
    assert await store.clear_meeting_slot(A) is False
    assert await store.get_meeting_slot(A) is None
    assert await store.list_meeting_slots() == [slot(B)]


# client time zones


async def test_client_timezones_upsert(store) -> None:
    assert await store.get_client_timezone("slack", "T1", "U1") is None
    await store.set_client_timezone("slack", "T1", "U1", "America/New_York")
    await store.set_client_timezone("slack", "T2", "U1", "Asia/Tokyo")
    assert await store.get_client_timezone("slack", "T1", "U1") == "America/New_York"
    await store.set_client_timezone("slack", "T1", "U1", "Europe/Paris")
    assert await store.get_client_timezone("slack", "T1", "U1") == "Europe/Paris"
    assert await store.get_client_timezone("slack", "T2", "U1") == "Asia/Tokyo"
    assert await store.get_client_timezone("discord", "T1", "U1") is None


# reply log


async def test_reply_log_since_filter_and_scope(store) -> None:
    r1 = SentReply("after_hours", "2025-03-09", T0 - timedelta(hours=20))
    r2 = SentReply("redirect", "2025-03-10", T0)
    r3 = SentReply("closure", "closure:7", T0 + timedelta(hours=1))
    await store.record_replies(message(), [r1])
    await store.record_replies(message(text="x" * 500, author_name="Ann", permalink="https://x"), [r3, r2])
    await store.record_replies(message(author="U2"), [SentReply("redirect", "2025-03-10", T0)])
    await store.record_replies(message(channel=B), [SentReply("redirect", "2025-03-10", T0)])
    await store.record_replies(message(), [])

    assert await store.recent_replies(A, "U1", T0 - timedelta(days=1)) == [r1, r2, r3]
    assert await store.recent_replies(A, "U1", T0) == [r2, r3]  # `since` is inclusive
    assert await store.recent_replies(A, "U1", T0 + timedelta(microseconds=1)) == [r3]
    assert await store.recent_replies(A, "U1", T0 + timedelta(days=1)) == []
    assert await store.recent_replies(A, "U2", T0 - timedelta(days=1)) == [r2]
    assert await store.recent_replies(B, "U1", T0 - timedelta(days=1)) == [r2]
    assert await store.recent_replies(A_OTHER_WORKSPACE, "U1", T0 - timedelta(days=1)) == []


async def test_reply_log_returns_utc(store) -> None:
    sent = datetime(2025, 3, 10, 18, 0, tzinfo=PARIS)
    await store.record_replies(message(), [SentReply("after_hours", "w", sent)])
    (got,) = await store.recent_replies(A, "U1", datetime(2025, 3, 10, 16, 59, tzinfo=UTC))
    assert got.sent_at == sent and got.sent_at.tzinfo == UTC


# seen events


async def test_mark_event_seen(store) -> None:
    assert await store.mark_event_seen("slack", "Ev1", T0) is True
    assert await store.mark_event_seen("slack", "Ev1", T0 + timedelta(seconds=1)) is False
    assert await store.mark_event_seen("slack", "Ev1", T0) is False
    assert await store.mark_event_seen("discord", "Ev1", T0) is True
    assert await store.mark_event_seen("slack", "Ev2", T0) is True
