"""Detaching an imported closure from its calendar event: the store, the command, and what later imports do."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from factories import make_policy, ny
from memory_store import MemoryStore

from adapters.calendar_import import apply, plan_from
from bot.commands import Invocation, run_command
from bot.commands.run import REFUSAL
from bot.commands.types import Context
from bot.models import Closure
from bot.roles import Roles

CALENDARS = Path(__file__).resolve().parents[1] / "tests" / "data" / "calendars"
OWNER_ICS = CALENDARS / "owner.ics"
NOW = ny(2026, 12, 1, 9, 0)
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")
CLIENT = Invocation("slack", "T1", "C1", "U_CLIENT")
VACATION = "vacation-1@example.com"


async def say(store, text: str, who: Invocation = OWNER, now=NOW) -> str:
    return (await run_command(text, Context(who, store=store, policy=make_policy(), roles=ROLES, now=now))).text


def imported(calendar_uid: str = VACATION, **changes: object) -> Closure:
    base = Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 4), reason="Vacation", calendar_uid=calendar_uid)
    return replace(base, **changes)


async def test_the_store_detaches_an_open_imported_closure_once(store) -> None:
    mine = await store.add_closure(Closure(start=ny(2027, 2, 1), end=ny(2027, 2, 2), reason="mine"))
    vacation = await store.add_closure(imported())
    gone = await store.add_closure(imported("gone@example.com", start=ny(2027, 3, 1), end=ny(2027, 3, 2)))
    await store.cancel_closure(gone.id, NOW)

    detached = await store.detach_closure(vacation.id, NOW)
    assert detached is not None and detached.detached_at == NOW and detached.calendar_uid == VACATION
    assert detached.detached_at.utcoffset() == timedelta(0)
    assert not detached.imported and vacation.imported
    assert await store.detach_closure(vacation.id, NOW) is None  # already detached
    assert await store.detach_closure(mine.id, NOW) is None  # never imported
    assert await store.detach_closure(gone.id, NOW) is None  # cancelled
    assert await store.detach_closure(9999, NOW) is None
    assert (await store.get_closure(vacation.id)).detached_at == NOW
    listed = {c.id: c for c in await store.list_closures(ending_after=NOW)}
    assert listed[vacation.id].detached_at == NOW and listed[mine.id].detached_at is None

    changed = await store.change_closure(vacation.id, replace(detached, end=ny(2027, 1, 6), id=None), NOW)
    assert changed is not None and changed.detached_at == NOW and not changed.imported  # a change stays detached


async def test_the_command_detaches_and_closure_list_no_longer_marks_it(store) -> None:
    mine = await store.add_closure(Closure(start=ny(2027, 2, 1), end=ny(2027, 2, 2), reason="mine"))
    vacation = await store.add_closure(imported())
    assert f"#{vacation.id} closed " in await say(store, "closure list")
    assert "(imported from your calendar)" in await say(store, "closure list")

    assert await say(store, f"closure detach {vacation.id}", who=CLIENT) == REFUSAL
    assert (await store.get_closure(vacation.id)).imported  # a refusal changes nothing
    done = await say(store, f"closure detach #{vacation.id}")
    assert done.startswith(f"Detached closure #{vacation.id} (closed Thursday, Dec 24")
    assert "later imports leave it as it is" in done and f"closure cancel {vacation.id}" in done
    assert "imported from your calendar" not in await say(store, "closure list")

    again = await say(store, f"closure detach {vacation.id}")
    assert again == f"Sorry, I couldn't do that: closure #{vacation.id} is already detached from your calendar"
    own = await say(store, f"closure detach {mine.id}")
    assert "was not imported from your calendar, so there is nothing to detach" in own
    assert "there is no open closure #77" in await say(store, "closure detach 77")
    assert "closure detach needs the closure's number" in await say(store, "closure detach")
    assert '"soon" is not a closure number' in await say(store, "closure detach soon")
    assert "closure detach NUMBER" in await say(store, "help closure")


async def test_later_imports_neither_move_cancel_nor_recreate_a_detached_closure(store, tmp_path) -> None:
    await apply(await plan_from(str(OWNER_ICS), store, make_policy(), NOW), store, NOW)
    [vacation] = [c for c in await store.list_closures(ending_after=NOW) if c.calendar_uid == VACATION]
    await say(store, f"closure detach {vacation.id}")

    moved = tmp_path / "moved.ics"
    moved.write_text(
        OWNER_ICS.read_text(encoding="utf-8").replace("DTEND;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270106")
    )
    plan = await plan_from(str(moved), store, make_policy(), NOW)
    assert plan.empty  # the event moved; its detached closure did not, and no second closure is made for it
    deleted = tmp_path / "deleted.ics"
    text = OWNER_ICS.read_text(encoding="utf-8")
    deleted.write_text(text.replace("SUMMARY:Vacation 🌴", "SUMMARY:Trip planning"))  # no longer time off
    assert (await plan_from(str(deleted), store, make_policy(), NOW)).empty

    await say(store, f"closure cancel {vacation.id}")
    assert (await plan_from(str(OWNER_ICS), store, make_policy(), NOW)).empty  # the owner's cancel sticks
    left = [c for c in await store.list_closures(ending_after=NOW) if c.calendar_uid == VACATION]
    assert left == []


async def test_an_attached_closure_still_follows_its_event(tmp_path) -> None:
    store = MemoryStore()  # the contrast to the test above: imports still move the closures not detached
    await apply(await plan_from(str(OWNER_ICS), store, make_policy(), NOW), store, NOW)
    moved = tmp_path / "moved.ics"
    moved.write_text(
        OWNER_ICS.read_text(encoding="utf-8").replace("DTEND;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270106")
    )
    plan = await plan_from(str(moved), store, make_policy(), NOW)
    assert [(old.calendar_uid, new.end) for old, new in plan.change] == [(VACATION, ny(2027, 1, 6))]
