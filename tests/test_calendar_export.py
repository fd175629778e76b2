"""The business calendar out: the iCalendar feed parsed back with icalendar, and `boundary-bot calendar export`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from cli_process import cli_env, run_cli
from factories import make_policy, ny
from icalendar import Calendar

from adapters.calendar_feeds import feed
from bot.messages import ChannelRef
from bot.models import Closure, MeetingSlot

NOW = ny(2026, 12, 1, 9, 0)
CHANNEL = ChannelRef("slack", "T1", "C1")


def closure(start: datetime, end: datetime, reason: str = "") -> Closure:
    return Closure(start=start.astimezone(UTC), end=end.astimezone(UTC), reason=reason)


def events(body: bytes) -> dict[str, object]:
    return {str(event["UID"]): event for event in Calendar.from_ical(body).walk("VEVENT")}


async def test_closures_and_days_off_come_out_all_day_or_timed_in_the_owners_zone(database) -> None:
    store = database.store()
    holidays = await store.add_closure(closure(ny(2026, 12, 24, 0, 0), ny(2027, 1, 2, 0, 0), "the holidays"))
    dentist = await store.add_closure(closure(ny(2026, 12, 4, 13, 0), ny(2026, 12, 4, 17, 0), "dentist"))
    gone = await store.add_closure(closure(ny(2026, 12, 10, 0, 0), ny(2026, 12, 11, 0, 0), "offsite"))
    await store.cancel_closure(gone.id, NOW)
    await store.add_closure(closure(ny(2026, 11, 20, 0, 0), ny(2026, 11, 21, 0, 0), "past"))

    body = await feed(store, make_policy(), NOW, days=60)
    found = events(body)

    whole = found[f"closure-{holidays.id}@boundary-bot"]
    assert whole["SUMMARY"] == "Closed: the holidays"
    assert whole.decoded("DTSTART") == date(2026, 12, 24) and whole.decoded("DTEND") == date(2027, 1, 2)
    timed = found[f"closure-{dentist.id}@boundary-bot"]
    assert timed.decoded("DTSTART") == ny(2026, 12, 4, 13, 0)
    assert timed["DTSTART"].params["TZID"] == "America/New_York"
    assert timed.decoded("DTEND").astimezone(UTC) == datetime(2026, 12, 4, 22, 0, tzinfo=UTC)
    assert found["day-off-2026-12-25@boundary-bot"]["SUMMARY"] == "Closed: Christmas Day"
    assert found["day-off-2027-01-01@boundary-bot"].decoded("DTSTART") == date(2027, 1, 1)
    assert not any("offsite" in str(e["SUMMARY"]) or "past" in str(e["SUMMARY"]) for e in found.values())
    assert [str(z["TZID"]) for z in Calendar.from_ical(body).walk("VTIMEZONE")] == ["America/New_York"]


async def test_own_days_off_from_the_policy_are_in_the_feed() -> None:
    policy = make_policy(holidays={"extra": [{"date": date(2026, 12, 7), "name": "Team retreat"}]})
    found = events(await feed(None, policy, NOW, days=30))
    assert found["day-off-2026-12-07@boundary-bot"]["SUMMARY"] == "Closed: Team retreat"
    assert len(found) == 1


async def test_a_channel_feed_adds_its_weekly_meeting_without_skipped_or_closed_weeks(database) -> None:
    store = database.store()
    await store.set_meeting_slot(MeetingSlot(CHANNEL, weekday=1, local_time=time(10, 0), duration_minutes=45))
    await store.skip_meeting(CHANNEL, date(2026, 12, 8))
    await store.add_closure(closure(ny(2026, 12, 21, 0, 0), ny(2027, 1, 2, 0, 0), "the holidays"))

    business = events(await feed(store, make_policy(), NOW, days=70))
    assert not any(uid.startswith("meeting-") for uid in business)
    body = await feed(store, make_policy(), NOW, channel=CHANNEL, days=70)
    meeting = events(body)["meeting-slack-T1-C1@boundary-bot"]
    assert meeting.decoded("DTSTART") == ny(2026, 12, 1, 10, 0)
    assert meeting["DTSTART"].params["TZID"] == "America/New_York"

    starts = [
        e.decoded("DTSTART")
        for e in recurring_ical_events.of(Calendar.from_ical(body)).between(NOW, NOW + timedelta(days=49))
        if str(e["UID"]).startswith("meeting-")
    ]
    assert sorted(starts) == [
        ny(2026, 12, 1, 10, 0),
        ny(2026, 12, 15, 10, 0),
        ny(2027, 1, 5, 10, 0),
        ny(2027, 1, 12, 10, 0),
    ]
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(minutes=45) for e in [meeting])


async def test_a_meeting_across_the_spring_change_keeps_its_local_time(database) -> None:
    store = database.store()
    await store.set_meeting_slot(MeetingSlot(CHANNEL, weekday=0, local_time=time(9, 0)))
    now = ny(2027, 3, 1, 12, 0)
    body = await feed(store, make_policy(), now, channel=CHANNEL, days=21)
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(now, now + timedelta(days=21))
    starts = sorted(e.decoded("DTSTART") for e in found if str(e["UID"]).startswith("meeting-"))
    assert [s.astimezone(ZoneInfo("America/New_York")).hour for s in starts] == [9, 9, 9]
    assert [s.astimezone(UTC).hour for s in starts] == [14, 13, 13]


async def test_opening_hours_repeat_weekly_except_on_holidays() -> None:
    body = await feed(None, make_policy(), NOW, hours=True, days=35)
    monday_morning = events(body)["hours-monday-1@boundary-bot"]
    assert monday_morning["RRULE"]["FREQ"] == ["WEEKLY"] and monday_morning["TRANSP"] == "TRANSPARENT"
    fridays = [
        e.decoded("DTSTART")
        for e in recurring_ical_events.of(Calendar.from_ical(body)).between(NOW, NOW + timedelta(days=35))
        if e["UID"] == "hours-friday-1@boundary-bot"
    ]
    assert sorted(fridays) == [
        ny(2026, 12, 4, 9, 0),
        ny(2026, 12, 11, 9, 0),
        ny(2026, 12, 18, 9, 0),
    ]  # not Christmas, New Year


async def test_no_days_is_refused() -> None:
    with pytest.raises(ValueError, match="days must be at least 1"):
        await feed(None, make_policy(), NOW, days=0)


def test_a_closure_set_in_the_console_appears_in_calendar_export(tmp_path) -> None:
    def run(*args: str, stdin: str | None = None, code: int = 0) -> str:
        done = run_cli(*args, cwd=tmp_path, env=cli_env(tmp_path), stdin=stdin)
        assert done.returncode == code, done.stderr
        return done.stdout if code == 0 else done.stderr

    assert Calendar.from_ical(run("calendar", "export")).walk("VEVENT") is not None
    assert not (tmp_path / "bot.db").exists()
    year = datetime.now(UTC).year + 1
    run("run", "--at", f"{year}-03-01 10:00", stdin=f"/as owner\n/closure add Mar 10 {year} reason: the offsite\n")
    exported = Calendar.from_ical(run("calendar", "export", "--channel", "console:local:client-demo"))
    offsite = [e for e in exported.walk("VEVENT") if e["SUMMARY"] == "Closed: the offsite"]
    assert [e.decoded("DTSTART") for e in offsite] == [date(year, 3, 10)]
    assert "is not a channel" in run("calendar", "export", "--channel", "C1", code=2)
    assert "is not a number of days" in run("calendar", "export", "--days", "0", code=2)
