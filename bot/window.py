"""How many posts may be in flight to one workspace: a window that halves on a 429 and grows back by about one
post per window of accepted posts, after a pause (additive increase, multiplicative decrease, as TCP does)."""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

CUT_GAP = 1.0  # seconds: the 429s of one burst cut the window once
HOLD = 2.0  # seconds after a cut during which the window does not grow


class Window:
    """Starts at `start` posts in flight, never above `most` nor below one."""

    def __init__(self, *, start: int = 4, most: int = 16, clock: Callable[[], float] = time.monotonic) -> None:
        self.most = max(1, most)
        self._clock = clock
        self.size = float(min(max(1, start), self.most))
        self._in_flight = 0
        self._last_cut = float("-inf")
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait until fewer than the window's size are in flight; hold a place while the body runs."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._in_flight < int(self.size))
            self._in_flight += 1
        try:
            yield
        finally:
            async with self._changed:
                self._in_flight -= 1
                self._changed.notify_all()

    def refused(self) -> None:
        """A 429: half as many in flight from now on (once per burst of refusals)."""
        if self._clock() - self._last_cut >= CUT_GAP:
            self._last_cut = self._clock()
            self.size = max(1.0, self.size / 2)

    def accepted(self) -> None:
        """A post went through: grow by one post over a whole window of them (not right after a cut)."""
        if self._clock() - self._last_cut >= HOLD:
            self.size = min(float(self.most), self.size + 1 / self.size)
