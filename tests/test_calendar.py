"""Hand-checked business-calendar cases: hours, holidays, closures, turnarounds and DST days.

Daylight-saving cases covered (2026; every expected instant is written out in UTC):

- America/New_York, spring forward Sun 8 Mar (02:00 EST -> 03:00 EDT at 07:00Z):
  a 01:00-04:00 block is 2 real hours (06:00Z-08:00Z), open on both sides of the jump;
  a block starting at the nonexistent 02:30 opens at 07:30Z (03:30 EDT, what
  datetime(2026, 3, 8, 2, 30, tzinfo=zone) with fold=0 denotes); "1 business day" from
  Fri 6 Mar 16:59 EST is Mon 9 Mar 16:59 EDT; "4 business hours" across the weekend.
- America/New_York, fall back Sun 1 Nov (02:00 EDT -> 01:00 EST at 06:00Z):
  a 01:00-03:00 block is 3 real hours (05:00Z-08:00Z) and open in both 01:30s; a block
  starting at the ambiguous 01:30 starts at its first occurrence (EDT); "1 business day"
  from Fri 30 Oct 16:59 EDT is Mon 2 Nov 16:59 EST; next opening over that weekend.
- Europe/London, spring forward Sun 29 Mar (01:00 GMT -> 02:00 BST at 01:00Z):
  a 00:00-03:00 block is 2 real hours; a block starting at the nonexistent 01:30 opens
  at 01:30Z (02:30 BST).
- Europe/London, fall back Sun 25 Oct (02:00 BST -> 01:00 GMT at 01:00Z):
  a 01:00-02:00 block is 2 real hours (the repeated hour); a Saturday 22:00-02:00 block
  crossing midnight into the change is 5 real hours, with next closing and business time.
- Australia/Sydney, fall back Sun 5 Apr (03:00 AEDT -> 02:00 AEST at 16:00Z on 4 Apr):
  a 01:00-04:00 block is 4 real hours; a 02:00-03:00 block is 2 real hours, open in the
  second 02:30; "4 business hours" and "1 business day" from a Friday across the change.
- Australia/Sydney, spring forward Sun 4 Oct (02:00 AEST -> 03:00 AEDT at 16:00Z on 3 Oct):
  a 01:00-04:00 block is 2 real hours; a block starting at the nonexistent 02:30 opens at
  16:30Z (03:30 AEDT); "1 business day" from Friday 16:00 AEST is Monday 16:00 AEDT.
- Asia/Kolkata (+05:30, no DST) on New York's spring-forward Sunday: a 01:00-04:00 block
  is exactly 3 hours; weekend next opening, a lunch break and business days in +05:30.
"""
from __future__ import annotations

import time as clock
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.calendar import BusinessCalendar, Turnaround

UTC = timezone.utc
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


@pytest.mark.parametrize("text", ["3 weeks", "0 business days", "business days", "", "1.5 business days", "-1 business day"])
def test_turnaround_rejects_anything_else(text):
    with pytest.raises(ValueError) as error:
        Turnaround.parse(text)
    assert str(error.value) == (f'"{text}" is not a turnaround; use "N business hours" or "N business days" '
                                '(at most 480 hours or 60 days)')


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
    cal = BusinessCalendar(NY, {0: [(time(9), time(17)), (time(17), time(20))], 1: [(time(0), time(8))],
                                6: [(time(22), time(2))]})
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


