"""The per-workspace window: how many posts may be in flight, halved on a 429 and grown back slowly."""
from __future__ import annotations

import asyncio

import pytest

from bot import window as window_module
from bot.window import Window


@pytest.fixture
def now():
    return [1000.0]


async def test_at_most_the_window_is_in_flight_and_a_slot_frees_the_next(now) -> None:
    window, inside, most = Window(start=2, most=8, clock=lambda: now[0]), 0, 0
    release = asyncio.Event()

    async def post() -> None:
        nonlocal inside, most
        async with window.slot():
            inside += 1
            most = max(most, inside)
            await release.wait()
            inside -= 1

    tasks = [asyncio.create_task(post()) for _ in range(5)]
    await asyncio.sleep(0.01)
    assert inside == 2
    release.set()
    await asyncio.gather(*tasks)
    assert most == 2


async def test_a_429_halves_once_per_burst_and_growth_waits_then_stops_at_the_most(now) -> None:
    window = Window(start=8, most=10, clock=lambda: now[0])
    window.refused()
    window.refused()  # the same burst
    assert window.size == 4
    window.accepted()
    assert window.size == 4  # held for a moment after the cut
    now[0] += window_module.HOLD
    for _ in range(4):
        window.accepted()
    assert window.size == pytest.approx(5, abs=0.2)  # about one more per window of accepted posts
    for _ in range(200):
        window.accepted()
    assert window.size == 10
    now[0] += window_module.CUT_GAP
    for _ in range(10):
        window.refused()
        now[0] += window_module.CUT_GAP
    assert window.size == 1  # never below one
