"""The Store's channel presence: left channels, the platform's list synced in, a client's message bringing one back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import make_policy, ny
from factories import message as client_message

from bot.messages import ChannelRef, IncomingMessage
from bot.models import ChannelMode
from bot.roles import Roles
from bot.service import BoundaryService
from bot.store import DecisionRecord

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
A = ChannelRef("slack", "T1", "C1")
B = ChannelRef("slack", "T1", "C2")
C = ChannelRef("slack", "T1", "C3")
OTHER_WORKSPACE = ChannelRef("slack", "T2", "C1")
DISCORD = ChannelRef("discord", "T1", "C1")


def message(channel: ChannelRef, event_id: str = "e1") -> IncomingMessage:
    return client_message("hello", T0, channel, author_id="U1", message_id="m1", event_id=event_id)


async def test_a_left_channel_is_not_listed_and_keeps_its_mode(store) -> None:
    await store.set_channel_mode(A, ChannelMode.INTERNAL)
    await store.remember_channel(B)
    await store.mark_channel_left(A, T0)
    await store.mark_channel_left(B, T0)
    assert await store.list_channels() == []
    assert await store.list_channels(ChannelMode.CLIENT) == []
    assert await store.list_channels(ChannelMode.INTERNAL) == []
    assert await store.get_channel_mode(A) is ChannelMode.INTERNAL


async def test_marking_an_unknown_channel_left_records_nothing(store) -> None:
    await store.mark_channel_left(A, T0)
    assert await store.get_channel_mode(A) is None
    await store.remember_channel(A)
    assert await store.list_channels() == [A]


async def test_remember_brings_a_left_channel_back(store) -> None:
    await store.set_channel_mode(A, ChannelMode.CLIENT, name="acme")
    await store.mark_channel_left(A, T0)
    await store.remember_channel(A)
    assert await store.list_channels(ChannelMode.CLIENT) == [A]
    assert await store.get_channel_mode(A) is ChannelMode.CLIENT


async def test_sync_remembers_the_present_and_marks_only_that_workspace_s_others_left(store) -> None:
    for channel in (A, B, OTHER_WORKSPACE, DISCORD):
        await store.remember_channel(channel)
    await store.sync_channels("slack", "T1", [(B, "general"), (C, "acme-shared")], T0)
    assert await store.list_channels() == [DISCORD, B, C, OTHER_WORKSPACE]
    assert await store.list_channels(ChannelMode.CLIENT) == [DISCORD, B, C, OTHER_WORKSPACE]


async def test_sync_brings_left_channels_back_and_an_empty_list_leaves_all(store) -> None:
    await store.remember_channel(A)
    await store.mark_channel_left(A, T0 - timedelta(days=1))
    await store.sync_channels("slack", "T1", [(A, "acme")], T0)
    assert await store.list_channels() == [A]
    await store.sync_channels("slack", "T1", [], T0 + timedelta(hours=3))
    assert await store.list_channels() == []


async def test_a_leave_newer_than_the_list_stands(store) -> None:
    await store.remember_channel(A)
    await store.mark_channel_left(A, T0 + timedelta(seconds=5))  # news that came while the list was being read
    await store.sync_channels("slack", "T1", [(A, "acme"), (B, "")], T0)
    assert await store.list_channels() == [B]


async def test_sync_keeps_the_mode_and_a_duplicate_entry_is_one_channel(store) -> None:
    await store.set_channel_mode(A, ChannelMode.INTERNAL, name="team")
    await store.sync_channels("slack", "T1", [(A, "team-renamed"), (A, "team-renamed"), (B, "")], T0)
    assert await store.list_channels(ChannelMode.INTERNAL) == [A]
    assert await store.list_channels(ChannelMode.CLIENT) == [B]


async def test_sync_refuses_a_channel_of_another_workspace(store) -> None:
    await store.remember_channel(A)
    with pytest.raises(ValueError, match="T2"):
        await store.sync_channels("slack", "T1", [(B, ""), (OTHER_WORKSPACE, "")], T0)
    assert await store.list_channels() == [A]  # nothing written


async def test_sync_of_many_channels(store) -> None:
    many = [ChannelRef("slack", "T1", f"C{n:05d}") for n in range(1200)]
    await store.sync_channels("slack", "T1", [(ref, f"client-{n}") for n, ref in enumerate(many)], T0)
    assert len(await store.list_channels()) == 1200
    await store.sync_channels("slack", "T1", [(ref, "") for ref in many[:10]], T0 + timedelta(hours=1))
    assert await store.list_channels() == many[:10]


async def test_the_message_path_brings_a_left_channel_back(store) -> None:
    await store.remember_channel(A)
    await store.mark_channel_left(A, T0)
    state = await store.claim_message(message(A), T0, lambda context, closures: None)
    assert await store.record_decision(DecisionRecord(message(A), [], version=state.version, remember_channel=True))
    assert await store.list_channels() == [A]


async def test_the_message_path_leaves_a_left_channel_left_when_not_asked_to_remember(store) -> None:
    await store.remember_channel(A)
    await store.mark_channel_left(A, T0)
    assert await store.record_decision(DecisionRecord(message(A), [], version=0, remember_channel=False))
    assert await store.list_channels() == []


async def test_a_client_writing_in_a_channel_marked_left_brings_it_back(store) -> None:
    channel = ChannelRef("slack", "T1", "C_BACK")
    service = BoundaryService(store, make_policy(), Roles(), lambda: ny(2026, 11, 23, 21))
    first = client_message(
        "Could you look at the invoice tonight?",
        ny(2026, 11, 23, 21),
        channel_id="C_BACK",
        event_id="Ev-back-1",
        message_id="m-back-1",
    )
    await service.handle_message(first)
    assert channel in await store.list_channels()
    await store.mark_channel_left(channel, ny(2026, 11, 23, 21))
    assert channel not in await store.list_channels()
    again = client_message(
        "Still there?", ny(2026, 11, 23, 21), channel_id="C_BACK", event_id="Ev-back-2", message_id="m-back-2"
    )
    await service.handle_message(again)  # the same service that remembered it before
    assert channel in await store.list_channels()
