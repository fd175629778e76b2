"""Retrying work while the database is unavailable (locked, restarting, unreachable): backoff up to a deadline."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from storage.errors import is_unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_SECONDS = 300.0  # how long handling a message is retried while the database is unavailable
FIRST_RETRY_SECONDS = 0.5  # then doubling, up to MAX_RETRY_SECONDS
MAX_RETRY_SECONDS = 30.0


class GaveUp(Exception):
    """The database stayed unavailable past the deadline; the last error is the cause."""


async def while_unavailable(
    work: Callable[[], Awaitable[T]],
    *,
    what: str,
    deadline_seconds: float = RETRY_SECONDS,
    first_wait: float = FIRST_RETRY_SECONDS,
) -> T:
    """`work()` until it succeeds; any other error is raised at once, and GaveUp once waiting would pass the
    deadline (each retry logged with `what`)."""
    deadline = time.monotonic() + deadline_seconds
    wait = first_wait
    while True:
        try:
            return await work()
        except Exception as error:
            if not is_unavailable(error):
                raise
            if time.monotonic() + wait > deadline:
                raise GaveUp(f"{what}: the database stayed unavailable for {deadline_seconds:.0f} s") from error
            log.warning(
                "database unavailable while handling %s (%s); retrying in %.1f s", what, type(error).__name__, wait
            )
        await asyncio.sleep(wait)
        wait = min(wait * 2, MAX_RETRY_SECONDS)
