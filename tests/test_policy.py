"""Policy loading: a good file loads, and every bad one is refused with a message naming key, value and fix."""

from __future__ import annotations

import copy
from datetime import date, time

import pytest
from factories import BASE_POLICY, make_policy

from bot.policy_loader import EXAMPLE_POLICY, PolicyError, load_policy, parse_policy


def test_example_policy_loads_and_is_complete():
    policy = load_policy(EXAMPLE_POLICY)
    assert policy.timezone == "America/New_York"
    assert policy.hours.weekly()[0] == [(time(9), time(12)), (time(13), time(17))]
    assert policy.holiday_name(date(2026, 12, 24)) == "Christmas Eve"  # an extra day
    assert policy.holiday_name(date(2026, 11, 26)) == "Thanksgiving Day"
    assert not policy.is_holiday(date(2026, 11, 23))


def problems(data) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(data, "policy.toml")
    return caught.value.problems


def with_change(path: str, value):
    data = copy.deepcopy(BASE_POLICY)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("hours.monday", ["09:00-12:00", "13:00-25:00"], 'hours.monday[1]: "25:00" is not a time; use HH:MM'),
        (
            "hours.tuesday",
            ["nine to five"],
            'hours.tuesday[0]: "nine to five" is not an opening block; use HH:MM-HH:MM',
        ),
        ("timezone", "Mars/Olympus", 'timezone: "Mars/Olympus" is not an IANA time zone'),
        ("turnaround", "3 weeks", 'turnaround: "3 weeks" is not a turnaround'),
        ("contact.email", "not-an-email", 'contact.email: "not-an-email" is not an email address'),
        ("contact.booking_link", "cal.example", 'contact.booking_link: "cal.example" is not a link'),
        ("throttle.redirect", "sometimes", 'throttle.redirect: "sometimes" is not a duration'),
        ("throttle.after_hours", "forever", 'or "window"'),
        ("holidays.country", "XX", 'holidays: "XX" is not a supported country code'),
        ("replies.style", "shout", "replies.style: 'shout' is not valid"),
        (
            "templates.after_hours",
            "Back at {opening_time}",
            "templates.after_hours: unknown placeholder {opening_time}",
        ),
        ("templates.closed", "Closed {", "templates.closed: Single '{' encountered"),
        ("announcements.notice_days", [14, -1], "announcements.notice_days[1]: -1 is not valid"),
        ("hours.munday", ["09:00-17:00"], "hours.munday: unknown key"),
        ("replies.short_break", "lunch", 'replies.short_break: "lunch" is not a duration; use a number with d, h or m'),
        ("replies.short_break", "1d", 'replies.short_break: "1d" is longer than a break; use at most "12h"'),
        ("templates.short_break", "Back {soon}", "templates.short_break: unknown placeholder {soon}"),
    ],
)
def test_bad_values_are_named_with_the_fix(path, value, expected):
    found = problems(with_change(path, value))
    assert any(expected in line for line in found), found


def test_missing_required_keys_are_listed_together():
    data = {k: v for k, v in BASE_POLICY.items() if k not in ("timezone", "contact")}
    found = problems(data)
    assert "timezone: missing; this key is required" in found
    assert "contact: missing; this key is required" in found


def test_all_days_closed_is_refused():
    found = problems(with_change("hours", {day: [] for day in BASE_POLICY["hours"]}))
    assert any("every day is closed" in line for line in found)


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('timezone = "America/New_York"\n[hours\n')
    with pytest.raises(PolicyError, match="is not valid TOML"):
        load_policy(bad)


def test_midnight_crossing_and_split_blocks_parse():
    policy = make_policy(hours={"friday": ["22:00-02:00", "08:00-10:00"], "monday": ["09:00-24:00"]})
    weekly = policy.hours.weekly()
    assert weekly[4] == [(time(22), time(2)), (time(8), time(10))]
    assert weekly[0] == [(time(9), time(0))]
    assert weekly[5] == []
