"""The calendar feeds `serve` publishes: the secret address works, a missing or wrong token gets a 404."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, time

import aiohttp
from cli_process import cli_env, run_cli
from factories import make_policy, ny
from icalendar import Calendar
from loopback_http import served
from memory_store import MemoryStore
from slack_harness import slack_settings

from adapters.slack.app import build_slack
from adapters.slack.http import build_web_app
from bot.calendar_links import feed_path
from bot.clock import SimulatedClock
from bot.commands import Invocation, run_command
from bot.commands.run import REFUSAL
from bot.commands.types import Context
from bot.messages import ChannelRef
from bot.models import Closure, MeetingSlot
from bot.roles import Roles
from bot.service import BoundaryService
from bot.settings import Settings

KEY = "k" * 40
CHANNEL, OTHER = ChannelRef("slack", "T1", "C1"), ChannelRef("slack", "T1", "C2")


async def fetch(fake, database, key: str | None, paths: list[str]) -> list[tuple[int, str, bytes]]:
    settings = slack_settings(fake, database.url, calendar_key=key)
    service = BoundaryService(database.store(), make_policy(), settings.roles(), SimulatedClock(ny(2026, 12, 1, 9, 0)))
    bot = build_slack(service, settings, {}, http=True, oauth_database=database)
    answers = []
    try:
        async with served(build_web_app(bot)) as url, aiohttp.ClientSession() as session:
            for path in paths:
                async with session.get(url + path) as response:
                    answers.append((response.status, response.headers.get("Content-Type", ""), await response.read()))
    finally:
        await bot.aclose()
    return answers


async def test_the_feeds_are_served_at_their_secret_paths_only(fake, database) -> None:
    store = database.store()
    start, end = ny(2026, 12, 24, 0, 0).astimezone(UTC), ny(2027, 1, 2, 0, 0).astimezone(UTC)
    await store.add_closure(Closure(start=start, end=end, reason="the holidays"))
    await store.set_meeting_slot(MeetingSlot(CHANNEL, weekday=1, local_time=time(10, 0)))
    channel_path = feed_path(KEY, CHANNEL)
    business, channel, wrong, other, bare = await fetch(
        fake,
        database,
        KEY,
        [
            feed_path(KEY),
            channel_path,
            feed_path("not the key"),
            channel_path.replace("/C1/", "/C2/"),  # one client's token does not open another's feed
            "/calendar/.ics",
        ],
    )
    assert business[0] == 200 and business[1].startswith("text/calendar")
    found = {str(e["UID"]): e for e in Calendar.from_ical(business[2]).walk("VEVENT")}
    assert [e.decoded("DTSTART") for e in found.values() if e["SUMMARY"] == "Closed: the holidays"] == [
        date(2026, 12, 24)
    ]
    assert not any(uid.startswith("meeting-") for uid in found)
    assert channel[0] == 200
    assert "meeting-slack-T1-C1@boundary-bot" in {str(e["UID"]) for e in Calendar.from_ical(channel[2]).walk("VEVENT")}
    assert [wrong[0], other[0], bare[0]] == [404, 404, 404]
    assert KEY.encode() not in business[2] + channel[2]


async def test_without_a_calendar_key_there_are_no_feeds(fake, database) -> None:
    [(status, _, _)] = await fetch(fake, database, None, [feed_path(KEY)])
    assert status == 404


def test_calendar_link_prints_the_address_and_needs_the_key(tmp_path) -> None:
    def run(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return run_cli("calendar", "link", *args, cwd=tmp_path, env=cli_env(tmp_path, **settings))

    refused = run()
    assert refused.returncode == 2 and "set CALENDAR_KEY" in refused.stderr
    shown = run("--channel", "slack:T1:C1", CALENDAR_KEY=KEY, PUBLIC_URL="https://bot.example.com/")
    assert shown.stdout.strip() == "https://bot.example.com" + feed_path(KEY, CHANNEL)
    assert KEY not in shown.stdout + shown.stderr
    assert feed_path(KEY, CHANNEL) != feed_path(KEY, OTHER) != feed_path(KEY)


async def test_boundaries_calendar_gives_the_owner_the_links() -> None:
    store, links = MemoryStore(), Settings(calendar_key=KEY, public_url="https://bot.example.com").feed_links()
    owner, client = Invocation("slack", "T1", "C1", "U_OWNER"), Invocation("slack", "T1", "C1", "U_CLIENT")
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})

    async def ask(who: Invocation, feed_links=links) -> str:
        common = dict(store=store, policy=make_policy(), roles=roles, now=ny(2026, 12, 1, 9, 0), feed_links=feed_links)
        return (await run_command("boundaries calendar", Context(who, **common))).text

    shown = await ask(owner)
    assert "https://bot.example.com" + feed_path(KEY) in shown
    assert "https://bot.example.com" + feed_path(KEY, CHANNEL) in shown and KEY not in shown
    assert await ask(client) == REFUSAL
    assert "set CALENDAR_KEY" in await ask(owner, feed_links=None)
