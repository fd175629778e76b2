"""Owner and client commands: parsing natural dates, authorization, clear errors, nothing stored on error."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest
from factories import make_policy, ny
from memory_store import MemoryStore

from bot.commands import Invocation, run_command
from bot.commands import types as c
from bot.commands.parse import CommandError, parse_command
from bot.commands.types import Context
from bot.messages import ChannelRef
from bot.models import ChannelMode, ClosureKind, MeetingSlot
from bot.roles import Roles

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
NOW = ny(2026, 11, 22, 10, 0)  # Sunday
OWNER = Invocation("slack", "T1", "C1", "U_OWNER")
CLIENT = Invocation("slack", "T1", "C1", "U_CLIENT")


async def run(text, who=OWNER, store=None, now=NOW):
    store = store if store is not None else MemoryStore()
    result = await run_command(text, Context(who, store=store, policy=POLICY, roles=ROLES, now=now))
    return result, store


def utc(*args):
    return ny(*args).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("closure add Dec 24 to Jan 2", ny(2026, 12, 24), ny(2027, 1, 3)),
        ("closure add tomorrow", ny(2026, 11, 23), ny(2026, 11, 24)),
        ("closure add next friday 13:00 to 17:00", ny(2026, 11, 27, 13), ny(2026, 11, 27, 17)),
        ("closure add 2026-12-24 - 2026-12-26", ny(2026, 12, 24), ny(2026, 12, 27)),
        ("closure add Dec 31 9am until Jan 1 noon", ny(2026, 12, 31, 9), ny(2027, 1, 1, 12)),
    ],
)
def test_closure_dates_are_read_in_the_owners_zone(text, start, end):
    command = parse_command(text, POLICY.zone, NOW)
    assert isinstance(command, c.AddClosure)
    assert (command.start, command.end) == (start.astimezone(UTC), end.astimezone(UTC))


def test_closure_options_are_parsed():
    command = parse_command(
        "closure add Dec 24 to Jan 2 reason: the holidays backup: Jordan, 555-0100 notice: 1,14", POLICY.zone, NOW
    )
    assert command.reason == "the holidays" and command.backup == "Jordan, 555-0100" and command.notice_days == (14, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("closure add", "closure add needs dates"),
        ("closure add whenever I feel like it", "is not a date I understand"),
        ("closure add Jan 2 to Dec 24 2026", "ends before it starts"),
        ("closure add next friday 13:00", "has a start time but no end"),
        ("closure add Dec 24 reason:", "reason: is empty"),
        ("closure add Dec 24 notice: soon", "is not a list of days"),
        ("closure add Dec 24 reason: a reason: b", "reason: is given twice"),
        ("closure cancel abc", "is not a closure number"),
        ("closure now", "closure now needs an end"),
        ("closure reopen", '"closure reopen" is not a command'),
        ("meeting set funday 10:00", '"funday" is not a weekday'),
        ("meeting set tuesday 25:00", '"25:00" is not a time of day'),
        ("meeting set tuesday", "needs a weekday and a time"),
        ("meeting set tuesday 10:00 9000m", "is not a meeting length"),
        ("timezone set Mars/Base", "is not an IANA time zone"),
        ("frobnicate", '"frobnicate" is not a command'),
    ],
)
def test_bad_command_text_says_what_was_expected(text, expected):
    with pytest.raises(CommandError, match=expected):
        parse_command(text, POLICY.zone, NOW)


async def test_owner_adds_lists_and_cancels_a_closure():
    result, store = await run("closure add Dec 24 to Jan 2 reason: the holidays backup: Jordan")
    assert result.ok and "Saved closure #1" in result.text
    assert "through Saturday, Jan 2, 2027, reopening Monday, Jan 4, 2027 at 9:00 AM EST" in result.text
    [closure] = await store.list_closures(ending_after=NOW)
    assert closure.reason == "the holidays" and closure.backup == "Jordan" and closure.kind is ClosureKind.PLANNED
    listed, _ = await run("closure list", store=store)
    assert listed.text.startswith(
        "#1 closed Thursday, Dec 24 through Saturday, Jan 2, 2027, reopening Monday, Jan 4, 2027"
    )
    cancelled, _ = await run("closure cancel #1", store=store)
    assert cancelled.ok and "Cancelled closure #1" in cancelled.text
    assert await store.list_closures(ending_after=NOW) == []


async def test_short_notice_is_flagged_to_the_owner():
    result, _ = await run("closure add next friday")
    assert "less than the 14 days' notice" in result.text


async def test_overlapping_closure_is_refused_and_not_stored():
    _, store = await run("closure add Dec 24 to Jan 2")
    result, _ = await run("closure add Dec 31 to Jan 5", store=store)
    assert not result.ok and "overlaps closure #1" in result.text
    assert len(await store.list_closures(ending_after=NOW)) == 1


async def test_close_now_is_an_emergency_closure_starting_now():
    result, store = await run("closure now until tomorrow reason: sick day")
    assert result.ok
    [closure] = await store.list_closures(ending_after=NOW)
    assert closure.kind is ClosureKind.EMERGENCY
    # "until tomorrow" means back tomorrow (at its opening), not closed through tomorrow
    assert closure.start == NOW.astimezone(UTC) and closure.end == utc(2026, 11, 23)


@pytest.mark.parametrize(
    "text",
    [
        "closure add Dec 24 to Jan 2",
        "closure now until tomorrow",
        "closure list",
        "closure cancel 1",
        "meeting set tuesday 10:00",
        "meeting list",
        "meeting skip",
        "meeting clear",
        "channel internal",
        "channel client",
        "boundaries preview can you call me?",
    ],
)
async def test_non_owner_is_refused_and_nothing_changes(text):
    store = MemoryStore()
    await store.set_meeting_slot(MeetingSlot(OWNER.channel, 1, time(10)))
    before = (
        await store.list_closures(ending_after=NOW),
        await store.list_meeting_slots(),
        await store.get_channel_mode(OWNER.channel),
    )
    result, _ = await run(text, who=CLIENT, store=store)
    assert not result.ok and "Only the business owner" in result.text
    after = (
        await store.list_closures(ending_after=NOW),
        await store.list_meeting_slots(),
        await store.get_channel_mode(OWNER.channel),
    )
    assert after == before


async def test_bad_input_from_the_owner_changes_nothing():
    result, store = await run("closure add Jan 2 to Dec 24 2026")
    assert not result.ok and result.text.startswith("Sorry, I couldn't do that:")
    assert await store.list_closures(ending_after=NOW - timedelta(days=400)) == []


async def test_meeting_slot_set_skip_and_clear():
    result, store = await run("meeting set tue 2pm 45m")
    assert result.ok and "Tuesdays at 14:00 (America/New_York) for 45 minutes" in result.text
    assert "Next: Tuesday, Nov 24 at 2:00 PM EST" in result.text
    skipped, _ = await run("meeting skip", store=store)
    assert "Skipped the meeting on Tuesday, Nov 24" in skipped.text
    slot = await store.get_meeting_slot(ChannelRef("slack", "T1", "C1"))
    assert slot.skipped_dates == frozenset({date(2026, 11, 24)}) and slot.duration_minutes == 45
    wrong, _ = await run("meeting skip dec 2", store=store)
    assert not wrong.ok and "is not a Tuesday" in wrong.text
    at_its_start, _ = await run("meeting skip", store=store, now=ny(2026, 12, 1, 14))
    assert "Skipped the meeting on Tuesday, Dec 8" in at_its_start.text  # Dec 1's is under way: the next one goes
    cleared, _ = await run("meeting clear", store=store)
    assert cleared.ok and await store.list_meeting_slots() == []
    again, _ = await run("meeting clear", store=store)
    assert not again.ok and "no weekly meeting" in again.text


async def test_channel_marks_and_timezone():
    result, store = await run("channel internal")
    assert result.ok and await store.get_channel_mode(OWNER.channel) is ChannelMode.INTERNAL
    result, _ = await run("timezone set Europe/London", who=CLIENT, store=store)
    assert result.ok and await store.get_client_timezone("slack", "T1", "U_CLIENT") == "Europe/London"


async def test_anyone_sees_hours_in_their_own_zone():
    store = MemoryStore()
    await run("closure add Dec 24 to Jan 2 reason: the holidays", store=store)
    await store.set_client_timezone("slack", "T1", "U_CLIENT", "Europe/London")
    result, _ = await run("hours", who=CLIENT, store=store)
    assert result.ok
    assert "Monday: 09:00-12:00, 13:00-17:00" in result.text and "Saturday: closed" in result.text
    assert "Next opening: tomorrow (Monday, Nov 23) at 2:00 PM GMT (your time)" in result.text
    assert (
        "closed from Thursday, Dec 24 at 5:00 AM GMT until Sunday, Jan 3, 2027 at 5:00 AM GMT, "
        "reopening Monday, Jan 4, 2027 at 2:00 PM GMT (your time) — the holidays"
    ) in result.text
    assert "Turnaround: 1 business day" in result.text


async def test_preview_shows_the_reply_without_storing_anything():
    result, store = await run("boundaries preview at monday 21:00 | can you call me?")
    assert result.ok and "(after_hours, redirect_call)" in result.text
    assert "Calls happen at our weekly meeting" in result.text
    assert await store.recent_replies(OWNER.channel, "preview-client", NOW - timedelta(days=1)) == []


async def test_bare_commands_show_help():
    result, _ = await run("closure", who=CLIENT)
    assert result.ok and "closure add DATES" in result.text
    result, _ = await run("help")
    assert "meeting set WEEKDAY TIME" in result.text and "timezone set ZONE" in result.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timezone set", 'timezone set needs a time zone; name one like "timezone set Europe/London"'),
        ("closure cancel", "closure cancel needs the closure's number; use the # shown by /closure list"),
        ("closure cancel x", '"x" is not a closure number'),
    ],
)
async def test_a_missing_argument_is_named_with_an_example(text, expected):
    result, _ = await run(text)
    assert not result.ok and expected in result.text


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "meeting set thursday 3am",
            "Note: that is outside your opening hours (Thursday: 09:00-12:00, 13:00-17:00); "
            "it is kept as set. To move it: meeting set thursday 09:00",
        ),
        ("meeting set saturday 10:00", "(Saturday: closed); it is kept as set. To move it: meeting set tuesday 10:00"),
        ("meeting set thursday 16:45 30m", "Note: that is outside your opening hours"),  # it ends after 17:00
        ("meeting set thursday 10:00", None),
    ],
)
async def test_a_meeting_outside_opening_hours_is_kept_with_a_note(text, note):
    result, store = await run(text)
    assert result.ok and len(await store.list_meeting_slots()) == 1
    assert (note in result.text) if note else ("Note:" not in result.text)
