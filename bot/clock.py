"""A clock that is either the real one or a simulated, frozen one the console can set and advance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SimulatedClock:
    """Real time until set; once set (or advanced) it stays frozen where it was put."""

    def __init__(self, start: datetime | None = None):
        self._frozen = start.astimezone(UTC) if start else None

    def __call__(self) -> datetime:
        return self._frozen or datetime.now(UTC)

    @property
    def simulated(self) -> bool:
        return self._frozen is not None

    def set(self, at: datetime) -> None:
        self._frozen = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        self._frozen = self() + delta
        return self._frozen
