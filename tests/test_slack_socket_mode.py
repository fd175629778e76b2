"""Socket Mode end to end: the real Bolt app over a loopback websocket (apps.connections.open, hello, envelopes, acks)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator

import pytest_asyncio
from factories import make_policy
from slack_fakes import APP_TOKEN, BOT_ID, BOT_USER, CLIENT, OWNER, FakeSlack
from slack_harness import MONDAY_9PM, TUESDAY_10AM, command_fields, message_event, slack_settings
from slack_payloads import fixture

from adapters.slack.app import SlackBot, build_slack
from adapters.slack.poster import SlackPoster
from adapters.slack.socket import connect_socket_mode, run_socket_mode
from bot.clock import SimulatedClock
from bot.service import BoundaryService
from storage.database import Database


@pytest_asyncio.fixture
async def socket_bot(fake: FakeSlack, database: Database) -> AsyncIterator[SlackBot]:
    settings = slack_settings(fake, database.url, slack_signing_secret=None)
    service = BoundaryService(database.store(), make_policy(), settings.roles(), SimulatedClock(MONDAY_9PM))
    bot = build_slack(service, settings, {}, http=False)
    handler = await connect_socket_mode(bot, APP_TOKEN, ping_interval=1)
    try:
        yield bot
    finally:
        await handler.close_async()
        await bot.aclose()


async def test_run_socket_mode_connects_and_answers_an_after_hours_message(fake, database) -> None:
    settings = slack_settings(fake, database.url, slack_signing_secret=None)
    service = BoundaryService(database.store(), make_policy(), settings.roles(), SimulatedClock(MONDAY_9PM))
    posters: dict = {}
    task = asyncio.create_task(run_socket_mode(service, settings, posters=posters))
    try:
        body = message_event("Could you look at the invoice tonight?")
        envelope = await fake.send_envelope("events_api", body)
        assert await fake.wait_ack(envelope) is None  # an empty ack, at once
        (post,) = await fake.wait_for("chat.postMessage")
        assert post.args["thread_ts"] == body["event"]["ts"]
        assert "open today at 2:00 PM GMT (your time)" in post.args["text"]
        (opened,) = fake.calls_to("apps.connections.open")
        assert opened.token == APP_TOKEN
        assert isinstance(posters["slack"], SlackPoster)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert task.cancelled()


async def test_four_deliveries_of_one_event_give_one_reply(socket_bot, fake) -> None:
    body = message_event("Are you around tonight?")
    envelopes = await asyncio.gather(*(fake.send_envelope("events_api", body, retry_attempt=n) for n in range(4)))
    assert [await fake.wait_ack(e) for e in envelopes] == [None] * 4
    await socket_bot.tracker.wait_idle()
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_bot_own_and_owner_messages_get_none_and_a_call_request_the_redirect(socket_bot, fake) -> None:
    for event in (
        dict(user=None, bot_id="B_OTHER", subtype="bot_message"),
        dict(user=BOT_USER, bot_id=BOT_ID),
        dict(user=OWNER),
    ):
        await fake.wait_ack(await fake.send_envelope("events_api", message_event("can you call me?", **event)))
    await socket_bot.tracker.wait_idle()
    assert fake.calls_to("chat.postMessage") == []
    socket_bot.service.clock.set(TUESDAY_10AM)
    await fake.wait_ack(await fake.send_envelope("events_api", message_event("Can you call me this afternoon?")))
    (post,) = await fake.wait_for("chat.postMessage")
    assert "please email hello@acme.example" in post.args["text"]


async def test_slash_command_and_modal_submission_over_the_socket(socket_bot, fake) -> None:
    refused = await fake.send_envelope(
        "slash_commands", command_fields("/closure", "add Dec 24 to Jan 2", user=CLIENT, fake=fake)
    )
    assert await fake.wait_ack(refused) is None
    (answer,) = await fake.wait_for_response()
    assert answer["text"].startswith("Only the business owner") and answer["response_type"] == "ephemeral"
    await socket_bot.tracker.wait_idle()
    assert await socket_bot.service.store.list_closures(ending_after=MONDAY_9PM) == []

    submitted = await fake.send_envelope("interactive", fixture("view_submission"))
    ack = await fake.wait_ack(submitted)
    assert ack is not None and ack["response_action"] == "update"
    (closure,) = await socket_bot.service.store.list_closures(ending_after=MONDAY_9PM)
    assert closure.reason == "the holidays"


async def test_app_home_over_the_socket(socket_bot, fake) -> None:
    opened = copy.deepcopy(fixture("app_home_opened"))
    await fake.wait_ack(await fake.send_envelope("events_api", opened))
    (publish,) = await fake.wait_for("views.publish")
    assert publish.args["user_id"] == OWNER and publish.args["view"]["type"] == "home"
