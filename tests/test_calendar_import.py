"""The business calendar in: the owner's time-off events become closures, moved and cancelled with the calendar."""

from __future__ import annotations

import logging
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiohttp import web
from cli_process import cli_env, run_cli
from factories import make_policy, ny
from loopback_http import served

from adapters.calendar_import import CalendarSync, apply, describe, plan_from, read_calendar
from adapters.ical_read import read_entries
from bot.calendar_import import CalendarEntry, ImportRule
from bot.models import Closure

ROOT = Path(__file__).resolve().parents[1]
CALENDARS = ROOT / "tests" / "data" / "calendars"
OWNER = str(CALENDARS / "owner.ics")
FLOOD = str(CALENDARS / "flood.ics")
NOW = ny(2026, 12, 1, 9, 0)


async def test_all_day_and_multi_day_time_off_becomes_closures(database) -> None:
    plan = await plan_from(OWNER, database.store(), make_policy(), NOW)
    made = {c.calendar_uid: (c.start, c.end, c.reason) for c in plan.create}
    assert made == {
        "vacation-1@example.com": (ny(2026, 12, 24, 0, 0), ny(2027, 1, 4, 0, 0), "Vacation 🌴"),
        "ooo-1@example.com": (
            datetime(2026, 12, 6, 23, 0, tzinfo=UTC),  # midnight in Berlin, as the event says
            datetime(2026, 12, 8, 23, 0, tzinfo=UTC),
            "OOO - conference",
        ),
        "friday-off@example.com#2026-12-04": (ny(2026, 12, 4, 0, 0), ny(2026, 12, 5, 0, 0), "Holiday (Friday off)"),
        "friday-off@example.com#2026-12-11": (ny(2026, 12, 11, 0, 0), ny(2026, 12, 12, 0, 0), "Holiday (Friday off)"),
    }  # not the timed dentist hour, the team lunch, nor the trip already over
    assert plan.change == [] and plan.cancel == []


async def test_the_policy_rule_decides_what_counts(database) -> None:
    rule = {"words": ["dentist", "lunch"], "whole_days_only": False}
    plan = await plan_from(OWNER, database.store(), make_policy(calendar_import=rule), NOW)
    assert sorted(c.calendar_uid for c in plan.create) == ["dentist-1@example.com", "lunch-1@example.com"]


def test_words_match_whole_words_in_any_case_and_long_titles_stay_linear() -> None:
    rule = ImportRule()
    day = CalendarEntry("u", "", date(2026, 12, 1), date(2026, 12, 2))
    assert rule.matches(CalendarEntry("u", "ooo: Paris", day.start, day.end))
    assert not rule.matches(CalendarEntry("u", "Choose closedness", day.start, day.end))
    assert not rule.matches(CalendarEntry("u", "vacations" * 4_500, day.start, day.end))


async def test_moved_and_deleted_events_change_and_cancel_only_imported_closures(database, tmp_path) -> None:
    store = database.store()
    own = await store.add_closure(Closure(start=ny(2027, 2, 1, 0, 0), end=ny(2027, 2, 2, 0, 0), reason="mine"))
    await apply(await plan_from(OWNER, store, make_policy(), NOW), store, NOW)
    moved = tmp_path / "moved.ics"
    text = (CALENDARS / "owner.ics").read_text(encoding="utf-8")
    moved.write_text(text.replace("DTEND;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270106").replace("OOO -", "Talk -"))

    plan = await plan_from(str(moved), store, make_policy(), NOW)
    assert plan.create == []
    assert [(old.end, new.end) for old, new in plan.change] == [(ny(2027, 1, 4, 0, 0), ny(2027, 1, 6, 0, 0))]
    assert [c.calendar_uid for c in plan.cancel] == ["ooo-1@example.com"]
    await apply(plan, store, NOW)
    [(was, _)] = plan.change
    [moved_closure] = [c for c in await store.list_closures(ending_after=NOW) if c.calendar_uid == was.calendar_uid]
    assert moved_closure.replaces == was.id  # changed, so told channels get one update rather than a correction

    left = {c.calendar_uid: c.end for c in await store.list_closures(ending_after=NOW)}
    assert left[None] == own.end and left["vacation-1@example.com"] == ny(2027, 1, 6, 0, 0)
    assert "ooo-1@example.com" not in left
    assert (await plan_from(str(moved), store, make_policy(), NOW)).empty


async def test_a_calendar_is_read_from_a_loopback_url_and_bad_ones_are_refused(tmp_path) -> None:
    async def calendar(request: web.Request) -> web.StreamResponse:
        if request.query.get("key") != "private":
            return web.Response(status=404)
        return web.Response(body=(CALENDARS / "owner.ics").read_bytes(), content_type="text/calendar")

    app = web.Application()
    app.add_routes([web.get("/basic.ics", calendar)])
    async with served(app) as base:
        body = await read_calendar(base + "/basic.ics?key=private")
        with pytest.raises(ValueError, match="answered HTTP 404, expected 200") as refused:
            await read_calendar(base + "/basic.ics?key=guess")
    assert "guess" not in str(refused.value)
    assert len(read_entries(body, NOW, ny(2027, 2, 1, 0, 0)).entries) == 6
    with pytest.raises(ValueError, match="not an iCalendar file"):
        read_entries(b"hello", NOW, NOW)
    with pytest.raises(ValueError, match="cannot read the calendar file"):
        await read_calendar(str(tmp_path / "missing.ics"))


