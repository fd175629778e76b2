"""Forwarding to email in Slack, end to end: the real Bolt app over signed HTTP, the fake Slack, a loopback SMTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from email_server import Inbox
from factories import forward_to_email
from slack_fakes import BOT_ID, BOT_USER, CLIENT, OWNER, FakeSlack
from slack_harness import TUESDAY_10AM, HttpHarness, message_event, start_http
from slack_payloads import reaction_event

from adapters.slack.forwarding import FORWARD_ACTION
from bot.sender import Sender

CHANNEL = "C_CLIENT"


class MailFakeSlack(FakeSlack):
    """The fake Slack, plus conversations.info for channel names."""

    def _conversations_info(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"channel": {"id": args.get("channel"), "name": "client-acme", "is_channel": True}}


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with MailFakeSlack() as server:
        server.users[CLIENT]["profile"]["email"] = "sam@client.example"
        yield server


@pytest_asyncio.fixture
async def http(fake: FakeSlack, database, smtp) -> AsyncIterator[HttpHarness]:
    async for harness in start_http(fake, database, at=TUESDAY_10AM):
        harness.sender = forward_to_email(harness.service, database.deliveries(), harness.clock, smtp.port)
        yield harness


async def client_writes(http: HttpHarness, text: str, **event: Any) -> dict[str, Any]:
    """The client's message arrives (and is kept in the fake's history, where conversations.* find it)."""
    body = message_event(text, **event)
    message = {k: body["event"][k] for k in ("type", "user", "text", "ts")}
    http.fake.history[CHANNEL].insert(0, {**message, "thread_ts": event.get("thread_ts")})
    assert await http.event(body) == (200, "")
    await http.settle()
    return body["event"]


def block_actions(reply: dict[str, Any], *, user: str = CLIENT) -> dict[str, Any]:
    """A block_actions payload for the button on the bot's reply, shaped like Slack's documentation."""
    button = reply["blocks"][-1]["elements"][0]
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "sam", "name": "sam", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "verification-token",
        "container": {
            "type": "message",
            "message_ts": reply["ts"],
            "channel_id": CHANNEL,
            "is_ephemeral": False,
            "thread_ts": reply.get("thread_ts"),
        },
        "trigger_id": "123.456.abc",
        "team": {"id": "T1", "domain": "acme"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL, "name": "client-acme"},
        "message": {
            "type": "message",
            "subtype": "bot_message",
            "text": reply["text"],
            "ts": reply["ts"],
            "bot_id": BOT_ID,
            "user": BOT_USER,
            "thread_ts": reply.get("thread_ts"),
            "blocks": reply["blocks"],
        },
        "state": {"values": {}},
        "response_url": "https://hooks.slack.example/actions/T1/1/abc",
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": "fwd",
                "text": button["text"],
                "value": button["value"],
                "type": "button",
                "action_ts": "1795485600.000001",
            }
        ],
    }


async def the_reply(http: HttpHarness) -> dict[str, Any]:
    (post,) = http.fake.calls_to("chat.postMessage")
    return {**post.args, "ts": "1795485000.000001"}


def ephemerals(http: HttpHarness) -> list[dict[str, Any]]:
    return [call.args for call in http.fake.calls_to("chat.postEphemeral")]


async def test_the_button_forwards_the_message_once_and_answers_privately(http, inbox: Inbox) -> None:
    sent = await client_writes(http, "Can you call me this afternoon? Q3 numbers & the <draft> are attached.")
    reply = await the_reply(http)
    assert "please email hello@acme.example" in reply["text"]
    actions = reply["blocks"][-1]
    assert actions["type"] == "actions" and actions["elements"][0]["action_id"] == FORWARD_ACTION
    assert actions["elements"][0]["text"]["text"] == "Send this to email"
    assert len(actions["elements"][0]["value"]) < 2000
    assert reply["blocks"][0]["text"]["text"] == reply["text"]

    for _ in range(3):  # a click, a double click, a replayed interaction
        assert await http.interactive(block_actions(reply)) == (200, "")
        await http.settle()
    first, *again = ephemerals(http)
    assert first["user"] == CLIENT and first["channel"] == CHANNEL and first["thread_ts"] == sent["ts"]
    assert first["text"] == (
        "Thanks! Your message is on its way to hello@acme.example. "
        "You'll get the answer by email at sam@client.example."
    )
    assert [e["text"] for e in again] == [
        "Your message was already sent to hello@acme.example; nothing more to do."
    ] * 2

    await http.sender.run_once()
    await http.sender.run_once()
    (got,) = inbox.received
    email = got.message
    assert email["To"] == "olivia@home.example" and email["Reply-To"] == "Sam <sam@client.example>"
    assert email["Subject"] == "[boundary-bot] Sam: Can you call me this afternoon? Q3 numbers…"
    body = email.get_content()
    assert "Can you call me this afternoon? Q3 numbers & the <draft> are attached." in body
    assert "Channel: #client-acme (Slack)" in body and "Sent:    " in body
    assert f"Link:    https://t1.slack.example/archives/{CHANNEL}/p{sent['ts'].replace('.', '')}" in body


async def test_someone_else_pressing_the_button_forwards_nothing(http, inbox: Inbox) -> None:
    await client_writes(http, "Can you call me this afternoon?")
    http.fake.add_user("U_OTHER", "Alex", "Europe/Paris")
    assert await http.interactive(block_actions(await the_reply(http), user="U_OTHER")) == (200, "")
    await http.settle()
    (answer,) = ephemerals(http)
    assert answer["user"] == "U_OTHER" and answer["text"].startswith("Only the person who wrote that message")
    assert await http.service.forwarding.queue.list_deliveries(kinds=["email_forward"]) == []


async def test_without_smtp_the_reply_still_names_the_email_but_has_no_button(http) -> None:
    http.service.forwarding = None
    await client_writes(http, "Can you text me later?")
    reply = await the_reply(http)
    assert "please write to hello@acme.example" in reply["text"] and "blocks" not in reply


async def test_a_reply_in_a_thread_forwards_that_reply(http, inbox: Inbox) -> None:
    sent = await client_writes(http, "ok but can you call me?", thread_ts="1795480000.000001")
    assert await http.interactive(block_actions(await the_reply(http))) == (200, "")
    await http.settle()
    await http.sender.run_once()
    (got,) = inbox.received
    assert "ok but can you call me?" in got.message.get_content()
    assert ephemerals(http)[0]["thread_ts"] == "1795480000.000001"
    assert f"?thread_ts=1795480000.000001&cid={CHANNEL}" in got.message.get_content()
    assert sent["ts"].replace(".", "") in got.message.get_content()


async def test_only_the_owners_envelope_reaction_forwards(http, inbox: Inbox) -> None:
    sent = await client_writes(http, "Here are the Q3 numbers you asked for.")  # no reply, no button
    assert http.fake.calls_to("chat.postMessage") == []
    for user, name in ((CLIENT, "envelope"), ("U_TEAMMATE", "email"), (OWNER, "thumbsup")):
        assert await http.event(reaction_event(user, name, CHANNEL, sent["ts"])) == (200, "")
        await http.settle()
    assert await http.service.forwarding.queue.list_deliveries(kinds=["email_forward"]) == []
    assert await http.event(reaction_event(OWNER, "incoming_envelope", CHANNEL, sent["ts"])) == (200, "")
    await http.settle()
    (answer,) = ephemerals(http)
    assert answer["user"] == OWNER and answer["text"] == "Sending Sam's message to olivia@home.example."
    await http.sender.run_once()
    (got,) = inbox.received
    assert "You forwarded this message with an envelope reaction." in got.message.get_content()
    assert got.message["Subject"] == "[boundary-bot] Sam: Here are the Q3 numbers you asked for."


async def test_a_reply_the_sender_posts_after_a_crash_keeps_its_button_and_the_button_works(
    http,
    database,
    inbox: Inbox,
) -> None:
    from adapters.slack.events import to_incoming
    from bot.replies import LIVE_LEASE

    service = http.service
    service.outbox, service.outbox_platforms = database.deliveries(), frozenset({"slack"})
    body = message_event("Can you call me this afternoon?")
    http.fake.history[CHANNEL].insert(0, {k: body["event"][k] for k in ("type", "user", "text", "ts")})
    incoming = to_incoming(
        body,
        body["event"],
        team_id="T1",
        bot_user_id=BOT_USER,
        bot_id=BOT_ID,
        received_at=http.clock(),
    )
    assert (await service.handle_message(incoming)).queued  # decided and written; the process dies before its post
    http.clock.advance(LIVE_LEASE)
    sender = Sender(service.outbox, {"slack": http.bot.poster}, http.clock)
    assert (await sender.run_once()).sent == 1
    reply = await the_reply(http)
    assert reply["thread_ts"] == body["event"]["ts"] and "please email hello@acme.example" in reply["text"]
    button = reply["blocks"][-1]["elements"][0]
    assert button["action_id"] == FORWARD_ACTION and button["text"]["text"] == "Send this to email"
    assert await http.interactive(block_actions(reply)) == (200, "")
    await http.settle()
    await http.sender.run_once()
    (got,) = inbox.received
    assert "Can you call me this afternoon?" in got.message.get_content()
