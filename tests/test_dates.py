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


@pytest.mark.parametrize("text", ["Dec 31 9999", "9999-12-31", "Jan 1 0001", "0001-01-01 to 0001-01-03",
                                  "Dec 30 9999 to Dec 31 9999", "Dec 24 2032"])
def test_dates_years_away_are_refused_by_name_instead_of_overflowing(text):
    with pytest.raises(DateError, match=r"is in the year \d+; use a date within 5 years of today"):
        parse_range(text, NOW.tzinfo, NOW)


def test_a_date_five_years_ahead_is_still_accepted():
    assert parse_range("Dec 24 2031", NOW.tzinfo, ny(2026, 12, 24)).start.year == 2031
