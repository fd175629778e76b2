"""Live replies on Discord survive a bad moment: a 503, a lost answer, a failure for good that frees the throttle."""

from __future__ import annotations

import asyncio

import pytest
from discord_gateway import CHANNEL_ID, user
from discord_harness import running_bot

from adapters import live_reply

CLIENT = user(700000000000000001, "Sam")
POSTS = rf"POST /channels/{CHANNEL_ID}/messages"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(live_reply, "FIRST_WAIT", 0.05)


async def replies_to(fake, text: str, count: int) -> list[dict]:
    await fake.dispatch("MESSAGE_CREATE", fake.client_message(text, CLIENT))
    await fake.wait_for_call(POSTS, count)
    await asyncio.sleep(0.3)  # room for a (wrong) extra post
    return fake.calls(POSTS)


async def test_a_503_is_retried_and_the_reply_is_posted_once(fake_discord, sqlite_service):
    fake = fake_discord
    async with running_bot(sqlite_service):
        fake.fail_next(POSTS, 503, {"message": "503: Service Unavailable", "code": 0})
        posts = await replies_to(fake, "Could you look at the invoice tonight?", 2)
        assert len(posts) == 2 and posts[0]["body"]["nonce"] == posts[1]["body"]["nonce"]
        assert [m["content"] for m in fake.messages[CHANNEL_ID]] == [posts[1]["body"]["content"]]


async def test_a_reply_that_landed_before_its_answer_was_lost_is_not_posted_twice(
    fake_discord,
    sqlite_service,
):
    fake = fake_discord
    async with running_bot(sqlite_service):
        fake.fail_after_creating = 1
        posts = await replies_to(fake, "Could you look at the invoice tonight?", 2)
        assert len(posts) == 2 and posts[1]["body"]["enforce_nonce"] is True
        assert len(fake.messages[CHANNEL_ID]) == 1  # the resend's nonce returned the first message


async def test_a_reply_that_fails_for_good_frees_the_throttle_for_the_next_message(
    fake_discord,
    sqlite_service,
):
    fake = fake_discord
    async with running_bot(sqlite_service):
        for _ in range(live_reply.TRIES):
            fake.fail_next(POSTS, 503, {"message": "503: Service Unavailable", "code": 0})
        await replies_to(fake, "Could you look at the invoice tonight?", live_reply.TRIES)
        assert CHANNEL_ID not in fake.messages
        posts = await replies_to(fake, "Also, the March statement?", live_reply.TRIES + 1)
        assert len(posts) == live_reply.TRIES + 1  # answered: the lost reply no longer counts for the throttle
        assert "It arrived outside business hours" in fake.messages[CHANNEL_ID][0]["content"]
