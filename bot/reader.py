"""Classifying a client message off the event loop, within a time budget, so no text can stall the bot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot import intent_model
from bot.intents import Intent, classify

log = logging.getLogger(__name__)

INLINE_CHARS = 500  # shorter texts classify in well under a millisecond: a thread hop would cost more
BUDGET_SECONDS = 1.0  # waiting in the queue included
UNREAD = Intent(redirect=None, urgent=False, evidence=("unread:over-budget",))


class IntentReader:
    """Classifies texts on a small thread pool of its own; a text not read within the budget counts as no request."""

    def __init__(
        self, classifier: Callable[[str], Intent] = classify, *, budget: float = BUDGET_SECONDS, workers: int = 2
    ):
        self.classifier = classifier
        self.budget = budget
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="classify")
        if classifier is classify:
            self._pool.submit(intent_model.load)  # in the background: the first message then finds the model read

    async def read(self, text: str) -> Intent:
        if len(text) <= INLINE_CHARS:
            return self.classifier(text)
        work = asyncio.get_running_loop().run_in_executor(self._pool, self.classifier, text)
        try:
            return await asyncio.wait_for(work, self.budget)
        except TimeoutError:
            log.warning(
                "a %d-character message was not classified within %.1f s: answered as if it asked for no "
                "call or text and was not urgent",
                len(text),
                self.budget,
            )
            return UNREAD
