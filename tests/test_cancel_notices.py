"""Cancelling a closure drops its notices not yet out before the owner hears "Cancelled"; only the channels that
got the notice get the correction, after it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from factories import ny
from test_scheduling import CHANNELS, POLICY, posters_for, scheduling_on, seed

from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.queue import DeliveryState
from bot.roles import Roles
from bot.service import BoundaryService

OWNER = Invocation("slack", "T1", "C0", "U_OWNER")


async def one_notice_out(database_factory):
    """The holidays' 14-day notice planned for every channel, and sent to one of them so far."""
    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    database = await database_factory.migrated()
    closure = await seed(database.store())
    scheduling = scheduling_on(database, clock, posters)
    queue = database.deliveries()
    assert await scheduling.plan_once() == len(CHANNELS)
    [first] = await queue.claim(clock(), "worker", timedelta(seconds=10), limit=1)
    await queue.begin_post(first.id, "worker", clock())
    await queue.mark_sent(first.id, "m1", clock())
    return clock, posters, database, closure, scheduling, queue, first


async def test_a_cancel_during_the_fan_out_drops_the_rest_and_corrects_only_where_the_notice_went(database_factory):
    clock, posters, database, closure, scheduling, queue, first = await one_notice_out(database_factory)
    [second] = await queue.claim(clock(), "worker", timedelta(seconds=10), limit=1)  # one is leased, not yet out

    service = BoundaryService(database.store(), POLICY, Roles(owners={"slack": frozenset({"U_OWNER"})}), clock)
    result = await service.handle_command(f"closure cancel {closure.id}", OWNER)
    assert result.ok and result.text.startswith(f"Cancelled closure #{closure.id}")
    states = Counter(d.state for d in await queue.list_deliveries())
    assert states == Counter({DeliveryState.SENT: 1, DeliveryState.CANCELLED: len(CHANNELS) - 1})
    assert await queue.begin_post(second.id, "worker", clock()) == ("lost", None)  # the leased one never posts

    clock.advance(timedelta(minutes=1))
    await scheduling.tick()
    posts = [(post.key.split("|")[0], post.channel) for post, _ in posters["slack"].posts + posters["discord"].posts]
    assert posts == [("closure_cancelled", first.key.channel)]
