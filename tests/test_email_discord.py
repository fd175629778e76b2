"""Forwarding to email in Discord: the persistent button's callback, the owner's reaction, and both end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import discord
import pytest_asyncio
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, GUILD_ID, user
from discord_harness import client_asks, make_service, running_bot, serving
from discord_interactions import FakeInteraction
from email_server import Inbox
from factories import forward_to_email, ny

from adapters.discord.forwarding import FORWARD_CUSTOM_ID, ForwardView, reaction_added
from bot.sender import Sender
from storage.database import Database

TUESDAY_10AM = ny(2026, 11, 24, 10, 0)
OWNER_ID, CLIENT_ID, OTHER_ID = 1, 700000000000000001, 700000000000000002
CLIENT = user(CLIENT_ID, "Sam")


@pytest_asyncio.fixture
async def service(tmp_path, smtp) -> AsyncIterator[Any]:
    """A service on SQLite with forwarding to email on, and `service.sender` mailing through the loopback server."""
    database = Database(f"sqlite:///{tmp_path}/bot.db")
    await database.migrate()
    service = make_service(database.store(), TUESDAY_10AM, owners=[OWNER_ID])
    service.sender = forward_to_email(service, database.deliveries(), service.clock, smtp.port)
    try:
        yield service
    finally:
        await database.dispose()


def client_message(text: str, message_id: int = 800000000000000001, author_id: int = CLIENT_ID) -> SimpleNamespace:
    """Just what forwarding reads from a discord.Message."""
    return SimpleNamespace(
        id=message_id,
        content=text,
        created_at=datetime(2026, 11, 24, 15, 2, tzinfo=UTC),
        channel=SimpleNamespace(id=222, name="client-acme"),
        guild=SimpleNamespace(id=111),
        author=SimpleNamespace(id=author_id, display_name="Sam", bot=False),
        jump_url=f"https://discord.com/channels/111/222/{message_id}",
    )


class ButtonInteraction(FakeInteraction):
    """A press of the button on the bot's reply, which refers to the client's message (fetched, not resolved)."""

    def __init__(self, user_id: int, original: SimpleNamespace):
        super().__init__(user_id)
        self.original = original
        self.message = SimpleNamespace(reference=SimpleNamespace(message_id=original.id, resolved=None))

    @property
    def channel(self) -> SimpleNamespace:
        async def fetch_message(message_id: int) -> SimpleNamespace:
            assert message_id == self.original.id
            return self.original

        return SimpleNamespace(id=self.channel_id, fetch_message=fetch_message)


async def press(service, user_id: int, original: SimpleNamespace) -> str:
    view = ForwardView(service)
    interaction = ButtonInteraction(user_id, original)
    await view.children[0].callback(interaction)
    return interaction.answer


async def forwards(service) -> list:
    return await service.forwarding.queue.list_deliveries(kinds=["email_forward"])


async def test_the_view_is_persistent() -> None:
    view = ForwardView(make_service(None, TUESDAY_10AM))
    (button,) = view.children
    assert view.timeout is None and view.is_persistent() and button.custom_id == FORWARD_CUSTOM_ID
    assert button.label == "Send this to email"


async def test_the_button_forwards_once_and_answers_privately(service, inbox: Inbox) -> None:
    original = client_message("Can you call me about the Henderson invoice?\nIt's due Friday.")
    assert await press(service, CLIENT_ID, original) == "Thanks! Your message is on its way to hello@acme.example."
    assert (
        await press(service, CLIENT_ID, original)
        == "Your message was already sent to hello@acme.example; nothing more to do."
    )
    await service.sender.run_once()
    (got,) = inbox.received
    email = got.message
    assert "Reply-To" not in email and email["To"] == "olivia@home.example"
    assert email["Subject"] == "[boundary-bot] Sam: Can you call me about the Henderson invoice?…"
    body = email.get_content()
    assert "Can you call me about the Henderson invoice?\nIt's due Friday." in body.replace("\r\n", "\n")
    assert "Channel: #client-acme (Discord)" in body and "Sent:    Tuesday, Nov 24 at 10:02 AM EST" in body
    assert "Link:    https://discord.com/channels/111/222/800000000000000001" in body
    assert "Discord did not share Sam's email address" in body


async def test_someone_else_pressing_forwards_nothing(service) -> None:
    answer = await press(service, OTHER_ID, client_message("Can you call me?"))
    assert answer == "Only the person who wrote that message can send it to hello@acme.example."
    assert await forwards(service) == []


async def test_with_the_bridge_off_the_button_says_so(service) -> None:
    service.forwarding = None
    assert (
        await press(service, CLIENT_ID, client_message("Can you call me?"))
        == "Sending to email is switched off; please email hello@acme.example directly."
    )


async def test_only_the_owners_envelope_reaction_forwards(service) -> None:
    original = client_message("Here are the Q3 numbers.")

    async def fetch_message(message_id: int) -> SimpleNamespace:
        return original

    client = SimpleNamespace(get_channel=lambda channel_id: SimpleNamespace(fetch_message=fetch_message))

    def payload(user_id: int, emoji: str) -> SimpleNamespace:
        return SimpleNamespace(
            user_id=user_id, channel_id=222, message_id=original.id, emoji=discord.PartialEmoji(name=emoji)
        )

    await reaction_added(client, service, payload(CLIENT_ID, "\U0001f4e7"))
    await reaction_added(client, service, payload(OWNER_ID, "\U0001f44d"))
    assert await forwards(service) == []
    await reaction_added(client, service, payload(OWNER_ID, "\u2709\ufe0f"))
    (row,) = await forwards(service)
    assert row.data["notify"] == "" and "You forwarded this message with an envelope reaction." in row.text


# ---- end to end: run_discord against the loopback fake of Discord ----


class MessagesFakeDiscord(FakeDiscord):
    """The fake Discord, plus GET /channels/{id}/messages/{id} for the client messages a test registers."""

    def __init__(self) -> None:
        super().__init__()
        self.known: dict[str, dict[str, Any]] = {}

    def _routes(self):
        return [*super()._routes(), ("GET", r"/channels/(\d+)/messages/(\d+)", self._message)]

    def _message(self, call, channel_id, message_id):
        found = self.known.get(message_id)
        return self._json(found) if found else self._json({"message": "Unknown Message", "code": 10008}, 404)


@pytest_asyncio.fixture
async def fake_discord(monkeypatch):
    async with serving(MessagesFakeDiscord(), monkeypatch) as fake:
        yield fake


def button_press(
    fake: FakeDiscord, presser: dict[str, Any], reply: dict[str, Any], original: dict[str, Any]
) -> dict[str, Any]:
    """An INTERACTION_CREATE for a button (type 3) on the bot's reply, which carries the replied-to message."""
    interaction = fake.slash_command("unused", presser)
    interaction.update(
        type=3,
        data={"custom_id": FORWARD_CUSTOM_ID, "component_type": 2},
        message={
            **reply,
            "message_reference": {
                "message_id": original["id"],
                "channel_id": str(CHANNEL_ID),
                "guild_id": str(GUILD_ID),
            },
            "referenced_message": original,
        },
    )
    return interaction


