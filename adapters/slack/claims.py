"""One Slack message event: translated once and claimed before the ack, then answered; a copy gets an empty 200."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack.events import author_id, to_incoming
from adapters.slack.replying import handle_message_event
from storage.errors import is_unavailable

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

COOL_DOWN_SECONDS = 1.0  # after a failed claim, refuse at once for this long instead of queueing on a dead database


class MessageEvents(AsyncMiddleware):
    """The global middleware every message event ends in: a direct message delivered through an owner's token is
    screened (adapters/slack/owner_dms.py), the event is translated and its claim committed before Bolt's ack, so
    an acknowledged event is never forgotten, and its answer starts (adapters/slack/replying.py) as the ack goes
    out. A copy is answered 200 with an empty body (returning without a response would be a 404, which Slack
    retries). When the database is unavailable (unreachable, lost, locked, timed out: storage.errors) the answer
    is 503 (no ack in Socket Mode), and Slack retries. Any other error (a malformed event, a bug) would fail
    again on every retry: the event is acknowledged with an empty 200 and the error logged, and nobody else waits.

    After an unavailable database, claims stop for COOL_DOWN_SECONDS; then one event at a time tries, until one
    gets through: while the database is down every answer is a quick 503, not a wait past Slack's 3 seconds."""

    def __init__(self, bot: SlackBot, clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self._clock = clock
        self._refuse_until = float("-inf")
        self._failing = False
        self._probing = False

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,  # `next` is Bolt's keyword
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        body = req.body
        event = body.get("event") if body.get("type") == "event_callback" else None
        if not isinstance(event, dict) or event.get("type") != "message":
            return await next()
        context = req.context
        team = context.team_id or body.get("team_id") or ""
        goes_on, owner_dm = await self.bot.owner_dms.screen(body, event, team, context)
        if not goes_on:
            return BoltResponse(status=200, body="")
        if self._failing and (self._probing or self._clock() < self._refuse_until):
            return BoltResponse(status=503, body="")
        probe = self._failing  # the one claim that finds out whether the database is back
        if probe:
            self._probing = True
        try:
            message = to_incoming(
                body,
                event,
                team_id=team,
                bot_user_id=context.bot_user_id,
                bot_id=context.bot_id,
                received_at=self.bot.service.clock(),
                owner_dm=owner_dm,
            )
            claimed = await self.bot.service.claim(message)
        except Exception as error:
            if not is_unavailable(error):
                log.exception(
                    "Slack event %s could not be handled (%s: %s); acknowledged without a reply",
                    body.get("event_id"),
                    type(error).__name__,
                    str(error).split("\n", 1)[0],
                )
                return BoltResponse(status=200, body="")
            self._failing, self._refuse_until = True, self._clock() + COOL_DOWN_SECONDS
            log.warning(
                "Slack event %s not recorded (%s); answered 503 so Slack delivers it again",
                body.get("event_id"),
                type(error).__name__,
            )
            return BoltResponse(status=503, body="")
        finally:
            if probe:
                self._probing = False
        self._failing = False
        if claimed is not None:
            bot = self.bot
            answer = handle_message_event(bot, message, claimed, author_id(event), context.client)
            bot.tracker.start(answer, what=f"Slack event {message.event_id}")
        return BoltResponse(status=200, body="")
