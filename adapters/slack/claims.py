"""Recording each Slack message event before Bolt acknowledges it: a copy gets an empty 200, an outage a 503."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.retry import RETRY_SECONDS, GaveUp, while_unavailable
from adapters.slack.events import to_incoming
from adapters.slack.owner_dms import OWNER_DM
from bot.messages import IncomingMessage
from bot.service import BoundaryService, Claimed, Outcome
from storage.errors import is_unavailable

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

CLAIMED = (
    "boundary_bot_claimed"  # in Bolt's context: the message and its claim (recorded, state read); the listener decides
)
COOL_DOWN_SECONDS = 1.0  # after a failed claim, refuse at once for this long instead of queueing on a dead database
FIRST_RETRY_SECONDS = 0.5  # retrying an acknowledged event's handling: the first wait, then doubling


class ClaimEvents(AsyncMiddleware):
    """A global middleware: the claim commits before Bolt's ack, so an acknowledged event is never forgotten,
    and a copy is answered 200 with an empty body (returning without a response would be a 404, which Slack
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
        if self._failing and (self._probing or self._clock() < self._refuse_until):
            return BoltResponse(status=503, body="")
        context = req.context
        probe = self._failing  # the one claim that finds out whether the database is back
        if probe:
            self._probing = True
        try:
            message = to_incoming(
                body,
                event,
                team_id=context.team_id or body.get("team_id", ""),
                bot_user_id=context.bot_user_id,
                bot_id=context.bot_id,
                received_at=self.bot.service.clock(),
                owner_dm=context.get(OWNER_DM),
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
        if claimed is None:
            return BoltResponse(status=200, body="")
        context[CLAIMED] = ClaimedEvent(message, claimed)
        return await next()


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


@dataclass(frozen=True)
class ClaimedEvent:
    """A message event as the claim middleware translated it, and what its claim recorded and read."""

    message: IncomingMessage
    claimed: Claimed


def claimed_in(context: Any) -> ClaimedEvent | None:
    """The message event the claim middleware translated and claimed; None when it did not claim it."""
    return context.get(CLAIMED)
