"""How fast to post to one workspace: a rate that doubles until the platform refuses, then follows its refusals.

Platforms limit a workspace's posts per second, not the posts in flight, and do not say the limit; several replicas
share it. So each sender keeps its own rate per workspace, spaces its posts by it, and learns: it starts low and
doubles every `SLOW_START` seconds until the first 429, which cuts it by `CUT` and remembers the rate that
was refused. Below that rate it doubles back every `DOUBLING` seconds; at or above it, it grows by `GROWTH` of itself a second until
the next 429 (as TCP's CUBIC does). A 429 while already below the refused rate only lowers that memory; a second
one cuts. So it hovers just under a limit it cannot see, and a 429 that was not about the rate at all (Slack's 429s
do not say whether the channel or the workspace was busy) costs little beyond its pause. The rate
grows only while it is used: posts held up by anything else do not let it run ahead of what the platform was shown.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

START_RATE = 8.0  # posts a second to a workspace nothing is known about yet
SLOW_START = 0.5  # seconds per doubling of the rate before the first 429
DOUBLING = 1.0  # seconds per doubling of the rate below the last refused rate
GROWTH = 0.15  # the share of the rate added each second at or above the last refused rate
CUT = 0.7  # the share of the rate kept on a 429
NEAR = 0.9  # within this share of the refused rate, growth slows to GROWTH
USED = 0.4  # the rate grows only while at least this share of it was accepted in the last second
CUT_GAP = 1.0  # seconds: the 429s of one burst cut the rate once
HOLD = 1.0  # seconds after a cut during which the rate does not grow


class Pace:
    """Starts at `start` posts a second, never above `most` nor below `least`."""

    def __init__(
        self,
        *,
        start: float = START_RATE,
        most: float = 500.0,
        least: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = min(max(start, least), most)
        self.most, self.least = most, least
        self.refused_at: float | None = None  # the rate of the last 429; None: none yet (slow start)
        self._clock = clock
        self._next = float("-inf")  # the earliest moment of the next post
        self._queue = asyncio.Lock()
        self._accepted: deque[float] = deque()  # when posts were accepted, in the last second
        self._last_cut = float("-inf")
        self._grown_at = self._resumed = clock()

    def ahead(self, seconds: float) -> int:
        """How many posts this pace allows in the next `seconds` (what is worth claiming at once)."""
        return max(1, int(self.rate * seconds))

    async def turn(self) -> None:
        """Wait for this workspace's next moment to post; callers get theirs in the order they asked, each at the
        rate of that moment (nothing is booked ahead, so a rate that grows or is cut applies to every post waiting)."""
        async with self._queue:  # asyncio's lock wakes its waiters first come, first served
            while (wait := self._next - self._clock()) > 0:
                await asyncio.sleep(wait)
            now = self._clock()
            on_time = self._next >= now - 1 / self.rate  # a wake-up late by less than a gap keeps the schedule
            self._next = (self._next if on_time else now) + 1 / self.rate

    def accepted(self) -> None:
        """A post went through: count it, and grow the rate (not right after a cut, nor while it is not used)."""
        now = self._clock()
        self._accepted.append(now)
        while self._accepted and self._accepted[0] < now - 1.0:
            self._accepted.popleft()
        elapsed, self._grown_at = max(0.0, now - self._grown_at), now
        used = len(self._accepted) / max(0.25, min(1.0, now - self._resumed))  # posts a second since it could post
        if now - self._last_cut < HOLD or used < USED * self.rate:
            return
        if self.refused_at is None:
            grown = self.rate * 2 ** (elapsed / SLOW_START)
        elif self.rate < NEAR * self.refused_at:
            grown = min(self.rate * 2 ** (elapsed / DOUBLING), NEAR * self.refused_at)
        else:
            grown = self.rate * (1 + GROWTH * elapsed)
        self.rate = min(self.most, grown)

    def refused(self) -> None:
        """A 429 for the workspace (here or told by another replica): cut the rate, once per burst of refusals."""
        now = self._clock()
        if now - self._last_cut < CUT_GAP:
            return
        self._last_cut = self._grown_at = now
        self._resumed = now
        if self.refused_at is not None and self.rate < NEAR * self.refused_at:
            self.refused_at = self.rate  # already below the last refused rate: one 429 there is not yet a cut
            return
        self.refused_at = self.rate
        self.rate = max(self.least, self.rate * CUT)
        self._next = max(self._next, now + 1 / self.rate)
