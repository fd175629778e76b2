"""Property tests for the business calendar over random zones, weekly hours, holidays and closures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.calendar import BusinessCalendar, Turnaround

US = timedelta(microseconds=1)
ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/St_Johns",  # -03:30 / -02:30
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Santiago",  # DST changes at local midnight
    "UTC",
]
START = datetime(2026, 1, 1, tzinfo=UTC)
SPAN_US = 2 * 365 * 24 * 3600 * 10**6

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Local times on a 15-minute grid, so instants on the same grid hit block edges exactly.
local_times = st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15))
blocks = st.tuples(local_times, local_times)  # end <= start crosses midnight
weekly = st.dictionaries(st.integers(0, 6), st.lists(blocks, max_size=3), max_size=7)
instants = st.one_of(
    st.integers(0, SPAN_US // (15 * 60 * 10**6)).map(lambda q: START + timedelta(minutes=15 * q)),
    st.integers(0, SPAN_US).map(lambda u: START + timedelta(microseconds=u)),
)
closures = st.lists(
    st.tuples(instants, st.integers(1, 40 * 24 * 4).map(lambda q: timedelta(minutes=15 * q))).map(
        lambda c: (c[0], c[0] + c[1])
    ),
    max_size=3,
)
holiday_sets = st.frozensets(st.dates(date(2025, 12, 1), date(2028, 2, 1)), max_size=40)
deltas = st.one_of(
    st.just(US),
    st.integers(0, 3 * 24 * 4).map(lambda q: timedelta(minutes=15 * q)),
    st.integers(0, 5 * 24 * 3600 * 10**6).map(lambda u: timedelta(microseconds=u)),
)
turnarounds = st.one_of(
    st.integers(1, 40).map(lambda n: Turnaround(n, "hours")),
    st.integers(1, 5).map(lambda n: Turnaround(n, "days")),
)


@st.composite
def calendars(draw) -> BusinessCalendar:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    hs = draw(holiday_sets)
    return BusinessCalendar(zone, draw(weekly), lambda d: d in hs, draw(closures))


def seen_from(draw_zone: str, at: datetime) -> datetime:
    """The same instant expressed in another zone: results must not depend on it."""
    return at.astimezone(ZoneInfo(draw_zone))


def open_time(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    return sum((b - a for a, b in cal.open_intervals(start, end)), timedelta(0))


@SETTINGS
@given(calendars(), instants, st.integers(1, 10 * 24 * 4).map(lambda q: timedelta(minutes=15 * q)), instants)
def test_open_intervals_are_sorted_merged_clipped_and_agree_with_is_open(cal, start, span, probe):
    end = start + span
    intervals = list(cal.open_intervals(start, end))
    previous_end = None
    for a, b in intervals:
        assert a.tzinfo is UTC and b.tzinfo is UTC
        assert start <= a < b <= end
        if previous_end is not None:
            assert previous_end < a  # merged: never touching
        previous_end = b
        assert cal.is_open(a) and cal.is_open(b - US)
        assert b == end or not cal.is_open(b)
        assert a == start or not cal.is_open(a - US)
        for c_start, c_end in cal.closures:
            assert b <= c_start or c_end <= a
    if start <= probe < end:
        assert cal.is_open(probe) == any(a <= probe < b for a, b in intervals)


@SETTINGS
@given(calendars(), instants, st.sampled_from(ZONES))
def test_next_opening_is_the_first_open_instant(cal, at, zone):
    opening = cal.next_opening(seen_from(zone, at))
    if opening is None:
        assert list(cal.open_intervals(at, at + timedelta(days=799))) == []
        return
    assert opening.tzinfo is UTC
    assert opening >= at
    assert cal.is_open(opening)
    assert list(cal.open_intervals(at, opening)) == []
    assert (opening == at) == cal.is_open(at)


@SETTINGS
@given(calendars(), instants)
def test_next_closing_ends_the_open_stretch(cal, at):
    closing = cal.next_closing(at)
    if not cal.is_open(at):
        assert closing is None
        return
    if closing is None:  # open beyond the horizon
        assert open_time(cal, at, at + timedelta(days=30)) == timedelta(days=30)
        return
    assert closing > at
    assert not cal.is_open(closing)
    assert list(cal.open_intervals(at, closing)) == [(at, closing)]


@SETTINGS
@given(calendars(), instants)
def test_previous_closing_starts_the_closed_stretch(cal, at):
    closing = cal.previous_closing(at)
    if cal.is_open(at):
        assert closing is None
        return
    if closing is None:
        assert list(cal.open_intervals(at - timedelta(days=790), at)) == []
        return
    assert closing <= at
    assert cal.is_open(closing - US)
    assert list(cal.open_intervals(closing, at)) == []


amounts = st.one_of(
    st.integers(0, 60 * 4).map(lambda q: timedelta(minutes=15 * q)),
    st.integers(0, 60 * 3600 * 10**6).map(lambda u: timedelta(microseconds=u)),
)


@SETTINGS
@given(calendars(), instants, amounts, amounts, deltas)
def test_add_business_time_consumes_exactly_and_is_monotonic(cal, at, amount, extra, delta):
    start = cal.next_opening(at)
    if start is None:
        with pytest.raises(ValueError, match="never open within 800 days"):
            cal.add_business_time(at, amount)
        return
    result = cal.add_business_time(at, amount)
    assert result.tzinfo is UTC
    assert result >= start >= at
    assert open_time(cal, start, result) == amount
    if amount:
        assert cal.is_open(result - US)
    assert cal.add_business_time(at, amount + extra) >= result
    later = at + delta
    if cal.next_opening(later) is not None:
        assert cal.add_business_time(later, amount) >= result


@SETTINGS
@given(calendars(), instants, turnarounds, deltas, st.sampled_from(ZONES))
def test_reply_by_is_after_at_inside_open_time_and_monotonic(cal, at, turnaround, delta, zone):
    if cal.next_opening(at) is None:
        with pytest.raises(ValueError, match="never open within 800 days"):
            cal.reply_by(at, turnaround)
        return
    due = cal.reply_by(seen_from(zone, at), turnaround)
    assert due.tzinfo is UTC
    assert due > at
    assert cal.is_open(due - US)  # never inside a closed period
    later = at + delta
    if cal.next_opening(later) is not None:
        assert cal.reply_by(later, turnaround) >= due
    if turnaround.unit == "hours":
        assert due == cal.add_business_time(at, timedelta(hours=turnaround.amount))


def owning_day(cal: BusinessCalendar, instant: datetime) -> date:
    """The local date whose open time contains `instant` (peeks at the calendar's day split)."""
    today = instant.astimezone(cal.zone).date()
    for day in (today + timedelta(days=k) for k in range(-3, 2)):
        if any(a <= instant < b for a, b in cal._day(day)):
            return day
    raise AssertionError(f"no day owns {instant}")


@SETTINGS
@given(calendars(), instants, st.integers(1, 4))
def test_business_days_count_from_the_next_opening(cal, at, days):
    """A closed-time message is due exactly when one sent at the next opening is; one business
    day from the very start of an open day is due at that day's end."""
    opening = cal.next_opening(at)
    if opening is None:
        return
    due = cal.reply_by(opening, Turnaround(days, "days"))
    assert cal.reply_by(at, Turnaround(days, "days")) == due
    pieces = cal._day(owning_day(cal, opening))
    if days == 1 and opening == pieces[0][0]:
        assert due == pieces[-1][1]
    elif days == 1:
        assert owning_day(cal, due - US) > owning_day(cal, opening)
