"""The owner's digest after a busy night: failed posts come first and every payload the platform receives fits its
limit for one message (Slack's chat.postMessage text 40,000 characters, Discord's content 2,000)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, timedelta

import discord
import pytest
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, GUILD_ID
from discord_gateway import TOKEN as DISCORD_TOKEN
from factories import make_policy, message, ny
from slack_fakes import BOT_TOKEN, FakeSlack

from adapters.discord.poster import DiscordPoster
from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from bot.clock import SimulatedClock
from bot.digest import compose_digest
from bot.messages import ChannelRef
from bot.models import ReplyLogEntry
from bot.queue import DeliveryKey, PlannedDelivery
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.service import BoundaryService
from bot.settings import Settings

POLICY = make_policy()
DISCORD_OWNER = "123456789012345678"
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"}), "discord": frozenset({DISCORD_OWNER})})
ANSWERED = 200
FAILED = ("C_GONE1", "C_GONE2", "C_GONE3")


def excerpt(n: int) -> str:
    """About 200 characters with Slack's escaped characters in it (each & becomes &amp; on the way out)."""
    return (f"Q&A #{n}: can you look at the R&D <budget> & the Henderson invoice tonight? " * 4)[:200]


@asynccontextmanager
async def slack_poster() -> AsyncIterator[tuple[SlackPoster, Callable[[], list[str]]]]:
    fake = await FakeSlack().start()
    client = web_client(Settings(slack_api_url=fake.api_url), BOT_TOKEN, retries=False)

    async def client_for(workspace_id: str):
        return client

    try:
        yield (
            SlackPoster(client_for),
            lambda: [c.args["text"] for c in fake.calls_to("chat.postMessage") if c.args["channel"] == "DU_OWNER"],
        )
    finally:
        await fake.close()


@asynccontextmanager
async def discord_poster(monkeypatch) -> AsyncIterator[tuple[DiscordPoster, Callable[[], list[str]]]]:
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    client = discord.Client(intents=discord.Intents.none())
    try:
        async with client:
            await client.login(DISCORD_TOKEN)
            dm_channel = int(DISCORD_OWNER) + 1  # the fake's DM channel for a user
            yield (
                DiscordPoster(client),
                lambda: [c["body"]["content"] for c in fake.calls(rf"POST /channels/{dm_channel}/messages")],
            )
    finally:
        await fake.close()


PLACES = {"slack": ("T1", "C1", 40_000), "discord": (str(GUILD_ID), str(CHANNEL_ID), 2_000)}


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_busy_night_gives_a_digest_within_the_limit_with_the_failures_first(
    platform, database_factory, monkeypatch
) -> None:
    workspace, channel, limit = PLACES[platform]
    database = await database_factory.migrated()
    store, queue = database.store(), database.deliveries()
    clock = SimulatedClock(ny(2026, 11, 23, 21, 0))  # Monday evening
    service = BoundaryService(store, POLICY, ROLES, clock)
    for n in range(ANSWERED):
        await service.handle_message(
            message(
                excerpt(n),
                clock(),
                platform=platform,
                workspace_id=workspace,
                channel_id=channel,
                author_id=f"U{n}",
                author_name=f"Client {n}",
                permalink=f"https://acme.example/archives/{channel}/p{n:016d}",
            )
        )
        clock.advance(timedelta(seconds=20))
    for gone in FAILED:  # closure notices refused for good overnight
        key = DeliveryKey("closure_notice", "closure:1", "2026-11-30", platform, workspace, gone)
        await queue.enqueue([PlannedDelivery(key, clock(), clock() + timedelta(days=1), "closed")], clock())
        (row,) = [d for d in await queue.list_deliveries(kinds=["closure_notice"]) if d.key.channel_id == gone]
        await queue.mark_failed(row.id, f"posting to {gone} failed: not_in_channel", clock())
    factory = slack_poster() if platform == "slack" else discord_poster(monkeypatch)
    async with factory as (poster, digest_payloads):
        sender = Sender(queue, {platform: poster}, clock, pacing={})
        clock.set(ny(2026, 11, 24, 9, 0))  # the digest at Tuesday's opening
        await Scheduling(store, queue, POLICY, sender, clock, ROLES).tick()
        payloads = digest_payloads()
    assert payloads and all(len(payload) <= limit for payload in payloads)
    text = "\n".join(payloads)
    for gone in FAILED:
        assert f"• closure notice to #{gone} ({platform}): posting to {gone} failed: not_in_channel." in text
    assert text.index("could not be delivered") < text.index("• Client 0 in")
    listed = len(re.findall(r"^• Client \d+ in", text, re.M))
    (left,) = re.findall(r"^…and (\d+) more client message\(s\), not listed", text, re.M)
    assert listed + int(left) == ANSWERED and listed > 0
    assert f"{ANSWERED} client message(s) arrived ({ANSWERED} answered automatically)" in text


def entry(n: int, **fields) -> ReplyLogEntry:
    values = dict(
        channel=ChannelRef("slack", "T1", "C1"),
        client_id=f"U{n}",
        client_name=f"Client {n}",
        kind="after_hours",
        sent_at=ny(2026, 11, 23, 21, 0).astimezone(UTC),
        text_excerpt=excerpt(n),
    )
    return ReplyLogEntry(**{**values, **fields})


def test_a_digest_that_fits_lists_everything_and_says_nothing_of_limits() -> None:
    text = compose_digest(POLICY, [entry(n) for n in range(3)], [])
    assert text.startswith(
        "Good morning! While Acme Admin was closed, 3 client message(s) arrived (3 answered automatically):"
    )
    assert len(re.findall(r"^• Client \d+ in", text, re.M)) == 3 and "not listed" not in text


def test_one_very_long_line_is_cut_rather_than_crowding_out_the_rest() -> None:
    text = compose_digest(POLICY, [entry(0, client_name="x" * 5_000), entry(1)], [], platform="discord")
    assert len(text) <= 2_000 and "• Client 1 in" in text and "x" * 400 + "…" in text
