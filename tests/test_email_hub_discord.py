"""The inbox as the hub, outward (issue 25), on Discord end to end (discord.py against the fake gateway and REST,
a loopback SMTP server): an after-hours call request becomes one email on its own, and the client's reply to that
message joins its email thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest_asyncio
from discord_gateway import CHANNEL_ID, user
from discord_harness import MONDAY_NIGHT, make_service, running_bot
from email_server import Inbox
from factories import forward_to_email, make_policy

from storage.database import Database

CLIENT = user(700000000000000001, "Sam")


@pytest_asyncio.fixture
async def service(tmp_path, smtp) -> AsyncIterator[Any]:
    database = Database(f"sqlite:///{tmp_path}/bot.db")
    await database.migrate()
    service = make_service(database.store(), MONDAY_NIGHT, owners=[1])
    service.policy = make_policy(email={"forward": "requests"})
    service.sender = forward_to_email(service, database.deliveries(), service.clock, smtp.port)
    try:
        yield service
    finally:
        await database.dispose()


def replying(payload: dict[str, Any], to: dict[str, Any]) -> dict[str, Any]:
    """`payload` as a Discord reply (type 19) to the message `to`."""
    reference = {"message_id": to["id"], "channel_id": str(CHANNEL_ID), "guild_id": payload["guild_id"]}
    return {**payload, "type": 19, "message_reference": reference, "referenced_message": to}


async def emails(service, inbox: Inbox, count: int) -> list:
    async with asyncio.timeout(5):
        while len(inbox.received) < count:
            await service.sender.run_once()
            await asyncio.sleep(0.02)
    return [got.message for got in inbox.received]


async def test_a_call_request_is_one_email_and_the_reply_to_it_joins_the_email_thread(
    fake_discord, service, inbox: Inbox
) -> None:
    fake = fake_discord
    async with running_bot(service):
        asked = fake.client_message("Can you call me tomorrow about the invoice?", CLIENT)
        await fake.dispatch("MESSAGE_CREATE", asked)
        reply = (await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages"))["body"]
        assert "already in our inbox (hello@acme.example)" in reply["content"]
        assert not reply.get("components")  # no "Send this to email" button: it is on its way
        (first,) = await emails(service, inbox, 1)
        service.clock.advance(service.policy.email.window + timedelta(minutes=1))  # past the window: by reference
        more = replying(fake.client_message("It's invoice 1042, the total is off.", CLIENT), asked)
        await fake.dispatch("MESSAGE_CREATE", more)
        elsewhere = fake.client_message("Separately: the new logo looks great.", CLIENT)
        await fake.dispatch("MESSAGE_CREATE", elsewhere)
        _, second = await emails(service, inbox, 2)
        await asyncio.sleep(0.1)
        assert len(inbox.received) == 2  # the unrelated message stays in chat
        assert "invoice 1042" in second.get_content()
        assert second["In-Reply-To"] == first["Message-ID"] and second["Subject"] == f"Re: {first['Subject']}"
