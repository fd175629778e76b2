"""The Discord bot's own presence follows closures: an unmodified discord.py client against the gateway fake (op 3)."""

from __future__ import annotations

import asyncio

import pytest
from discord_gateway import presence_problems
from discord_harness import make_service, running_bot
from factories import make_policy, ny
from memory_store import MemoryStore

from adapters.discord.presence import DiscordPresence
from adapters.presence import PresenceSync
from adapters.scheduling import start_scheduler, stop_scheduler
from bot.commands import Invocation
from bot.models import Closure
from bot.presence import Presence
from bot.scheduling import Scheduling
from bot.sender import Sender

BEFORE = ny(2026, 12, 23, 17, 0)
OWNER = Invocation("discord", "111", "222", "1")


async def presences(fake, count: int) -> list[dict]:
    async with asyncio.timeout(5):
        while len(fake.presences) < count:
            await asyncio.sleep(0.01)
    return fake.presences


async def test_the_bot_shows_open_on_connecting_then_closed_until_the_end(fake_discord) -> None:
    service = make_service(MemoryStore(), BEFORE, owners=[1])
    await service.store.add_closure(Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 4), reason="Vacation"))
    sync = PresenceSync(service.store, make_policy(), service.clock)
    async with running_bot(service, presence=sync):
        [first] = await presences(fake_discord, 1)  # at startup, once connected
        assert first["status"] == "online" and first["afk"] is False
        [activity] = first["activities"]
        assert activity["type"] == 4 and activity["state"] == "Open · answers within 1 business day"

        service.clock.set(ny(2026, 12, 24, 0, 0, 30))
        assert (await sync.run_once()).closed
        closed = (await presences(fake_discord, 2))[1]
        assert closed["status"] == "idle" and closed["activities"][0]["state"] == "Closed until Mon, Jan 4, 2027"
        assert await sync.run_once() is None and len(fake_discord.presences) == 2  # unchanged: not sent again

        service.clock.set(ny(2027, 1, 4, 0, 0, 30))
        await sync.run_once()
        reopened = (await presences(fake_discord, 3))[2]
        assert reopened["status"] == "online" and reopened["activities"][0]["state"].startswith("Open · ")
        sync.forget("discord")  # what on_ready does: a new session (a fresh IDENTIFY) shows no presence
        await sync.run_once()
        assert (await presences(fake_discord, 4))[3] == reopened


async def test_the_scheduler_shows_it_and_an_owner_command_brings_it_at_once(fake_discord, database) -> None:
    service = make_service(database.store(), ny(2026, 12, 1, 10), owners=[1])
    sync = PresenceSync(service.store, make_policy(), service.clock, seconds=3600)  # the interval alone: an hour
    queue = database.deliveries()
    sender = Sender(queue, {}, service.clock, pacing={})
    scheduling = Scheduling(service.store, queue, service.policy, sender, service.clock, service.roles)
    async with running_bot(service, presence=sync):
        await presences(fake_discord, 1)
        scheduler = start_scheduler(scheduling, service, plan_seconds=3600, send_seconds=3600, presence=sync)
        try:
            answer = await service.handle_command("closure now until tomorrow reason: sick day", OWNER)
            assert answer.text.startswith("Saved closure #1")
            shown = await presences(fake_discord, 2)  # woken by the command, not an hour later
        finally:
            await stop_scheduler(scheduler)
    assert shown[1]["status"] == "idle" and shown[1]["activities"][0]["state"] == "Closed until Wed, Dec 2"


async def test_not_connected_yet_is_no_presence_and_tried_again() -> None:
    class NotReady:
        def is_ready(self) -> bool:
            return False

    with pytest.raises(ConnectionError, match="not connected to Discord yet"):
        await DiscordPresence(NotReady()).show(Presence("Open"), BEFORE)  # type: ignore[arg-type]


def test_the_fake_refuses_presence_updates_discord_refuses() -> None:
    assert presence_problems({"since": None, "activities": [], "status": "online", "afk": False}) == []
    assert presence_problems({"since": None, "activities": [], "status": "away", "afk": False})
    long = {"name": "Custom Status", "type": 4, "state": "x" * 129}
    assert presence_problems({"since": None, "activities": [long], "status": "idle", "afk": False})
    assert presence_problems({"status": "idle"})
