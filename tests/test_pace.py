"""The sender's pace per workspace: slow start, a cut on a 429, quick regrowth, order of turns."""

from __future__ import annotations

import asyncio
import itertools

from bot.pace import CUT, NEAR, Pace


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def post_for(pace: Pace, clock: Ticks, seconds: float) -> None:
    """Posts accepted at the pace's rate for `seconds` of the test's clock."""
    end = clock.now + seconds
    while clock.now < end:
        clock.now += 1 / pace.rate
        pace.accepted()


def test_slow_start_doubles_while_used_and_the_first_429_cuts_and_is_remembered() -> None:
    clock = Ticks()
    pace = Pace(start=8, clock=clock)
    post_for(pace, clock, 1.0)
    assert 24 <= pace.rate <= 40  # about two doublings in a second of slow start
    before = pace.rate
    pace.refused()
    assert pace.refused_at == before and pace.rate == before * CUT


def test_a_rate_that_is_not_used_does_not_grow() -> None:
    clock = Ticks()
    pace = Pace(start=8, clock=clock)
    for _ in range(10):  # one post a second: the platform never saw the rate the pace allows
        clock.now += 1.0
        pace.accepted()
    assert pace.rate == 8


def test_after_a_cut_it_returns_near_the_refused_rate_quickly_then_creeps() -> None:
    clock = Ticks()
    pace = Pace(start=20, clock=clock)
    pace.refused()  # at 20: cut to 14
    clock.now += 1.5  # past the hold
    post_for(pace, clock, 1.0)
    assert NEAR * 20 - 0.01 <= pace.rate <= NEAR * 20 * 1.2  # back near 18 in about a second, not beyond by much
    post_for(pace, clock, 2.0)
    assert 18 < pace.rate < 20 * 1.5  # then it grows slowly (15% a second) past the old limit


def test_one_burst_of_429s_cuts_once_and_a_lone_429_below_the_refused_rate_only_lowers_the_memory() -> None:
    clock = Ticks()
    pace = Pace(start=20, clock=clock)
    pace.refused()
    pace.refused()  # same burst
    assert pace.rate == 20 * CUT
    clock.now += 2.0
    pace.refused()  # at 14, below 0.9 x 20: a 429 that may be a busy channel's
    assert pace.rate == 20 * CUT and pace.refused_at == 20 * CUT
    clock.now += 2.0
    pace.refused()  # a second one there: the limit is lower now
    assert pace.rate == 20 * CUT * CUT


async def test_turns_are_served_in_the_order_asked_and_spaced_by_the_rate(monkeypatch) -> None:
    clock = Ticks()
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:  # the pace's waits move the test's clock, not the wall clock
        clock.now += seconds
        await real_sleep(0)

    monkeypatch.setattr("bot.pace.asyncio.sleep", sleep)
    pace = Pace(start=200, clock=clock)  # five turns 5 ms apart
    order: list[int] = []
    times: list[float] = []

    async def take(n: int) -> None:
        await pace.turn()
        order.append(n)
        times.append(clock.now)

    await asyncio.gather(*(take(n) for n in range(5)))
    assert order == [0, 1, 2, 3, 4]
    assert [round(later - earlier, 6) for earlier, later in itertools.pairwise(times)] == [0.005] * 4
