"""The service every adapter uses: de-duplication, state loading, reply logging, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from factories import make_policy, message, ny

from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.messages import ChannelRef
from bot.models import ChannelMode
from bot.roles import Roles
from bot.service import BoundaryService

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


def service_on(store, at=MONDAY_NIGHT) -> BoundaryService:
    return BoundaryService(store, POLICY, ROLES, SimulatedClock(at))


async def test_a_repeated_event_is_dropped_before_any_decision(store):
    service = service_on(store)
    msg = message("hello?", MONDAY_NIGHT, event_id="Ev-dup")
    first = await service.handle_message(msg)
    second = await service.handle_message(msg)
    assert first.reply is not None and not first.duplicate
    assert second.duplicate and second.reply is None


async def test_the_reply_log_throttles_across_messages_and_is_per_client(store):
    service = service_on(store)
    assert (await service.handle_message(message("one", MONDAY_NIGHT))).reply is not None
    assert (await service.handle_message(message("two", MONDAY_NIGHT))).decision.throttled == ("after_hours",)
    other = await service.handle_message(message("hi", MONDAY_NIGHT, author_id="U_OTHER"))
    assert other.reply is not None


async def test_ignored_messages_leave_no_trace_in_the_reply_log(store):
    service = service_on(store)
    outcome = await service.handle_message(message("call me", MONDAY_NIGHT, author_id="U_OWNER"))
    assert outcome.decision.ignored == "owner or team"
    assert (
        await store.recent_replies(ChannelRef("slack", "T1", "C1"), "U_OWNER", MONDAY_NIGHT - timedelta(days=1)) == []
    )


async def test_internal_channels_and_stored_time_zones_are_honoured(store):
    service = service_on(store)
    await store.set_client_timezone("slack", "T1", "U_CLIENT", "Europe/London")
    outcome = await service.handle_message(message("hi", MONDAY_NIGHT))
    assert "2:00 PM GMT (your time)" in outcome.reply.text
    await store.set_channel_mode(ChannelRef("slack", "T1", "C2"), ChannelMode.INTERNAL)
    quiet = await service.handle_message(message("hi", MONDAY_NIGHT, channel_id="C2"))
    assert quiet.decision.ignored == "internal channel"


async def test_closures_added_by_command_shape_the_next_reply(store):
    service = service_on(store, ny(2026, 11, 22, 10, 0))
    owner = Invocation("slack", "T1", "C1", "U_OWNER")
    result = await service.handle_command("closure add Dec 24 to Jan 2 reason: the holidays", owner)
    assert result.ok
    service.clock.set(ny(2026, 12, 28, 10, 0))
    outcome = await service.handle_message(message("are you there?", ny(2026, 12, 28, 10, 0)))
    assert outcome.reply.reasons == ("closed",) and "closed for the holidays" in outcome.reply.text


async def test_the_throttle_survives_a_restart(database_factory):
    first_process = await database_factory.migrated()
    assert (await service_on(first_process.store()).handle_message(message("one", MONDAY_NIGHT))).reply
    await first_process.dispose()
    second_process = database_factory()
    later = MONDAY_NIGHT + timedelta(hours=2)
    outcome = await service_on(second_process.store(), later).handle_message(message("two", later))
    assert outcome.reply is None and outcome.decision.throttled == ("after_hours",)


async def test_two_processes_racing_on_copies_of_one_event_reply_once(database_factory):
    one, two = database_factory(), database_factory()
    await one.migrate()
    services = [service_on(one.store()), service_on(two.store())]
    replies = 0
    for round_number in range(20):
        copy = message(
            "can you call me?", MONDAY_NIGHT, event_id=f"Ev-race-{round_number}", author_id=f"U_CLIENT_{round_number}"
        )
        outcomes = await asyncio.gather(*(s.handle_message(copy) for s in services for _ in range(2)))
        assert sum(o.reply is not None for o in outcomes) == 1
        assert sum(o.duplicate for o in outcomes) == 3
        replies += 1
    assert replies == 20
