"""Natural dates: whole days, clock times, daylight-saving gaps."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from factories import ny

from bot.dates import DateError, parse_instant, parse_range
from bot.durations import format_duration, parse_duration

NOW = ny(2026, 11, 22, 10, 0)


def test_a_date_alone_is_the_whole_day():
    span = parse_range("Dec 24", NOW.tzinfo, NOW)
    assert span.start == ny(2026, 12, 24).astimezone(UTC) and span.end == ny(2026, 12, 25).astimezone(UTC)


def test_todays_date_is_today_even_once_the_day_has_begun():
    morning = ny(2026, 12, 8, 10)
    assert parse_range("Dec 8", NOW.tzinfo, morning).start == ny(2026, 12, 8).astimezone(UTC)
    assert parse_range("Dec 8 to Dec 11", NOW.tzinfo, morning).end == ny(2026, 12, 12).astimezone(UTC)
    assert parse_range("Dec 8 2027", NOW.tzinfo, morning).start == ny(2027, 12, 8).astimezone(UTC)


def test_ranges_across_the_new_year_roll_forward():
    span = parse_range("Dec 30 through Jan 3", NOW.tzinfo, NOW)
    assert span.end == ny(2027, 1, 4).astimezone(UTC)


def test_a_wall_time_in_the_spring_forward_gap_moves_past_it():
    zone = ZoneInfo("America/New_York")
    now = datetime(2026, 3, 1, tzinfo=zone)
    instant = parse_instant("2026-03-08 02:30", zone, now)
    assert instant == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT, the first valid minute


def test_unknown_text_is_a_clear_error():
    with pytest.raises(DateError, match='try "Dec 24", "tomorrow"'):
        parse_instant("the day after the big game", NOW.tzinfo, NOW)


@pytest.mark.parametrize(("text", "minutes"), [("24h", 1440), ("90m", 90), ("1d12h", 2160), ("0", 0)])
def test_durations_round_trip(text, minutes):
    value = parse_duration(text)
    assert value.total_seconds() == minutes * 60
    assert parse_duration(format_duration(value)) == value


@pytest.mark.parametrize("text", ["", "soon", "12", "h24", "-3h"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dec 31 9999",
        "9999-12-31",
        "Jan 1 0001",
        "0001-01-01 to 0001-01-03",
        "Dec 30 9999 to Dec 31 9999",
        "Dec 24 2032",
    ],
)
def test_dates_years_away_are_refused_by_name_instead_of_overflowing(text):
    with pytest.raises(DateError, match=r"is in the year \d+; use a date within 5 years of today"):
        parse_range(text, NOW.tzinfo, NOW)


def test_a_date_five_years_ahead_is_still_accepted():
    assert parse_range("Dec 24 2031", NOW.tzinfo, ny(2026, 12, 24)).start.year == 2031


DEC_5 = ny(2026, 12, 5, 10, 0)
NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize("text", ["Jan 5 to Jan 2", "Dec 10 to Dec 8", "Mar 3 - Feb 1"])
def test_a_reversed_range_is_refused_instead_of_running_into_next_year(text):
    with pytest.raises(DateError, match="ends before it starts; write the earlier date first"):
        parse_range(text, NY, DEC_5)


@pytest.mark.parametrize(("text", "year"), [("Dec 1 to Dec 3", 2027), ("Nov 30", 2027)])
def test_a_date_that_has_just_passed_asks_for_the_year(text, year):
    with pytest.raises(DateError, match=f"has already passed this year; if you mean .* {year}, write the year"):
        parse_range(text, NY, DEC_5)


def test_a_range_written_with_its_years_or_near_enough_is_taken():
    assert parse_range("Dec 24 to Jan 2", NY, DEC_5).end == ny(2027, 1, 3).astimezone(UTC)
    assert parse_range("Sep 20 to Sep 30", NY, DEC_5).start == ny(2027, 9, 20).astimezone(UTC)  # 9 months ahead
    assert parse_range("Dec 1 2027 to Dec 3 2027", NY, DEC_5).start == ny(2027, 12, 1).astimezone(UTC)
    long = parse_range("Jan 5 2027 to Jan 2 2028", NY, DEC_5)  # a year-long closure, years written
    assert (long.start, long.end) == (ny(2027, 1, 5).astimezone(UTC), ny(2028, 1, 3).astimezone(UTC))
