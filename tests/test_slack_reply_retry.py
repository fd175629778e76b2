"""Live replies on Slack survive a bad moment: a 429, a reset before or after Slack posted, and a failure for good."""

from __future__ import annotations

import pytest
from slack_harness import message_event

from adapters import live_reply


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(live_reply, "FIRST_WAIT", 0.05)


async def answer(http, text: str = "Could you look at the invoice tonight?") -> dict:
    body = message_event(text)
    assert await http.event(body) == (200, "")
    await http.settle()
    return body


async def test_a_429_is_waited_out_and_the_reply_is_posted_once(http) -> None:
    http.fake.fail("chat.postMessage", status=429, retry_after=1)
    await answer(http)
    assert len(http.fake.calls_to("chat.postMessage")) == 2
    assert len(http.fake.history["C_CLIENT"]) == 1
    assert http.fake.calls_to("conversations.replies") == []  # a 429 proves nothing was posted: no lookup


async def test_a_reset_after_slack_posted_is_found_and_not_posted_again(http) -> None:
    http.fake.fail("chat.postMessage", status=0, handled=True)
    body = await answer(http)
    assert len(http.fake.calls_to("chat.postMessage")) == 1
    (lookup,) = http.fake.calls_to("conversations.replies")
    assert lookup.args["ts"] == body["event"]["ts"]
    (posted,) = http.fake.history["C_CLIENT"]
    assert posted["metadata"]["event_payload"]["key"] == f"reply|{body['event_id']}||slack|T1|C_CLIENT"  # the row's key


async def test_a_reset_before_slack_posted_is_looked_for_then_posted_once(http) -> None:
    http.fake.fail("chat.postMessage", status=0)
    await answer(http)
    assert len(http.fake.calls_to("chat.postMessage")) == 2
    assert len(http.fake.calls_to("conversations.replies")) == 1
    assert len(http.fake.history["C_CLIENT"]) == 1


async def test_a_reply_that_fails_for_good_frees_the_throttle_for_the_next_message(http) -> None:
    http.fake.fail("chat.postMessage", status=500, times=live_reply.TRIES)
    await answer(http)
    assert len(http.fake.calls_to("chat.postMessage")) == live_reply.TRIES
    assert http.fake.history["C_CLIENT"] == []
    assert await http.service.store.recent_reply_log() == []
    await answer(http, "Also, the March statement?")
    (posted,) = http.fake.history["C_CLIENT"]
    assert "outside business hours" in posted["text"]
