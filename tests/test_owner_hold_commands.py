"""`boundaries hold`, `boundaries hold off` and `boundaries move`: parsed, refused where they cannot work, and the
hold ends at the opening (against the core, with a stand-in for the platform that takes messages down)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_policy, message, ny

from bot.clock import SimulatedClock
from bot.commands import Invocation, parse_command
from bot.commands.types import CommandError, HoldLater, MoveLater
from bot.messages import ChannelRef
from bot.roles import Roles
from bot.service import BoundaryService

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
OWNER = Invocation("slack", "T1", "D1", "U_OWNER")
MONDAY_11PM = ny(2026, 11, 23, 23, 4)


class Mover:
    """Takes down whatever it is asked to, and says so."""

    def __init__(self) -> None:
        self.deleted: list[tuple[ChannelRef, str]] = []

    async def can_delete(self, platform: str, workspace_id: str, owner_id: str) -> bool:
        return True

    async def delete(self, channel: ChannelRef, owner_id: str, message_id: str) -> bool:
        self.deleted.append((channel, message_id))
        return True


@pytest.mark.parametrize(
    ("text", "command"),
    [("boundaries hold", HoldLater()), ("boundaries hold off", HoldLater(off=True)), ("boundaries move", MoveLater())],
)
def test_the_commands_parse(text, command) -> None:
    assert parse_command(text, make_policy().zone, MONDAY_11PM) == command


@pytest.mark.parametrize("text", ["boundaries hold everything", "boundaries move it"])
def test_anything_after_them_is_refused_with_the_usage(text) -> None:
    with pytest.raises(CommandError, match="boundaries hold"):
        parse_command(text, make_policy().zone, MONDAY_11PM)


def world(database, at=MONDAY_11PM, mover: Mover | None = None) -> BoundaryService:
    service = BoundaryService(database.store(), make_policy(owner={"nudge": True}), ROLES, SimulatedClock(at))
    service.outbox, service.owner_messages = database.deliveries(), mover
    return service


async def test_holding_lasts_until_the_opening_and_hold_off_ends_it(database) -> None:
    mover = Mover()
    service = world(database, mover=mover)
    result = await service.handle_command("boundaries hold", OWNER)
    assert result.ok and result.text.startswith("Holding until tomorrow (Tuesday, Nov 24) at 9:00 AM EST")
    late = message("late answer", service.clock(), author_id="U_OWNER", message_id="m-1")
    await service.handle_message(late)
    assert mover.deleted == [(late.channel, "m-1")]
    assert (await service.handle_command("boundaries hold off", OWNER)).text.startswith("Not holding")
    await service.handle_message(message("another", service.clock(), author_id="U_OWNER", message_id="m-2"))
    assert len(mover.deleted) == 1
    assert await service.store.owner_held_until("slack", "T1", "U_OWNER", service.clock()) is None


async def test_the_hold_is_over_at_the_opening(database) -> None:
    service = world(database, mover=Mover())
    await service.handle_command("boundaries hold", OWNER)
    opening = ny(2026, 11, 24, 9, 0)
    assert await service.store.owner_held_until("slack", "T1", "U_OWNER", opening - timedelta(seconds=1)) == opening
    assert await service.store.owner_held_until("slack", "T1", "U_OWNER", opening) is None


async def test_while_open_or_without_a_reminder_there_is_nothing_to_hold_or_move(database) -> None:
    open_now = world(database, at=ny(2026, 11, 24, 10, 0), mover=Mover())
    assert "you are open now" in (await open_now.handle_command("boundaries hold", OWNER)).text
    evening = world(database, mover=Mover())
    moved = await evening.handle_command("boundaries move", OWNER)
    assert not moved.ok and "there is no message of this evening's to move" in moved.text


async def test_without_a_platform_that_takes_messages_down_both_are_refused(database) -> None:
    service = world(database)
    for text in ("boundaries hold", "boundaries move"):
        result = await service.handle_command(text, OWNER)
        assert not result.ok and "needs Slack with your own user token" in result.text


async def test_a_client_cannot_hold_or_move(database) -> None:
    service = world(database, mover=Mover())
    client = Invocation("slack", "T1", "C1", "U_CLIENT")
    assert not (await service.handle_command("boundaries hold", client)).ok
    assert not (await service.handle_command("boundaries move", client)).ok
