"""Concurrent senders killed (SIGKILL) with posts in flight: after restart each channel has exactly one copy."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import SOAK
from slack_fakes import BOT_TOKEN, FakeSlack
from worker_support import run_worker, worker_env

from bot.queue import DeliveryKey, DeliveryState, PlannedDelivery

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = 2000 if SOAK else 400


async def worker(env: dict[str, str]) -> tuple[int, str]:
    return await run_worker(ROOT / "tests" / "crash_worker.py", env, timeout=180)


async def test_killed_concurrent_senders_leave_one_copy_per_channel(database_factory, counts) -> None:
    fake = await FakeSlack().start()
    try:
        database = await database_factory.migrated()
        now = datetime.now(UTC)
        await database.deliveries().enqueue(
            [
                PlannedDelivery(
                    DeliveryKey("closure_notice", "closure:1", "2026-12-10", "slack", "T1", f"C{n:04d}"),
                    now - timedelta(minutes=1),
                    now + timedelta(days=1),
                    f"Heads up (#{n}).",
                )
                for n in range(CHANNELS)
            ],
            now,
        )
        env = worker_env(
            database_factory,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_API_URL=fake.api_url,
            LEASE_SECONDS="2",
            CONCURRENT="1",
            UNTIL_EMPTY="1",
        )
        killed_at = 30  # fewer than the 50 rows its first claim leases, so it always gets that far
        if database_factory.backend == "postgresql":  # three processes share the queue, one of them dies
            doomed = asyncio.ensure_future(worker({**env, "CRASH_AFTER_POSTS": str(killed_at)}))
            while not fake.calls_to("chat.postMessage"):
                await asyncio.sleep(0.01)
            results = [await doomed, *await asyncio.gather(worker(env), worker(env))]
        else:  # SQLite runs one sender: it dies, then a new process finishes its work
            results = [await worker({**env, "CRASH_AFTER_POSTS": str(killed_at)})]
            await asyncio.sleep(2.5)  # the dead process's leases run out
            results.append(await worker(env))
        (killed, _), *survivors = results
        assert killed == -signal.SIGKILL
        assert all(code == 0 for code, _ in survivors), survivors
        recovered = sum(int(out.split("recovered=")[1].split()[0]) for _, out in survivors)
        per_channel = [len(fake.history[f"C{n:04d}"]) for n in range(CHANNELS)]
        rows = await database.deliveries().list_deliveries()
    finally:
        await fake.close()
    counts(
        database_factory.backend,
        channels=CHANNELS,
        killed_after_posts=killed_at,
        posts_found_after_the_kill=recovered,
        channels_with_one_copy=per_channel.count(1),
        duplicates=sum(n - 1 for n in per_channel if n > 1),
        lost=per_channel.count(0),
    )
    assert per_channel.count(1) == CHANNELS
    assert {d.state for d in rows} == {DeliveryState.SENT}
