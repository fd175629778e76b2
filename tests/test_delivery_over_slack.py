"""Scheduled posts through the real SlackPoster to the loopback fake: errors, retries and the digest."""

from __future__ import annotations

from datetime import UTC, timedelta

from factories import make_policy, ny
from slack_fakes import BOT_TOKEN, FakeSlack

from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from bot.clock import SimulatedClock
from bot.messages import ChannelRef
from bot.models import Closure
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from bot.settings import Settings

POLICY = make_policy()


async def test_429_500_and_resets_deliver_once_and_not_in_channel_lands_in_the_digest(database_factory):
    fake = await FakeSlack().start()
    try:
        database = await database_factory.migrated()
        store, queue = database.store(), database.deliveries()
        for channel in ("C1", "C2", "C3", "C_GONE"):
            await store.remember_channel(ChannelRef("slack", "T1", channel))
        clock = SimulatedClock(ny(2026, 11, 23, 20, 0))
        await store.add_closure(
            Closure(
                start=ny(2026, 11, 30).astimezone(UTC),
                end=ny(2026, 12, 1).astimezone(UTC),
                created_at=clock(),
                reason="a team offsite",
            )
        )
        client = web_client(Settings(slack_api_url=fake.api_url), BOT_TOKEN, retries=False)

        async def client_for(workspace_id):
            return client

        poster = SlackPoster(client_for)
        fake.fail("chat.postMessage", status=429, retry_after=7)
        fake.fail("chat.postMessage", status=500)
        fake.fail("chat.postMessage", status=0)
        fake.fail("chat.postMessage", error="not_in_channel", after=1)  # C3 goes through, then C_GONE is refused
        roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
        sender = Sender(queue, {"slack": poster}, clock, pacing={})
        scheduling = Scheduling(store, queue, POLICY, sender, clock, roles)
        await scheduling.tick()
        # Slack's Retry-After holds the whole workspace: nothing else was posted in those 7 seconds.
        assert len(fake.calls_to("chat.postMessage")) == 1
        waiting = {d.key.channel_id: d.last_error for d in await queue.list_deliveries() if d.state == "pending"}
        assert waiting.keys() == {"C1", "C2", "C3", "C_GONE"} and "ratelimited" in waiting["C1"]
        assert {waiting[c] for c in ("C2", "C3", "C_GONE")} <= {"waiting out a rate limit", None}  # or not claimed
        clock.advance(timedelta(seconds=10))
        await scheduling.tick()
        # The 500 and the reset may have posted: their rows wait to be looked up, never posted blind.
        states = {d.key.channel_id: d.state for d in await queue.list_deliveries() if d.key.kind != "owner_digest"}
        assert states == {"C1": "unknown", "C2": "unknown", "C3": "sent", "C_GONE": "failed"}
        for _ in range(12):
            clock.advance(timedelta(seconds=10))
            await scheduling.tick()
        posts = fake.calls_to("chat.postMessage")
        delivered = {channel: len(messages) for channel, messages in fake.history.items()}
        assert sum(delivered.values()) == 3 and set(delivered.values()) == {1}
        assert len(posts) == 3 + 4  # three failed tries and one refusal happened once each
        assert len(fake.calls_to("conversations.history")) == 2  # each unknown one was looked for once
        assert set(delivered) == {"C1", "C2", "C3"}
        assert [c.args["channel"] for c in posts].count("C_GONE") == 1  # not_in_channel is never retried

        clock.set(ny(2026, 11, 24, 9, 0))
        await scheduling.tick()
        [digest] = fake.history["DU_OWNER"]
        assert "closure notice to #C_GONE (slack): chat.postMessage failed: not_in_channel" in digest["text"]
    finally:
        await fake.close()
