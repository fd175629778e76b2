"""The inbox as the hub (issue 25) on Discord end to end (discord.py against the fake gateway and REST, a loopback
SMTP server, a real IMAP server): an after-hours call request becomes one email on its own, the client's reply to
that message joins its email thread, and the owner's email answer comes back once as a reply to the client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest_asyncio
from discord_gateway import CHANNEL_ID, user
from discord_harness import MONDAY_NIGHT, client_asks, make_service, running_bot
from email_server import SECRET, Inbox, owner_replies, smtp_url
from factories import OWNER_INBOX, make_policy
from imap_server import USER, imap_url

from adapters.email import EmailPoster
from adapters.inbox import InboxReader
from adapters.inbox_watch import look_once
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.inbox_answers import AnswerRoute, InboxAnswers
from bot.sender import Sender
from storage.database import Database

CLIENT = user(700000000000000001, "Sam")


@pytest_asyncio.fixture
async def service(tmp_path, smtp) -> AsyncIterator[Any]:
    database = Database(f"sqlite:///{tmp_path}/bot.db")
    await database.migrate()
    service = make_service(database.store(), MONDAY_NIGHT, owners=[1])
    service.policy = policy = make_policy(email={"forward": "requests"}, owner={"name": "Dana"})
    service.queue, route = database.deliveries(), AnswerRoute(USER, SECRET)
    addresses = Addresses.for_policy(policy, owner=OWNER_INBOX)
    service.forwarding = Forwarding(service.queue, policy, service.roles, service.clock, addresses, route=route)
    service.answers = InboxAnswers(
        service.queue, service.store, policy, service.roles, service.clock, route, {OWNER_INBOX}
    )
    service.sender = Sender(service.queue, {"email": EmailPoster.from_url(smtp_url(smtp.port))}, service.clock)
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
        asked, reply = await client_asks(fake, "Can you call me tomorrow about the invoice?", CLIENT)
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


async def test_the_owner_s_email_answer_is_one_discord_reply_to_the_client_s_message(
    fake_discord, service, smtp, inbox: Inbox, imap
) -> None:
    fake = fake_discord
    async with running_bot(service) as posters:
        sender = Sender(service.queue, {**posters, **service.sender.posters}, service.clock)
        asked = fake.client_message("Can you call me tomorrow about the invoice?", CLIENT)
        await fake.dispatch("MESSAGE_CREATE", asked)
        await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages")  # the automatic reply
        async with asyncio.timeout(5):
            while not inbox.received:
                await sender.run_once()
                await asyncio.sleep(0.02)
        forwarded = message_from_bytes(bytes(inbox.received[0].message), _class=EmailMessage, policy=default)
        notes = b"Agenda: 1. invoice 2. renewal\n"
        imap.deliver(owner_replies(forwarded, "Yes: tomorrow at 10, I'll call you.", files={"agenda.txt": notes}))
        for _ in range(2):  # a second look (a restart, another replica) finds nothing new
            async with InboxReader.from_url(imap_url(imap.port)) as reader:
                await look_once(reader, service.answers, lambda: None)
        for _ in range(3):
            await sender.run_once()
        calls = [
            c for c in fake.calls(rf"POST /channels/{CHANNEL_ID}/messages") if c["body"]["content"].startswith("Dana:")
        ]
        assert [c["body"]["content"] for c in calls] == [
            "Dana: Yes: tomorrow at 10, I'll call you.\n\n(Attached to the email: agenda.txt.)",
            "Dana: 📎 agenda.txt",
        ]
        assert all(str(c["body"]["message_reference"]["message_id"]) == asked["id"] for c in calls)
        assert calls[0]["files"] == [] and calls[1]["files"] == [("agenda.txt", notes)]
