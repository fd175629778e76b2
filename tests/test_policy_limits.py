"""Policy values that pass the shape checks but would crash, hang or overflow a platform are refused at load."""

from __future__ import annotations

import pytest
from factories import BASE_POLICY
from test_policy import problems, with_change

from bot.durations import parse_duration
from bot.policy_loader import parse_policy
from bot.templates import MAX_REPLY


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("turnaround", "99999999 business days", 'turnaround: "99999999 business days" is not a turnaround'),
        ("turnaround", "61 business days", "turnaround: a turnaround of 61 business days is too long"),
        ("turnaround", "481 business hours", "at most 480 business hours or 60 business days"),
        ("throttle.redirect", "99999999999d", 'throttle.redirect: "99999999999d" is longer than any duration'),
        ("throttle.redirect", "367d", 'throttle.redirect: "367d" is more than a year'),
        ("throttle.closed", "400d", 'is more than a year; use at most "366d" or "closure"'),
        ("announcements.meeting_reminders", ["8d"], 'meeting_reminders[0]: "8d" is more than a week'),
        (
            "announcements.notice_days",
            list(range(1, 94)),
            "announcements.notice_days: has 93 entries; at most 10 are allowed",
        ),
        (
            "templates.after_hours",
            "Hi {client:>100000000}",
            "{client:>100000000} has a format; write the placeholder alone",
        ),
        ("templates.closed", "Hi {client:d}", "{client:d} has a format"),
        ("templates.urgent", "Call {backup!r}", "{backup!r} has a format"),
        (
            "templates.redirect_call",
            "x" * 50_000,
            "templates.redirect_call: is 50,000 characters; keep a template under 1,000",
        ),
        ("business_name", "B" * 101, "business_name: has 101 characters; at most 100 are allowed"),
        ("emergency.definition", "d" * 501, "emergency.definition: has 501 characters; at most 500 are allowed"),
    ],
)
def test_values_past_a_limit_are_named_with_the_limit(path, value, expected):
    found = problems(with_change(path, value))
    assert any(expected in line for line in found), found


def test_templates_that_each_fit_but_render_too_long_a_reply_are_refused():
    # 960 characters, but each {closure_reason} can become 200: rendered, 12,000, with the other parts 13,022
    found = problems(with_change("templates.closed", "{closure_reason}" * 60))
    assert any(
        "templates: with the longest names, times and reasons a reply can reach 13,022 characters" in line
        and "within 4,000" in line
        for line in found
    ), found


def test_the_longest_reply_the_example_policy_can_make_fits_with_room_to_spare():
    policy = parse_policy(BASE_POLICY)
    fixed = {"business": policy.business_name, "email": policy.contact.email}
    assert policy.templates.longest_reply(fixed) < MAX_REPLY / 2


def test_durations_too_large_to_count_are_a_value_error_not_an_overflow():
    with pytest.raises(ValueError, match="longer than any duration"):
        parse_duration("9" * 30 + "d")
