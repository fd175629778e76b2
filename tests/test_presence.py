"""What the presence says at an instant (bot/presence.py): plain unit tests with a fixed `now`."""

from __future__ import annotations

from datetime import UTC, timedelta

from factories import make_policy, ny

from bot.models import Closure
from bot.presence import Applied, Presence, closed_until, due, is_closed_status, presence_at

POLICY = make_policy()
VACATION = Closure(start=ny(2026, 12, 24), end=ny(2027, 1, 4), reason="Vacation", id=1)


def test_open_says_the_turnaround_and_closed_says_until_when() -> None:
    assert presence_at(POLICY, [VACATION], ny(2026, 12, 23, 23, 59)) == Presence("Open · answers within 1 business day")
    four_hours = make_policy(turnaround="4 business hours")
    assert presence_at(four_hours, [], ny(2026, 12, 1)).text == "Open · answers within 4 business hours"
    closed = presence_at(POLICY, [VACATION], ny(2026, 12, 24))
    assert closed == Presence("Closed until Mon, Jan 4, 2027", ny(2027, 1, 4)) and closed.closed
    assert presence_at(POLICY, [VACATION], ny(2027, 1, 2, 12)).text == "Closed until Mon, Jan 4"  # same year now
    assert not presence_at(POLICY, [VACATION], ny(2027, 1, 4)).closed  # the end is exclusive


def test_a_closure_ending_during_a_day_names_the_time_in_the_owners_zone() -> None:
    dentist = Closure(start=ny(2026, 12, 3, 9), end=ny(2026, 12, 3, 13, 30), reason="dentist")
    shown = presence_at(POLICY, [dentist], ny(2026, 12, 3, 10).astimezone(UTC))
    assert shown.text == "Closed until Thu, Dec 3, 1:30 PM EST" and shown.closed_until == ny(2026, 12, 3, 13, 30)


def test_back_to_back_and_overlapping_closures_read_as_one_and_cancelled_ones_not_at_all() -> None:
    sick = Closure(start=ny(2026, 12, 21), end=ny(2026, 12, 24), reason="sick")
    later = Closure(start=ny(2027, 1, 3), end=ny(2027, 1, 6), reason="travel")  # overlaps the vacation's end
    apart = Closure(start=ny(2027, 1, 7), end=ny(2027, 1, 9), reason="apart")  # a day open between
    assert closed_until([apart, later, VACATION, sick], ny(2026, 12, 22)) == ny(2027, 1, 6)
    cancelled = Closure(start=ny(2026, 12, 1), end=ny(2026, 12, 10), cancelled_at=ny(2026, 11, 30))
    assert closed_until([cancelled], ny(2026, 12, 2)) is None
    assert closed_until([sick], ny(2026, 12, 20)) is None  # not yet


def test_it_is_shown_again_when_it_changes_and_every_half_day_while_closed() -> None:
    now = ny(2026, 12, 24, 8)
    open_, closed = Presence("Open · answers within 1 business day"), presence_at(POLICY, [VACATION], now)
    assert due(open_, None, now)  # a start shows it once
    assert not due(open_, Applied(open_, now - timedelta(days=30)), now)  # open stays as it is
    assert due(closed, Applied(open_, now), now)  # a closure began
    assert not due(closed, Applied(closed, now - timedelta(hours=11, minutes=59)), now)
    assert due(closed, Applied(closed, now - timedelta(hours=12)), now)  # the snooze is renewed
    moved = Presence("Closed until Wed, Jan 6, 2027", ny(2027, 1, 6))
    assert due(moved, Applied(closed, now), now) and due(open_, Applied(closed, now), now)


def test_the_snooze_lasts_to_the_end_a_day_at_a_time() -> None:
    closed = presence_at(POLICY, [VACATION], ny(2026, 12, 24))
    assert closed.snooze_minutes(ny(2026, 12, 24)) == 24 * 60
    assert closed.snooze_minutes(ny(2027, 1, 3, 23, 58, 30)) == 2  # rounded up, never ending early
    assert Presence("Open").snooze_minutes(ny(2026, 12, 24)) == 0


def test_only_the_bots_own_status_counts_as_its_own() -> None:
    assert is_closed_status("Closed until Mon, Jan 4", ":palm_tree:")
    assert not is_closed_status("Closed until Mon, Jan 4", ":sunny:")  # the owner's own, worded alike
    assert not is_closed_status("In a meeting", ":palm_tree:")
