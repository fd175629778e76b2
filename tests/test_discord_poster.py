"""DiscordPoster against the loopback fake REST API: nonces, finding a post again, DMs, and errors mapped to PostError."""

from __future__ import annotations

import discord
import pytest
import pytest_asyncio
from discord_fakes import FakeDiscord
from discord_gateway import BOT_ID, CHANNEL_ID, TOKEN

from adapters.discord.poster import DiscordPoster, nonce_for, split_text
from bot.messages import ChannelRef
from bot.outbound import Post, PostError

POST = Post(
    ChannelRef("discord", "900000000000000002", str(CHANNEL_ID)),
    "Reminder: our weekly meeting is tomorrow.",
    key="meeting_reminder:7:2026-11-24:discord:C",
)
MESSAGES = rf"POST /channels/{CHANNEL_ID}/messages"


@pytest_asyncio.fixture
async def fake():
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest_asyncio.fixture
async def poster(fake, monkeypatch):
    """A poster on a client that only logged in over REST (no gateway, empty cache: channels are partial)."""
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    client = discord.Client(intents=discord.Intents.none(), max_ratelimit_timeout=30.0)
    async with client:
        await client.login(TOKEN)
        yield DiscordPoster(client)


def test_nonces_are_deterministic_and_fit_discord():
    assert nonce_for("a") == nonce_for("a") != nonce_for("b")
    assert len(nonce_for("x" * 500)) == 25


def test_long_text_is_split_at_line_breaks_under_the_limit():
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(60))
    pieces = split_text(text)
    assert len(pieces) == 3 and all(len(p) <= 2000 for p in pieces)
    assert "\n".join(pieces) == text
    assert split_text("y" * 4500) == ["y" * 2000, "y" * 2000, "y" * 500]


async def test_post_sends_the_deterministic_nonce_with_enforce_nonce_and_no_pings(poster, fake):
    message_id = await poster.post(POST)
    body = fake.calls(MESSAGES)[0]["body"]
    assert body["content"] == POST.text
    assert body["nonce"] == nonce_for(POST.key) and body["enforce_nonce"] is True
    assert body["allowed_mentions"] == {"parse": []}
    assert message_id == fake.messages[CHANNEL_ID][0]["id"]
    await poster.post(POST)  # a resend carries the same nonce, so Discord would return the first message
    assert fake.calls(MESSAGES)[1]["body"]["nonce"] == body["nonce"]


async def test_a_thread_id_posts_into_that_thread(poster, fake):
    await poster.post(Post(POST.channel, "in the thread", key="k", thread_id="900000000000000777"))
    assert fake.calls(r"POST /channels/900000000000000777/messages")


async def test_find_posted_finds_the_bots_own_message_by_text(poster, fake):
    assert await poster.find_posted(POST) is None
    message_id = await poster.post(POST)
    fake.messages[CHANNEL_ID].append(
        {**fake.messages[CHANNEL_ID][0], "id": str(fake.snowflake()), "content": "something else"}
    )
    assert await poster.find_posted(POST) == message_id  # history has no nonces: matched by the bot's exact text
    someone = {
        **fake.messages[CHANNEL_ID][0],
        "id": str(fake.snowflake()),
        "author": {**fake.messages[CHANNEL_ID][0]["author"], "id": str(BOT_ID + 1)},
    }
    fake.messages[CHANNEL_ID] = [someone]
    assert await poster.find_posted(POST) is None  # the same text from someone else is not ours


async def test_direct_message_opens_a_dm_and_sends_with_a_nonce(poster, fake):
    message_id = await poster.direct_message(
        "dm", "123", "Your digest: 2 messages arrived after hours.", key="digest:1"
    )
    assert fake.calls(r"POST /users/@me/channels")[0]["body"] == {"recipient_id": 123}
    body = fake.calls(r"POST /channels/124/messages")[0]["body"]
    assert body["nonce"] == nonce_for("digest:1") and message_id == fake.messages[124][0]["id"]


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (403, {"message": "Missing Permissions", "code": 50013}, {}),
        (404, {"message": "Unknown Channel", "code": 10003}, {}),
        (400, {"message": "Invalid Form Body", "code": 50035}, {}),
    ],
)
async def test_forbidden_unknown_and_invalid_are_permanent(poster, fake, status, body, headers):
    fake.fail_next(MESSAGES, status, body, headers)
    with pytest.raises(PostError) as raised:
        await poster.post(POST)
    assert raised.value.permanent and f"HTTP {status} (code {body['code']})" in str(raised.value)


async def test_rate_limits_and_server_errors_are_transient(poster, fake):
    limited = {"message": "You are being rate limited.", "retry_after": 120.0, "global": False}
    fake.fail_next(MESSAGES, 429, limited, {"Via": "1.1 google", "Retry-After": "120"})
    with pytest.raises(PostError) as raised:  # longer than max_ratelimit_timeout: discord.py gives up at once
        await poster.post(POST)
    assert not raised.value.permanent and raised.value.retry_after == 120.0

    fake.fail_next(MESSAGES, 429, limited, {"Retry-After": "7"})  # no Via: a Cloudflare-level 429
    with pytest.raises(PostError) as raised:
        await poster.post(POST)
    assert not raised.value.permanent and raised.value.retry_after == 7.0

    fake.fail_next(MESSAGES, 503, {"message": "Service Unavailable", "code": 0})
    with pytest.raises(PostError) as raised:
        await poster.post(POST)
    assert not raised.value.permanent and raised.value.retry_after is None


async def test_connection_errors_are_transient(poster, fake):
    await fake.close()
    with pytest.raises(PostError) as raised:
        await poster.post(POST)
    assert not raised.value.permanent


async def test_other_platforms_and_bad_ids_are_permanent(poster):
    with pytest.raises(PostError, match="not a Discord channel") as raised:
        await poster.post(Post(ChannelRef("slack", "T1", "C1"), "x", key="k"))
    assert raised.value.permanent
    with pytest.raises(PostError, match="is not a Discord channel id"):
        await poster.post(Post(ChannelRef("discord", "g", "general"), "x", key="k"))
    with pytest.raises(PostError, match="is not a Discord user id"):
        await poster.direct_message("dm", "owner", "x", key="k")