async def wait_until(check, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.02)


async def test_button_and_reaction_end_to_end(fake_discord, service, inbox: Inbox) -> None:
    fake = fake_discord
    async with running_bot(service):
        asked, reply = await client_asks(fake, "Can you call me this afternoon?", CLIENT)
        assert "Calls happen at our weekly meeting" in reply["content"]
        assert str(reply["message_reference"]["message_id"]) == asked["id"]
        (row,) = reply["components"]
        (button,) = row["components"]
        assert button["custom_id"] == FORWARD_CUSTOM_ID and button["label"] == "Send this to email"
        posted = fake.messages[CHANNEL_ID][-1]

        press_ = button_press(fake, CLIENT, {**posted, "components": reply["components"]}, asked)
        await fake.dispatch("INTERACTION_CREATE", press_)
        callback = await fake.wait_for_call(rf"POST /interactions/{press_['id']}/{press_['token']}/callback")
        assert callback["body"]["type"] == 4 and callback["body"]["data"]["flags"] == 64
        assert callback["body"]["data"]["content"] == "Thanks! Your message is on its way to hello@acme.example."

        numbers = fake.client_message("Here are the Q3 numbers you asked for.", CLIENT)
        await fake.dispatch("MESSAGE_CREATE", numbers)  # in hours, no redirect: no reply
        fake.known[numbers["id"]] = numbers
        for reactor, emoji in ((CLIENT_ID, "\U0001f4e8"), (OWNER_ID, "\U0001f4e8")):
            await fake.dispatch(
                "MESSAGE_REACTION_ADD",
                {
                    "user_id": str(reactor),
                    "channel_id": str(CHANNEL_ID),
                    "message_id": numbers["id"],
                    "guild_id": str(GUILD_ID),
                    "emoji": {"id": None, "name": emoji},
                    "burst": False,
                    "type": 0,
                },
            )

        async def two_forwards() -> bool:
            return len(await forwards(service)) == 2

        await wait_until(two_forwards)
        assert len(fake.calls(rf"GET /channels/{CHANNEL_ID}/messages/{numbers['id']}")) == 1  # the owner's only
        assert len(fake.calls(rf"POST /channels/{CHANNEL_ID}/messages")) == 1
    await service.sender.run_once()
    subjects = sorted(received.message["Subject"] for received in inbox.received)
    assert subjects == [
        "[boundary-bot] Sam: Can you call me this afternoon?",
        "[boundary-bot] Sam: Here are the Q3 numbers you asked for.",
    ]


async def test_a_reply_the_sender_posts_after_a_crash_keeps_its_button(fake_discord, service) -> None:
    from bot.messages import IncomingMessage
    from bot.replies import LIVE_LEASE

    fake = fake_discord
    service.outbox, service.outbox_platforms = service.forwarding.queue, frozenset({"discord"})
    async with running_bot(service) as posters:
        asked = fake.client_message("Can you call me this afternoon?", CLIENT)
        incoming = IncomingMessage(
            platform="discord",
            workspace_id=str(GUILD_ID),
            channel_id=str(CHANNEL_ID),
            message_id=asked["id"],
            author_id=str(CLIENT_ID),
            text=asked["content"],
            event_id=asked["id"],
            received_at=service.clock(),
        )
        assert (await service.handle_message(incoming)).queued  # decided and written; the process dies
        service.clock.advance(LIVE_LEASE)
        assert (await Sender(service.outbox, posters, service.clock).run_once()).sent == 1
        reply = (await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages"))["body"]
        assert "Calls happen at our weekly meeting" in reply["content"]
        assert str(reply["message_reference"]["message_id"]) == asked["id"]  # the button finds the message by it
        ((button,),) = [row["components"] for row in reply["components"]]
        assert button["custom_id"] == FORWARD_CUSTOM_ID and button["label"] == "Send this to email"
