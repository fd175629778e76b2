"""Replicas figure: three senders start together on an empty PostgreSQL database, fan out through a faulty Slack."""

from __future__ import annotations

import asyncio
import os
import sys

from benchmarks.databases import scratch_database
from benchmarks.report import TESTS, figure, use_test_fakes

use_test_fakes()
sys.path.insert(0, str(TESTS / "reliability"))
from faulty_slack import FaultySlack
from replica_worker import KILLS, SEED, bad_day, figures, run_replicas

CHANNELS = 200
NAME = f"replicas: {CHANNELS} channels, 3 senders, 2 killed (postgresql)"


async def fan_out() -> dict[str, object]:
    fake = await FaultySlack(bad_day(), seed=SEED).start()
    try:
        async with scratch_database("postgresql") as url:
            run = await run_replicas(url, None, fake.api_url, CHANNELS, KILLS, timeout=120)
    finally:
        await fake.stop()
    return figures(fake, run, CHANNELS)


def run() -> None:
    if not os.environ.get("TEST_DATABASE_URL"):
        figure(
            NAME,
            "not measured: TEST_DATABASE_URL is not set",
            "PostgreSQL only: TEST_DATABASE_URL=$(bash scripts/ensure-postgres.sh) python -m benchmarks replicas",
        )
        return
    found = asyncio.run(fan_out())
    faults = bad_day()
    figure(
        NAME,
        f"{found['elapsed']} vs floor {found['floor']} = {found['ratio']}, vs the floor with busy pauses "
        f"{found['floor with busy pauses']} = {found['ratio to it']}; "
        f"duplicates {found['duplicates']}, lost {found['lost']}",
        f"one closure notice per channel queued on a fresh database the replicas migrate together; they SIGKILL "
        f"themselves after {KILLS[0]} and {KILLS[1]} posts, the third sends until every row is finished; the fake "
        f"resets {faults.reset_after_post:.0%} of posts after storing them, fails {faults.history_errors:.0%} of "
        f"lookups with 500, allows {faults.rate:.0f} posts/s per workspace (bursts of {faults.burst}), 1/s per "
        f"channel and {faults.history_per_minute:.0f} lookups/min; floor = {CHANNELS} / {faults.rate:.0f}, plus the "
        f"busy channels' 2 s pauses for the second floor (Slack's 429s do not say their scope); "
        f"resets {found['resets']}, failed lookups {found['failed lookups']}, 429s {found['429s by reason']}, "
        f"Retry-After violations {found['violations']}, rows {found['rows']}, exit codes {found['exit codes']}; "
        f"timed from the rows being queued to the last replica's exit",
    )


if __name__ == "__main__":
    run()
