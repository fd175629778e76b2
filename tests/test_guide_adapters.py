"""/boundaries guide posts the client guide publicly in Slack and Discord, for the owner only."""

from __future__ import annotations

from discord_harness import make_service
from discord_interactions import FakeInteraction, find_command
from factories import ny
from memory_store import MemoryStore
from slack_fakes import CLIENT, OWNER
from slack_harness import command_fields

from adapters.discord.commands import build_commands
from bot.guide import client_guide


async def test_discord_owner_posts_the_guide_and_a_client_cannot():
    service = make_service(MemoryStore(), ny(2026, 11, 23, 10), owners=[1001])
    command = find_command(build_commands(service), "boundaries guide")
    owner = FakeInteraction(user_id=1001)
    await command.callback(owner)
    assert owner.answer == "Posted the client guide in this channel."
    assert "".join(owner.public).strip() == client_guide(service.policy, markdown=False).strip()
    client = FakeInteraction(user_id=2002)
    await command.callback(client)
    assert "Only the business owner" in client.answer and client.public == []


async def test_slack_owner_posts_the_guide_and_a_client_cannot(http):
    status, _ = await http.command(command_fields("/boundaries", "guide", user=CLIENT, fake=http.fake))
    await http.settle()
    assert status == 200 and http.fake.calls_to("chat.postMessage") == []
    status, _ = await http.command(command_fields("/boundaries", "guide", user=OWNER, fake=http.fake))
    await http.settle()
    [post] = http.fake.calls_to("chat.postMessage")
    assert post.args["text"].startswith("Working with Acme Admin") and "How to reach us" in post.args["text"]
