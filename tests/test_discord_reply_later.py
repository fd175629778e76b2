"""Discord's "Reply at the opening" message command: a form, then the reply is queued as a reply to that message at
the next opening, and the sender posts it as one (a message reference), once; only the owner can schedule one."""

from __future__ import annotations

from types import SimpleNamespace

from discord_harness import make_service
from discord_interactions import FakeInteraction
from factories import ny
from scheduling_fakes import RecordingPoster

from adapters.discord.commands import build_commands
from adapters.discord.reply_later import NAME
from bot.at_opening import LATER_KIND
from bot.scheduling import Scheduling
from bot.sender import Sender

OWNER, CLIENT, GUILD, CHANNEL, CLIENT_MESSAGE = 1, 2, 111, 222, 987654321


async def submit(service, user: int, text: str) -> FakeInteraction:
    (menu,) = [c for c in build_commands(service) if c.name == NAME]
    opening = FakeInteraction(user_id=user, guild_id=GUILD, channel_id=CHANNEL)
    await menu.callback(opening, SimpleNamespace(id=CLIENT_MESSAGE))
    form = opening.response.modal
    form.reply._value = text  # what the user typed
    submitted = FakeInteraction(user_id=user, guild_id=GUILD, channel_id=CHANNEL)
    await form.on_submit(submitted)
    return submitted


async def test_the_reply_goes_out_at_the_opening_as_a_reply_to_that_message(database) -> None:
    service = make_service(database.store(), ny(2026, 11, 23, 22), owners=[OWNER])
    service.outbox = queue = database.deliveries()
    assert (await submit(service, CLIENT, "Sending it at nine.")).answer.startswith("Only the business owner")
    assert "needs the message to send" in (await submit(service, OWNER, "  ")).answer
    done = await submit(service, OWNER, "Sending it at nine.")
    assert "will be posted as a reply to that message tomorrow" in done.answer
    (row,) = await queue.list_deliveries(kinds=[LATER_KIND])
    chat = RecordingPoster("discord", service.clock)
    sender = Sender(queue, {"discord": chat}, service.clock)
    scheduling = Scheduling(service.store, queue, service.policy, sender, service.clock)
    await scheduling.tick()
    assert chat.posts == []
    service.clock.set(ny(2026, 11, 24, 9, 0))
    await scheduling.tick()
    await scheduling.tick()
    ((post, _),) = chat.posts
    assert post.answering is not None and post.answering.message_id == str(CLIENT_MESSAGE)
    assert post.text == "Acme Admin: Sending it at nine." and post.key == row.key.token()
