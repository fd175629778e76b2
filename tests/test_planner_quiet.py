"""Lighter announcements: nothing for a closure on closed time, one post for part of a day, no post at midnight."""

from __future__ import annotations

from datetime import UTC, datetime

from factories import make_policy, ny
from memory_store import MemoryStore

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.messages import ChannelRef
from bot.models import Closure
from bot.planner import PlanningInput, candidates
from bot.roles import Roles

POLICY = make_policy()
CHANNEL = ChannelRef("slack", "T1", "C1")
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})


def posts(closure: Closure, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    """(kind, local due time) of every post for `closure` due in [start, end]."""
    items = candidates(PlanningInput(POLICY, [closure], [CHANNEL]), start, end)
    return sorted(((i.key.kind, i.due_at.astimezone(POLICY.zone).replace(tzinfo=None)) for i in items), key=str)


def closure(start: datetime, end: datetime, created: datetime) -> Closure:
    return Closure(start=start.astimezone(UTC), end=end.astimezone(UTC), id=1, created_at=created.astimezone(UTC))


def test_a_closure_on_time_the_business_is_closed_anyway_is_not_announced() -> None:
    sunday = closure(ny(2026, 12, 13), ny(2026, 12, 14), ny(2026, 12, 5, 10))
    assert posts(sunday, ny(2026, 12, 5, 10), ny(2026, 12, 20)) == []
    evening = closure(ny(2026, 12, 9, 18), ny(2026, 12, 9, 23), ny(2026, 12, 5, 10))  # after hours
    assert posts(evening, ny(2026, 12, 5, 10), ny(2026, 12, 20)) == []


async def test_the_owner_is_told_a_closure_on_closed_time_reaches_no_client() -> None:
    store, now = MemoryStore(), ny(2026, 12, 5, 10)
    added = await run_command("closure add Dec 13", Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=now))
    assert added.ok and "all time you are closed anyway, so clients are not told" in added.text
    assert "clients will be told" not in added.text
    cancelled = await run_command("closure cancel 1", Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=now))
    assert cancelled.ok and "No client was told about it" in cancelled.text
    weekday = await run_command("closure add Dec 14", Context(OWNER, store=store, policy=POLICY, roles=ROLES, now=now))
    assert "not told" not in weekday.text


def test_part_of_a_day_gets_one_post() -> None:
    afternoon = closure(ny(2026, 12, 11, 13), ny(2026, 12, 11, 17), ny(2026, 12, 1, 10))
    assert posts(afternoon, ny(2026, 12, 1, 10), ny(2026, 12, 20)) == [("closure_notice", datetime(2026, 12, 10, 9))]
    added_that_morning = closure(ny(2026, 12, 11, 13), ny(2026, 12, 11, 17), ny(2026, 12, 11, 8))
    assert posts(added_that_morning, ny(2026, 12, 11, 8), ny(2026, 12, 20)) == [
        ("closure_notice", datetime(2026, 12, 11, 8))
    ]


def test_a_longer_closure_starts_at_the_notice_time_and_a_notice_due_that_day_is_left_to_the_start() -> None:
    added_that_morning = closure(ny(2026, 12, 14), ny(2026, 12, 17), ny(2026, 12, 14, 7))
    assert posts(added_that_morning, ny(2026, 12, 14, 7), ny(2026, 12, 31)) == [
        ("closure_end", datetime(2026, 12, 17, 9)),
        ("closure_start", datetime(2026, 12, 14, 9)),  # not at midnight, and not with a notice at 7:00 besides
    ]
    later_that_day = closure(ny(2026, 12, 14, 15), ny(2026, 12, 17), ny(2026, 11, 1))
    assert ("closure_start", datetime(2026, 12, 14, 15)) in posts(later_that_day, ny(2026, 11, 1), ny(2026, 12, 31))
    assert ("closure_notice", datetime(2026, 12, 13, 9)) in posts(later_that_day, ny(2026, 11, 1), ny(2026, 12, 31))
