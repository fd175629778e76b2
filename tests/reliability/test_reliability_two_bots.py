"""Two bots in one channel, this project's and an auto-responder that answers every message it sees: no reply loop."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from slack_fakes import BOT_ID, BOT_USER, FakeSlack
from slack_harness import message_event, start_http

CLIENTS = ["U_ANA", "U_BEN", "U_CAT"]
CAP = 200  # messages; a loop would reach it, the bounded exchange stays far below
_ts = itertools.count(1)

# How the auto-responder's messages look in Slack's events, and what this bot should make of them.
AUTO_RESPONDERS = {
    "an app's bot user": dict(user="U_AUTO", bot_id="B_AUTO", app_id="A_AUTO"),
    "a legacy integration": dict(user=None, bot_id="B_AUTO", subtype="bot_message", username="Auto"),
    "a person's account running an auto-reply": dict(user="U_AUTO"),  # nothing says bot: it gets throttled replies
}


async def exchange(http, fake: FakeSlack, author: dict) -> dict[str, int]:
    """Post the clients' messages, then relay every message in the channel to both bots until it goes quiet."""
    channel_log: list[dict] = []  # event fields of every message posted in the channel, in order
    delivered = posted = 0
    auto_replies = 0

    def post(fields: dict, text: str) -> None:
        ts = f"1795490000.{next(_ts):06d}"
        channel_log.append({**fields, "text": text, "ts": ts})

    for client in CLIENTS:
        post({"user": client}, "Could you look at the invoice tonight?")
    quiet_rounds = 0
    while quiet_rounds < 5 and len(channel_log) < CAP:
        ours = fake.calls_to("chat.postMessage")
        for call in ours[posted:]:  # what this bot posted comes back to it (and to the other bot) as events
            post({"user": BOT_USER, "bot_id": BOT_ID, "app_id": "A1"}, call.args["text"])
        posted = len(ours)
        if delivered == len(channel_log):
            quiet_rounds += 1
            await http.settle()
            continue
        quiet_rounds = 0
        for message in channel_log[delivered:]:
            delivered += 1
            event = {key: value for key, value in message.items() if value is not None}
            body = message_event(
                event.pop("text"),
                user=event.pop("user", None),
                channel="C_SHARED",
                event_id=f"EvTwo{message['ts']}",
                **event,
            )
            assert (await http.event(body))[0] == 200
            if message.get("bot_id") != "B_AUTO" and message.get("user") != "U_AUTO":
                post(author, "Thanks for your message! This is an automatic reply.")  # it answers anything else
                auto_replies += 1
        await http.settle()
    return {
        "messages": len(channel_log),
        "client messages": len(CLIENTS),
        "our replies": posted,
        "auto replies": auto_replies,
        "capped": len(channel_log) >= CAP,
    }


@pytest.mark.parametrize("kind", AUTO_RESPONDERS)
async def test_no_reply_loop_with_an_auto_responder_in_the_channel(database_factory, kind, counts) -> None:
    database = await database_factory.migrated()
    fake = await FakeSlack().start()
    for client in CLIENTS:
        fake.add_user(client, client[2:].title(), "Europe/London")
    fake.add_user("U_AUTO", "Auto", None, is_bot=kind == "an app's bot user")
    try:
        async for http in start_http(fake, database):
            result = await asyncio.wait_for(exchange(http, fake, AUTO_RESPONDERS[kind]), 120)
    finally:
        await fake.close()
    counts(f"{database_factory.backend}, {kind}", **{key.replace(" ", "_"): value for key, value in result.items()})
    assert not result["capped"]
    # one reply per client; the person's auto-reply account is a client too, and its throttle ends it after one
    assert result["our replies"] == len(CLIENTS) + (kind == "a person's account running an auto-reply")
    assert result["auto replies"] == len(CLIENTS) + result["our replies"]