def test_new_york_spring_forward():
    cal = BusinessCalendar(NY, every_day((time(1), time(4))))
    assert day_intervals(cal, NY, 2026, 3, 8)[0] == (z(2026, 3, 8, 6), z(2026, 3, 8, 8))  # 2 real hours
    assert not cal.is_open(z(2026, 3, 8, 6) - US)
    assert cal.is_open(z(2026, 3, 8, 7) - US)  # 01:59:59.999999 EST
    assert cal.is_open(z(2026, 3, 8, 7))  # 03:00 EDT
    assert not cal.is_open(z(2026, 3, 8, 8))  # 04:00 EDT
    assert cal.next_closing(local(NY, 2026, 3, 8, 1, 30)) == z(2026, 3, 8, 8)
    assert cal.add_business_time(local(NY, 2026, 3, 8, 1), timedelta(hours=2)) == z(2026, 3, 8, 8)
    assert cal.add_business_time(local(NY, 2026, 3, 8, 1), timedelta(hours=3)) == z(2026, 3, 9, 6)  # 01:00 EDT

    gap = BusinessCalendar(NY, every_day((time(2, 30), time(5))))
    assert datetime(2026, 3, 8, 2, 30, tzinfo=NY).astimezone(UTC) == z(2026, 3, 8, 7, 30)
    assert day_intervals(gap, NY, 2026, 3, 8)[0] == (z(2026, 3, 8, 7, 30), z(2026, 3, 8, 9))
    assert not gap.is_open(z(2026, 3, 8, 7, 15))  # 03:15 EDT
    assert gap.next_opening(local(NY, 2026, 3, 7, 12)) == z(2026, 3, 8, 7, 30)

    office = BusinessCalendar(NY, NINE_TO_FIVE)
    assert office.reply_by(local(NY, 2026, 3, 6, 16, 59), ONE_DAY) == z(2026, 3, 9, 20, 59)  # Mon 16:59 EDT
    assert office.reply_by(local(NY, 2026, 3, 6, 15), FOUR_HOURS) == z(2026, 3, 9, 15)  # Mon 11:00 EDT
    assert office.next_opening(local(NY, 2026, 3, 7, 12)) == z(2026, 3, 9, 13)


def test_new_york_fall_back():
    cal = BusinessCalendar(NY, every_day((time(1), time(3))))
    assert day_intervals(cal, NY, 2026, 11, 1)[0] == (z(2026, 11, 1, 5), z(2026, 11, 1, 8))  # 3 real hours
    assert cal.is_open(local(NY, 2026, 11, 1, 1, 30, fold=0))  # 05:30Z, EDT
    assert cal.is_open(local(NY, 2026, 11, 1, 1, 30, fold=1))  # 06:30Z, EST
    assert cal.is_open(local(NY, 2026, 11, 1, 2, 30))
    assert not cal.is_open(z(2026, 11, 1, 8))
    assert cal.add_business_time(local(NY, 2026, 11, 1, 1), timedelta(hours=2)) == z(2026, 11, 1, 7)  # 02:00 EST
    assert cal.add_business_time(local(NY, 2026, 11, 1, 1), timedelta(hours=3)) == z(2026, 11, 1, 8)

    repeated = BusinessCalendar(NY, every_day((time(1, 30), time(2, 30))))  # starts at the first 01:30
    assert day_intervals(repeated, NY, 2026, 11, 1)[0] == (z(2026, 11, 1, 5, 30), z(2026, 11, 1, 7, 30))
    assert not repeated.is_open(local(NY, 2026, 11, 1, 1, 15, fold=0))
    assert repeated.is_open(local(NY, 2026, 11, 1, 1, 15, fold=1))

    office = BusinessCalendar(NY, NINE_TO_FIVE)
    assert office.reply_by(local(NY, 2026, 10, 30, 16, 59), ONE_DAY) == z(2026, 11, 2, 21, 59)  # Mon 16:59 EST
    assert office.next_opening(local(NY, 2026, 10, 31, 12)) == z(2026, 11, 2, 14)


def test_london_spring_forward():
    cal = BusinessCalendar(LONDON, every_day((time(0), time(3))))
    assert day_intervals(cal, LONDON, 2026, 3, 29)[0] == (z(2026, 3, 29, 0), z(2026, 3, 29, 2))
    assert cal.is_open(z(2026, 3, 29, 1) - US) and cal.is_open(z(2026, 3, 29, 1))
    assert not cal.is_open(z(2026, 3, 29, 2))
    gap = BusinessCalendar(LONDON, every_day((time(1, 30), time(4))))
    assert day_intervals(gap, LONDON, 2026, 3, 29)[0] == (z(2026, 3, 29, 1, 30), z(2026, 3, 29, 3))


