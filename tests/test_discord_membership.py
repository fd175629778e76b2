"""Discord client channels from the server: every text channel the bot can view and send in, kept current by channel,
role and member events, under dpytest; and the Discord refusals that take a channel off."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC
from types import SimpleNamespace

import discord
import discord.ext.test as dpytest
import pytest_asyncio
from discord.ext.test import backend
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, GUILD_ID, TOKEN
from discord_harness import make_service
from factories import make_policy, ny
from scheduling_fakes import RecordingPoster

from adapters.discord.bot import BoundaryBot, bot_intents, run_discord
from adapters.discord.poster import post_error
from adapters.runner import NOT_IN_CHANNEL
from bot.models import Closure
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.settings import Settings

MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


@pytest_asyncio.fixture
async def world(database_factory):
    """A dpytest server with #client-acme, #read-only (no Send Messages for @everyone) and a voice channel."""
    database = await database_factory.migrated()
    service = make_service(database.store(), MONDAY_NIGHT)
    intents = bot_intents()
    intents.members = True  # dpytest keeps its fake members in the cache only with this intent
    bot = BoundaryBot(service, intents=intents)
    await bot._async_setup_hook()
    dpytest.configure(bot, text_channels=["client-acme", "read-only"], voice_channels=["lobby"], members=["Sam"])
    guild = dpytest.get_config().guilds[0]
    await dpytest.set_permission_overrides(guild.default_role, channel(guild, "read-only"), send_messages=False)
    bot.dispatch("ready")
    await dpytest.run_all_events()
    yield SimpleNamespace(bot=bot, guild=guild, database=database, store=service.store, clock=service.clock)
    await dpytest.empty_queue()


def channel(guild: discord.Guild, name: str) -> discord.abc.GuildChannel:
    return discord.utils.get(guild.channels, name=name)


async def listed(world) -> list[str]:
    names = {str(c.id): c.name for c in world.guild.channels}
    return sorted(names.get(c.channel_id, c.channel_id) for c in await world.store.list_channels())


async def noticed(world) -> list[str]:
    """Plan for a closure a week ahead; the names of the channels that get a closure notice."""
    queue = world.database.deliveries()
    if not await world.store.list_closures(ending_after=world.clock()):
        await world.store.add_closure(
            Closure(
                start=ny(2026, 11, 30).astimezone(UTC), end=ny(2026, 12, 1).astimezone(UTC), created_at=world.clock()
            )
        )
    sender = Sender(queue, {"discord": RecordingPoster("discord", world.clock)}, world.clock, pacing={})
    await Scheduling(world.store, queue, make_policy(), sender, world.clock).plan_once()
    names = {str(c.id): c.name for c in world.guild.channels}
    return sorted(names[d.key.channel_id] for d in await queue.list_deliveries(kinds=["closure_notice"]))


async def test_a_readable_sendable_channel_nobody_wrote_in_gets_the_notice_and_a_read_only_one_does_not(world):
    assert await listed(world) == ["client-acme"]
    assert await noticed(world) == ["client-acme"]


async def test_losing_and_regaining_a_permission_on_a_channel(world):
    acme = channel(world.guild, "client-acme")
    await dpytest.set_permission_overrides(world.guild.default_role, acme, view_channel=False)
    await dpytest.run_all_events()
    assert await listed(world) == []
    assert await noticed(world) == []
    await dpytest.set_permission_overrides(world.guild.default_role, acme, view_channel=True, send_messages=True)
    await dpytest.run_all_events()
    assert await listed(world) == ["client-acme"]
    assert await noticed(world) == ["client-acme"]


async def test_channels_created_and_deleted(world):
    backend.make_text_channel("client-globex", world.guild)
    await dpytest.run_all_events()
    assert await listed(world) == ["client-acme", "client-globex"]
    backend.delete_channel(channel(world.guild, "client-acme"))
    await dpytest.run_all_events()
    assert await listed(world) == ["client-globex"]


async def test_a_role_s_permissions_and_the_bot_s_own_roles(world):
    without_send = discord.Permissions(world.guild.default_role.permissions.value)
    without_send.send_messages = False
    backend.update_role(world.guild.default_role, permissions=without_send.value)
    await dpytest.run_all_events()
    assert await listed(world) == []
    assert await noticed(world) == []
    # dpytest writes every permission overwrite as a member's, so the role grants its permissions server-wide
    staff = backend.make_role(
        "boundary-staff", world.guild, permissions=discord.Permissions(view_channel=True, send_messages=True).value
    )
    await dpytest.add_role(world.guild.me, staff)  # a member update of the bot itself
    await dpytest.run_all_events()
    assert await listed(world) == ["client-acme"]  # #read-only denies @everyone Send Messages in the channel
    await dpytest.remove_role(world.guild.me, staff)
    await dpytest.run_all_events()
    assert await listed(world) == []


async def test_leaving_the_server_leaves_every_channel_and_a_member_update_of_someone_else_is_ignored(world):
    sam = dpytest.get_config().members[0]
    role = backend.make_role("clients", world.guild)
    await dpytest.add_role(sam, role)
    await dpytest.run_all_events()
    assert await listed(world) == ["client-acme"]
    world.bot.dispatch("guild_remove", world.guild)
    await dpytest.run_all_events()
    assert await listed(world) == []


def refusal(status: int, code: int, message: str) -> str:
    response = SimpleNamespace(status=status, reason=message, headers={})
    error = (discord.Forbidden if status == 403 else discord.NotFound)(response, {"code": code, "message": message})
    return str(post_error(error, "channel 1 post"))


def test_the_discord_refusals_that_mean_the_bot_is_not_in_the_channel():
    assert NOT_IN_CHANNEL.search(refusal(403, 50001, "Missing Access"))
    assert NOT_IN_CHANNEL.search(refusal(404, 10003, "Unknown Channel"))
    assert not NOT_IN_CHANNEL.search(refusal(403, 50013, "Missing Permissions"))
    assert not NOT_IN_CHANNEL.search(refusal(404, 10008, "Unknown Message"))


async def test_over_the_gateway_without_the_members_intent(database_factory, monkeypatch):
    """The unmodified client against the loopback fake: ready syncs the server, a channel update keeps it current."""
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.yarl.URL(f"{fake.url}/gateway")
    )
    database = await database_factory.migrated()
    store = database.store()
    settings = Settings(discord_token=TOKEN, discord_guild_id=GUILD_ID, _env_file=None)
    posters = {}
    task = asyncio.create_task(
        run_discord(make_service(store, MONDAY_NIGHT), settings, posters=posters, guild_ready_timeout=0.05)
    )
    try:

        async def until(expected):
            async with asyncio.timeout(10):
                while "discord" not in posters or [c.channel_id for c in await store.list_channels()] != expected:
                    assert not task.done(), task.exception()
                    await asyncio.sleep(0.01)

        await until([str(CHANNEL_ID)])  # the poster is registered on ready
        no_send = str(discord.Permissions(send_messages=True).value)
        deny_send = {"id": str(GUILD_ID), "type": 0, "allow": "0", "deny": no_send}  # @everyone may not send
        await fake.dispatch(
            "CHANNEL_UPDATE",
            {
                "id": str(CHANNEL_ID),
                "type": 0,
                "name": "client-acme",
                "position": 0,
                "guild_id": str(GUILD_ID),
                "permission_overwrites": [deny_send],
            },
        )
        await until([])
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await fake.close()
