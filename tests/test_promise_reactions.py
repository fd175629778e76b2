"""The owner's check-mark reaction on a client's message marks its promise done, in Slack and in Discord."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import discord
from discord_harness import make_service
from factories import message, ny
from memory_store import MemoryStore
from slack_fakes import CLIENT, OWNER
from slack_harness import message_event
from slack_payloads import fixture, reaction_event

from adapters.discord.forwarding import reaction_added
from bot.promises import is_check_mark


def test_check_marks_are_recognised_by_name_and_by_character() -> None:
    assert all(is_check_mark(name) for name in ("white_check_mark", ":heavy_check_mark:", "\u2705", "\u2714\ufe0f"))
    assert not any(is_check_mark(name) for name in ("thumbsup", "envelope", "\u2709\ufe0f", ""))


async def test_slack_only_the_owners_check_mark_marks_the_promise_done(http) -> None:
    asked = message_event("Could you look at the invoice?")
    assert await http.event(asked) == (200, "")
    await http.settle()
    [promise] = await http.service.store.list_promises()
    channel, ts = asked["event"]["channel"], asked["event"]["ts"]
    for user, name in ((CLIENT, "white_check_mark"), (OWNER, "thumbsup")):
        assert await http.event(reaction_event(user, name, channel, ts)) == (200, "")
        await http.settle()
    assert [p.id for p in await http.service.store.list_promises()] == [promise.id]
    assert await http.event(fixture("app_home_opened")) == (200, "")
    (publish,) = await http.fake.wait_for("views.publish")
    home = json.dumps(publish.args["view"])
    assert "Promises waiting for an answer" in home and f"#{promise.id} Sam in slack:T1:{channel}, due " in home
    assert await http.event(reaction_event(OWNER, "white_check_mark", channel, ts)) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []


async def discord_service_with_a_promise(message_id: str) -> Any:
    """A Discord service (owner 1) that promised an answer to the client's message `message_id` in channel 222."""
    service = make_service(MemoryStore(), ny(2026, 11, 23, 21), owners=[1])
    at = ny(2026, 11, 23, 21)
    await service.handle_message(
        message("Invoice?", at, platform="discord", workspace_id="111", channel_id="222", message_id=message_id)
    )
    return service


async def test_discord_the_owners_check_mark_marks_the_promise_done() -> None:
    service = await discord_service_with_a_promise("333")
    [promise] = await service.store.list_promises()

    def payload(user_id: int, emoji: str) -> SimpleNamespace:
        return SimpleNamespace(
            user_id=user_id, guild_id=111, channel_id=222, message_id=333, emoji=discord.PartialEmoji(name=emoji)
        )

    await reaction_added(None, service, payload(2, "\u2705"))  # not the owner
    assert [p.id for p in await service.store.list_promises()] == [promise.id]
    await reaction_added(None, service, payload(1, "\u2705"))
    assert await service.store.list_promises() == []


async def test_slack_the_owners_message_in_the_channel_keeps_the_promise(http) -> None:
    assert await http.event(message_event("Could you look at the invoice?")) == (200, "")
    await http.settle()
    assert len(await http.service.store.list_promises()) == 1
    assert await http.event(message_event("Sure, looking now.", user=OWNER)) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []


async def test_discord_a_check_mark_inside_a_thread_finds_the_promise_filed_under_its_channel() -> None:
    service = await discord_service_with_a_promise("444")  # a message in thread 999 of channel 222 is filed under 222
    thread = discord.Thread.__new__(discord.Thread)
    thread.id, thread.parent_id = 999, 222
    client = SimpleNamespace(get_channel=lambda channel_id: thread if channel_id == 999 else None)
    payload = SimpleNamespace(
        user_id=1, guild_id=111, channel_id=999, message_id=444, emoji=discord.PartialEmoji(name="\u2705")
    )
    await reaction_added(client, service, payload)
    assert await service.store.list_promises() == []
