"""Long messages are classified off the event loop within a time budget; the reply never waits on a stuck rule."""

from __future__ import annotations

import asyncio
import threading

from factories import make_policy, message, ny

from bot.clock import SimulatedClock
from bot.intents import Intent
from bot.reader import INLINE_CHARS, UNREAD, IntentReader
from bot.roles import Roles
from bot.service import BoundaryService

LONG = "Here are the notes from the quarterly planning session. " * 700
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)


async def test_a_classifier_that_hangs_neither_blocks_the_loop_nor_the_answer() -> None:
    release, started = threading.Event(), threading.Event()

    def stuck(text: str) -> Intent:
        started.set()
        release.wait(timeout=10)
        return Intent(redirect="call", urgent=False)

    reader = IntentReader(stuck, budget=0.2)
    loop_ran = asyncio.Event()

    async def meanwhile() -> None:
        while not started.is_set():
            await asyncio.sleep(0.001)
        loop_ran.set()

    try:
        result, _ = await asyncio.wait_for(asyncio.gather(reader.read(LONG), meanwhile()), timeout=5)
        assert result == UNREAD
        assert loop_ran.is_set() and not release.is_set()  # the loop went on while the rule was still stuck
    finally:
        release.set()


async def test_short_texts_are_read_in_place_and_long_ones_on_the_pool() -> None:
    threads: list[str] = []

    def record(text: str) -> Intent:
        threads.append(threading.current_thread().name)
        return Intent(redirect=None, urgent=False)

    reader = IntentReader(record)
    await reader.read("x" * INLINE_CHARS)
    await reader.read("x" * (INLINE_CHARS + 1))
    assert threads[0] == threading.current_thread().name
    assert threads[1].startswith("classify")


async def test_a_call_request_at_the_end_of_a_40000_character_message_is_redirected(store) -> None:
    service = BoundaryService(store, make_policy(), Roles(), SimulatedClock(MONDAY_NIGHT))
    text = LONG[:39_970] + " Can you call me tomorrow?"
    outcome = await service.handle_message(message(text, MONDAY_NIGHT))
    assert outcome.reply is not None
    assert outcome.reply.reasons == ("after_hours", "redirect_call")


async def test_a_message_not_read_in_time_still_gets_its_after_hours_answer(store) -> None:
    service = BoundaryService(store, make_policy(), Roles(), SimulatedClock(MONDAY_NIGHT))
    release = threading.Event()
    service.reader = IntentReader(lambda text: release.wait(10) and Intent(None, False), budget=0.05)
    try:
        outcome = await service.handle_message(message(LONG + " Call me!", MONDAY_NIGHT))
    finally:
        release.set()
    assert outcome.reply is not None and outcome.reply.reasons == ("after_hours",)
