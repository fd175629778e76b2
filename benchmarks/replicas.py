"""Replicas figure: three senders start together on an empty PostgreSQL database, fan out through a faulty Slack."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys

from benchmarks.databases import scratch_database
from benchmarks.report import TESTS, figure, use_test_fakes

use_test_fakes()
sys.path.insert(0, str(TESTS / "reliability"))
from faulty_slack import Faults, FaultySlack
from replica_worker import KILLS, SEED, bad_day, figures, run_replicas

CHANNELS = 200
NAME = f"replicas: {CHANNELS} channels, 3 senders, 2 killed (postgresql)"


async def fan_out(faults: Faults) -> dict[str, object]:
    fake = await FaultySlack(faults, seed=SEED).start()
    try:
        async with scratch_database("postgresql") as url:
            run = await run_replicas(url, None, fake.api_url, CHANNELS, KILLS, timeout=120)
    finally:
        await fake.close()
    return figures(fake, run, CHANNELS)


def run() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        figure(
            NAME,
            "not measured: TEST_DATABASE_URL is not set",
            "PostgreSQL only: TEST_DATABASE_URL=$(bash scripts/ensure-postgres.sh) python -m benchmarks replicas",
        )
        return
    # The mix (resets after posting, failed lookups, Tier 3, kills) first, then the same with busy
    # channels: 429s a client cannot tell from the workspace's, so each stands the workspace still.
    for faults, busy in ((dataclasses.replace(bad_day(), channel_busy=0.0), False), (bad_day(), True)):
        found = asyncio.run(fan_out(faults))
        against = (
            f", vs the floor with busy pauses {found['floor with busy pauses']} = {found['ratio to it']}"
            if busy
            else ""
        )
        figure(
            NAME + (", busy channels too" if busy else ""),
            f"{found['elapsed']} vs floor {found['floor']} = {found['ratio']}{against}; "
            f"duplicates {found['duplicates']}, lost {found['lost']}, Retry-After violations {found['violations']}",
            f"one closure notice per channel queued on a fresh database the replicas migrate together; they SIGKILL "
            f"themselves after {KILLS[0]} and {KILLS[1]} posts, the third sends until every row is finished; the "
            f"fake resets {faults.reset_after_post:.0%} of posts after storing them, fails {faults.history_errors:.0%}"
            f" of lookups with 500, allows {faults.rate:.0f} posts/s per workspace (bursts of {faults.burst}), 1/s "
            f"per channel and {faults.history_per_minute:.0f} lookups/min (bursts of {faults.history_burst}), leaves "
            f"Retry-After off {faults.no_retry_after:.0%} of 429s"
            + (
                f", answers {faults.channel_busy:.0%} of posts with a 'busy channel' 429 of {faults.busy_retry_after}"
                f" s (Slack's 429s do not say their scope, so the second floor adds those pauses)"
                if busy
                else ""
            )
            + f"; floor = {CHANNELS} / {faults.rate:.0f}; resets {found['resets']}, failed lookups "
            f"{found['failed lookups']}, 429s {found['429s by reason']}, rows {found['rows']}, exit codes "
            f"{found['exit codes']}; timed from the rows being queued to the last replica's exit",
        )


if __name__ == "__main__":
    run()
