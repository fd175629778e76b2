"""The [retention] policy section: safe defaults, refusals that name the reason, and what is due at `now`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from factories import make_policy, ny

from bot.models import Closure
from bot.policy_loader import EXAMPLE_POLICY, PolicyError, load_policy
from bot.retention import ClientRef, Retention, cutoffs, off_peak, policy_cutoffs

NOW = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


def test_defaults_are_safe_and_the_example_states_them():
    example = load_policy(EXAMPLE_POLICY).retention
    assert example == Retention()
    assert example.period("event_ids") == timedelta(days=7)
    assert example.period("replies") == timedelta(days=90)
    assert example.period("sent_payloads") == timedelta(0)
    assert example.period("failed_payloads") == timedelta(days=14)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("event_ids", "30m", 'use at least "1h"'),
        ("replies", "7d", "digest lists the replies of up to 7 days"),
        ("failed_payloads", "2d", 'use at least "8d"'),
        ("replies", "4000d", "more than ten years"),
        ("event_ids", "soon", "is not a duration"),
    ],
)
def test_too_short_or_long_periods_are_refused_with_the_reason(key, value, expected):
    with pytest.raises(PolicyError) as caught:
        make_policy(retention={key: value})
    assert any(f"retention.{key}" in problem and expected in problem for problem in caught.value.problems)


def test_cutoffs_are_now_minus_each_period():
    due = cutoffs(Retention(), NOW)
    assert due.event_ids == NOW - timedelta(days=7)
    assert due.replies == NOW - timedelta(days=90)
    assert due.sent_payloads == NOW
    assert due.failed_payloads == NOW - timedelta(days=14)
    assert due.batch == 500


def test_the_reply_log_outlives_the_longest_throttle_and_what_a_decision_still_reads():
    assert cutoffs(Retention(), NOW, throttles=[timedelta(days=200)]).replies == NOW - timedelta(days=200)
    started = NOW - timedelta(days=120)
    assert cutoffs(Retention(), NOW, keep_from=[started]).replies == started


def test_policy_cutoffs_keep_the_replies_of_a_long_closure_in_force():
    policy = make_policy(retention={"replies": "10d"})
    now = ny(2026, 3, 10, 12)
    closure = Closure(start=now - timedelta(days=40), end=now + timedelta(days=5), id=1)
    assert policy_cutoffs(policy, [closure], now).replies == closure.start
    cancelled = Closure(start=closure.start, end=closure.end, id=2, cancelled_at=now)
    assert policy_cutoffs(policy, [cancelled], now).replies == now - timedelta(days=10)


def test_off_peak_is_when_the_business_is_closed():
    policy = make_policy()
    assert off_peak(policy, [], ny(2026, 3, 10, 22))
    assert not off_peak(policy, [], ny(2026, 3, 10, 10))


def test_client_refs():
    assert ClientRef.parse("U1") == ClientRef("U1")
    assert ClientRef.parse("slack:T1:U1") == ClientRef("U1", "slack", "T1")
    assert ClientRef("U1").matches("discord", "G9", "U1")
    assert not ClientRef("U1", "slack", "T1").matches("slack", "T2", "U1")
    with pytest.raises(ValueError, match="platform:workspace:user"):
        ClientRef.parse("slack:U1")
