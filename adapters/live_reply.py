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


async def post_reply(service: BoundaryService, message: IncomingMessage, post: Callable[[], Awaitable[T]], *,
                     find: Callable[[], Awaitable[bool]] | None = None) -> T | None:
    """`post()` until it works; PostErrors that are transient are retried after their Retry-After or a backoff.
    After an outcome that may have posted (`unknown`), `find()` must prove the reply absent before it is posted
    again (True: it is there, done). With no `find`, the platform itself drops a resend (Discord's nonce).
    None when the reply could not be posted, or was found."""
    look_first = False
    for attempt in range(TRIES):
        try:
            if look_first and find is not None:
                if await find():
                    return None
                look_first = False
            return await post()
        except PostError as error:
            look_first = look_first or error.unknown
            wait = error.retry_after if error.retry_after is not None else FIRST_WAIT * 2 ** attempt
            if error.permanent or attempt == TRIES - 1 or wait > LONGEST_WAIT:
                log.warning("automatic reply to %s in %s failed: %s", message.event_id, message.channel, error)
                try:
                    await service.reply_not_posted(message)
                except Exception:  # the reply is lost either way; the throttle then holds until its window ends
                    log.exception("could not release the throttle for %s", message.event_id)
                return None
            log.info("automatic reply to %s in %s failed (%s); trying again in %.1fs", message.event_id,
                     message.channel, error, wait)
            await asyncio.sleep(wait)
    return None
