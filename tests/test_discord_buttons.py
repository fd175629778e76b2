"""Discord command buttons that ask first: the press answers privately with the question and a button that runs
the command; nothing changes until that one is pressed, after a restart too."""

from __future__ import annotations

import discord
from discord_harness import make_service
from factories import ny
from memory_store import MemoryStore
from test_promise_done_button import FakeResponse

from adapters.discord.buttons import CommandPress, command_view
from bot.models import Closure
from bot.outbound import CommandButton


def interaction_for(service, user: int = 1):
    return type(
        "Interaction",
        (),
        {
            "client": type("Bot", (), {"service": service})(),
            "user": discord.Object(user),
            "guild_id": None,
            "channel_id": 555,
            "channel": None,
            "response": FakeResponse(),
        },
    )()


async def restored(item) -> CommandPress:
    match = CommandPress.__discord_ui_compiled_template__.fullmatch(item.custom_id)
    return await CommandPress.from_custom_id(None, item, match)  # as discord.py rebuilds it after a restart


async def test_a_button_that_asks_first_runs_only_on_the_second_press() -> None:
    service = make_service(MemoryStore(), ny(2026, 12, 28, 10), owners=[1])
    closure = await service.store.add_closure(Closure(ny(2026, 12, 24), ny(2027, 1, 3), "the holidays"))
    ask = CommandButton("End the closure now", f"closure end {closure.id}", primary=True, confirm="Sure?")
    [item] = command_view((ask, CommandButton("Just this once"))).children[:1]
    assert item.custom_id == f"bb:0:1:closure end {closure.id}" and item.item.label == "End the closure now"
    first = interaction_for(service)
    await (await restored(item)).callback(first)
    assert first.response.sent == [f"Are you sure? This runs `closure end {closure.id}`."]
    assert (await service.store.list_closures(ending_after=ny(2026, 12, 28, 10)))[0].end == ny(2027, 1, 3)
    [yes] = first.response.views[0].children
    assert yes.custom_id == f"bb:0:0:closure end {closure.id}"
    second = interaction_for(service)
    await (await restored(yes)).callback(second)
    assert second.response.sent[0].startswith(f"Ended closure #{closure.id} (the holidays) now")
    stranger = interaction_for(service, user=2)
    await (await restored(yes)).callback(stranger)
    assert stranger.response.sent[0].startswith("Only the business owner")


async def test_just_this_once_only_acknowledges() -> None:
    service = make_service(MemoryStore(), ny(2026, 12, 28, 10), owners=[1])
    [_, item] = command_view((CommandButton("End", "closure end"), CommandButton("Just this once"))).children
    pressed = interaction_for(service)
    await (await restored(item)).callback(pressed)
    assert pressed.response.sent == ["OK: nothing changes."]
