"""Each client channel's open/closed line: its words, and one bookmark (Slack) or topic (Discord) change per state
change, never in between, never a message in the channel."""

from __future__ import annotations

from datetime import UTC, timedelta

import discord
import pytest
from discord_fakes import FakeDiscord
from discord_gateway import CHANNEL_ID, TOKEN
from factories import make_policy, ny
from slack_fakes import BOT_TOKEN, FakeSlack

from adapters.discord.poster import DiscordPoster
from adapters.slack.client import web_client
from adapters.slack.poster import STATE_EMOJI, SlackPoster
from bot.channel_state import STATE_KIND, state_line
from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.models import Closure
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.settings import Settings

POLICY = make_policy(announcements={"channel_state": True})
HOLIDAYS = Closure(ny(2026, 12, 24).astimezone(UTC), ny(2027, 1, 3).astimezone(UTC), "the holidays")
GUIDE = "https://bot.example.com/guide/abc123"


@pytest.mark.parametrize(
    ("at", "closures", "line", "until"),
    [
        (ny(2026, 11, 24, 10), [], "Open · answers within 1 business day", ny(2026, 11, 24, 17)),  # lunch is no change
        (ny(2026, 11, 24, 12, 30), [], "Open · answers within 1 business day", ny(2026, 11, 24, 17)),
        (ny(2026, 11, 23, 21), [], "Closed · back Tue 9:00 AM EST", ny(2026, 11, 24, 9)),
        (ny(2026, 11, 27, 18), [], "Closed · back Mon 9:00 AM EST", ny(2026, 11, 30, 9)),
        (ny(2026, 12, 28, 10), [HOLIDAYS], "Closed for the holidays · back Mon, Jan 4", ny(2027, 1, 4, 9)),
        (ny(2026, 12, 23, 18), [HOLIDAYS], "Closed for the holidays · back Mon, Jan 4", ny(2027, 1, 4, 9)),
    ],
)
def test_the_line_and_when_it_changes(at, closures, line, until) -> None:
    assert state_line(POLICY, closures, at) == (line, until)


async def ticks(scheduling, clock, *stops) -> None:
    for at in stops:
        clock.set(at)
        await scheduling.tick()


async def test_slack_keeps_one_bookmark_changed_only_at_state_changes(database_factory) -> None:
    fake = await FakeSlack().start()
    try:
        database = await database_factory.migrated()
        store, queue = database.store(), database.deliveries()
        for channel in ("C1", "C2", "DU_CLIENT"):  # and a client's direct message with the bot: no line there
            await store.remember_channel(ChannelRef("slack", "T1", channel))
        client = web_client(Settings(slack_api_url=fake.api_url), BOT_TOKEN, retries=False)

        async def client_for(workspace_id):
            return client

        clock = SimulatedClock(ny(2026, 11, 24, 10))
        scheduling = Scheduling(store, queue, POLICY, Sender(queue, {"slack": SlackPoster(client_for)}, clock), clock)
        scheduling.guide_url = GUIDE
        half_hours = [ny(2026, 11, 24, 10) + timedelta(minutes=30 * n) for n in range(48)]  # through Wed 9:30
        await ticks(scheduling, clock, *half_hours)
        assert fake.bookmark_changes == [
            *[(c, "Open · answers within 1 business day") for c in ("C1", "C2")],  # added at the first tick
            *[(c, "Closed · back Wed 9:00 AM EST") for c in ("C1", "C2")],  # edited at 5:00 PM
            *[(c, "Open · answers within 1 business day") for c in ("C1", "C2")],  # and at 9:00 AM
        ]
        assert len(fake.calls_to("bookmarks.list")) == 6  # the outbox asked only at the three state changes
        for channel in ("C1", "C2"):
            (mark,) = fake.bookmarks[channel]
            assert (mark["emoji"], mark["link"]) == (STATE_EMOJI, GUIDE)
        assert fake.calls_to("chat.postMessage") == []  # nothing is said in the channel

        scheduling.guide_url = None  # no guide page to link to: refused for good, named in the row
        await ticks(scheduling, clock, ny(2026, 11, 25, 17, 1))
        failed = [d for d in await queue.list_deliveries(kinds=[STATE_KIND]) if d.state == "failed"]
        assert len(failed) == 2 and "set PUBLIC_URL and CALENDAR_KEY" in (failed[0].last_error or "")
    finally:
        await fake.close()


async def test_discord_sets_the_topic_and_waits_out_its_two_changes_per_ten_minutes(database_factory, monkeypatch):
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"{fake.url}/api/v10")
    client = discord.Client(intents=discord.Intents.none(), max_ratelimit_timeout=30.0)
    try:
        async with client:
            await client.login(TOKEN)
            database = await database_factory.migrated()
            store, queue = database.store(), database.deliveries()
            await store.remember_channel(ChannelRef("discord", "900", str(CHANNEL_ID)))
            clock = SimulatedClock(ny(2026, 11, 24, 16, 59))
            sender = Sender(queue, {"discord": DiscordPoster(client)}, clock)
            scheduling = Scheduling(store, queue, POLICY, sender, clock)
            scheduling.guide_url = GUIDE
            fake.topic_edits[CHANNEL_ID] = [0.0]  # monotonic seconds: long ago, so it does not count
            await ticks(scheduling, clock, ny(2026, 11, 24, 16, 59), ny(2026, 11, 24, 17, 0))
            assert fake.topics[CHANNEL_ID] == f"Closed · back Wed 9:00 AM EST · {GUIDE}"
            await store.add_closure(Closure(ny(2026, 11, 25), ny(2026, 11, 26), "a sick day", created_at=clock()))
            await ticks(scheduling, clock, ny(2026, 11, 24, 17, 2))  # a third change within 10 minutes: a 429
            (row,) = [d for d in await queue.list_deliveries(kinds=[STATE_KIND]) if d.state == "pending"]
            assert "rate" in (row.last_error or "").lower()
            assert fake.topics[CHANNEL_ID].startswith("Closed · back Wed")  # unchanged until the wait is over
            fake.topic_edits[CHANNEL_ID] = []  # ten minutes later, as far as Discord is concerned
            await ticks(scheduling, clock, ny(2026, 11, 24, 17, 15))
            assert fake.topics[CHANNEL_ID] == f"Closed for a sick day · back Fri, Nov 27 · {GUIDE}"  # then Thanksgiving
            said = [c["body"]["content"] for c in fake.calls(rf"POST /channels/{CHANNEL_ID}/messages")]
            assert [text[:9] for text in said] == ["Heads up:"]  # the sick day's notice, and no state line
    finally:
        await fake.close()
