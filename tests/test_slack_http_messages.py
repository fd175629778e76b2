"""HTTP mode end to end: signed Events API requests to the real Bolt app, replies observed on the fake Slack."""

from __future__ import annotations

import asyncio
import time

import pytest
from factories import make_policy
from slack_fakes import BOT_ID, BOT_TOKEN, BOT_USER, CLIENT, OWNER
from slack_harness import TUESDAY_10AM, message_event, start_http
from slack_payloads import event_body, fixture, sign


async def test_after_hours_message_gets_one_thread_reply_in_the_clients_time_zone(http) -> None:
    body = message_event("Could you look at the invoice tonight?")
    assert await http.event(body) == (200, "")
    await http.settle()
    (post,) = http.fake.calls_to("chat.postMessage")
    assert post.token == BOT_TOKEN
    assert post.args["channel"] == "C_CLIENT" and post.args["thread_ts"] == body["event"]["ts"]
    text = post.args["text"]
    assert text.startswith("Hi Sam, thanks for your message!")
    # Monday 9 PM in New York is 2 AM Tuesday in London; the business opens at 9 AM EST = 2 PM GMT.
    assert "open today at 2:00 PM GMT (your time)" in text
    assert "EST" not in text
    assert [c.args["user"] for c in http.fake.calls_to("users.info")] == [CLIENT]
    (logged,) = await http.service.store.recent_reply_log()
    assert logged.kind == "after_hours" and logged.client_name == "Sam"
    assert logged.permalink == f"https://t1.slack.example/archives/C_CLIENT/p{body['event']['ts'].replace('.', '')}"


async def test_call_request_in_hours_gets_the_email_redirect(http) -> None:
    http.clock.set(TUESDAY_10AM)
    assert (await http.event(message_event("Can you call me this afternoon?")))[0] == 200
    await http.settle()
    (post,) = http.fake.calls_to("chat.postMessage")
    assert "Calls happen at our weekly meeting or by appointment (https://cal.example/acme)" in post.args["text"]
    assert "please email hello@acme.example (one email per topic)" in post.args["text"]
    assert "outside business hours" not in post.args["text"]


async def test_a_message_in_a_thread_is_answered_in_that_thread(http) -> None:
    assert (await http.event(message_event("still there?", thread_ts="1795480000.000001")))[0] == 200
    await http.settle()
    (post,) = http.fake.calls_to("chat.postMessage")
    assert post.args["thread_ts"] == "1795480000.000001"


@pytest.mark.parametrize(
    ("name", "event"),
    [
        ("bot", dict(user=None, bot_id="B_OTHER", subtype="bot_message", username="Zapier")),
        ("own", dict(user=BOT_USER, bot_id=BOT_ID, app_id="A1")),
        ("owner", dict(user=OWNER)),
        ("teammate", dict(user="U_TEAMMATE")),
        (
            "edit",
            dict(
                user=None,
                subtype="message_changed",
                message={"type": "message", "user": CLIENT, "text": "edited, can you call me?", "ts": "1.2"},
            ),
        ),
        ("join", dict(subtype="channel_join")),
    ],
)
async def test_messages_not_from_a_client_get_no_reply(http, name, event) -> None:
    text = event.pop("text", "Can you call me? It's urgent")
    assert await http.event(message_event(text, **event)) == (200, "")
    await http.settle()
    assert http.fake.calls_to("chat.postMessage") == [] and http.fake.calls_to("chat.postEphemeral") == []


async def test_app_mention_is_acknowledged_and_left_to_the_message_event(http) -> None:
    assert await http.event(fixture("app_mention")) == (200, "")
    await http.settle()
    assert http.fake.calls_to("chat.postMessage") == []


