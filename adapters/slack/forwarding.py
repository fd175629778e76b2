"""Slack side of forwarding to email: the reply's "Send this to email" button, its action, and the owner's envelope reaction."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.events import PLATFORM, escape, permalink, sections
from bot.forwarding import ForwardRequest, is_envelope
from bot.messages import ChannelRef
from bot.outbound import Answering
from bot.promises import is_check_mark

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

FORWARD_ACTION = "forward_to_email"
_ENTITY = re.compile(r"&(amp|lt|gt);")

log = logging.getLogger(__name__)


def unescape(text: str) -> str:
    """Slack's three escaped characters back to what the client typed."""
    return _ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m.group(1)], text)


def forward_blocks(text: str, channel_id: str, answer: Answering) -> list[dict[str, Any]]:
    """The reply's (already escaped) text as sections, then the button; its value points back at the client's message."""
    value = json.dumps({"c": channel_id, "ts": answer.message_id, "th": answer.thread_id})
    button = {
        "type": "button",
        "action_id": FORWARD_ACTION,
        "value": value,
        "text": {"type": "plain_text", "text": "Send this to email"},
    }
    return [*sections(text), {"type": "actions", "elements": [button]}]


async def fetch_message(client: AsyncWebClient, channel: str, ts: str, thread_ts: str | None = None) -> dict | None:
    """One message by its ts: a thread reply through conversations.replies, else conversations.history."""
    try:
        if thread_ts and thread_ts != ts:
            response = await client.conversations_replies(
                channel=channel, ts=thread_ts, oldest=ts, inclusive=True, limit=20
            )
        else:
            response = await client.conversations_history(
                channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
            )
            if not any(m.get("ts") == ts for m in response.get("messages") or []):  # a reply whose thread is unknown
                response = await client.conversations_replies(
                    channel=channel, ts=ts, oldest=ts, inclusive=True, limit=20
                )
    except SlackApiError as error:
        log.warning("Slack: could not read message %s in %s: %s", ts, channel, error.response.get("error"))
        return None
    return next((m for m in response.get("messages") or [] if m.get("ts") == ts), None)


async def forward_request(
    bot: SlackBot, client: AsyncWebClient, team_id: str, channel: str, ts: str, thread_ts: str | None = None
) -> ForwardRequest | None:
    """The neutral request for a Slack message, with the author's name and email (users:read.email) when shared."""
    found = await fetch_message(client, channel, ts, thread_ts)
    if found is None or not found.get("user") or found.get("bot_id"):
        return None
    person = await bot.directory.person(client, team_id, found["user"])
    thread = found.get("thread_ts")
    return ForwardRequest(
        platform=PLATFORM,
        workspace_id=team_id,
        channel_id=channel,
        message_id=ts,
        author_id=found["user"],
        text=unescape(found.get("text") or ""),
        sent_at=datetime.fromtimestamp(float(ts), UTC),
        author_name=person.name,
        author_email=person.email,
        channel_name=await bot.directory.channel_name(client, team_id, channel, author_id=found["user"]),
        thread_id=thread,
        permalink=permalink(await bot.directory.workspace_url(client, team_id), channel, ts, thread),
    )


async def tell(client: AsyncWebClient, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
    """A private (ephemeral) answer; a failure is logged, the forward stands."""
    args: dict[str, Any] = {"channel": channel, "user": user, "text": escape(text)}
    if thread_ts:
        args["thread_ts"] = thread_ts
    try:
        await client.chat_postEphemeral(**args)
    except SlackApiError as error:
        log.warning("Slack: private answer in %s failed: %s", channel, error.response.get("error"))


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.action(FORWARD_ACTION)
    async def on_forward(
        ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, client: AsyncWebClient
    ) -> None:
        await ack()
        async with bot.tracker.track():
            user = (body.get("user") or {}).get("id", "")
            team_id = context.team_id or (body.get("team") or {}).get("id", "")
            try:
                target = json.loads(action.get("value") or "{}")
                channel, ts, thread = target["c"], target["ts"], target.get("th")
            except (ValueError, KeyError, TypeError):
                log.warning("Slack: forward button with an unreadable value ignored")
                return
            bridge = bot.service.forwarding
            if bridge is None:
                await tell(
                    client,
                    channel,
                    user,
                    f"Sending to email is switched off; please email {bot.service.policy.contact.email} directly.",
                    thread or ts,
                )
                return
            request = await forward_request(bot, client, team_id, channel, ts, thread)
            if request is None:
                await tell(
                    client,
                    channel,
                    user,
                    "That message could not be read any more; please email "
                    f"{bot.service.policy.contact.email} directly.",
                    thread or ts,
                )
                return
            outcome = await bridge.forward(request, user)
            await tell(client, channel, user, outcome.text, thread or ts)

    @app.event("reaction_added")
    async def on_reaction(body: dict[str, Any], event: dict[str, Any], context: Any, client: AsyncWebClient) -> None:
        item, user = event.get("item") or {}, event.get("user", "")
        if item.get("type") == "message" and is_check_mark(event.get("reaction", "")):
            async with bot.tracker.track():
                place = ChannelRef(PLATFORM, context.team_id or body.get("team_id", ""), item.get("channel", ""))
                await bot.service.promise_reacted(place, item.get("ts", ""), user)
            return
        bridge = bot.service.forwarding
        if bridge is None or item.get("type") != "message" or not is_envelope(event.get("reaction", "")):
            return
        if not bot.service.roles.is_owner(PLATFORM, user):
            log.info("Slack: envelope reaction by %s (not an owner) ignored", user)
            return
        async with bot.tracker.track():
            team_id = context.team_id or body.get("team_id", "")
            request = await forward_request(bot, client, team_id, item.get("channel", ""), item.get("ts", ""))
            if request is None:
                return
            outcome = await bridge.forward(request, user, reaction=True)
            await tell(client, request.channel_id, user, outcome.text, request.thread_id)
