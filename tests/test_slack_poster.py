"""SlackPoster against the fake Slack: metadata keys, finding a post after a crash, DMs, and error mapping."""

from __future__ import annotations

import socket

import pytest
from factories import make_policy
from memory_store import MemoryStore
from slack_fakes import BOT_TOKEN, OWNER, FakeSlack
from slack_harness import slack_settings

from adapters.slack.app import build_slack
from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from bot.messages import ChannelRef
from bot.outbound import Post, PostError
from bot.service import BoundaryService

CHANNEL = ChannelRef("slack", "T1", "C_CLIENT")


_BOTS: list = []  # built during the running test; closed after it (their kept-alive sessions with them)


@pytest.fixture(autouse=True)
async def _close_bots():
    yield
    while _BOTS:
        await _BOTS.pop().aclose()


def poster_for(fake: FakeSlack) -> SlackPoster:
    settings = slack_settings(fake, "sqlite://")
    posters: dict = {}
    _BOTS.append(build_slack(BoundaryService(MemoryStore(), make_policy(), settings.roles()), settings, posters))
    return posters["slack"]


async def test_post_carries_the_delivery_key_in_message_metadata(fake) -> None:
    ts = await poster_for(fake).post(Post(CHANNEL, "We're closed Dec 24 <-> Jan 2 & back Jan 4", "closure:1:14d"))
    (call,) = fake.calls_to("chat.postMessage")
    assert call.token == BOT_TOKEN and call.args["channel"] == "C_CLIENT"
    assert call.args["metadata"] == {"event_type": "boundary_bot_delivery", "event_payload": {"key": "closure:1:14d"}}
    assert call.args["text"] == "We're closed Dec 24 &lt;-&gt; Jan 2 &amp; back Jan 4"
    assert fake.history["C_CLIENT"][0]["ts"] == ts


async def test_find_posted_finds_the_post_after_a_crash(fake) -> None:
    post = Post(CHANNEL, "Reminder: our weekly meeting is tomorrow", "meeting:C_CLIENT:2026-11-24")
    ts = await poster_for(fake).post(post)
    await poster_for(fake).post(Post(CHANNEL, "something else", "other-key"))
    restarted = poster_for(fake)  # a new process: nothing in memory
    assert await restarted.find_posted(post) == ts
    assert await restarted.find_posted(Post(CHANNEL, post.text, "never-posted")) is None
    (history, *_) = fake.calls_to("conversations.history")
    assert str(history.args["include_all_metadata"]).lower() in ("1", "true")


async def test_find_posted_in_a_thread_reads_the_thread(fake) -> None:
    post = Post(CHANNEL, "in the thread", "thread-key", thread_id="1795480000.000001")
    ts = await poster_for(fake).post(post)
    assert fake.calls_to("chat.postMessage")[0].args["thread_ts"] == "1795480000.000001"
    assert await poster_for(fake).find_posted(post) == ts
    assert fake.calls_to("conversations.replies")[0].args["ts"] == "1795480000.000001"


async def test_rate_limit_is_transient_with_retry_after_and_not_retried_here(fake) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(PostError) as caught:
        await poster_for(fake).post(Post(CHANNEL, "hello", "k"))
    assert caught.value.permanent is False and caught.value.retry_after == 7
    assert len(fake.calls_to("chat.postMessage")) == 1  # the sender decides when to try again


