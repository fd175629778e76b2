"""Hand-checked business-calendar cases: hours, holidays, closures and turnarounds (DST days: test_calendar_dst)."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.calendar import BusinessCalendar, Turnaround

US = timedelta(microseconds=1)
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
NINE_TO_FIVE = {weekday: [(time(9), time(17))] for weekday in range(5)}
FOUR_HOURS = Turnaround.parse("4 business hours")
ONE_DAY = Turnaround.parse("1 business day")
TWO_DAYS = Turnaround.parse("2 business days")


def z(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def every_day(*blocks) -> dict:
    return {weekday: list(blocks) for weekday in range(7)}


def local(zone, *args, fold=0) -> datetime:
    return datetime(*args, tzinfo=zone, fold=fold)


def day_intervals(cal: BusinessCalendar, zone, year, month, day) -> list:
    return list(cal.open_intervals(local(zone, year, month, day), local(zone, year, month, day) + timedelta(days=2)))


# ------------------------------------------------------------------ Turnaround


@pytest.mark.parametrize(
    ("text", "amount", "unit", "printed"),
    [
        ("1 business day", 1, "days", "1 business day"),
        ("2 Business Days", 2, "days", "2 business days"),
        ("4 business hours", 4, "hours", "4 business hours"),
        ("  1 BUSINESS HOUR ", 1, "hours", "1 business hour"),
    ],
)
def test_turnaround_parses_and_prints(text, amount, unit, printed):
    turnaround = Turnaround.parse(text)
    assert (turnaround.amount, turnaround.unit, str(turnaround)) == (amount, unit, printed)
    assert Turnaround.parse(str(turnaround)) == turnaround


@pytest.mark.parametrize(
    "text", ["3 weeks", "0 business days", "business days", "", "1.5 business days", "-1 business day"]
)
def test_turnaround_rejects_anything_else(text):
    with pytest.raises(ValueError) as error:
        Turnaround.parse(text)
    assert str(error.value) == (
        f'"{text}" is not a turnaround; use "N business hours" or "N business days" (at most 480 hours or 60 days)'
    )


def test_turnaround_checks_its_fields():
    with pytest.raises(ValueError):
        Turnaround(0, "days")
    with pytest.raises(ValueError):
        Turnaround(1, "weeks")  # type: ignore[arg-type]


# ------------------------------------------------------------ plain weekdays


@pytest.mark.parametrize(
    ("at", "turnaround", "due"),
    [
        # in hours, Wed 11 Mar 2026 10:00 EDT
        (local(NY, 2026, 3, 11, 10), FOUR_HOURS, local(NY, 2026, 3, 11, 14)),
        (local(NY, 2026, 3, 11, 10), ONE_DAY, local(NY, 2026, 3, 12, 10)),
        (local(NY, 2026, 3, 11, 10), TWO_DAYS, local(NY, 2026, 3, 13, 10)),
        (local(NY, 2026, 3, 11, 15), FOUR_HOURS, local(NY, 2026, 3, 12, 11)),
        (local(NY, 2026, 3, 11, 13), FOUR_HOURS, local(NY, 2026, 3, 11, 17)),  # lands on the close: that close
        (local(NY, 2026, 3, 9, 9), ONE_DAY, local(NY, 2026, 3, 9, 17)),  # at the opening: by the close
        (local(NY, 2026, 3, 13, 16, 59), ONE_DAY, local(NY, 2026, 3, 16, 16, 59)),  # Friday 16:59 -> Monday 16:59
        # after hours, Wed 20:00
        (local(NY, 2026, 3, 11, 20), FOUR_HOURS, local(NY, 2026, 3, 12, 13)),
        (local(NY, 2026, 3, 11, 20), ONE_DAY, local(NY, 2026, 3, 12, 17)),
        (local(NY, 2026, 3, 11, 20), TWO_DAYS, local(NY, 2026, 3, 13, 17)),
        (local(NY, 2026, 3, 12, 7), ONE_DAY, local(NY, 2026, 3, 12, 17)),  # early morning: same day's close
        # weekend, Sat 14 Mar noon
        (local(NY, 2026, 3, 14, 12), FOUR_HOURS, local(NY, 2026, 3, 16, 13)),
        (local(NY, 2026, 3, 14, 12), ONE_DAY, local(NY, 2026, 3, 16, 17)),
        (local(NY, 2026, 3, 14, 12), TWO_DAYS, local(NY, 2026, 3, 17, 17)),
    ],
)
def test_reply_by_nine_to_five(at, turnaround, due):
    result = BusinessCalendar(NY, NINE_TO_FIVE).reply_by(at, turnaround)
    assert result == due and result.tzinfo is UTC


def test_instants_come_back_in_utc_whatever_zone_they_came_in():
    cal = BusinessCalendar(NY, NINE_TO_FIVE)
    at = local(NY, 2026, 3, 14, 12)
    assert cal.next_opening(at.astimezone(KOLKATA)) == z(2026, 3, 16, 13)
    assert cal.reply_by(at.astimezone(SYDNEY), ONE_DAY) == z(2026, 3, 16, 21)
    assert cal.next_opening(local(NY, 2026, 3, 11, 10)).tzinfo is UTC


def test_naive_instants_are_refused():
    cal = BusinessCalendar(NY, NINE_TO_FIVE)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.is_open(datetime(2026, 3, 11, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        BusinessCalendar(NY, NINE_TO_FIVE, closures=[(datetime(2026, 1, 1), z(2026, 1, 2))])


def test_is_open_is_half_open_and_next_opening_crosses_the_weekend():
    cal = BusinessCalendar(NY, NINE_TO_FIVE)
    assert cal.is_open(local(NY, 2026, 3, 13, 9))
    assert cal.is_open(local(NY, 2026, 3, 13, 17) - US)
    assert not cal.is_open(local(NY, 2026, 3, 13, 17))
    assert cal.next_opening(local(NY, 2026, 3, 13, 10)) == z(2026, 3, 13, 14)  # open: itself
    assert cal.next_opening(local(NY, 2026, 3, 13, 17)) == z(2026, 3, 16, 13)  # Monday 09:00 EDT
    assert cal.next_closing(local(NY, 2026, 3, 13, 10)) == z(2026, 3, 13, 21)
    assert cal.next_closing(local(NY, 2026, 3, 14, 10)) is None
    assert cal.previous_closing(local(NY, 2026, 3, 15, 10)) == z(2026, 3, 13, 21)
    assert cal.previous_closing(local(NY, 2026, 3, 13, 10)) is None


def test_shorter_target_day_caps_the_point_at_its_close():
    cal = BusinessCalendar(NY, {0: [(time(9), time(17))], 1: [(time(9), time(12))]})
    assert cal.reply_by(local(NY, 2026, 3, 9, 15), ONE_DAY) == local(NY, 2026, 3, 10, 12)
    assert cal.reply_by(local(NY, 2026, 3, 9, 10), ONE_DAY) == local(NY, 2026, 3, 10, 10)


def test_lunch_break():
    cal = BusinessCalendar(NY, {weekday: [(time(9), time(12)), (time(13), time(17))] for weekday in range(5)})
    assert not cal.is_open(local(NY, 2026, 3, 11, 12, 30))
    assert cal.next_opening(local(NY, 2026, 3, 11, 12, 30)) == local(NY, 2026, 3, 11, 13)
    assert cal.previous_closing(local(NY, 2026, 3, 11, 12, 30)) == local(NY, 2026, 3, 11, 12)
    assert cal.next_closing(local(NY, 2026, 3, 11, 11)) == local(NY, 2026, 3, 11, 12)
    assert cal.reply_by(local(NY, 2026, 3, 11, 11), FOUR_HOURS) == local(NY, 2026, 3, 11, 16)
    assert cal.reply_by(local(NY, 2026, 3, 11, 9), FOUR_HOURS) == local(NY, 2026, 3, 11, 14)
    assert cal.reply_by(local(NY, 2026, 3, 11, 9), Turnaround(3, "hours")) == local(NY, 2026, 3, 11, 12)
    # one business day from 14:00 = 4 open hours into Thursday: 09-12 and 13-14
    assert cal.reply_by(local(NY, 2026, 3, 11, 14), ONE_DAY) == local(NY, 2026, 3, 12, 14)
    # from the lunch break: 3 open hours into Thursday land exactly on its 12:00 break
    assert cal.reply_by(local(NY, 2026, 3, 11, 12, 30), ONE_DAY) == local(NY, 2026, 3, 12, 12)


def test_block_crossing_midnight_belongs_to_the_day_it_starts():
    cal = BusinessCalendar(NY, {4: [(time(22), time(2))], 5: [(time(22), time(2))]})  # Fri and Sat nights
    assert cal.is_open(local(NY, 2026, 3, 14, 1))  # Saturday 01:00: Friday's block
    assert not cal.is_open(local(NY, 2026, 3, 14, 2))
    assert cal.next_closing(local(NY, 2026, 3, 13, 23)) == local(NY, 2026, 3, 14, 2)
    assert cal.next_opening(local(NY, 2026, 3, 14, 3)) == local(NY, 2026, 3, 14, 22)
    assert cal.previous_closing(local(NY, 2026, 3, 14, 3)) == local(NY, 2026, 3, 14, 2)
    # Sat 01:00 is 3 hours into Friday's open day; the next open day is Saturday
    assert cal.reply_by(local(NY, 2026, 3, 14, 1), ONE_DAY) == local(NY, 2026, 3, 15, 1)
    assert cal.reply_by(local(NY, 2026, 3, 14, 12), ONE_DAY) == local(NY, 2026, 3, 15, 2)
    assert cal.reply_by(local(NY, 2026, 3, 14, 12), TWO_DAYS) == local(NY, 2026, 3, 21, 2)
    assert cal.reply_by(local(NY, 2026, 3, 14, 1), FOUR_HOURS) == local(NY, 2026, 3, 15, 1)  # 1 h + 3 h
    # a holiday on the Friday skips the block that starts on it, past midnight too
    off = BusinessCalendar(NY, cal.weekly, lambda d: d == datetime(2026, 3, 13).date())
    assert not off.is_open(local(NY, 2026, 3, 14, 1))
    assert off.next_opening(local(NY, 2026, 3, 13, 21)) == local(NY, 2026, 3, 14, 22)


def test_end_at_midnight_means_until_midnight():
    cal = BusinessCalendar(NY, {0: [(time(18), time(0))]})
    assert list(cal.open_intervals(local(NY, 2026, 3, 9), local(NY, 2026, 3, 11))) == [
        (local(NY, 2026, 3, 9, 18), local(NY, 2026, 3, 10))
    ]
    assert cal.is_open(local(NY, 2026, 3, 10) - US)
    assert not cal.is_open(local(NY, 2026, 3, 10))


def test_touching_and_overlapping_blocks_merge():
    cal = BusinessCalendar(
        NY, {0: [(time(9), time(17)), (time(17), time(20))], 1: [(time(0), time(8))], 6: [(time(22), time(2))]}
    )
    assert cal.next_closing(local(NY, 2026, 3, 9, 10)) == local(NY, 2026, 3, 9, 20)
    assert list(cal.open_intervals(local(NY, 2026, 3, 8, 12), local(NY, 2026, 3, 10, 12))) == [
        (local(NY, 2026, 3, 8, 22), local(NY, 2026, 3, 9, 2)),
        (local(NY, 2026, 3, 9, 9), local(NY, 2026, 3, 9, 20)),
        (local(NY, 2026, 3, 10), local(NY, 2026, 3, 10, 8)),
    ]
    cal = BusinessCalendar(NY, {0: [(time(22), time(2))], 1: [(time(0), time(8))]})
    assert list(cal.open_intervals(local(NY, 2026, 3, 9, 12), local(NY, 2026, 3, 10, 12))) == [
        (local(NY, 2026, 3, 9, 22), local(NY, 2026, 3, 10, 8))
    ]
    assert list(cal.open_intervals(local(NY, 2026, 3, 9, 23), local(NY, 2026, 3, 10, 1))) == [
        (local(NY, 2026, 3, 9, 23), local(NY, 2026, 3, 10, 1))
    ]


# ---------------------------------------------------- holidays and closures


def test_us_holidays_from_the_holidays_package():
    us = holidays.country_holidays("US", years=2026)
    cal = BusinessCalendar(NY, NINE_TO_FIVE, lambda d: d in us)
    # Labor Day, Mon 7 Sep 2026
    assert not cal.is_open(local(NY, 2026, 9, 7, 10))
    assert cal.next_opening(local(NY, 2026, 9, 5, 12)) == local(NY, 2026, 9, 8, 9)
    assert cal.reply_by(local(NY, 2026, 9, 4, 16), ONE_DAY) == local(NY, 2026, 9, 8, 16)
    assert cal.reply_by(local(NY, 2026, 9, 5, 12), ONE_DAY) == local(NY, 2026, 9, 8, 17)
    assert cal.reply_by(local(NY, 2026, 9, 4, 15), FOUR_HOURS) == local(NY, 2026, 9, 8, 11)
    # Thanksgiving, Thu 26 Nov 2026
    assert cal.reply_by(local(NY, 2026, 11, 25, 10), ONE_DAY) == local(NY, 2026, 11, 27, 10)
    assert cal.reply_by(local(NY, 2026, 11, 25, 10), TWO_DAYS) == local(NY, 2026, 11, 30, 10)


def test_closure_spanning_christmas():
    us = holidays.country_holidays("US", years=[2026, 2027])
    closure = (local(NY, 2026, 12, 24), local(NY, 2027, 1, 4))
    cal = BusinessCalendar(NY, NINE_TO_FIVE, lambda d: d in us, [closure])
    assert not cal.is_open(local(NY, 2026, 12, 28, 10))
    assert cal.next_opening(local(NY, 2026, 12, 24, 10)) == z(2027, 1, 4, 14)
    assert cal.previous_closing(local(NY, 2026, 12, 28, 12)) == z(2026, 12, 23, 22)
    assert cal.next_closing(local(NY, 2026, 12, 23, 10)) == z(2026, 12, 23, 22)
    assert cal.reply_by(local(NY, 2026, 12, 23, 16), ONE_DAY) == z(2027, 1, 4, 21)
    assert cal.reply_by(local(NY, 2026, 12, 23, 16), TWO_DAYS) == z(2027, 1, 5, 21)
    assert cal.reply_by(local(NY, 2026, 12, 23, 15), FOUR_HOURS) == z(2027, 1, 4, 16)
    assert cal.reply_by(local(NY, 2026, 12, 26, 12), ONE_DAY) == z(2027, 1, 4, 22)
    # a closure that starts at noon closes the business at noon
    early = BusinessCalendar(NY, NINE_TO_FIVE, closures=[(local(NY, 2026, 12, 23, 12), local(NY, 2027, 1, 4))])
    assert early.previous_closing(local(NY, 2026, 12, 23, 14)) == local(NY, 2026, 12, 23, 12)
    assert early.next_closing(local(NY, 2026, 12, 23, 10)) == local(NY, 2026, 12, 23, 12)
    assert early.reply_by(local(NY, 2026, 12, 23, 10), ONE_DAY) == local(NY, 2027, 1, 4, 10)
    assert early.reply_by(local(NY, 2026, 12, 23, 11), FOUR_HOURS) == local(NY, 2027, 1, 4, 12)


def test_closures_outside_the_horizon_and_empty_calendars_do_not_hang():
    never = "the business is never open within 800 days"
    at = local(NY, 2026, 3, 11, 10)
    long_closure = BusinessCalendar(NY, NINE_TO_FIVE, closures=[(z(2026, 1, 1), z(2029, 1, 1))])
    for cal in (BusinessCalendar(NY, {}), BusinessCalendar(NY, NINE_TO_FIVE, lambda d: True), long_closure):
        started = clock.perf_counter()
        assert not cal.is_open(at)
        assert cal.next_opening(at) is None
        assert cal.next_closing(at) is None
        assert cal.previous_closing(at) == (z(2025, 12, 31, 22) if cal is long_closure else None)
        assert list(cal.open_intervals(at, at + timedelta(days=30))) == []
        with pytest.raises(ValueError, match=never):
            cal.reply_by(at, ONE_DAY)
        with pytest.raises(ValueError, match=never):
            cal.add_business_time(at, timedelta(hours=1))
        assert clock.perf_counter() - started < 3
    weeks = BusinessCalendar(NY, NINE_TO_FIVE, closures=[(local(NY, 2026, 3, 1), local(NY, 2026, 4, 20))])
    assert weeks.next_opening(at) == local(NY, 2026, 4, 20, 9)
    assert weeks.reply_by(at, ONE_DAY) == local(NY, 2026, 4, 20, 17)


def test_open_all_the_time():
    cal = BusinessCalendar(NY, every_day((time(0), time(0))))
    at = local(NY, 2026, 3, 11, 10)
    assert cal.next_closing(at) is None  # never closes within the horizon
    assert cal.add_business_time(at, timedelta(hours=100)) == at + timedelta(hours=100)
    assert cal.reply_by(at, ONE_DAY) == local(NY, 2026, 3, 12, 10)
    closed = BusinessCalendar(NY, cal.weekly, closures=[(local(NY, 2026, 3, 12), local(NY, 2026, 3, 13))])
    assert closed.next_closing(at) == local(NY, 2026, 3, 12)
    assert closed.previous_closing(local(NY, 2026, 3, 12, 5)) == local(NY, 2026, 3, 12)


def test_add_business_time_edges():
    cal = BusinessCalendar(NY, NINE_TO_FIVE)
    assert cal.add_business_time(local(NY, 2026, 3, 14, 12), timedelta(0)) == local(NY, 2026, 3, 16, 9)
    assert cal.add_business_time(local(NY, 2026, 3, 13, 9), timedelta(hours=8)) == local(NY, 2026, 3, 13, 17)
    assert cal.add_business_time(local(NY, 2026, 3, 13, 9), timedelta(hours=8) + US) == local(NY, 2026, 3, 16, 9) + US
    with pytest.raises(ValueError, match="negative"):
        cal.add_business_time(local(NY, 2026, 3, 13, 9), -US)


# ------------------------------------------------------------ daylight saving
