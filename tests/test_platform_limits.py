"""The loopback fakes refuse what real Slack and Discord refuse, naming the limit, and fail the test that sent it."""

from __future__ import annotations

import aiohttp
import pytest
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, TOKEN
from platform_limits import discord_choice_problems, discord_message_problems, slack_view_problems
from slack_fakes import BOT_TOKEN, FakeSlack


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


async def post(fake: FakeSlack, method: str, payload: dict) -> dict:
    async with (
        aiohttp.ClientSession() as session,
        session.post(fake.api_url + method, json=payload, headers={"Authorization": f"Bearer {BOT_TOKEN}"}) as response,
    ):
        return await response.json()


@pytest.mark.parametrize(
    ("payload", "limit"),
    [
        ({"channel": "C1", "text": "x" * 40_001}, "text is 40,001 characters; the limit is 40,000"),
        ({"channel": "C1", "text": "x", "blocks": [section("x")] * 51}, "51 blocks; the limit is 50"),
        (
            {"channel": "C1", "text": "x", "blocks": [section("x" * 3_001)]},
            "text attribute cannot exceed 3000 characters",
        ),
        (
            {
                "channel": "C1",
                "text": "x",
                "blocks": [
                    {
                        "type": "actions",
                        "elements": [
                            {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a"}
                        ],
                    }
                ],
            },
            "button text is 76 characters; the limit is 75",
        ),
        (
            {
                "channel": "C1",
                "text": "x",
                "blocks": [
                    {
                        "type": "actions",
                        "elements": [
                            {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a"},
                            {"type": "button", "text": {"type": "plain_text", "text": "c"}, "action_id": "a"},
                        ],
                    }
                ],
            },
            "repeats an action_id",
        ),
        ({"channel": "C1", "text": "x", "blocks": [{"type": "bogus"}]}, "unknown block type 'bogus'"),
        ({"channel": "C1", "text": "x", "blocks": [{"type": "carousel"}]}, "malformed carousel block"),
    ],
)
async def test_the_fake_slack_refuses_a_message_past_a_limit_and_names_it(payload, limit) -> None:
    fake = await FakeSlack(expect_refusals=True).start()
    try:
        answer = await post(fake, "chat.postMessage", payload)
    finally:
        await fake.close()
    assert answer["ok"] is False and answer["error"] == "invalid_blocks"
    assert any(limit in problem for problem in answer["errors"]), answer
    assert fake.history == {} and any(limit in refused for refused in fake.refusals)


async def test_a_refused_payload_fails_the_test_that_sent_it() -> None:
    fake = await FakeSlack().start()
    await post(fake, "chat.postMessage", {"channel": "C1", "text": "x" * 40_001})
    with pytest.raises(AssertionError, match=r"real Slack would have refused: chat\.postMessage: text is 40,001"):
        await fake.close()


def test_views_and_discord_payloads_are_checked_against_their_own_limits() -> None:
    options = [{"text": {"type": "plain_text", "text": str(n)}, "value": str(n)} for n in range(101)]
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "A title longer than 24 chars"},
        "blocks": [
            {
                "type": "input",
                "block_id": "notice",
                "label": {"type": "plain_text", "text": "Notice"},
                "element": {"type": "multi_static_select", "action_id": "value", "options": options},
            }
        ],
    }
    assert slack_view_problems(modal) == [
        "multi_static_select has 101 options; the limit is 100",
        "view title is 28 characters; the limit is 24",
    ]
    assert slack_view_problems({"type": "home", "blocks": [section("x")] * 101}) == ["101 blocks; the limit is 100"]
    assert discord_message_problems({"content": "x" * 2_001}) == ["content is 2,001 characters; the limit is 2,000"]
    embed = {"description": "d" * 4_000, "fields": [{"name": "n", "value": "v" * 1_000}] * 3}
    assert discord_message_problems({"embeds": [embed]}) == ["embeds hold 7,003 characters; the limit is 6,000"]
    choices = [{"name": "n" * 101, "value": n} for n in range(26)]
    assert discord_choice_problems(choices)[:2] == [
        "26 choices; the limit is 25",
        "choice name is 101 characters; the limit is 100",
    ]


async def test_the_fake_discord_refuses_a_message_past_a_limit_and_fails_the_test_that_sent_it() -> None:
    fake = FakeDiscord()
    await fake.start()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{fake.url}/api/v10/channels/{CHANNEL_ID}/messages",
            json={"content": "x" * 2_001},
            headers={"Authorization": f"Bot {TOKEN}"},
        ) as response,
    ):
        status, answer = response.status, await response.json()
    assert status == 400 and answer["code"] == 50035
    assert answer["errors"] == ["content is 2,001 characters; the limit is 2,000"]
    assert fake.messages == {}
    with pytest.raises(AssertionError, match=r"real Discord would have refused: POST /channels/.*content is 2,001"):
        await fake.close()
