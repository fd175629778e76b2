"""Posting a live reply: transient failures retried (a post that may have landed is looked for first), and a reply
that fails for good releases its throttle so the client's next message is answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.messages import IncomingMessage
from bot.outbound import PostError
from bot.service import BoundaryService

log = logging.getLogger(__name__)

T = TypeVar("T")

TRIES = 4  # the first post and three retries
FIRST_WAIT = 1.0  # seconds before the first retry; doubled each time
LONGEST_WAIT = 10.0  # a Retry-After longer than this is not waited out for a live reply


async def post_reply(
    service: BoundaryService,
    message: IncomingMessage,
    post: Callable[[], Awaitable[T]],
    *,
    find: Callable[[], Awaitable[str | None]] | None = None,
    queued: bool = False,
    message_id: Callable[[T], str] = str,
) -> T | None:
    """`post()` until it works; PostErrors that are transient are retried after their Retry-After or a backoff.
    After an outcome that may have posted (`unknown`), `find()` must prove the reply absent before it is posted
    again (the id of the message it found: it is there, done). With no `find`, the platform itself drops a resend
    (Discord's nonce). With `queued` (the reply is a delivery row leased to this process), the row is settled: sent,
    failed for good, or handed to the sender when this process gave up on a transient error. None when the reply
    could not be posted here, or was found."""
    look_first = False
    for attempt in range(TRIES):
        try:
            if look_first and find is not None:
                if (found := await find()) is not None:
                    if queued:
                        await _best_effort(service.reply_posted(message, found), message)
                    return None
                look_first = False
            result = await post()
        except PostError as error:
            look_first = look_first or error.unknown
            wait = error.retry_after if error.retry_after is not None else FIRST_WAIT * 2**attempt
            if error.permanent or attempt == TRIES - 1 or wait > LONGEST_WAIT:
                if queued and not error.permanent:  # the sender retries it, looking first if it may have landed
                    log.warning(
                        "automatic reply to %s in %s failed here (%s); the sender takes it over",
                        message.event_id,
                        message.channel,
                        error,
                    )
                    await _best_effort(service.reply_left_to_sender(message, str(error)), message)
                else:
                    log.warning("automatic reply to %s in %s failed: %s", message.event_id, message.channel, error)
                    await _best_effort(service.reply_not_posted(message, str(error)), message)
                return None
            log.info(
                "automatic reply to %s in %s failed (%s); trying again in %.1fs",
                message.event_id,
                message.channel,
                error,
                wait,
            )
            await asyncio.sleep(wait)
            continue
        if queued:
            await _best_effort(service.reply_posted(message, message_id(result)), message)
        return result
    return None


async def _best_effort(work: Awaitable[object], message: IncomingMessage) -> None:
    """Record how the reply ended; if the database says no, the row's lease runs out and the sender looks for it
    (a lost throttle release means the throttle holds until its window ends)."""
    try:
        await work
    except Exception:
        log.exception("could not record how the reply to %s ended", message.event_id)
