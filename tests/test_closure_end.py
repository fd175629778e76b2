"""closure end: the closure under way ends now, and clients hear the usual "we're back" once, nothing else."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from factories import ny
from test_scheduling import CHANNELS, POLICY, posters_for, scheduling_on, seed

from bot.clock import SimulatedClock
from bot.commands import Invocation
from bot.roles import Roles
from bot.service import BoundaryService

OWNER = Invocation("slack", "T1", "C0", "U_OWNER")
CLIENT = Invocation("slack", "T1", "C0", "U_CLIENT")
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})


async def world(database_factory, at):
    """The seeded holidays and channels, a clock at `at`, recording posters and the service."""
    database = await database_factory.migrated()
    await seed(database.store())
    clock = SimulatedClock(at)
    return database, clock, posters_for(clock), BoundaryService(database.store(), POLICY, ROLES, clock)


def kinds(posters) -> Counter:
    return Counter(post.key.split("|")[0] for post, _ in posters["slack"].posts + posters["discord"].posts)


async def test_ending_a_closure_early_announces_the_return_once_and_nothing_more(database_factory) -> None:
    database, clock, posters, service = await world(database_factory, ny(2026, 12, 24, 9))
    scheduling = scheduling_on(database, clock, posters)
    await scheduling.tick()
    assert kinds(posters)["closure_start"] == len(CHANNELS)
    posters["slack"].posts.clear(), posters["discord"].posts.clear()

    clock.set(ny(2026, 12, 28, 10, 5))  # a Monday, in opening hours: back a week early
    assert not (await service.handle_command("closure end", CLIENT)).ok
    result = await service.handle_command("closure end", OWNER)
    assert result.ok and result.text.startswith("Ended closure #1 (the holidays) now: you are open again.")
    assert 'the usual "we\'re back" notice now' in result.text
    for _ in range(2):
        clock.advance(timedelta(minutes=1))
        await scheduling.tick()
    assert kinds(posters) == Counter({"closure_end": len(CHANNELS)})  # no "changed", no "cancelled"
    assert all("We're back!" in post.text for post, _ in posters["slack"].posts)

    clock.set(ny(2027, 1, 4, 9))  # the old reopening passes: no second "we're back"
    await scheduling.tick()
    assert kinds(posters) == Counter({"closure_end": len(CHANNELS)})
    assert not (await service.handle_command("closure end", OWNER)).ok  # nothing is under way any more


async def test_end_explains_what_it_needs(database_factory) -> None:
    database, _, _, service = await world(database_factory, ny(2026, 12, 10, 9))
    cases = {
        "closure end": "no closure is under way (begun and not yet over), so there is nothing to end",
        "closure end 1": "closure #1 is not under way (begun and not yet over)",
        "closure end x": '"x" is not a closure number',
    }
    for text, says in cases.items():
        result = await service.handle_command(text, OWNER)
        assert not result.ok and says in result.text, (text, result.text)
    assert [c.end for c in await database.store().list_closures(ending_after=ny(2026, 12, 10))] == [ny(2027, 1, 3)]


async def test_ended_in_the_evening_the_return_is_announced_at_the_next_opening(database_factory) -> None:
    database, clock, posters, service = await world(database_factory, ny(2026, 12, 28, 20))
    result = await service.handle_command("closure end", OWNER)
    assert result.ok and "notice tomorrow (Tuesday, Dec 29) at 9:00 AM EST" in result.text, result.text
    scheduling = scheduling_on(database, clock, posters)
    await scheduling.tick()
    assert kinds(posters)["closure_end"] == 0
    clock.set(ny(2026, 12, 29, 9, 1))
    await scheduling.tick()
    assert kinds(posters)["closure_end"] == len(CHANNELS)
