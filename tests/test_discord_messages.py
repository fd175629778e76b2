"""Discord message flows under dpytest with a frozen clock: what clients see, and what the bot stays quiet about."""

from __future__ import annotations

import sys

import discord
import discord.ext.test as dpytest
import pytest_asyncio
from discord.ext.test import backend, factories
from discord_harness import make_service
from discord_interactions import FakeInteraction, find_command
from factories import ny
from memory_store import MemoryStore

from adapters.discord.bot import BoundaryBot, bot_intents
from adapters.discord.commands import build_commands
from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure
from bot.roles import Roles

MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)
TUESDAY_MORNING = ny(2026, 11, 24, 10, 0)
AFTER_HOURS = (
    "It arrived outside business hours, so it will be picked up when we open tomorrow (Tuesday, Nov 24) at 9:00 AM EST"
)


async def _world(store):
    """A configured dpytest guild: one text channel, clients Sam and Kim, the owner Olivia and team member Terry."""
    service = make_service(store, MONDAY_NIGHT)
    intents = bot_intents()
    intents.members = True  # dpytest keeps its fake members in the cache only with this intent
    bot = BoundaryBot(service, intents=intents)
    await bot._async_setup_hook()
    dpytest.configure(bot, text_channels=["client-acme"], voice_channels=0, members=["Sam", "Kim", "Olivia", "Terry"])
    config = dpytest.get_config()
    sam, kim, owner, team = config.members
    service.roles = Roles(owners={"discord": frozenset({str(owner.id)})}, team={"discord": frozenset({str(team.id)})})
    world = type("World", (), {})()
    world.bot, world.service, world.guild, world.channel = bot, service, config.guilds[0], config.channels[0]
    world.sam, world.kim, world.owner, world.team = sam, kim, owner, team
    world.outcomes, errors = [], []
    handle = service.handle_message

    async def recording(message):
        outcome = await handle(message)
        world.outcomes.append(outcome)
        return outcome

    async def on_error(event, *args, **kwargs):  # discord.py would only log a failing handler
        errors.append(sys.exc_info()[1])

    service.handle_message, bot.on_error = recording, on_error
    yield world
    await dpytest.empty_queue()
    assert errors == []


@pytest_asyncio.fixture
async def world():
    async for made in _world(MemoryStore()):
        yield made


@pytest_asyncio.fixture
async def world_on_every_store(store):
    """The same world on the memory store, SQLite and PostgreSQL (conftest's `store`)."""
    async for made in _world(store):
        yield made


def reply() -> discord.Message:
    return dpytest.get_message()


async def test_after_hours_message_gets_the_next_opening_and_the_throttle_holds(world_on_every_store):
    world = world_on_every_store
    await dpytest.message("Could you look at the invoice tonight?", member=world.sam)
    first = reply()
    assert first.content.startswith(
        r"Hi Sam\_0\_nick, thanks for your message!"
    )  # the name shown as typed, not as markup
    assert AFTER_HOURS in first.content
    assert "You can expect an answer by tomorrow (Tuesday, Nov 24) at 5:00 PM EST" in first.content
    assert first.channel == world.channel and first.author == world.bot.user

    await dpytest.message("Also, one more thing about the invoice", member=world.sam)
    assert dpytest.verify().message().nothing()  # once per off-hours window
    await dpytest.message("Hello from Kim", member=world.kim)
    assert AFTER_HOURS in reply().content  # throttles are per client


async def test_urgent_message_during_a_closure_gets_reopening_and_backup(world_on_every_store):
    world = world_on_every_store
    await world.service.store.add_closure(Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 3), reason="the holidays"))
    world.service.clock.set(ny(2026, 12, 28, 10, 0))
    await dpytest.message("URGENT the upload failed", member=world.sam)
    text = reply().content
    assert "Acme Admin is closed for the holidays and reopens Monday, Jan 4, 2027 at 9:00 AM EST" in text
    assert text.startswith(
        "Hi Sam\\_0\\_nick, if this is an emergency (a payroll or legal deadline today), "
        "please contact Jordan Lee (jordan@acme.example) right away"
    )


async def test_call_and_text_requests_are_redirected_to_email_in_business_hours(world):
    world.service.clock.set(TUESDAY_MORNING)
    await dpytest.message("Can you call me?", member=world.sam)
    call = reply().content
    assert call.startswith(
        "Hi Sam\\_0\\_nick, happy to talk! Calls happen at our weekly meeting or by appointment "
        "(https://cal.example/acme)."
    )
    assert "please email hello@acme.example (one email per topic)" in call
    await dpytest.message("Could you text me the figures?", member=world.kim)
    assert reply().content.startswith(
        "Hi Kim\\_1\\_nick, we don't take requests by text, but email works well: please write to hello@acme.example"
    )
    await dpytest.message("ok thanks, see you then", member=world.sam)
    assert dpytest.verify().message().nothing()  # open hours and nothing to redirect


