"""The bot.store.Store contract, checked the same way against MemoryStore, SQLite and PostgreSQL."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from factories import message as client_message
from memory_store import MemoryStore

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode, Closure, ClosureKind
from bot.store import Store
from storage.store import SqlStore

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
A = ChannelRef("slack", "T1", "C1")
B = ChannelRef("slack", "T1", "C2")
A_OTHER_WORKSPACE = ChannelRef("slack", "T2", "C1")
A_DISCORD = ChannelRef("discord", "T1", "C1")


def closure(start_days: float, end_days: float, **kwargs: object) -> Closure:
    return Closure(start=T0 + timedelta(days=start_days), end=T0 + timedelta(days=end_days), **kwargs)


def assert_utc(value: datetime | None) -> None:
    assert value is not None
    assert value.tzinfo is not None and value.utcoffset() == timedelta(0), value


def message(channel: ChannelRef = A, author: str = "U1", text: str = "hello", **kwargs: object) -> IncomingMessage:
    """The same message on every call: m1, event e1."""
    return client_message(text, T0, channel, author_id=author, message_id="m1", event_id="e1", **kwargs)


@pytest.mark.parametrize("implementation", [MemoryStore, SqlStore])
def test_every_protocol_method_is_implemented_with_its_signature(implementation: type) -> None:
    methods = [name for name, member in vars(Store).items() if inspect.iscoroutinefunction(member)]
    assert "mark_event_seen" in methods
    for name in methods:
        ours = getattr(implementation, name)
        assert inspect.iscoroutinefunction(ours), name
        expected = [(p.name, p.kind, p.default) for p in inspect.signature(getattr(Store, name)).parameters.values()]
        actual = [(p.name, p.kind, p.default) for p in inspect.signature(ours).parameters.values()]
        assert actual == expected, name


# closures


async def test_add_closure_sets_id_and_created_at_and_round_trips(store) -> None:
    added = await store.add_closure(
        closure(1, 3, reason="Vacation", backup="Sam <sam@example.com>", notice_days=(14, 1), kind=ClosureKind.PLANNED)
    )
    assert added.id is not None
    assert_utc(added.created_at)
    assert added.reason == "Vacation" and added.backup == "Sam <sam@example.com>"
    assert added.notice_days == (14, 1)
    assert added.cancelled_at is None
    fetched = await store.get_closure(added.id)
    assert fetched == added
    assert_utc(fetched.start)
    assert_utc(fetched.end)


async def test_closure_defaults_and_emergency_kind(store) -> None:
    added = await store.add_closure(closure(0, 1, kind=ClosureKind.EMERGENCY))
    fetched = await store.get_closure(added.id)
    assert fetched.kind is ClosureKind.EMERGENCY
    assert fetched.notice_days is None and fetched.backup is None and fetched.reason == ""


async def test_closure_keeps_given_created_at_and_ignores_given_id(store) -> None:
    created = T0 - timedelta(days=2)
    first = await store.add_closure(closure(1, 2, id=999, created_at=created))
    second = await store.add_closure(closure(3, 4))
    assert first.created_at == created
    assert first.id != second.id
    assert await store.get_closure(first.id) == first


async def test_get_missing_closure_is_none(store) -> None:
    assert await store.get_closure(12345) is None


async def test_closure_instants_come_back_as_utc(store) -> None:
    start = datetime(2025, 7, 1, 9, 0, tzinfo=PARIS)
    end = datetime(2025, 7, 1, 17, 0, tzinfo=timezone(timedelta(hours=-5)))
    added = await store.add_closure(Closure(start=start, end=end))
    fetched = await store.get_closure(added.id)
    assert fetched.start == start and fetched.end == end
    assert fetched.start.tzinfo == UTC and fetched.end.tzinfo == UTC
    assert fetched.start.hour == 7 and fetched.end.hour == 22


async def test_microseconds_survive(store) -> None:
    start = T0 + timedelta(microseconds=123456)
    added = await store.add_closure(Closure(start=start, end=start + timedelta(microseconds=1)))
    fetched = await store.get_closure(added.id)
    assert fetched.start == start and fetched.end == start + timedelta(microseconds=1)


async def test_naive_datetimes_are_refused(store) -> None:
    with pytest.raises(ValueError, match="naive"):
        await store.add_closure(Closure(start=datetime(2025, 1, 1), end=datetime(2025, 1, 2)))
    with pytest.raises(ValueError, match="naive"):
        await store.list_closures(ending_after=datetime(2025, 1, 1))
    assert await store.list_closures(ending_after=T0 - timedelta(days=999), include_cancelled=True) == []


async def test_list_closures_orders_by_start_and_filters_by_end(store) -> None:
    later = await store.add_closure(closure(10, 12, reason="later"))
    past = await store.add_closure(closure(-5, -3, reason="past"))
    current = await store.add_closure(closure(-1, 1, reason="current"))
    soon = await store.add_closure(closure(2, 3, reason="soon"))
    ends_now = await store.add_closure(closure(-2, 0, reason="ends exactly now"))

    listed = await store.list_closures(ending_after=T0)
    assert [c.id for c in listed] == [current.id, soon.id, later.id]
    everything = await store.list_closures(ending_after=T0 - timedelta(days=100))
    assert [c.id for c in everything] == [past.id, ends_now.id, current.id, soon.id, later.id]
    # the bound may be given in any zone
    paris_now = T0.astimezone(PARIS)
    assert [c.id for c in await store.list_closures(ending_after=paris_now)] == [current.id, soon.id, later.id]


async def test_list_closures_orders_same_start_by_id(store) -> None:
    first = await store.add_closure(closure(1, 5))
    second = await store.add_closure(closure(1, 2))
    assert [c.id for c in await store.list_closures(ending_after=T0)] == [first.id, second.id]


async def test_cancel_closure(store) -> None:
    keep = await store.add_closure(closure(1, 2))
    drop = await store.add_closure(closure(3, 4))
    at = datetime(2025, 3, 10, 12, 30, tzinfo=PARIS)

    cancelled = await store.cancel_closure(drop.id, at)
    assert cancelled is not None and cancelled.id == drop.id
    assert cancelled.cancelled_at == at and cancelled.cancelled_at.tzinfo == UTC
    assert cancelled.start == drop.start and cancelled.reason == drop.reason
    assert await store.get_closure(drop.id) == cancelled

    assert [c.id for c in await store.list_closures(ending_after=T0)] == [keep.id]
    both = await store.list_closures(ending_after=T0, include_cancelled=True)
    assert [c.id for c in both] == [keep.id, drop.id]
    assert both[1].cancelled_at == at

    assert await store.cancel_closure(drop.id, at + timedelta(hours=1)) is None  # already cancelled
    assert (await store.get_closure(drop.id)).cancelled_at == at
    assert await store.cancel_closure(98765, at) is None


async def test_change_closure_cancels_it_and_adds_its_replacement(store) -> None:
    old = await store.add_closure(closure(1, 2))
    at = datetime(2025, 3, 10, 12, 30, tzinfo=PARIS)
    new = await store.change_closure(old.id, replace(closure(3, 5), reason="moved"), at)
    assert new is not None and new.id != old.id and new.replaces == old.id and new.reason == "moved"
    assert new.created_at == at and new.cancelled_at is None
    assert (await store.get_closure(old.id)).cancelled_at == at
    assert [c.id for c in await store.list_closures(ending_after=T0)] == [new.id]
    assert await store.change_closure(old.id, closure(6, 7), at) is None  # already changed
    assert [c.id for c in await store.list_closures(ending_after=T0)] == [new.id]


# channels


async def test_unknown_channel(store) -> None:
    assert await store.get_channel_mode(A) is None
    assert await store.list_channels() == []
    assert await store.list_channels(ChannelMode.CLIENT) == []


async def test_remembered_channel_is_unmarked_and_counts_as_client(store) -> None:
    await store.remember_channel(A, name="acme")
    assert await store.get_channel_mode(A) is None
    assert await store.list_channels() == [A]
    assert await store.list_channels(ChannelMode.CLIENT) == [A]
    assert await store.list_channels(ChannelMode.INTERNAL) == []


async def test_remember_is_idempotent_and_keeps_mode(store) -> None:
    await store.set_channel_mode(A, ChannelMode.INTERNAL, name="team")
    await store.remember_channel(A)
    await store.remember_channel(A, name="team-renamed")
    assert await store.get_channel_mode(A) is ChannelMode.INTERNAL
    assert await store.list_channels() == [A]


async def test_channel_modes_and_filters(store) -> None:
    await store.remember_channel(B)
    await store.set_channel_mode(A, ChannelMode.CLIENT)  # unknown channel: created and marked
    await store.set_channel_mode(A_OTHER_WORKSPACE, ChannelMode.INTERNAL)
    await store.remember_channel(A_DISCORD)

    assert await store.get_channel_mode(A) is ChannelMode.CLIENT
    assert await store.get_channel_mode(A_OTHER_WORKSPACE) is ChannelMode.INTERNAL
    assert await store.get_channel_mode(A_DISCORD) is None
    everything = await store.list_channels()
    assert set(everything) == {A, B, A_OTHER_WORKSPACE, A_DISCORD} and len(everything) == 4
    assert set(await store.list_channels(ChannelMode.CLIENT)) == {A, B, A_DISCORD}
    assert await store.list_channels(ChannelMode.INTERNAL) == [A_OTHER_WORKSPACE]

    await store.set_channel_mode(A, ChannelMode.INTERNAL)
    await store.set_channel_mode(A_OTHER_WORKSPACE, ChannelMode.CLIENT)
    assert set(await store.list_channels(ChannelMode.INTERNAL)) == {A}
    assert set(await store.list_channels(ChannelMode.CLIENT)) == {B, A_OTHER_WORKSPACE, A_DISCORD}


async def test_list_channels_accepts_plain_strings(store) -> None:
    await store.set_channel_mode(A, "internal")
    await store.remember_channel(B)
    assert await store.get_channel_mode(A) is ChannelMode.INTERNAL
    assert await store.list_channels("client") == [B]
