"""The business calendar: open intervals, next opening and reply-by instants in business time, all in UTC."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.owner_words import say
from bot.turnaround import Turnaround

HORIZON_DAYS = 800
NEVER_OPEN = say("calendar.never_open", days=HORIZON_DAYS)
_DAY = timedelta(days=1)
_CACHE_LIMIT = 4096

Interval = tuple[datetime, datetime]


def _utc(at: datetime, name: str = "at") -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {at!r}")
    return at.astimezone(UTC)


def _consume(pieces: Sequence[Interval], amount: timedelta) -> datetime | None:
    """The first instant by which `amount` (> 0) of the pieces' open time has elapsed."""
    for a, b in pieces:
        if amount <= b - a:
            return a + amount
        amount -= b - a
    return None


class BusinessCalendar:
    """When the business is open, from weekly hours in a zone minus holidays and closures.

    Wall-clock block times are read with fold=0: a start or end that falls in the
    spring-forward gap (02:30 on a day that jumps from 02:00 to 03:00) means the
    instant `datetime(..., 2, 30, tzinfo=zone)` denotes, i.e. 03:30 after the jump;
    a time that occurs twice on the fall-back day means its first occurrence.
    Blocks belong to the local date they start on (holidays skip them, "open days"
    count them); time covered by blocks of two dates belongs to the earlier date.
    """

    def __init__(
        self,
        zone: tzinfo,
        weekly: Mapping[int, Sequence[tuple[time, time]]],
        is_holiday: Callable[[date], bool] = lambda d: False,
        closures: Sequence[tuple[datetime, datetime]] = (),
    ) -> None:
        self.zone = zone
        self.weekly: dict[int, tuple[tuple[time, time], ...]] = {}
        for weekday, blocks in weekly.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            checked = []
            for start, end in blocks:
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ValueError("block times are local wall-clock times and carry no tzinfo")
                checked.append((start.replace(fold=0), end.replace(fold=0)))
            self.weekly[weekday] = tuple(checked)
        self.is_holiday = is_holiday
        periods: list[Interval] = []
        for begins, ends in closures:
            begins, ends = _utc(begins, "closure start"), _utc(ends, "closure end")
            if ends < begins:
                raise ValueError(f"closure ends ({ends.isoformat()}) before it starts ({begins.isoformat()})")
            if begins < ends:
                periods.append((begins, ends))
        merged: list[Interval] = []
        for begins, ends in sorted(periods):
            if merged and begins <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(ends, merged[-1][1]))
            else:
                merged.append((begins, ends))
        self.closures: tuple[Interval, ...] = tuple(merged)
        self._closure_ends = [end for _, end in merged]
        self._raw_cache: dict[date, tuple[Interval, ...]] = {}
        self._day_cache: dict[date, tuple[Interval, ...]] = {}
        # one decision asks both of these several times about the same instant
        self._last_open: tuple[datetime | None, bool] = (None, False)
        self._last_opening: tuple[datetime | None, datetime | None] = (None, None)

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.zone!s}, {self.weekly!r}, closures={self.closures!r})"

    # ----------------------------------------------------------------- days

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def _raw(self, day: date) -> tuple[Interval, ...]:
        """The day's weekly blocks as UTC intervals (none on a holiday), before closures."""
        cached = self._raw_cache.get(day)
        if cached is None:
            blocks = []
            if not self.is_holiday(day):
                for start, end in self.weekly.get(day.weekday(), ()):
                    a = datetime.combine(day, start, self.zone).astimezone(UTC)
                    b = datetime.combine(day if end > start else day + _DAY, end, self.zone).astimezone(UTC)
                    if a < b:  # a block inside the spring-forward gap may map to nothing
                        blocks.append((a, b))
            cached = tuple(sorted(blocks))
            if len(self._raw_cache) >= _CACHE_LIMIT:
                self._raw_cache.clear()
            self._raw_cache[day] = cached
        return cached

    def _cut_closures(self, a: datetime, b: datetime) -> list[Interval]:
        out = []
        i = bisect_right(self._closure_ends, a)
        while a < b and i < len(self.closures) and self.closures[i][0] < b:
            start, end = self.closures[i]
            if start > a:
                out.append((a, start))
            a = max(a, end)
            i += 1
        if a < b:
            out.append((a, b))
        return out

    def _day(self, day: date) -> tuple[Interval, ...]:
        """The open time owned by one local date: sorted, disjoint, after all earlier dates' blocks."""
        cached = self._day_cache.get(day)
        if cached is None:
            earlier = self._raw(day - 2 * _DAY) + self._raw(day - _DAY)
            frontier = max((b for _, b in earlier), default=None)
            pieces: list[Interval] = []
            for a, b in self._raw(day):
                if frontier is not None:
                    a = max(a, frontier)
                if a >= b:
                    continue
                if pieces and a <= pieces[-1][1]:  # overlapping blocks of the same day
                    b = max(b, pieces[-1][1])
                    a = pieces.pop()[0]
                pieces.append((a, b))
            pieces = [cut for a, b in pieces for cut in self._cut_closures(a, b)]
            cached = tuple(pieces)
            if len(self._day_cache) >= _CACHE_LIMIT:
                self._day_cache.clear()
            self._day_cache[day] = cached
        return cached

    def _open_days(self, first: date, since: date) -> Iterator[tuple[date, tuple[Interval, ...]]]:
        """Open days from `first` on; stops after HORIZON_DAYS without one (counted from `since`)."""
        day, last_open = first, since
        while day <= last_open + HORIZON_DAYS * _DAY:
            pieces = self._day(day)
            if pieces:
                last_open = max(last_open, day)
                yield day, pieces
            day += _DAY

    # ------------------------------------------------------------ queries

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """Open time within [start, end): UTC, sorted, merged, closures and holidays removed."""
        start, end = _utc(start, "start"), _utc(end, "end")
        return self._intervals(start, end)

    def _intervals(self, start: datetime, end: datetime) -> Iterator[Interval]:
        if start >= end:
            return
        pending: Interval | None = None
        day, last = self._local_date(start) - 2 * _DAY, self._local_date(end) + _DAY
        while day <= last:
            for a, b in self._day(day):
                a, b = max(a, start), min(b, end)
                if a >= b:
                    continue
                if pending is not None and pending[1] == a:
                    pending = (pending[0], b)
                else:
                    if pending is not None:
                        yield pending
                    pending = (a, b)
            day += _DAY
        if pending is not None:
            yield pending

    def is_open(self, at: datetime) -> bool:
        """Whether `at` is open time (a block's start is open, its end is not)."""
        at = _utc(at)
        asked, answer = self._last_open
        if asked != at:
            today = self._local_date(at)
            answer = any(a <= at < b for offset in (-2, -1, 0, 1) for a, b in self._day(today + offset * _DAY))
            self._last_open = (at, answer)
        return answer

    def next_opening(self, at: datetime) -> datetime | None:
        """`at` (in UTC) if open, else the next instant it opens; None if not within HORIZON_DAYS."""
        at = _utc(at)
        asked, answer = self._last_opening
        if asked == at:
            return answer
        answer = self._next_opening(at)
        self._last_opening = (at, answer)
        return answer

    def _next_opening(self, at: datetime) -> datetime | None:
        today = self._local_date(at)
        for _, pieces in self._open_days(today - 2 * _DAY, today):
            for a, b in pieces:
                if b > at:
                    return max(a, at)
        return None

    def next_closing(self, at: datetime) -> datetime | None:
        """End of the (merged) open interval containing `at`; None if closed at `at`
        or if it stays open beyond HORIZON_DAYS."""
        at = _utc(at)
        if not self.is_open(at):
            return None
        today = self._local_date(at)
        end: datetime | None = None
        for day, pieces in self._open_days(today - 2 * _DAY, today):
            if end is not None and day > self._local_date(end) + 2 * _DAY:
                return end  # no later date's blocks can start at `end`
            for a, b in pieces:
                if end is None:
                    end = b if a <= at < b else None
                elif a == end:
                    end = b
                elif a > end:
                    return end
            if end is not None and end - at > HORIZON_DAYS * _DAY:
                return None
        return end

    def previous_closing(self, at: datetime) -> datetime | None:
        """When closed at `at`: the instant this closed stretch began (the last closing
        at or before `at`); None if open at `at` or no closing within HORIZON_DAYS."""
        at = _utc(at)
        if self.is_open(at):
            return None
        day = self._local_date(at) + _DAY
        for _ in range(HORIZON_DAYS + 3):
            ends = [b for _, b in self._day(day) if b <= at]
            if ends:
                return max(ends)
            day -= _DAY
        return None

    def add_business_time(self, at: datetime, amount: timedelta) -> datetime:
        """The instant by which `amount` of open time has elapsed from `at` (or its next opening).

        Landing exactly at the end of an open interval gives that end, not the next opening.
        """
        if amount < timedelta(0):
            raise ValueError(f"cannot add a negative amount of business time ({amount})")
        start = self.next_opening(at)
        if start is None:
            raise ValueError(NEVER_OPEN)
        if not amount:
            return start
        today = self._local_date(start)
        for _, pieces in self._open_days(today - 2 * _DAY, today):
            later = [(max(a, start), b) for a, b in pieces if b > start]
            result = _consume(later, amount)
            if result is not None:
                return result
            amount -= sum((b - a for a, b in later), timedelta(0))
        raise ValueError(NEVER_OPEN)

    def reply_by(self, at: datetime, turnaround: Turnaround) -> datetime:
        """When a message received at `at` is due under the turnaround, in UTC.

        Hours: `add_business_time`. Days: by the same point of the business day N open
        days later; a message at (or before) the very start of an open day is due at the
        end of the (N-1)-th open day after it (a Saturday message with "1 business day"
        is due at Monday's close). On a shorter target day the point is capped at its end.
        """
        if turnaround.unit == "hours":
            return self.add_business_time(at, timedelta(hours=turnaround.amount))
        start = self.next_opening(at)
        if start is None:
            raise ValueError(NEVER_OPEN)
        today = self._local_date(start)
        for day, pieces in self._open_days(today - 2 * _DAY, today):  # noqa: B007 - `day` is read after the loop
            if any(a <= start < b for a, b in pieces):
                break
        else:  # pragma: no cover - next_opening found it, so some date owns it
            raise RuntimeError(f"no open day owns {start.isoformat()}")
        elapsed = sum((min(b, start) - a for a, b in pieces if a < start), timedelta(0))
        target = turnaround.amount if elapsed else turnaround.amount - 1
        if target == 0:
            return pieces[-1][1]
        for count, (_, later) in enumerate(self._open_days(day + _DAY, day + _DAY), start=1):
            if count == target:
                if not elapsed:
                    return later[-1][1]
                total = sum((b - a for a, b in later), timedelta(0))
                result = _consume(later, min(elapsed, total))
                assert result is not None
                return result
        raise ValueError(NEVER_OPEN)