async def test_bots_webhooks_the_bot_itself_owner_and_team_are_ignored(world):
    other_bot = backend.get_state().store_user(factories.make_user_dict("Zapier", "0042", None, bot=True))
    backend.make_member(other_bot, world.guild)
    for author in (other_bot, world.bot.user, world.owner, world.team):
        await dpytest.message("Can you call me tonight?", member=world.guild.get_member(author.id))
    webhook = factories.make_message_dict(
        world.channel, world.sam, content="Can you call me?", webhook_id=12345, guild_id=world.guild.id
    )
    backend.get_state().parse_message_create(webhook)
    await dpytest.run_all_events()
    join = factories.make_message_dict(world.channel, world.sam, content="", type=7, guild_id=world.guild.id)
    backend.get_state().parse_message_create(join)  # a system message ("Sam joined the server")
    await dpytest.run_all_events()
    assert dpytest.verify().message().nothing()
    ignored = [outcome.decision.ignored for outcome in world.outcomes]
    assert ignored == ["bot", "own message", "owner or team", "owner or team", "bot", "other event"]


async def test_internal_channel_and_its_threads_stay_quiet(world):
    ref = ChannelRef("discord", str(world.guild.id), str(world.channel.id))
    await world.service.store.set_channel_mode(ref, ChannelMode.INTERNAL)
    await dpytest.message("Can you call me?", member=world.sam)
    thread = discord.Thread(
        guild=world.guild,
        state=backend.get_state(),
        data={
            "id": factories.make_id(),
            "parent_id": world.channel.id,
            "owner_id": world.sam.id,
            "name": "invoice",
            "type": 11,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "guild_id": world.guild.id,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "locked": False,
                "archive_timestamp": "2026-11-23T00:00:00+00:00",
            },
        },
    )
    world.guild._add_thread(thread)
    await dpytest.message("Can you call me?", channel=thread, member=world.sam)
    assert dpytest.verify().message().nothing()
    assert [outcome.decision.ignored for outcome in world.outcomes] == ["internal channel", "internal channel"]

    await world.service.store.set_channel_mode(ref, ChannelMode.CLIENT)
    await dpytest.message("anyone there?", channel=thread, member=world.kim)
    answer = reply()
    assert AFTER_HOURS in answer.content and answer.channel == thread  # answered in the thread


async def test_a_direct_message_is_answered_too(world):
    dm = await world.sam.create_dm()
    await dpytest.message("are you around tonight?", channel=dm, member=world.sam)
    answer = reply()
    assert AFTER_HOURS in answer.content and answer.channel == dm


async def test_client_time_zone_from_timezone_set_is_used_in_replies(world):
    timezone_set = find_command(build_commands(world.service), "timezone set")
    interaction = FakeInteraction(user_id=world.sam.id, guild_id=world.guild.id, channel_id=world.channel.id)
    await timezone_set.callback(interaction, zone="Europe/London")
    assert interaction.answer == "Saved: replies to you will show times in Europe/London."
    await dpytest.message("Could you look at the invoice tonight?", member=world.sam)
    assert "when we open today at 2:00 PM GMT (your time)" in reply().content  # 9 AM EST; already Tuesday in London


async def test_a_message_during_a_database_outage_is_answered_once_the_database_is_back(world) -> None:
    """Discord never redelivers a message, so the bot waits for the database instead of dropping the message."""
    from sqlalchemy.exc import OperationalError

    store = world.service.store
    failures = {"claim_message": 2, "record_decision": 1}  # down at first, then again just before the reply log

    def flaky(name):
        original = getattr(store, name)

        async def call(*args, **kwargs):
            if failures[name]:
                failures[name] -= 1
                raise OperationalError("...", {}, Exception("could not connect to server"))
            return await original(*args, **kwargs)

        return call

    for name in failures:
        setattr(store, name, flaky(name))
    world.bot.retry_wait = 0.01
    await dpytest.message("Can you look at the invoice tonight?", channel=world.channel, member=world.sam)
    await dpytest.run_all_events()
    assert failures == {"claim_message": 0, "record_decision": 0}
    assert dpytest.verify().message().contains().content(AFTER_HOURS)
    assert dpytest.verify().message().nothing()
    assert sum(o.reply is not None for o in world.outcomes) == 1  # (the other outcome: our own reply, ignored)


async def test_a_team_members_reply_to_the_client_keeps_the_promise(world):
    await dpytest.message("Could you send the Q3 report?", member=world.sam)
    assert AFTER_HOURS in reply().content
    [promise] = await world.service.store.list_promises()
    world.service.clock.set(TUESDAY_MORNING)
    await dpytest.message("Any news?", member=world.kim)  # another client writing is no answer
    assert [p.id for p in await world.service.store.list_promises()] == [promise.id]
    answer = factories.make_message_dict(
        world.channel,
        world.team,
        content="Here it is!",
        type=19,
        guild_id=world.guild.id,
        message_reference={"message_id": promise.message_id, "channel_id": str(world.channel.id)},
    )
    backend.get_state().parse_message_create(answer)
    await dpytest.run_all_events()
    assert world.outcomes[-1].decision.ignored == "owner or team"
    assert await world.service.store.list_promises() == []
    [kept] = await world.service.store.list_promises(answered_since=MONDAY_NIGHT)
    assert kept.answered_at == TUESDAY_MORNING and kept.state(TUESDAY_MORNING) == "kept"