@pytest.mark.parametrize(
    "error", ["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "invalid_auth"]
)
async def test_refusals_are_permanent(fake, error) -> None:
    fake.fail("chat.postMessage", error=error)
    with pytest.raises(PostError) as caught:
        await poster_for(fake).post(Post(CHANNEL, "hello", "k"))
    assert caught.value.permanent is True and error in str(caught.value)


@pytest.mark.parametrize(("status", "error"), [(500, None), (503, None), (200, "internal_error")])
async def test_server_errors_are_transient(fake, status, error) -> None:
    fake.fail("chat.postMessage", status=status, error=error)
    with pytest.raises(PostError) as caught:
        await poster_for(fake).post(Post(CHANNEL, "hello", "k"))
    assert caught.value.permanent is False and caught.value.retry_after is None


async def test_connection_errors_are_transient_and_never_show_the_token(fake) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = slack_settings(fake, "sqlite://", slack_api_url=f"http://127.0.0.1:{closed_port}/api/")
    poster = SlackPoster(lambda workspace: _client(web_client(settings, BOT_TOKEN, retries=False)))
    with pytest.raises(PostError) as caught:
        await poster.post(Post(CHANNEL, "hello", "k"))
    assert caught.value.permanent is False
    assert BOT_TOKEN not in str(caught.value)


async def _client(client):
    return client


async def test_direct_message_opens_a_dm_and_is_sent_once_per_key(fake) -> None:
    poster = poster_for(fake)
    first = await poster.direct_message("T1", OWNER, "Your digest: 2 messages after hours", "digest:2026-11-24")
    again = await poster.direct_message("T1", OWNER, "Your digest: 2 messages after hours", "digest:2026-11-24")
    assert first == again
    assert [c.args["users"] for c in fake.calls_to("conversations.open")] == [OWNER, OWNER]
    (post,) = fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "D" + OWNER


async def test_a_workspace_without_an_installation_is_a_permanent_failure() -> None:
    async def nobody(workspace: str):
        return None

    with pytest.raises(PostError) as caught:
        await SlackPoster(nobody).post(Post(ChannelRef("slack", "T_GONE", "C1"), "hello", "k"))
    assert caught.value.permanent is True and "T_GONE" in str(caught.value)


async def test_replies_are_placed_by_their_style_and_found_with_one_lookup_per_place(fake) -> None:
    from bot.messages import ReplyStyle
    from bot.outbound import Answering

    poster = poster_for(fake)
    started = Post(CHANNEL, "answer in a new thread", "r1", answering=Answering("1795480000.000001", "U_CLIENT"))
    joined = Post(
        CHANNEL,
        "answer in their thread",
        "r2",
        answering=Answering("1795480000.000009", "U_CLIENT", thread_id="1795480000.000001"),
    )
    channel = Post(
        CHANNEL,
        "answer in the channel",
        "r3",
        answering=Answering("1795480000.000002", "U_CLIENT", style=ReplyStyle.CHANNEL),
    )
    posted = {post.key: await poster.post(post) for post in (started, joined, channel)}
    threads = [call.args.get("thread_ts") for call in fake.calls_to("chat.postMessage")]
    assert threads == ["1795480000.000001", "1795480000.000001", None]
    assert await poster_for(fake).find_posted_many([started, joined, channel]) == posted
    assert len(fake.calls_to("conversations.replies")) == 1 and len(fake.calls_to("conversations.history")) == 1


def test_reply_rows_written_before_the_style_was_recorded_are_placed_as_before() -> None:
    from datetime import UTC, datetime

    from bot.messages import ReplyStyle
    from bot.queue import Delivery, DeliveryKey, DeliveryState
    from bot.replies import post_of

    def row(data: dict) -> Delivery:
        now = datetime(2026, 12, 5, tzinfo=UTC)
        return Delivery(
            1,
            DeliveryKey("reply", "Ev1", "", "slack", "T1", "C_CLIENT"),
            now,
            now,
            "We're closed.",
            direct=False,
            state=DeliveryState.UNKNOWN,
            attempts=1,
            data=data,
        )

    old = {"client": "U1", "message": "1.000001", "thread": "1.000001"}
    assert post_of(row({**old, "reply_to": "1.000001"})).answering.style is ReplyStyle.THREAD
    assert post_of(row({**old, "private_to": "U1"})).answering.style is ReplyStyle.EPHEMERAL
    assert post_of(row({"client": "U1", "message": "1.000001"})).answering.style is ReplyStyle.CHANNEL


def test_history_lookups_keep_to_tier_3_after_a_short_burst() -> None:
    from adapters.slack.poster import Budget

    budget = Budget(gap=1.2, burst=4)
    assert [budget.take(100.0) for _ in range(4)] == [0.0, 0.0, 0.0, 0.0]  # a burst after a quiet spell
    assert [round(budget.take(100.0), 6) for _ in range(3)] == [1.2, 2.4, 3.6]  # then one per gap, in turn
    assert round(budget.take(104.2), 6) == 0.6  # the last turn ends at 103.6; the next is due at 104.8
    assert budget.take(200.0) == 0.0 and budget.take(200.0) == 0.0  # the burst is back after a rest...
    assert [round(budget.take(200.0), 6) for _ in range(3)] == [0.0, 0.0, 1.2]  # ...but never more than `burst`
