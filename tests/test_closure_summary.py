"""The day before a closure starts, each owner gets one private summary: who was told, the backup, what goes out
and how to change it; none for a closure declared the same day, and none twice."""

from __future__ import annotations

from datetime import timedelta

from factories import ny
from test_scheduling import CHANNELS, POLICY, posters_for, seed

from bot.clock import SimulatedClock
from bot.closure_summary import SUMMARY_KIND
from bot.models import Closure
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"}), "discord": frozenset({"42"})})


def scheduling(database, clock, posters) -> Scheduling:
    queue = database.deliveries()
    return Scheduling(database.store(), queue, POLICY, Sender(queue, posters, clock, pacing={}), clock, ROLES)


def summaries(posters) -> list:
    return [(post, at) for poster in posters.values() for post, at in poster.posts if post.key.startswith(SUMMARY_KIND)]


async def test_the_day_before_each_owner_gets_one_summary_in_private(database_factory) -> None:
    database = await database_factory.migrated()
    await seed(database.store())
    clock = SimulatedClock(ny(2026, 12, 10, 9))
    posters = posters_for(clock)
    planner = scheduling(database, clock, posters)
    await planner.tick()  # the 14-day notice goes to every channel
    clock.set(ny(2026, 12, 22, 12))
    await planner.tick()
    assert summaries(posters) == []  # not yet
    clock.set(ny(2026, 12, 23, 9, 0))
    await planner.tick()
    clock.advance(timedelta(hours=1))
    await planner.tick()  # planning again sends nothing twice
    found = summaries(posters)
    assert sorted(post.channel.channel_id for post, _ in found) == ["42", "U_OWNER"]  # a direct message to each
    text = found[0][0].text
    assert text.startswith("Tomorrow you close: closed Thursday, Dec 24 through Saturday, Jan 2, 2027")
    assert "Told so far: #900, #C0, #C1, #C2." in text
    assert "Backup for real emergencies: Jordan Lee (jordan@acme.example)." in text
    assert 'Scheduled: the "closed from today" notice tomorrow (Thursday, Dec 24) at 9:00 AM EST' in text
    assert f"in {len(CHANNELS)} channels" in text
    assert 'the "we\'re back" notice Monday, Jan 4, 2027 at 9:00 AM EST' in text
    (cancel,) = found[0][0].buttons
    assert (cancel.label, cancel.command, bool(cancel.confirm)) == ("Cancel the closure", "closure cancel 1", True)
    assert text.endswith(
        "To change it: closure change 1 (new dates, reason: or backup:); to call it off: closure cancel 1."
    )


async def test_no_summary_for_a_closure_declared_the_same_day_or_cancelled(database_factory) -> None:
    database = await database_factory.migrated()
    store = database.store()
    await seed(store)
    sick = await store.add_closure(
        Closure(ny(2026, 12, 15, 0), ny(2026, 12, 16, 0), "a sick day", created_at=ny(2026, 12, 14, 15))
    )
    await store.cancel_closure(1, ny(2026, 12, 14, 15))
    clock = SimulatedClock(ny(2026, 12, 14, 16))
    posters = posters_for(clock)
    await scheduling(database, clock, posters).tick()
    clock.set(ny(2026, 12, 23, 9))
    await scheduling(database, clock, posters).tick()
    assert summaries(posters) == [] and sick.id == 2