def test_the_dry_run_shows_the_vacation_with_its_dates_and_changes_nothing(tmp_path) -> None:
    year = datetime.now(UTC).year + 1
    source = tmp_path / "owner.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:v@example.com\r\n"
        f"DTSTAMP:20261101T120000Z\r\nDTSTART;VALUE=DATE:{year}0810\r\nDTEND;VALUE=DATE:{year}0815\r\n"
        "SUMMARY:Vacation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("calendar", "import", *args, cwd=tmp_path, env=cli_env(tmp_path))

    shown = run(str(source), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Create: closed ") and "Aug 10" in shown.stdout and "Aug 14" in shown.stdout
    assert "Vacation" in shown.stdout and "dry run" in shown.stdout
    assert run(str(source), "--dry-run").stdout == shown.stdout  # nothing was stored
    assert run(str(source)).returncode == 0
    assert run(str(source), "--dry-run").stdout.startswith("Nothing to change")
    missing = run(str(tmp_path / "nope.ics"), "--dry-run")
    assert missing.returncode == 2 and "cannot read the calendar file" in missing.stderr


async def test_an_all_day_event_repeating_every_minute_is_skipped_with_a_reason_and_the_rest_imported(
    database,
) -> None:
    store = database.store()
    kept = await store.add_closure(
        Closure(
            start=ny(2026, 12, 2, 0, 0),
            end=ny(2026, 12, 3, 0, 0),
            reason="Closed",
            calendar_uid="every-minute@example.com#2026-12-02",
        )
    )
    plan = await plan_from(FLOOD, store, make_policy(), NOW)  # returns at all: nothing expanded a year of minutes
    assert sorted(c.calendar_uid for c in plan.create) == [
        "friday-off@example.com#2026-12-04",
        "friday-off@example.com#2026-12-11",
        "vacation-1@example.com",
    ]
    assert plan.cancel == [] and plan.change == []  # the runaway event's closure is left as it is, not cancelled
    reasons = {event.uid: event.reason for event in plan.skipped}
    assert set(reasons) == {"every-minute@example.com", "hourly-off@example.com"}  # not the standup: no time off
    assert reasons["every-minute@example.com"] == (
        "repeats more than 1000 times between Nov 30, 2026 and Dec 2, 2027 (RRULE:FREQ=MINUTELY)"
    )
    assert reasons["hourly-off@example.com"].startswith("repeats more than 1000 times")
    shown = describe(plan, make_policy(), NOW).splitlines()
    assert shown[-2:] == [
        'Skipped: "Closed (a slip of the mouse)" (every-minute@example.com) repeats more than 1000 times between'
        " Nov 30, 2026 and Dec 2, 2027 (RRULE:FREQ=MINUTELY); it was not imported",
        f'Skipped: "Out of office" (hourly-off@example.com) {reasons["hourly-off@example.com"]}; it was not imported',
    ]
    await apply(plan, store, NOW)
    left = {c.id for c in await store.list_closures(ending_after=NOW) if c.cancelled_at is None}
    assert kept.id in left


def test_reading_stops_at_its_time_budget_and_names_the_events_left_unread() -> None:
    ticks = iter(range(100))  # a clock one second further at every look: the deadline is 2.5, the third look is late
    body = CALENDARS.joinpath("owner.ics").read_bytes()
    read = read_entries(body, NOW, ny(2027, 2, 1, 0, 0), budget=2.5, clock=lambda: float(next(ticks)))
    assert [entry.uid for entry in read.entries] == ["ooo-1@example.com", "vacation-1@example.com"]
    assert [event.uid for event in read.skipped] == [
        "dentist-1@example.com",
        "lunch-1@example.com",
        "friday-off@example.com",
        "old-trip@example.com",
    ]
    assert {event.reason for event in read.skipped} == {
        "was not read: reading the calendar took longer than 2.5 seconds"
    }
    assert len(read_entries(body, NOW, ny(2027, 2, 1, 0, 0)).entries) == 6


async def test_the_scheduled_import_logs_what_it_skipped_and_imports_the_rest(database, caplog) -> None:
    store = database.store()
    sync = CalendarSync(FLOOD, store, make_policy(), lambda: NOW)
    with caplog.at_level(logging.WARNING, logger="adapters.calendar_import"):
        plan = await sync.run_once()
    assert plan is not None and len(plan.create) == 3
    assert "calendar import: skipped event every-minute@example.com: repeats more than 1000 times" in caplog.text


def test_a_rule_with_more_extra_dates_than_the_bound_is_skipped_too() -> None:
    dates = ",".join(f"2027{month:02d}{day:02d}" for month in range(1, 13) for day in range(1, 29))
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:r@example.com\r\n"
        "DTSTAMP:20261101T120000Z\r\nDTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n"
        + "".join(f"RDATE;VALUE=DATE:{dates}\r\n" for _ in range(3))
        + "SUMMARY:Vacation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    read = read_entries(body, NOW, ny(2027, 12, 1, 0, 0))
    assert read.entries == []
    assert [(e.uid, e.reason) for e in read.skipped] == [("r@example.com", "has more than 1000 extra dates (RDATE)")]


def test_floating_times_are_read_in_the_calendars_x_wr_timezone_beside_a_skipped_event() -> None:
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
        b"BEGIN:VEVENT\r\nUID:a@example.com\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:20261207T000000\r\n"
        b"DTEND:20261209T000000\r\nSUMMARY:OOO\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b@example.com\r\nDTSTAMP:20261101T120000Z\r\nDTSTART;VALUE=DATE:20261201\r\n"
        b"RRULE:FREQ=MINUTELY\r\nSUMMARY:OOO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    read = read_entries(body, NOW, ny(2027, 12, 1, 0, 0))
    [entry] = read.entries
    assert entry.start == datetime(2026, 12, 6, 23, 0, tzinfo=UTC) and entry.end == datetime(
        2026, 12, 8, 23, 0, tzinfo=UTC
    )
    assert [event.uid for event in read.skipped] == ["b@example.com"]
