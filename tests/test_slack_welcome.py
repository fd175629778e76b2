"""A client joining a Slack client channel is welcomed once, through the outbox: the real Bolt app and the fake."""

from __future__ import annotations

import pytest
from slack_fakes import BOT_USER, CLIENT, OWNER
from test_slack_membership import event

from bot.models import ChannelMode
from bot.sender import Sender
from bot.welcoming import WELCOME_KIND

pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # inside slack_sdk


async def join(http, user: str, channel: str = "C_CLIENT", event_id: str | None = None) -> None:
    body = event("member_joined_channel", user=user, channel=channel, channel_type="C", team="T1")
    if event_id:
        body["event_id"] = event_id
    assert await http.event(body) == (200, "")
    await http.settle()


async def send(http, database) -> None:
    await Sender(database.deliveries(), {"slack": http.bot.poster}, http.clock, pacing={}).run_once()


async def test_a_client_joining_gets_one_orientation_only_they_see(http, database) -> None:
    http.service.outbox = database.deliveries()
    http.fake.add_user("U_BOTTY", "Botty", None, is_bot=True)
    for user in (OWNER, "U_TEAMMATE", "U_BOTTY", BOT_USER):
        await join(http, user)
    await join(http, CLIENT)
    await join(http, CLIENT)  # a second join, or Slack delivering the event again
    await join(http, CLIENT, channel="C_OTHER")  # once per workspace, not per channel
    await send(http, database)
    (call,) = http.fake.calls_to("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == ("C_CLIENT", CLIENT)
    assert call.args["text"].startswith("Welcome! Email is our hub: send requests to ")
    assert http.fake.calls_to("chat.postMessage") == []
    (row,) = await database.deliveries().list_deliveries(kinds=[WELCOME_KIND])
    assert row.state.value == "sent"
    await send(http, database)
    assert len(http.fake.calls_to("chat.postEphemeral")) == 1


async def test_no_welcome_in_an_internal_channel_or_when_the_policy_says_off(http, database) -> None:
    http.service.outbox = database.deliveries()
    from bot.messages import ChannelRef

    await http.service.store.set_channel_mode(ChannelRef("slack", "T1", "C_TEAM"), ChannelMode.INTERNAL)
    await join(http, CLIENT, channel="C_TEAM")
    await send(http, database)
    assert http.fake.calls_to("chat.postEphemeral") == []
    assert await database.deliveries().list_deliveries(kinds=[WELCOME_KIND]) == []


async def test_the_policy_chooses_how_and_discord_gets_a_direct_message(database) -> None:
    from datetime import UTC, datetime

    from factories import make_policy

    from bot.messages import ChannelRef
    from bot.roles import Roles
    from bot.welcoming import welcome_joiner

    store, queue, roles, now = database.store(), database.deliveries(), Roles(), datetime(2026, 12, 1, 15, tzinfo=UTC)
    room = ChannelRef("slack", "T1", "C1")

    def policy(mode: str):
        return make_policy(replies={"welcome": mode})

    assert await welcome_joiner(store, queue, policy("off"), roles, room, "U1", now) is None
    dm = await welcome_joiner(store, queue, policy("dm"), roles, room, "U1", now)
    assert dm is not None and dm.direct and dm.key.channel_id == "U1"
    assert await welcome_joiner(store, queue, policy("dm"), roles, room, "U1", now) is None  # once
    discord = ChannelRef("discord", "G1", "42")
    planned = await welcome_joiner(store, queue, policy("ephemeral"), roles, discord, "7", now, ephemeral_ok=False)
    assert planned is not None and planned.direct and planned.key.channel_id == "7"
    shown = await welcome_joiner(store, queue, policy("channel"), roles, room, "U2", now)
    assert shown is not None and not shown.direct and shown.key.channel_id == "C1" and shown.data["style"] == "channel"