def test_london_fall_back():
    cal = BusinessCalendar(LONDON, every_day((time(1), time(2))))
    assert day_intervals(cal, LONDON, 2026, 10, 25)[0] == (z(2026, 10, 25, 0), z(2026, 10, 25, 2))  # 2 real hours
    assert cal.is_open(local(LONDON, 2026, 10, 25, 1, 30, fold=1))
    night = BusinessCalendar(LONDON, {5: [(time(22), time(2))]})  # Saturday night into the change
    assert list(night.open_intervals(z(2026, 10, 24), z(2026, 10, 26))) == [(z(2026, 10, 24, 21), z(2026, 10, 25, 2))]
    assert night.is_open(local(LONDON, 2026, 10, 25, 1, 30, fold=1))
    assert night.next_closing(local(LONDON, 2026, 10, 24, 23)) == z(2026, 10, 25, 2)
    assert night.add_business_time(local(LONDON, 2026, 10, 24, 22), timedelta(hours=5)) == z(2026, 10, 25, 2)


def test_sydney_fall_back_in_april():
    cal = BusinessCalendar(SYDNEY, every_day((time(1), time(4))))
    assert day_intervals(cal, SYDNEY, 2026, 4, 5)[0] == (z(2026, 4, 4, 14), z(2026, 4, 4, 18))  # 4 real hours
    repeated = BusinessCalendar(SYDNEY, every_day((time(2), time(3))))
    assert day_intervals(repeated, SYDNEY, 2026, 4, 5)[0] == (z(2026, 4, 4, 15), z(2026, 4, 4, 17))
    assert repeated.is_open(local(SYDNEY, 2026, 4, 5, 2, 30, fold=1))  # 16:30Z, AEST
    office = BusinessCalendar(SYDNEY, NINE_TO_FIVE)
    assert office.reply_by(local(SYDNEY, 2026, 4, 3, 15), FOUR_HOURS) == z(2026, 4, 6, 1)  # Mon 11:00 AEST
    assert office.reply_by(local(SYDNEY, 2026, 4, 3, 16), ONE_DAY) == z(2026, 4, 6, 6)  # Mon 16:00 AEST
    assert office.next_opening(local(SYDNEY, 2026, 4, 4, 12)) == z(2026, 4, 5, 23)


def test_sydney_spring_forward_in_october():
    cal = BusinessCalendar(SYDNEY, every_day((time(1), time(4))))
    assert day_intervals(cal, SYDNEY, 2026, 10, 4)[0] == (z(2026, 10, 3, 15), z(2026, 10, 3, 17))  # 2 real hours
    gap = BusinessCalendar(SYDNEY, every_day((time(2, 30), time(5))))
    assert day_intervals(gap, SYDNEY, 2026, 10, 4)[0] == (z(2026, 10, 3, 16, 30), z(2026, 10, 3, 18))
    office = BusinessCalendar(SYDNEY, NINE_TO_FIVE)
    assert office.reply_by(local(SYDNEY, 2026, 10, 2, 16), ONE_DAY) == z(2026, 10, 5, 5)  # Mon 16:00 AEDT


def test_kolkata_has_no_dst_and_half_hour_offset():
    cal = BusinessCalendar(KOLKATA, every_day((time(1), time(4))))
    assert day_intervals(cal, KOLKATA, 2026, 3, 8)[0] == (z(2026, 3, 7, 19, 30), z(2026, 3, 7, 22, 30))
    office = BusinessCalendar(KOLKATA, {weekday: [(time(9), time(13)), (time(14), time(17))] for weekday in range(5)})
    assert office.next_opening(local(KOLKATA, 2026, 3, 14, 12)) == z(2026, 3, 16, 3, 30)
    assert office.reply_by(local(KOLKATA, 2026, 3, 14, 12), ONE_DAY) == z(2026, 3, 16, 11, 30)
    assert office.reply_by(local(KOLKATA, 2026, 3, 11, 11), FOUR_HOURS) == z(2026, 3, 11, 10, 30)  # 16:00 IST
    assert office.reply_by(local(KOLKATA, 2026, 3, 13, 16, 59), ONE_DAY) == z(2026, 3, 16, 11, 29)
    assert not office.is_open(local(KOLKATA, 2026, 3, 11, 13, 30))
