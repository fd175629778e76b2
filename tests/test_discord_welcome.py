"""Discord shows no join to a channel: a client's first message there gets the orientation once, as a direct message."""

from __future__ import annotations

import asyncio

from discord_gateway import CHANNEL_ID, user
from discord_harness import MONDAY_NIGHT, make_service, running_bot

from bot.sender import Sender
from bot.welcoming import WELCOME_KIND

CLIENT = user(700000000000000001, "Sam")
POSTS = rf"POST /channels/{CHANNEL_ID}/messages"


async def test_a_client_s_first_message_brings_one_welcome_by_direct_message(fake_discord, database) -> None:
    fake = fake_discord
    service = make_service(database.store(), MONDAY_NIGHT, owners=[1])
    service.outbox = database.deliveries()
    async with running_bot(service) as posters:
        for text in ["Could you look at the invoice tonight?", "And the March statement?"]:
            await fake.dispatch("MESSAGE_CREATE", fake.client_message(text, CLIENT))
            await fake.wait_for_call(POSTS, 1)
        async with asyncio.timeout(10):  # queued after the reply went out
            while not await database.deliveries().list_deliveries(kinds=[WELCOME_KIND]):
                await asyncio.sleep(0.01)
        sender = Sender(database.deliveries(), posters, service.clock, pacing={})
        await sender.run_once()
        await sender.run_once()
    (row,) = await database.deliveries().list_deliveries(kinds=[WELCOME_KIND])
    assert row.direct and row.key.channel_id == str(CLIENT["id"]) and row.state.value == "sent"
    (opened,) = fake.calls(r"POST /users/@me/channels")
    assert str(opened["body"]["recipient_id"]) == str(CLIENT["id"])
    dm_channel = int(CLIENT["id"]) + 1  # the fake's DM channel id
    (welcome,) = fake.messages[dm_channel]
    assert welcome["content"].startswith("Welcome! Email is our hub: send requests to ")


async def test_a_client_who_takes_no_direct_messages_is_welcomed_in_the_channel(fake_discord, database) -> None:
    fake = fake_discord
    service = make_service(database.store(), MONDAY_NIGHT, owners=[1])
    service.outbox = database.deliveries()
    dm_channel = int(CLIENT["id"]) + 1
    async with running_bot(service) as posters:
        await fake.dispatch("MESSAGE_CREATE", fake.client_message("Could you look at the invoice tonight?", CLIENT))
        await fake.wait_for_call(POSTS, 1)
        async with asyncio.timeout(10):
            while not await database.deliveries().list_deliveries(kinds=[WELCOME_KIND]):
                await asyncio.sleep(0.01)
        fake.fail_next(
            rf"POST /channels/{dm_channel}/messages",
            403,
            {"message": "Cannot send messages to this user", "code": 50007},
        )
        sender = Sender(database.deliveries(), posters, service.clock, pacing={}, lost=service.delivery_lost)
        await sender.run_once()
        await sender.run_once()
    rows = await database.deliveries().list_deliveries(kinds=[WELCOME_KIND])
    assert sorted((r.direct, r.state.value) for r in rows) == [(False, "sent"), (True, "failed")]
    assert dm_channel not in fake.messages
    channel = [m["content"][:25] for m in fake.messages[int(CHANNEL_ID)]]
    assert channel.count("Welcome! Email is our hub") == 1


async def test_the_owner_and_bots_are_not_welcomed(fake_discord, database) -> None:
    fake = fake_discord
    service = make_service(database.store(), MONDAY_NIGHT, owners=[1])
    service.outbox = database.deliveries()
    robot = {**user(700000000000000009, "Robo"), "bot": True}
    async with running_bot(service):
        await fake.dispatch("MESSAGE_CREATE", fake.client_message("Back tomorrow, all.", user(1, "Olivia")))
        await fake.dispatch("MESSAGE_CREATE", fake.client_message("Build passed.", robot))
        await fake.dispatch("MESSAGE_CREATE", fake.client_message("Could you look at the invoice tonight?", CLIENT))
        await fake.wait_for_call(POSTS, 1)
        async with asyncio.timeout(10):
            while not await database.deliveries().list_deliveries(kinds=[WELCOME_KIND]):
                await asyncio.sleep(0.01)
    rows = await database.deliveries().list_deliveries(kinds=[WELCOME_KIND])
    assert [r.key.channel_id for r in rows] == [str(CLIENT["id"])]  # the client's only
