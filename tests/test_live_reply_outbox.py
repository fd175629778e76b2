"""Live replies are outbox rows: written with the decision, posted at once by the process that decided, and finished
by the sender (exactly once, looked up first) when that process died or gave up."""

from __future__ import annotations

import asyncio

import pytest
from slack_harness import message_event, start_http

from adapters import live_reply
from bot.queue import DeliveryState
from bot.replies import LIVE_LEASE, REPLY_KIND
from bot.sender import Sender
from bot.store import DecisionRecord

TEXT = "Could you look at the invoice tonight?"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(live_reply, "FIRST_WAIT", 0.01)


@pytest.fixture
async def outbox(fake, database):
    """The HTTP app with live replies in the outbox, as `boundary-bot serve` runs it, and a sender beside it."""
    async for harness in start_http(fake, database):
        service = harness.service
        service.outbox, service.outbox_platforms = database.deliveries(), frozenset({"slack"})
        sender = Sender(service.outbox, {"slack": harness.bot.poster}, harness.clock, lost=service.delivery_lost)
        yield harness, sender


async def reply_rows(database) -> list:
    return await database.deliveries().list_deliveries(kinds=[REPLY_KIND])


async def test_the_process_that_decides_posts_the_reply_and_records_it_sent(outbox, database) -> None:
    http, sender = outbox
    body = message_event(TEXT)
    assert await http.event(body) == (200, "")
    await http.settle()
    (posted,) = http.fake.history["C_CLIENT"]
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.SENT and row.platform_message_id == posted["ts"]
    assert posted["thread_ts"] == body["event"]["ts"]
    assert posted["metadata"]["event_payload"]["key"] == row.key.token()
    assert (await sender.run_once()).sent == 0 and len(http.fake.calls_to("chat.postMessage")) == 1


async def test_a_process_that_dies_before_posting_leaves_the_reply_to_the_sender(outbox, database) -> None:
    http, sender = outbox
    body = message_event(TEXT)
    message = await _decided_but_not_posted(http, body)
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.IN_FLIGHT and row.outcome_unknown  # leased to the dead process, maybe out
    assert (await sender.run_once()).sent == 0  # its lease still holds
    http.clock.advance(LIVE_LEASE)
    report = await sender.run_once()
    assert report.sent == 1
    (lookup,) = http.fake.calls_to("conversations.replies")  # looked for first: the request may have gone out
    assert lookup.args["ts"] == message.message_id
    (posted,) = http.fake.history["C_CLIENT"]
    assert posted["thread_ts"] == message.message_id and TEXT not in posted["text"]
    assert "outside business hours" in posted["text"]
    assert (await sender.run_once()).sent == 0 and len(http.fake.history["C_CLIENT"]) == 1


async def _decided_but_not_posted(http, body):
    """The decision and its row are committed; the process dies before its post (no adapter runs after it)."""
    from adapters.slack.events import to_incoming

    event = body["event"]
    message = to_incoming(
        body,
        event,
        team_id="T1",
        bot_user_id="U_BOT",
        bot_id="B_BOT",
        received_at=http.clock(),
    )
    outcome = await http.service.handle_message(message)
    assert outcome.reply is not None and outcome.queued
    return message


async def test_a_post_that_kept_failing_here_is_finished_by_the_sender_without_a_duplicate(outbox, database) -> None:
    http, sender = outbox
    http.fake.fail("chat.postMessage", status=0, handled=True)  # Slack posted it, the answer was lost
    http.fake.fail("conversations.replies", status=500, times=50)  # every look here fails (retries too)
    await http.event(message_event(TEXT))
    await http.settle()
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.UNKNOWN  # handed over at once, not when the lease ran out
    http.fake.heal("conversations.replies")
    report = await sender.run_once()
    assert report.recovered == 1 and report.sent == 0  # found by its key: not posted again
    assert len(http.fake.history["C_CLIENT"]) == 1 and len(http.fake.calls_to("chat.postMessage")) == 1
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.SENT


async def test_a_reply_refused_for_good_fails_its_row_and_releases_the_throttle(outbox, database) -> None:
    http, sender = outbox
    http.fake.fail("chat.postMessage", error="channel_not_found")
    await http.event(message_event(TEXT))
    await http.settle()
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.FAILED and "channel_not_found" in (row.last_error or "")
    await http.event(message_event("Anyone there?"))  # the throttle let go: this one is answered
    await http.settle()
    assert len(http.fake.history["C_CLIENT"]) == 1
    assert (await sender.run_once()).sent == 0


async def test_a_reply_the_sender_gives_up_on_releases_the_throttle(outbox, database) -> None:
    http, sender = outbox
    sender.retry_limit = 1
    http.fake.fail("chat.postMessage", status=500, times=10)  # nothing ever lands
    http.fake.fail("conversations.replies", status=500, times=4)
    await http.event(message_event(TEXT))
    await http.settle()
    await sender.run_once()  # its one attempt: unknown, looked up, failed again: given up
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.FAILED
    versions_after = await database.store().recent_replies(row.key.channel, "U_CLIENT", http.clock() - LIVE_LEASE)
    assert versions_after == []  # the logged reply no longer throttles the client


