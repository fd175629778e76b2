"""The APScheduler wiring: jobs run in the event loop, and an owner command triggers a pass at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from factories import make_policy
from scheduling_fakes import RecordingPoster

from adapters.scheduling import start_scheduler
from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.messages import ChannelRef
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService

POLICY = make_policy()


async def test_an_emergency_closure_is_announced_without_waiting_for_the_interval(database_factory):
    database = await database_factory.migrated()
    clock = SimulatedClock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    poster = RecordingPoster("slack", clock)
    store, queue = database.store(), database.deliveries()
    await store.remember_channel(ChannelRef("slack", "T1", "C1"))
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
    service = BoundaryService(store, POLICY, roles, clock)
    scheduling = Scheduling(store, queue, POLICY, Sender(queue, {"slack": poster}, clock, pacing={}), clock, roles)
    scheduler = start_scheduler(scheduling, service, plan_seconds=3600, send_seconds=3600)
    try:
        await asyncio.sleep(0.3)  # the first passes at start-up find nothing to do
        assert poster.posts == []
        result = await service.handle_command(
            "closure now until tomorrow reason: sick day", Invocation("slack", "T1", "C1", "U_OWNER")
        )
        assert result.ok
        for _ in range(50):
            if poster.posts:
                break
            await asyncio.sleep(0.1)
        [(post, _)] = poster.posts
        assert post.key.startswith("closure_start|") and "closed from today for sick day" in post.text
    finally:
        scheduler.shutdown(wait=False)
