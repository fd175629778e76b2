"""Answering a claimed Slack message: the core decides on it, and the reply is posted where it belongs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.live_reply import post_reply
from adapters.retry import RETRY_SECONDS, GaveUp, while_unavailable
from adapters.slack import forwarding
from adapters.slack.events import reply_call, with_person
from adapters.slack.poster import FAILURES, delivery_metadata, find_keys, post_error
from bot.messages import IncomingMessage
from bot.outbound import Post
from bot.replies import answering, reply_key
from bot.service import BoundaryService, Claimed, Outcome

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.5  # retrying an acknowledged event's handling: the first wait, then doubling


async def handle_message_event(
    bot: SlackBot, message: IncomingMessage, claimed: Claimed, user: str | None, client: AsyncWebClient
) -> None:
    """Let the core decide on a claimed message, with what the directory knows of its author (`user`, when a
    person wrote it), and post the reply if any."""
    team_id = message.workspace_id
    person = await bot.directory.person(client, team_id, user) if user else None
    workspace_url = await bot.directory.workspace_url(client, team_id)
    message = with_person(message, person, workspace_url)
    outcome = await handle_claimed(bot.service, message, claimed)
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


async def handle_claimed(
    service: BoundaryService,
    message: IncomingMessage,
    claimed: Claimed | None = None,
    *,
    deadline_seconds: float = RETRY_SECONDS,
) -> Outcome | None:
    """The service's handling of an acknowledged event (first on what its claim read), retried with backoff while
    the database is unavailable; None when it stays unavailable past the deadline (logged: no automatic reply)."""
    first = [claimed]

    async def attempt() -> Outcome:
        return await service.handle_claimed(message, first.pop() if first else None)  # a retry reads again

    try:
        return await while_unavailable(
            attempt,
            what=f"Slack event {message.event_id}",
            deadline_seconds=deadline_seconds,
            first_wait=FIRST_RETRY_SECONDS,
        )
    except GaveUp:
        log.error(
            "Slack event %s was acknowledged but the database stayed unavailable for %.0f s; "
            "it gets no automatic reply",
            message.event_id,
            deadline_seconds,
        )
        return None
