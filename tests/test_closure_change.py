"""closure change: one update to the channels that were told, never "open as usual" then "closed", nothing lost."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from factories import ny
from memory_store import MemoryStore
from test_cancel_notices import one_notice_out
from test_scheduling import CHANNELS, POLICY

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.queue import DeliveryState
from bot.roles import Roles
from bot.service import BoundaryService

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "C0", "U_OWNER")
CLIENT = Invocation("slack", "T1", "C0", "U_CLIENT")
NOW = ny(2026, 12, 5, 10)


async def run(store, text, who=OWNER, now=NOW):
    return await run_command(text, Context(who, store=store, policy=POLICY, roles=ROLES, now=now))


async def test_change_moves_a_closure_and_keeps_what_is_not_named() -> None:
    store = MemoryStore()
    await run(store, "closure add Dec 24 to Jan 2 reason: the holidays backup: Jordan")
    moved = await run(store, "closure change 1 Dec 23 to Jan 3")
    assert moved.ok and moved.text.startswith("Changed closure #1, now #2: closed Wednesday, Dec 23 through Sunday")
    assert "Before: closed Thursday, Dec 24 through Saturday, Jan 2, 2027" in moved.text
    [now_open] = await store.list_closures(ending_after=NOW)
    assert (now_open.id, now_open.replaces, now_open.reason, now_open.backup) == (2, 1, "the holidays", "Jordan")
    renamed = await run(store, "closure change #2 reason: winter break")
    [again] = await store.list_closures(ending_after=NOW)
    assert renamed.ok and (again.start, again.end, again.reason) == (now_open.start, now_open.end, "winter break")


async def test_change_explains_each_mistake_and_changes_nothing() -> None:
    store = MemoryStore()
    await run(store, "closure add Dec 24 to Jan 2")
    await run(store, "closure add Jan 10 to Jan 12")
    cases = {
        "closure change": "closure change needs the closure's number",
        "closure change 1": "needs new dates, a reason: or a backup:",
        "closure change one Dec 28": '"one" is not a closure number',
        "closure change 7 Dec 28": "there is no open closure #7",
        "closure change 1 Dec 24 to Jan 11": "it overlaps closure #2",
    }
    for text, says in cases.items():
        result = await run(store, text)
        assert not result.ok and says in result.text, text
    assert not (await run(store, "closure change 1 Dec 28", who=CLIENT)).ok
    assert [(c.id, c.cancelled_at) for c in await store.list_closures(ending_after=NOW)] == [(1, None), (2, None)]


async def test_a_closure_under_way_keeps_its_start_when_extended() -> None:
    store = MemoryStore()
    await run(store, "closure add Dec 7 to Dec 9")
    extended = await run(store, "closure change 1 through Dec 11", now=ny(2026, 12, 8, 10))
    [closure] = await store.list_closures(ending_after=ny(2026, 12, 8, 10))
    assert extended.ok and closure.start == ny(2026, 12, 7) and closure.end == ny(2026, 12, 12)


async def test_told_channels_get_one_update_and_the_others_the_usual_notices(database_factory) -> None:
    clock, posters, database, closure, scheduling, queue, first = await one_notice_out(database_factory)

    service = BoundaryService(database.store(), POLICY, ROLES, clock)
    result = await service.handle_command(f"closure change {closure.id} Dec 28 to Jan 8", OWNER)
    assert result.ok and "Client channels told about it get one update" in result.text
    states = Counter(d.state for d in await queue.list_deliveries())
    assert states == Counter({DeliveryState.SENT: 1, DeliveryState.CANCELLED: len(CHANNELS) - 1})

    clock.advance(timedelta(minutes=1))
    await scheduling.tick()
    clock.advance(timedelta(minutes=1))
    await scheduling.tick()  # planning again changes nothing
    posts = Counter(
        (post.key.split("|")[0], post.channel) for post, _ in posters["slack"].posts + posters["discord"].posts
    )
    assert posts == Counter({("closure_changed", first.key.channel): 1})  # no "cancelled", no "open as usual"
    [changed] = [post for post, _ in posters["slack"].posts + posters["discord"].posts]
    assert "closed for the holidays, Monday, Dec 28 through Friday, Jan 8, 2027" in changed.text
    assert "before: Thursday, Dec 24 through Saturday, Jan 2, 2027" in changed.text

    clock.set(ny(2026, 12, 14, 9))  # the new closure's 14-day notice reaches every channel
    await scheduling.tick()
    notices = [post.channel for post, _ in posters["slack"].posts + posters["discord"].posts if "notice" in post.key]
    assert sorted(notices, key=str) == sorted(CHANNELS, key=str)