async def test_discord_a_reply_this_process_could_not_post_is_posted_once_by_the_sender(tmp_path, monkeypatch) -> None:
    import discord
    from discord_fakes import FakeDiscord
    from discord_gateway import CHANNEL_ID, user
    from discord_harness import make_service, running_bot
    from factories import make_policy, ny

    from adapters.discord.poster import nonce_for
    from storage.database import Database

    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.yarl.URL(f"{fake.url}/gateway")
    )
    database = Database(f"sqlite:///{tmp_path}/bot.db")
    await database.migrate()
    service = make_service(database.store(), ny(2026, 11, 23, 21, 0))
    service.policy = make_policy(replies={"welcome": "off"})  # the reply row alone: no new-client welcome beside it
    service.outbox, service.outbox_platforms = database.deliveries(), frozenset({"discord"})
    posts = rf"POST /channels/{CHANNEL_ID}/messages"
    try:
        async with running_bot(service) as posters:
            for _ in range(4):  # every try here meets a 503 before Discord creates anything
                fake.fail_next(posts, 503, {"message": "503: Service Unavailable", "code": 0})
            message = fake.client_message("Could you look at the invoice tonight?", user(700000000000000001, "Sam"))
            await fake.dispatch("MESSAGE_CREATE", message)
            await fake.wait_for_call(posts, 4)
            for _ in range(100):
                (row,) = await database.deliveries().list_deliveries(kinds=[REPLY_KIND])
                if row.state is DeliveryState.UNKNOWN:
                    break
                await asyncio.sleep(0.05)
            assert row.state is DeliveryState.UNKNOWN
            sender = Sender(service.outbox, posters, service.clock, lost=service.delivery_lost)
            assert (await sender.run_once()).sent == 1
            (posted,) = fake.messages[CHANNEL_ID]
            create = fake.calls(posts)[-1]["body"]
            assert create["nonce"] == nonce_for(row.key.token())
            assert str(create["message_reference"]["message_id"]) == message["id"]  # attached to the client's message
            assert "outside business hours" in posted["content"]
    finally:
        await database.dispose()
        await fake.close()


async def test_the_row_is_written_with_the_decision_only_when_the_decision_stands(database_factory) -> None:
    from datetime import timedelta

    from factories import message, ny

    from bot.messages import Reply, ReplyStyle
    from bot.models import SentReply
    from bot.replies import reply_delivery

    database = await database_factory.migrated()
    store, queue, now = database.store(), database.deliveries(), ny(2026, 11, 23, 21, 0)
    first = message("hello?", now, event_id="Ev-1")
    reply = Reply(
        text="We're closed.", reasons=("after_hours",), style=ReplyStyle.THREAD, throttle_keys=(("after_hours", "w"),)
    )
    logged = [SentReply("after_hours", "w", now)]
    assert await store.record_decision(
        DecisionRecord(first, logged, version=0, remember_channel=True, reply=reply_delivery(first, reply, now))
    )
    (row,) = await queue.list_deliveries(kinds=[REPLY_KIND])
    assert row.state is DeliveryState.IN_FLIGHT and row.outcome_unknown and row.text == "We're closed."
    assert row.data == {"client": "U_CLIENT", "message": first.message_id, "style": "thread"}  # facts, not places
    second = message("still there?", now + timedelta(seconds=1), event_id="Ev-2")
    stale = await store.record_decision(
        DecisionRecord(second, logged, version=0, remember_channel=False, reply=reply_delivery(second, reply, now))
    )
    assert not stale and len(await queue.list_deliveries(kinds=[REPLY_KIND])) == 1  # a lost race writes no row
    assert await queue.settle_live(row.key, "live", now, sent="1795481200.000009")
    assert not await queue.settle_live(row.key, "live", now, failed="late")  # settled once
    (row,) = await queue.list_deliveries(kinds=[REPLY_KIND])
    assert row.state is DeliveryState.SENT and row.platform_message_id == "1795481200.000009"


async def test_forgetting_a_client_cuts_the_text_of_replies_to_them(outbox, database) -> None:
    from bot.retention import ClientRef

    http, _ = outbox
    await http.event(message_event(TEXT))
    await http.settle()
    await database.store().forget_client(ClientRef("U_CLIENT"), http.clock())
    (row,) = await reply_rows(database)
    assert row.state is DeliveryState.SENT and row.text == "" and not row.data  # the key and message id stay
    assert row.platform_message_id is not None


async def test_settles_at_once_are_written_together_and_each_gets_its_own_answer(database_factory) -> None:
    from datetime import timedelta

    from factories import message, ny

    from bot.messages import Reply, ReplyStyle
    from bot.models import SentReply
    from bot.queue import DeliveryKey
    from bot.replies import reply_delivery

    database = await database_factory.migrated()
    store, queue, now = database.store(), database.deliveries(), ny(2026, 11, 23, 21, 0)
    reply = Reply(text="We're closed.", reasons=("after_hours",), style=ReplyStyle.THREAD)
    keys = []
    for n in range(3):
        sent = message("hello?", now, event_id=f"Ev-{n}", author_id=f"U{n}", channel_id=f"C{n}")
        assert await store.record_decision(
            DecisionRecord(
                sent,
                [SentReply("after_hours", "w", now)],
                version=0,
                remember_channel=True,
                reply=reply_delivery(sent, reply, now),
            )
        )
        keys.append((await queue.list_deliveries(kinds=[REPLY_KIND]))[-1].key)
    missing = DeliveryKey(REPLY_KIND, "Ev-none", "", "slack", "T1", "C9")
    later = now + timedelta(seconds=1)
    results = await asyncio.gather(
        queue.settle_live(keys[0], "live", later, sent="1.1"),
        queue.settle_live(keys[1], "live", later, failed="channel_not_found"),
        queue.settle_live(missing, "live", later, sent="1.3"),
        queue.settle_live(keys[2], "live", later, sent="1.4"),
    )
    assert results == [True, True, False, True]
    states = {d.key: (d.state, d.platform_message_id) for d in await queue.list_deliveries(kinds=[REPLY_KIND])}
    assert states == {
        keys[0]: (DeliveryState.SENT, "1.1"),
        keys[1]: (DeliveryState.FAILED, None),
        keys[2]: (DeliveryState.SENT, "1.4"),
    }