async def test_four_sequential_deliveries_with_retry_headers_give_one_reply(http) -> None:
    body = message_event("Are you around tonight?")
    statuses = [await http.event(body)]
    for retry in (1, 2, 3):
        statuses.append(
            await http.event(body, extra={"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        )
    assert statuses == [(200, "")] * 4
    await http.settle()
    assert len(http.fake.calls_to("chat.postMessage")) == 1


async def test_four_concurrent_deliveries_give_one_reply(fake, database_factory) -> None:
    database = await database_factory.migrated()
    async for harness in start_http(fake, database):
        body = message_event("Are you around tonight?")
        started = time.monotonic()
        results = await asyncio.gather(
            *(harness.event(body, extra={"X-Slack-Retry-Num": str(n)} if n else None) for n in range(4))
        )
        assert results == [(200, "")] * 4
        assert time.monotonic() - started < 3, "Slack wants every copy answered within 3 seconds"
        await harness.settle()
        assert len(fake.calls_to("chat.postMessage")) == 1


async def test_stale_tampered_and_unsigned_requests_are_refused(http) -> None:
    body = message_event("Could you look at the invoice tonight?")
    assert (await http.event(body, timestamp=int(time.time()) - 301))[0] == 401
    payload, headers = event_body(body)
    status, _ = await http.post(payload.replace("Could you", "Would you"), headers, signed=False, extra=sign(payload))
    assert status == 401
    assert (await http.event(body, signed=False))[0] == 401
    await http.settle()
    assert http.fake.calls == []  # not even users.info: nothing was handled
    assert await http.service.store.mark_event_seen("slack", body["event_id"], TUESDAY_10AM) is True


@pytest.mark.parametrize(("style", "method"), [("channel", "chat.postMessage"), ("ephemeral", "chat.postEphemeral")])
async def test_reply_style_from_the_policy(fake, database, style, method) -> None:
    async for harness in start_http(fake, database, policy=make_policy(replies={"style": style})):
        await harness.event(message_event("Could you look at this tonight?"))
        await harness.settle()
        (call,) = fake.calls_to(method)
        assert "thread_ts" not in call.args
        assert call.args["channel"] == "C_CLIENT"
        if style == "ephemeral":
            assert call.args["user"] == CLIENT


async def test_users_info_is_cached_and_a_failed_post_is_only_logged(http) -> None:
    http.fake.fail("chat.postMessage", error="not_in_channel")
    assert (await http.event(message_event("first, tonight")))[0] == 200
    await http.settle()
    http.clock.set(TUESDAY_10AM)
    assert (await http.event(message_event("can you call me?")))[0] == 200
    await http.settle()
    assert len(http.fake.calls_to("users.info")) == 1
    assert len(http.fake.calls_to("auth.test")) >= 1
    assert len(http.fake.calls_to("chat.postMessage")) == 2


async def test_unknown_user_and_no_time_zone_fall_back_to_the_owners_zone(http) -> None:
    assert (await http.event(message_event("hello tonight", user="U_STRANGER")))[0] == 200
    await http.settle()
    (post,) = http.fake.calls_to("chat.postMessage")
    assert "Hi there" in post.args["text"]
    assert "9:00 AM EST (America/New_York time)" in post.args["text"]


async def test_the_reply_survives_a_rate_limit_and_a_server_error_through_the_retry_handlers(http) -> None:
    http.fake.fail("users.info", status=503)
    http.fake.fail("chat.postMessage", status=429, retry_after=0)
    assert (await http.event(message_event("Could you look at the invoice tonight?")))[0] == 200
    posts = await http.fake.wait_for("chat.postMessage", 2)
    await http.settle()
    assert len(posts) == 2 and len(http.fake.calls_to("users.info")) == 2
    assert "today at 2:00 PM GMT (your time)" in posts[-1].args["text"]  # the retried users.info gave the zone


async def test_the_bot_joining_a_channel_is_remembered_and_url_verification_is_answered(http) -> None:
    joined = message_event("")
    joined["event"] = {
        "type": "member_joined_channel",
        "user": BOT_USER,
        "channel": "C_NEW",
        "channel_type": "C",
        "team": "T1",
        "inviter": OWNER,
        "event_ts": "1795481200.000300",
    }
    assert await http.event(joined) == (200, "")
    await http.settle()
    channels = await http.service.store.list_channels()
    assert [(c.workspace_id, c.channel_id) for c in channels] == [("T1", "C_NEW")]
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    status, body = await http.event({"token": "XXYYZZ", "challenge": challenge, "type": "url_verification"})
    assert status == 200 and challenge in body
