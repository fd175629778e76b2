"""The claim middleware: an event is recorded before the ack, copies get an empty 200, an outage a 503, never a 404."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from factories import make_policy
from slack_fakes import APP_TOKEN
from slack_harness import MONDAY_9PM, message_event, slack_settings
from sqlalchemy.exc import OperationalError

from adapters.slack import claims, replying
from adapters.slack.app import Tracker
from adapters.slack.socket import connect_socket_mode
from bot.clock import SimulatedClock
from bot.service import BoundaryService


def unavailable() -> OperationalError:
    return OperationalError("INSERT INTO seen_events ...", {}, Exception("database is locked"))


class Outage:
    """Makes the store's claims fail while `down`, like a database that cannot be reached."""

    def __init__(self, store, down: bool = True) -> None:
        self.down = down
        self.claims = 0
        original = store.claim_message

        async def claim(*args):
            self.claims += 1
            if self.down:
                raise unavailable()
            return await original(*args)

        store.claim_message = claim


async def test_copies_get_an_empty_200_and_the_event_is_recorded_before_the_listener_runs(http) -> None:
    body = message_event("Could you look at the invoice tonight?")
    assert await http.event(body) == (200, "")
    assert await http.event(body, extra={"X-Slack-Retry-Num": "1"}) == (200, "")
    await http.settle()
    assert len(http.fake.calls_to("chat.postMessage")) == 1
    assert await http.service.store.mark_event_seen("slack", body["event_id"], MONDAY_9PM) is False


def claim_middleware(bot) -> claims.MessageEvents:
    return next(m for m in bot.app._async_middleware_list if isinstance(m, claims.MessageEvents))


async def test_an_unrecordable_event_gets_a_503_and_its_redelivery_one_reply(http) -> None:
    outage = Outage(http.service.store)
    clock = [0.0]
    claim_middleware(http.bot)._clock = lambda: clock[0]
    body = message_event("Could you look at the invoice tonight?")
    assert await http.event(body) == (503, "")
    assert await http.event(message_event("another one, tonight")) == (503, "")  # cooling down: not even tried
    assert outage.claims == 1
    await http.settle()
    assert http.fake.calls_to("chat.postMessage") == [] and http.fake.calls_to("users.info") == []
    outage.down, clock[0] = False, claims.COOL_DOWN_SECONDS + 1
    assert await http.event(body, extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}) == (200, "")
    await http.settle()
    assert len(http.fake.calls_to("chat.postMessage")) == 1


async def test_other_requests_are_not_claimed(http) -> None:
    Outage(http.service.store)
    challenge = {"token": "XXYYZZ", "challenge": "abc", "type": "url_verification"}
    status, body = await http.event(challenge)
    assert status == 200 and "abc" in body


async def test_an_acknowledged_event_is_answered_once_the_database_is_back(http, monkeypatch) -> None:
    original = http.service.handle_claimed
    failures = [unavailable(), unavailable()]

    async def flaky(message, claimed=None):
        if failures:
            raise failures.pop()
        return await original(message, claimed)

    monkeypatch.setattr(http.service, "handle_claimed", flaky)
    monkeypatch.setattr(replying, "FIRST_RETRY_SECONDS", 0.01)
    assert await http.event(message_event("Could you look at the invoice tonight?")) == (200, "")
    await http.settle()
    assert failures == [] and len(http.fake.calls_to("chat.postMessage")) == 1


async def test_a_bug_is_not_retried_and_an_endless_outage_gives_up(caplog, monkeypatch) -> None:
    monkeypatch.setattr(replying, "FIRST_RETRY_SECONDS", 0.01)
    calls = []

    class Service:
        async def handle_claimed(self, message, claimed=None):
            calls.append(message.event_id)
            raise unavailable() if message.event_id == "down" else KeyError("bug")

    with pytest.raises(KeyError):
        await replying.handle_claimed(Service(), SimpleNamespace(event_id="bug"))
    assert calls == ["bug"]
    assert await replying.handle_claimed(Service(), SimpleNamespace(event_id="down"), deadline_seconds=0.05) is None
    assert len(calls) > 2 and "stayed unavailable" in caplog.text


async def test_socket_mode_leaves_an_unrecorded_event_unacknowledged(fake, database) -> None:
    settings = slack_settings(fake, database.url, slack_signing_secret=None)
    service = BoundaryService(database.store(), make_policy(), settings.roles(), SimulatedClock(MONDAY_9PM))
    outage = Outage(service.store)
    from adapters.slack.app import build_slack

    bot = build_slack(service, settings, {}, http=False)
    handler = await connect_socket_mode(bot, APP_TOKEN, ping_interval=1)
    try:
        body = message_event("Could you look at the invoice tonight?")
        first = await fake.send_envelope("events_api", body)
        while outage.claims == 0:
            await asyncio.sleep(0.01)
        await bot.tracker.wait_idle()
        assert first not in fake.acks  # no ack: Slack delivers it again
        outage.down = False
        claim_middleware(bot)._refuse_until = float("-inf")  # skip the cool-down
        assert await fake.wait_ack(await fake.send_envelope("events_api", body, retry_attempt=1)) is None
        await fake.wait_for("chat.postMessage")
        await bot.tracker.wait_idle()
        assert len(fake.calls_to("chat.postMessage")) == 1
    finally:
        await handler.close_async()
        await bot.aclose()


async def test_an_answer_that_fails_is_logged_and_the_bot_still_goes_idle(caplog) -> None:
    tracker, finished = Tracker(), []

    async def answer(fails: bool) -> None:
        await asyncio.sleep(0.01)
        if fails:
            raise KeyError("bug")
        finished.append("ok")

    tracker.start(answer(True), what="Slack event EvBad")
    tracker.start(answer(False), what="Slack event EvGood")
    await tracker.wait_idle(timeout=5)
    assert finished == ["ok"]
    assert "Slack event EvBad: its answer failed" in caplog.text and "KeyError" in caplog.text
