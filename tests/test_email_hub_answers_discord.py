"""The inbox as the hub, back (issue 25), on Discord end to end: discord.py against the fake gateway and REST, a
loopback SMTP server and a real IMAP server; the owner's email answer is posted once as a reply to the client's
message, signed with the owner's name."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest_asyncio
from discord_gateway import CHANNEL_ID, user
from discord_harness import MONDAY_NIGHT, make_service, running_bot
from email_server import Inbox, smtp_url
from factories import OWNER_INBOX, make_policy
from imap_server import USER, imap_url
from test_email_hub_answers import SECRET, owner_replies

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
    queue, route = database.deliveries(), AnswerRoute(USER, SECRET)
    addresses = Addresses.for_policy(policy, owner=OWNER_INBOX)
    service.forwarding = Forwarding(queue, policy, service.roles, service.clock, addresses, route=route)
    service.answers = InboxAnswers(queue, service.store, policy, service.roles, service.clock, route, {OWNER_INBOX})
    service.queue = queue
    try:
        yield service
    finally:
        await database.dispose()


async def test_the_owner_s_email_answer_is_one_discord_reply_to_the_client_s_message(
    fake_discord, service, smtp, inbox: Inbox, imap
) -> None:
    fake = fake_discord
    async with running_bot(service) as posters:
        sender = Sender(service.queue, {**posters, "email": EmailPoster.from_url(smtp_url(smtp.port))}, service.clock)
        asked = fake.client_message("Can you call me tomorrow about the invoice?", CLIENT)
        await fake.dispatch("MESSAGE_CREATE", asked)
        await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages")  # the automatic reply
        async with asyncio.timeout(5):
            while not inbox.received:
                await sender.run_once()
                await asyncio.sleep(0.02)
        forwarded = message_from_bytes(bytes(inbox.received[0].message), _class=EmailMessage, policy=default)
        imap.deliver(owner_replies(forwarded, "Yes: tomorrow at 10, I'll call you."))
        for _ in range(2):  # a second look (a restart, another replica) finds nothing new
            async with InboxReader.from_url(imap_url(imap.port)) as reader:
                await look_once(reader, service.answers, lambda: None)
        await sender.run_once()
        await sender.run_once()
        posted = [c["body"] for c in fake.calls(rf"POST /channels/{CHANNEL_ID}/messages")]
        answers = [body for body in posted if body["content"].startswith("Dana:")]
        assert [a["content"] for a in answers] == ["Dana: Yes: tomorrow at 10, I'll call you."]
        assert str(answers[0]["message_reference"]["message_id"]) == asked["id"]
