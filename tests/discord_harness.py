"""Discord test harness: a service factory, the fake with discord.py pointed at it, and a bot run on it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, GUILD_ID, TOKEN
from factories import make_policy, ny

from adapters.discord.bot import run_discord
from bot.clock import SimulatedClock
from bot.roles import Roles
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

POLICY = make_policy()
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


def make_service(store, at: datetime, *, owners=(), team=()) -> BoundaryService:
    """A service on `store` with the test policy, a clock frozen at `at`, and Discord owner/team ids."""
    roles = Roles(owners={"discord": frozenset(map(str, owners))}, team={"discord": frozenset(map(str, team))})
    return BoundaryService(store, POLICY, roles, SimulatedClock(at))


@contextlib.asynccontextmanager
async def running_bot(
    service: BoundaryService, posters: dict | None = None, settings: Settings | None = None, **options: Any
) -> AsyncIterator[dict]:
    """`run_discord` for `service` against the fake (its URLs patched in by the test, or in `settings`), with
    `options` for the bot, until its poster is up; cancelled on the way out. Yields the posters it registered in."""
    posters = {} if posters is None else posters
    settings = settings or Settings(discord_token=TOKEN, discord_guild_id=GUILD_ID, _env_file=None)
    task = asyncio.create_task(run_discord(service, settings, posters=posters, guild_ready_timeout=0.05, **options))
    try:
        async with asyncio.timeout(10):
            while "discord" not in posters:  # registered in on_ready, after READY and GUILD_CREATE
                assert not task.done(), task.exception()
                await asyncio.sleep(0.01)
        yield posters
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def client_asks(fake: FakeDiscord, text: str, author: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """`text` from `author` in the client channel, dispatched: its payload, and the body of the bot's reply to it."""
    asked = fake.client_message(text, author)
    await fake.dispatch("MESSAGE_CREATE", asked)
    return asked, (await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages"))["body"]


@contextlib.asynccontextmanager
async def serving(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """`fake` started, with discord.py's REST base and gateway pointed at it (monkeypatch restores both)."""
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.yarl.URL(f"{fake.url}/gateway")
    )
    try:
        yield fake
    finally:
        await fake.close()


@pytest_asyncio.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with serving(FakeDiscord(), monkeypatch) as fake:
        yield fake


@pytest_asyncio.fixture
async def sqlite_service(tmp_path) -> AsyncIterator[BoundaryService]:
    """A service on a migrated SQLite file, Monday 9 PM in New York, with Discord user 1 as the owner."""
    database = Database(f"sqlite:///{tmp_path}/bot.db")
    await database.migrate()
    try:
        yield make_service(database.store(), MONDAY_NIGHT, owners=[1])
    finally:
        await database.dispose()
