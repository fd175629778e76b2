"""Fan-out figure: a closure notice to 1,000 Slack channels through a fake that enforces Slack's posting limits."""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from datetime import timedelta

from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from benchmarks.databases import scratch_database
from benchmarks.rate_limited_slack import RateLimitedSlack
from benchmarks.report import figure
from bot.messages import ChannelRef
from bot.models import Closure
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.queue import DeliveryState
from bot.scheduling import Scheduling
from bot.sender import SEND_CONCURRENCY, Sender
from bot.service import system_clock
from bot.settings import Settings
from storage.database import Database

CHANNELS = 1000
RATE, BURST = 100.0, 100  # the fake's workspace limit: 100 posts a second, bursts of up to 100
LATENCY = 0.1  # seconds the fake takes to answer a post, about a round trip to Slack's API
SEND_SECONDS = 5.0  # how often the running bot's scheduler starts a sending pass (adapters.scheduling)


async def fan_out(backend: str) -> dict:
    fake = await RateLimitedSlack(rate=RATE, burst=BURST, latency=LATENCY).start()
    try:
        async with scratch_database(backend) as url:
            database = Database(url)
            await database.migrate()
            store, queue = database.store(), database.deliveries()
            for n in range(CHANNELS):
                await store.remember_channel(ChannelRef("slack", "T1", f"C{n:04d}"))
            now = system_clock()
            # A closure tomorrow, added today: later than every notice offset, so it is announced at once.
            await store.add_closure(
                Closure(
                    start=now + timedelta(days=1),
                    end=now + timedelta(days=2),
                    reason="a family emergency",
                    created_at=now,
                )
            )
            client = web_client(Settings(_env_file=None, slack_api_url=fake.api_url), "xoxb-bench-T1", retries=False)

            async def client_for(workspace_id: str):
                return client

            sender = Sender(queue, {"slack": SlackPoster(client_for)}, system_clock, concurrency=SEND_CONCURRENCY)
            scheduling = Scheduling(store, queue, load_policy(EXAMPLE_POLICY), sender, system_clock)
            planned = await scheduling.plan_once()
            fake.reset_bucket()
            started = time.monotonic()
            while True:  # as the running bot's scheduler does: a pass every SEND_SECONDS, skipped while one runs
                await sender.run_once()
                counts = await queue.count_by_state()
                if counts[DeliveryState.SENT] + counts[DeliveryState.FAILED] >= planned:
                    break
                passes = math.ceil((time.monotonic() - started) / SEND_SECONDS)
                await asyncio.sleep(started + passes * SEND_SECONDS - time.monotonic())
            elapsed = fake.last_post - started
            states = await queue.count_by_state()
            await database.dispose()
    finally:
        await fake.close()
    per_channel = Counter(channel for channel, _ in fake.accepted.elements())
    return {
        "planned": planned,
        "elapsed": elapsed,
        "states": states,
        "refused": fake.refused,
        "duplicates": sum(n - 1 for n in fake.accepted.values() if n > 1),
        "lost": sum(1 for n in range(CHANNELS) if per_channel[f"C{n:04d}"] == 0),
        "posts": sum(fake.accepted.values()),
    }


def run(backends: tuple[str, ...] = ("sqlite", "postgresql")) -> None:
    floor = (CHANNELS - BURST) / RATE
    for backend in backends:
        try:
            result = asyncio.run(fan_out(backend))
        except RuntimeError as error:
            figure(f"fan-out ({backend})", "not measured", str(error))
            continue
        refused = result["refused"]
        figure(
            f"fan-out 1,000 channels ({backend})",
            f"{result['elapsed']:.1f} s vs floor {floor:.1f} s = {result['elapsed'] / floor:.2f}x (target <= 1.2); "
            f"duplicates {result['duplicates']}, lost {result['lost']}",
            f"one closure notice per channel, planned by Scheduling and sent by the running bot's scheduler "
            f"(pass every {SEND_SECONDS:.0f} s, {SEND_CONCURRENCY} posts in flight) through SlackPoster to a fake "
            f"enforcing 1 msg/s per channel and {RATE:.0f} msg/s per workspace (bursts of {BURST}), answering "
            f"after {LATENCY * 1000:.0f} ms; floor = "
            f"({CHANNELS} - {BURST}) / {RATE:.0f}; 429s: {refused['workspace']} workspace, {refused['channel']} "
            f"channel; timed from the first pass to the last accepted post",
        )


if __name__ == "__main__":
    import sys

    run(tuple(sys.argv[1:]) or ("sqlite", "postgresql"))
