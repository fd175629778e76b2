"""The pure planner: which posts are due when, keyed so that planning twice yields one row."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from factories import make_policy, ny

from bot.messages import ChannelRef
from bot.models import Closure, ClosureKind, MeetingSlot
from bot.planner import PlanningInput, candidates, plan

POLICY = make_policy()
CHANNELS = [ChannelRef("slack", "T1", "C1"), ChannelRef("discord", "G1", "42")]
CHRISTMAS = Closure(
    start=ny(2026, 12, 24).astimezone(UTC),
    end=ny(2027, 1, 2).astimezone(UTC) + timedelta(days=1),
    reason="the holidays",
    id=1,
    created_at=ny(2026, 12, 4, 10).astimezone(UTC),
)


def state(**fields) -> PlanningInput:
    return PlanningInput(**{"policy": POLICY, "closures": [CHRISTMAS], "channels": CHANNELS, **fields})


def kinds_and_times(items):
    pairs = {(i.key.kind, i.due_at.astimezone(POLICY.zone).replace(tzinfo=None)) for i in items}
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def test_a_closure_twenty_days_ahead_gets_notices_start_and_end():
    items = list(candidates(state(), ny(2026, 12, 1).astimezone(UTC), ny(2027, 1, 10).astimezone(UTC)))
    assert kinds_and_times(items) == [
        ("closure_notice", datetime(2026, 12, 10, 9, 0)),  # 14 days ahead, at the notice time
        ("closure_notice", datetime(2026, 12, 23, 9, 0)),  # 1 day ahead
        ("closure_start", datetime(2026, 12, 24, 9, 0)),  # at the notice time, not at midnight
        ("closure_end", datetime(2027, 1, 4, 9, 0)),  # Jan 3 is a Sunday: back at Monday's opening
    ]
    assert len(items) == 4 * len(CHANNELS)
    assert {i.key.channel for i in items} == set(CHANNELS)
    notice = next(i for i in items if i.key.kind == "closure_notice")
    assert "closed for the holidays, Thursday, Dec 24 through Saturday, Jan 2, 2027, reopening" in notice.text
    assert "reopening Monday, Jan 4, 2027 at 9:00 AM EST" in notice.text
    assert "Jordan Lee" in notice.text and "payroll or legal deadline" in notice.text


def test_a_short_notice_closure_is_announced_at_once_and_keeps_later_notices():
    late = Closure(**{**CHRISTMAS.__dict__, "created_at": ny(2026, 12, 18, 15).astimezone(UTC)})
    items = list(candidates(state(closures=[late]), ny(2026, 12, 1).astimezone(UTC), ny(2026, 12, 24).astimezone(UTC)))
    assert [t for k, t in kinds_and_times(items) if k == "closure_notice"] == [
        datetime(2026, 12, 18, 15, 0),
        datetime(2026, 12, 23, 9, 0),
    ]


def test_an_emergency_closure_is_announced_at_its_start_only():
    now = ny(2026, 11, 24, 11).astimezone(UTC)
    sick = Closure(start=now, end=ny(2026, 11, 25).astimezone(UTC), kind=ClosureKind.EMERGENCY, id=2, created_at=now)
    result = plan(state(closures=[sick]), now)
    assert {i.key.kind for i in result.due} == {"closure_start"} and len(result.due) == len(CHANNELS)
    assert (
        "closed from today for an unexpected absence, reopening Wednesday, Nov 25 at 9:00 AM EST" in result.due[0].text
    )


def test_cancelling_an_announced_closure_sends_a_correction_and_nothing_else():
    cancelled = Closure(**{**CHRISTMAS.__dict__, "cancelled_at": ny(2026, 12, 15, 12).astimezone(UTC)})
    window = (ny(2026, 12, 1).astimezone(UTC), ny(2027, 1, 10).astimezone(UTC))
    told = frozenset({("closure:1", CHANNELS[0])})  # the notice reached the Slack channel, not the Discord one
    announced = list(candidates(state(closures=[cancelled], announced=told), *window))
    assert kinds_and_times(announced) == [("closure_cancelled", datetime(2026, 12, 15, 12, 0))]
    assert "is cancelled" in announced[0].text and announced[0].key.channel == CHANNELS[0]
    assert list(candidates(state(closures=[cancelled]), *window)) == []


def test_planning_twice_yields_identical_keys():
    now = ny(2026, 12, 10, 9, 30).astimezone(UTC)
    first, second = plan(state(), now), plan(state(), now + timedelta(minutes=1))
    assert [i.key for i in first.due] == [i.key for i in second.due] and first.due


def test_meeting_reminders_and_no_meeting_notices():
    slot = MeetingSlot(
        CHANNELS[0], weekday=1, local_time=time(10, 0), skipped_dates=frozenset({ny(2026, 12, 8).date()})
    )
    items = list(candidates(state(slots=[slot]), ny(2026, 11, 30).astimezone(UTC), ny(2026, 12, 30).astimezone(UTC)))
    meetings = [(k, t) for k, t in kinds_and_times(items) if k.startswith("meeting")]
    assert meetings == [
        ("meeting_reminder_1d", datetime(2026, 11, 30, 10, 0)),
        ("meeting_reminder_1h", datetime(2026, 12, 1, 9, 0)),
        ("meeting_cancelled", datetime(2026, 12, 7, 10, 0)),  # Dec 8 was skipped by the owner
        ("meeting_reminder_1d", datetime(2026, 12, 14, 10, 0)),
        ("meeting_reminder_1h", datetime(2026, 12, 15, 9, 0)),
        ("meeting_reminder_1d", datetime(2026, 12, 21, 10, 0)),
        ("meeting_reminder_1h", datetime(2026, 12, 22, 9, 0)),
        ("meeting_cancelled", datetime(2026, 12, 28, 10, 0)),  # Dec 29 falls inside the closure
    ]
    reminder = next(i for i in items if i.key.kind == "meeting_reminder_1d")
    assert "our weekly meeting is Tuesday, Dec 1 at 10:00 AM EST" in reminder.text and "agenda items" in reminder.text
    assert all(i.key.channel == CHANNELS[0] for i in items if i.key.kind.startswith("meeting"))


def test_a_reminder_in_the_repeated_fall_back_hour_has_one_key():
    slot = MeetingSlot(CHANNELS[0], weekday=6, local_time=time(2, 30))  # Sunday Nov 1 2026, 02:30 EST
    policy = make_policy(announcements={"meeting_reminders": ["1h"]})
    first_pass = datetime(2026, 11, 1, 5, 40, tzinfo=UTC)  # 01:40 EDT
    second_pass = datetime(2026, 11, 1, 6, 40, tzinfo=UTC)  # 01:40 EST, the same wall time again
    st = state(policy=policy, slots=[slot], closures=[])
    assert plan(st, first_pass).due == []
    [due] = plan(st, second_pass).due
    assert due.due_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC) and due.key.occurrence == "2026-11-01"


def test_a_slot_in_the_skipped_spring_forward_hour_moves_to_the_next_valid_time():
    slot = MeetingSlot(CHANNELS[0], weekday=6, local_time=time(2, 30))  # Sunday Mar 8 2026: 02:00 -> 03:00
    policy = make_policy(announcements={"meeting_reminders": ["1h"]})
    items = list(
        candidates(
            state(policy=policy, slots=[slot], closures=[]),
            datetime(2026, 3, 8, 0, tzinfo=UTC),
            datetime(2026, 3, 8, 12, tzinfo=UTC),
        )
    )
    [reminder] = items
    assert reminder.expires_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert "Sunday, Mar 8 at 3:00 AM EDT" in reminder.text


def test_stale_posts_are_reported_not_planned():
    slot = MeetingSlot(CHANNELS[0], weekday=2, local_time=time(10, 30))  # Wednesday
    now = ny(2026, 12, 23, 11, 0).astimezone(UTC)
    result = plan(state(slots=[slot]), now)
    assert {i.key.kind for i in result.stale} >= {"meeting_reminder_1h"}
    assert "closure_notice" in {i.key.kind for i in result.due}  # due at 09:00, still meaningful until the closure
