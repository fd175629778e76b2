"""FaultySlack does what its knobs say, seen through a real slack_sdk AsyncWebClient."""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import pytest
from faulty_slack import MAX_TEXT, Faults, FaultySlack
from slack_fakes import BOT_TOKEN
from slack_sdk.errors import SlackApiError

from adapters.slack.client import web_client
from bot.settings import Settings

METADATA = {"event_type": "boundary_bot_delivery", "event_payload": {"key": "closure_notice|1"}}


@pytest.fixture
async def slack():
    """Start a FaultySlack with the given faults; returns it and a non-retrying client pointed at it."""
    started: list[FaultySlack] = []

    async def start(seed: int = 0, **knobs: object):
        fake = await FaultySlack(Faults(**knobs), seed=seed).start()  # type: ignore[arg-type]
        started.append(fake)
        return fake, web_client(Settings(_env_file=None, slack_api_url=fake.api_url), BOT_TOKEN, retries=False)

    yield start
    for fake in started:
        await fake.close()


async def post(client, channel: str = "C1", **args: object):
    return await client.chat_postMessage(channel=channel, text="Closed on Friday.", metadata=METADATA, **args)


async def refused(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


async def test_a_reset_after_posting_is_a_connection_error_and_the_message_is_in_history(slack) -> None:
    fake, client = await slack(reset_after_post=1.0)
    with pytest.raises(aiohttp.ClientConnectionError):
        await post(client)
    found = await client.conversations_history(channel="C1", include_all_metadata=True)
    assert [m["metadata"] for m in found["messages"]] == [METADATA]
    assert fake.resets == ["C1"]


async def test_a_5xx_after_posting_is_an_http_error_and_the_message_is_in_history(slack) -> None:
    fake, client = await slack(error_after_post=1.0, error_status=503)
    error = await refused(post(client))
    assert error.response.status_code == 503
    assert fake.posts_in("C1") == 1 and fake.errors_after_post == ["C1"]


async def test_history_without_include_all_metadata_leaves_metadata_out(slack) -> None:
    _fake, client = await slack()
    await post(client)
    found = await client.conversations_history(channel="C1")
    assert found["messages"][0]["text"] == "Closed on Friday." and "metadata" not in found["messages"][0]


async def test_a_second_post_to_a_channel_within_a_second_gets_429_with_retry_after(slack) -> None:
    fake, client = await slack()
    await post(client, "C1")
    error = await refused(post(client, "C1"))
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "1"
    await post(client, "C2")  # another channel is not held back
    assert fake.refused[("chat.postMessage", "channel")] == 1 and fake.posts_in("C1") == 1


async def test_a_busy_channel_answers_429_with_the_busy_retry_after(slack) -> None:
    _fake, client = await slack(channel_busy=1.0, busy_retry_after=3)
    error = await refused(post(client))
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "3"


async def test_the_workspace_bucket_refuses_past_its_burst(slack) -> None:
    fake, client = await slack(rate=0.5, burst=2)
    await post(client, "C1")
    await post(client, "C2")
    error = await refused(post(client, "C3"))
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "2"
    assert fake.refused[("chat.postMessage", "workspace")] == 1


async def test_some_429s_come_without_retry_after(slack) -> None:
    fake, client = await slack(no_retry_after=1.0)
    await post(client)
    error = await refused(post(client))
    assert error.response.status_code == 429 and "Retry-After" not in error.response.headers
    await asyncio.sleep(0.2)
    await refused(post(client))  # no pause was given, so none was ignored
    assert fake.violations == []


async def test_history_past_its_tier_3_budget_gets_429_with_retry_after(slack) -> None:
    fake, client = await slack(history_per_minute=30, history_burst=2)
    for _ in range(2):
        await client.conversations_history(channel="C1", include_all_metadata=True)
    error = await refused(client.conversations_history(channel="C2", include_all_metadata=True))
    assert error.response.status_code == 429 and error.response.headers["Retry-After"] == "2"
    assert fake.refused[("conversations.history", "tier 3")] == 1


async def test_history_lookups_fail_with_500(slack) -> None:
    fake, client = await slack(history_errors=1.0)
    error = await refused(client.conversations_history(channel="C1", include_all_metadata=True))
    assert error.response.status_code == 500 and fake.lookup_errors == ["C1"]


async def test_a_request_inside_a_pause_it_was_given_is_a_violation(slack) -> None:
    fake, client = await slack(grace=0.1)
    await post(client, "C1")
    await refused(post(client, "C1"))  # Retry-After: 1
    await refused(post(client, "C1"))  # on its way within the grace: not counted
    assert fake.violations == []
    await asyncio.sleep(0.2)
    await post(client, "C2")  # a channel's pause holds only that channel
    error = await refused(post(client, "C1"))
    assert error.response.status_code == 429
    [violation] = fake.violations
    assert violation.method == "chat.postMessage" and violation.channel == "C1" and 0 < violation.early_by < 1
    await asyncio.sleep(violation.early_by + 0.05)
    await post(client, "C1")
    assert len(fake.violations) == 1


async def test_a_workspace_pause_holds_every_channel_and_lookups_have_their_own(slack) -> None:
    fake, client = await slack(rate=0.5, burst=1, history_per_minute=60, history_burst=1, grace=0.05)
    await post(client, "C1")
    await refused(post(client, "C2"))  # the workspace is paused for 2 s
    await client.conversations_history(channel="C1")  # a post's pause does not hold lookups
    await refused(client.conversations_history(channel="C1"))  # Tier 3: lookups paused for 1 s
    assert fake.violations == []
    await asyncio.sleep(0.1)
    await refused(post(client, "C3"))
    await refused(client.conversations_history(channel="C2"))
    assert [(v.method, v.scope) for v in fake.violations] == [
        ("chat.postMessage", ("chat.postMessage", "T1")),
        ("conversations.history", ("conversations.history", "T1")),
    ]


async def test_answers_are_as_slow_as_the_latency(slack) -> None:
    _fake, client = await slack(latency=0.3)
    started = time.monotonic()
    await post(client)
    await client.auth_test()
    assert time.monotonic() - started >= 0.6


async def test_payloads_are_checked_as_slack_checks_them(slack) -> None:
    fake, client = await slack(members={"C1"})
    too_long = await refused(client.chat_postMessage(channel="C1", text="x" * (MAX_TEXT + 1)))
    assert too_long.response["error"] == "msg_too_long"
    bad_metadata = await refused(client.chat_postMessage(channel="C1", text="hi", metadata={"event_type": "x"}))
    assert bad_metadata.response["error"] == "invalid_metadata_format"
    outside = await refused(post(client, "C9"))
    assert outside.response["error"] == "not_in_channel"
    outside = await refused(client.conversations_history(channel="C9"))
    assert outside.response["error"] == "not_in_channel"
    await client.chat_postMessage(channel="C1", text="x" * MAX_TEXT)
    assert fake.posts_in("C1") == 1 and fake.posts_in("C9") == 0


async def test_the_same_seed_fails_the_same_posts_whatever_the_order(slack) -> None:
    channels = [f"C{n:03d}" for n in range(40)]
    resets = []
    for seed, order in ((7, channels), (7, channels[::-1]), (8, channels)):
        fake, client = await slack(seed=seed, reset_after_post=0.5)
        for channel in order:
            with contextlib.suppress(aiohttp.ClientConnectionError):
                await post(client, channel)
        assert sum(fake.posts_in(c) for c in channels) == len(channels)
        resets.append(set(fake.resets))
    same, reversed_order, other_seed = resets
    assert same == reversed_order and 0 < len(same) < len(channels) and other_seed != same
