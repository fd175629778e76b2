"""Discord's /boundaries calendar and /closure detach, called with interaction fakes: the owner's only, private."""

from __future__ import annotations

import pytest
from discord_harness import make_service
from discord_interactions import find_command
from factories import ny
from memory_store import MemoryStore
from test_discord_commands import CHANNEL, CLIENT, GUILD, NOW, OWNER, call

from adapters.discord.commands import build_commands
from bot.calendar_links import feed_path
from bot.commands.run import REFUSAL
from bot.messages import ChannelRef
from bot.models import Closure
from bot.settings import Settings

REF = ChannelRef("discord", str(GUILD), str(CHANNEL))
KEY = "k" * 40


@pytest.fixture
def service():
    return make_service(MemoryStore(), NOW, owners=[OWNER])


async def test_boundaries_calendar_gives_the_owner_the_feed_links_privately(service) -> None:
    assert (await call(service, "boundaries calendar")).startswith("The calendar feeds are off: set CALENDAR_KEY")
    service.feed_links = Settings(calendar_key=KEY, public_url="https://bot.example.com").feed_links()
    assert await call(service, "boundaries calendar", user=CLIENT) == REFUSAL
    shown = await call(service, "boundaries calendar")
    assert f"(closures and days off): https://bot.example.com{feed_path(KEY)}\n" in shown
    assert f"to share with this client: https://bot.example.com{feed_path(KEY, REF)}\n" in shown
    assert KEY not in shown


async def test_closure_detach_is_the_owners_and_keeps_the_closure_out_of_later_imports(service) -> None:
    store = service.store
    mine = await store.add_closure(Closure(start=ny(2027, 2, 1), end=ny(2027, 2, 2), reason="mine"))
    vacation = await store.add_closure(
        Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 3), reason="Vacation", calendar_uid="v@example.com")
    )
    assert "(imported from your calendar)" in await call(service, "closure list")
    assert await call(service, "closure detach", user=CLIENT, number=vacation.id) == REFUSAL
    assert (await store.get_closure(vacation.id)).imported

    done = await call(service, "closure detach", number=vacation.id)
    assert done.startswith(f"Detached closure #{vacation.id} (closed Thursday, Dec 24")
    detached = await store.get_closure(vacation.id)
    assert detached.calendar_uid == "v@example.com" and detached.detached_at == NOW and not detached.imported
    assert "imported from your calendar" not in await call(service, "closure list")
    refused = await call(service, "closure detach", number=mine.id)
    assert refused == (
        f"Sorry, I couldn't do that: closure #{mine.id} was not imported from your calendar, so there is nothing to "
        "detach"
    )


def test_the_new_commands_are_declared_with_their_options() -> None:
    commands = build_commands(make_service(MemoryStore(), NOW, owners=[OWNER]))
    detach = find_command(commands, "closure detach")
    assert [(p.name, p.required) for p in detach.parameters] == [("number", True)]
    assert len(detach.description) <= 100 and find_command(commands, "boundaries calendar").parameters == []
