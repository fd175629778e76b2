"""Which messages of the owner or the team answer a promise in Slack: a thread reply, a file, a broadcast reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_fakes import CLIENT, OWNER
from slack_harness import message_event


async def asked_and_waiting(http) -> tuple[dict, int]:
    asked = message_event("Could you send the Q3 report?")
    assert await http.event(asked) == (200, "")
    await http.settle()
    [promise] = await http.service.store.list_promises()
    http.clock.advance(timedelta(minutes=20))  # what follows comes later than the question
    return asked["event"], promise.id


async def test_a_clients_file_is_not_an_answer_and_gets_no_reply(http) -> None:
    asked, promise_id = await asked_and_waiting(http)
    replies = len(http.fake.calls_to("chat.postMessage"))
    shared = message_event("Here is the draft", user=CLIENT, subtype="file_share", thread_ts=asked["ts"])
    assert await http.event(shared) == (200, "")
    await http.settle()
    assert [p.id for p in await http.service.store.list_promises()] == [promise_id]
    assert len(http.fake.calls_to("chat.postMessage")) == replies


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Here it is", "file_share"),  # the owner's file in the thread
        ("Sent by email just now", "thread_broadcast"),  # a thread reply also sent to the channel
    ],
)
async def test_the_owners_file_or_broadcast_reply_in_the_thread_answers_the_promise(http, text, subtype) -> None:
    asked, _ = await asked_and_waiting(http)
    answer = message_event(text, user=OWNER, subtype=subtype, thread_ts=asked["ts"])
    assert await http.event(answer) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []


async def test_the_owners_plain_thread_reply_answers_the_promise_and_an_edit_does_not(http) -> None:
    asked, promise_id = await asked_and_waiting(http)
    edit = message_event("", user=None, subtype="message_changed", message={"user": OWNER, "text": "x", "ts": "1.1"})
    assert await http.event(edit) == (200, "")
    await http.settle()
    assert [p.id for p in await http.service.store.list_promises()] == [promise_id]
    answer = message_event("On it, you'll have it today", user=OWNER, thread_ts=asked["ts"])
    assert await http.event(answer) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []
