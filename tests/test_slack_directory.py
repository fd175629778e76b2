"""What a Slack conversation is called in a forwarded email: a channel's name, and for DMs and group DMs (where
conversations.info answers missing_scope) what the message itself tells, against the loopback Slack fake."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_fakes import BOT_TOKEN, CLIENT, TEAM, FakeSlack

from adapters.slack.client import web_client
from adapters.slack.directory import Directory
from bot.forwarding import ForwardRequest
from bot.settings import Settings


async def test_channels_dms_and_group_dms_get_a_name(fake: FakeSlack) -> None:
    fake.add_channel("C_CLIENT", "client-acme")
    client, directory = web_client(Settings(slack_api_url=fake.api_url), BOT_TOKEN, retries=False), Directory()
    assert await directory.channel_name(client, TEAM, "C_CLIENT") == "client-acme"
    assert await directory.channel_name(client, TEAM, "D_CLIENT", author_id=CLIENT) == "direct message with Sam"
    assert await directory.channel_name(client, TEAM, "D_OTHER") == "direct message"
    assert await directory.channel_name(client, TEAM, "G_GROUP") == "group direct message"  # missing_scope
    assert await directory.channel_name(client, TEAM, "C_GONE") == ""  # channel_not_found: the id is shown instead
    infos = [call.args["channel"] for call in fake.calls_to("conversations.info")]
    assert infos == ["C_CLIENT", "G_GROUP", "C_GONE"]  # a DM is known by its id: no call bound to fail
    await directory.channel_name(client, TEAM, "G_GROUP")
    assert len(fake.calls_to("conversations.info")) == 3  # cached


def test_the_email_says_where_the_message_was() -> None:
    def where(channel_id: str, name: str) -> str:
        return ForwardRequest(
            platform="slack",
            workspace_id=TEAM,
            channel_id=channel_id,
            message_id="1.2",
            author_id=CLIENT,
            text="hi",
            sent_at=datetime(2026, 1, 1, tzinfo=UTC),
            channel_name=name,
        ).where

    assert where("C_CLIENT", "client-acme") == "#client-acme (Slack)"
    assert where("D_CLIENT", "direct message with Sam") == "direct message with Sam (Slack)"
    assert where("G_GROUP", "group direct message") == "group direct message (Slack)"
    assert where("C_GONE", "") == "#C_GONE (Slack)"
