"""Answering a claimed Slack message: the core decides on it, and the reply is posted where it belongs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.live_reply import post_reply
from adapters.slack import forwarding
from adapters.slack.claims import claimed_in, handle_claimed
from adapters.slack.events import author_id, reply_call, with_person
from adapters.slack.poster import FAILURES, delivery_metadata, find_keys, post_error
from bot.messages import IncomingMessage
from bot.outbound import Post
from bot.replies import answering, reply_key
from bot.service import Outcome

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)


async def handle_message_event(
    bot: SlackBot, body: dict[str, Any], event: dict[str, Any], context: Any, client: AsyncWebClient
) -> None:
    """Let the core decide on the message the claim middleware translated and claimed (copies stopped there),
    with what the directory knows of its author, and post the reply if any."""
    if (event_claimed := claimed_in(context)) is None:  # only a message event the middleware let through
        log.error("Slack message event %s reached the listener unclaimed; not answered", body.get("event_id"))
        return
    team_id = event_claimed.message.workspace_id
    user = author_id(event)
    person = await bot.directory.person(client, team_id, user) if user else None
    workspace_url = await bot.directory.workspace_url(client, team_id)
    message = with_person(event_claimed.message, person, workspace_url)
    outcome = await handle_claimed(bot.service, message, event_claimed.claimed)
    if outcome is None or outcome.reply is None:
        return
    if message.owner_dm:
        await _post_in_owner_dm(bot, message, outcome)
        return
    answer = answering(message, outcome.reply)
    method, args = reply_call(message.channel_id, answer, outcome.reply.text)
    if answer.offer_forward and bot.service.forwarding is not None:
        args["blocks"] = forwarding.forward_blocks(args["text"], message.channel_id, answer)
    key = reply_key(message).token()  # the delivery row's key: the sender's lookups find what this posts
    ephemeral = method == "chat.postEphemeral"
    if not ephemeral:  # the key lets a retry find a reply that landed although its answer was lost
        args["metadata"] = delivery_metadata(key)

    async def post() -> Any:
        try:
            return await (client.chat_postEphemeral(**args) if ephemeral else client.chat_postMessage(**args))
        except FAILURES as error:
            if isinstance(error, SlackApiError) and bot.on_api_error:
                bot.on_api_error(str(error.response.get("error")))
            raise post_error(method, error) from None

    async def find() -> str | None:
        return (await find_keys(client, args["channel"], args.get("thread_ts"), {key})).get(key)

    def posted_id(response: Any) -> str:
        return str(response.get("message_ts") if ephemeral else response.get("ts"))

    # An ephemeral reply cannot be looked up; a lost one is posted again (only the client ever sees it).
    await post_reply(
        bot.service, message, post, find=None if ephemeral else find, queued=outcome.queued, message_id=posted_id
    )


async def _post_in_owner_dm(bot: SlackBot, message: IncomingMessage, outcome: Outcome) -> None:
    """A reply to a client who wrote to the owner directly: placed by the poster, as the sender would place it."""
    assert outcome.reply is not None
    post = Post(
        message.channel, outcome.reply.text, reply_key(message).token(), answering=answering(message, outcome.reply)
    )

    async def find() -> str | None:
        return await bot.poster.find_posted(post)

    await post_reply(bot.service, message, lambda: bot.poster.post(post), find=find, queued=outcome.queued)
