"""Hand-checked business-calendar cases on daylight-saving days (and a zone without DST).

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

from datetime import datetime, time, timedelta

from test_calendar import (
    FOUR_HOURS,
    KOLKATA,
    LONDON,
    NINE_TO_FIVE,
    NY,
    ONE_DAY,
    SYDNEY,
    US,
    UTC,
    day_intervals,
    every_day,
    local,
    z,
)

from bot.calendar import BusinessCalendar


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
