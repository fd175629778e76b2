"""A sender process killed (SIGKILL) mid-announcement and restarted leaves each channel with exactly one copy."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_fakes import BOT_TOKEN, FakeSlack
from worker_support import run_worker, worker_env

from bot.queue import DeliveryKey, DeliveryState, PlannedDelivery

pytestmark = pytest.mark.slow  # several processes

WORKER = Path(__file__).with_name("crash_worker.py")
CHANNELS = 200


async def queued(database_factory, fake: FakeSlack, kind: str, channels: list[str]):
    """A migrated database with one due delivery per channel, and the environment for worker processes."""
    database = await database_factory.migrated()
    now = datetime.now(UTC)
    await database.deliveries().enqueue(
        [
            PlannedDelivery(
                DeliveryKey(kind, "closure:1", "2026-12-24", "slack", "T1", channel),
                now - timedelta(minutes=1),
                now + timedelta(days=1),
                f"We're closed ({channel}).",
            )
            for channel in channels
        ],
        now,
    )
    env = worker_env(database_factory, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.api_url, LEASE_SECONDS="2")
    return database, env


async def sender(env: dict[str, str]) -> tuple[int, str]:
    return await run_worker(WORKER, env, timeout=120)


async def test_sigkill_between_post_and_commit_then_restart_posts_each_channel_once(database_factory):
    fake = await FakeSlack().start()
    try:
        database, env = await queued(database_factory, fake, "closure_start", [f"C{n:03d}" for n in range(CHANNELS)])

        code, output = await sender({**env, "CRASH_AFTER_POSTS": "80"})
        assert code == -signal.SIGKILL, output
        assert len(fake.calls_to("chat.postMessage")) == 80
        states = [d.state for d in await database.deliveries().list_deliveries()]
        assert states.count(DeliveryState.SENT) == 79  # the 80th was posted but never recorded
        assert DeliveryState.IN_FLIGHT in states

        await asyncio.sleep(2.5)  # the dead process's leases run out
        code, output = await sender(env)
        assert code == 0, output
        assert "recovered=1" in output and "sent=120" in output

        per_channel = {f"C{n:03d}": len(fake.history[f"C{n:03d}"]) for n in range(CHANNELS)}
        assert set(per_channel.values()) == {1}, {c: k for c, k in per_channel.items() if k != 1}
        assert len(fake.calls_to("chat.postMessage")) == CHANNELS
        rows = await database.deliveries().list_deliveries()
        assert {d.state for d in rows} == {DeliveryState.SENT} and len(rows) == CHANNELS
    finally:
        await fake.close()


async def test_three_sender_processes_on_postgresql_share_a_thousand_rows_and_finish_a_killed_ones(postgres_factory):
    database_factory = postgres_factory  # several sender processes need PostgreSQL (SKIP LOCKED)
    fake = await FakeSlack().start()
    try:
        database, env = await queued(database_factory, fake, "closure_notice", [f"C{n:04d}" for n in range(1000)])
        env["UNTIL_EMPTY"] = "1"
        results = await asyncio.gather(sender({**env, "CRASH_AFTER_POSTS": "60"}), sender(env), sender(env))
        (killed, _), *survivors = results
        assert killed == -signal.SIGKILL
        assert all(code == 0 for code, _ in survivors), survivors
        sent = [int(out.split("sent=")[1].split()[0]) for _, out in survivors]
        assert all(n > 0 for n in sent)
        per_channel = [len(fake.history[f"C{n:04d}"]) for n in range(1000)]
        assert per_channel.count(1) == 1000  # none twice, none lost
        rows = await database.deliveries().list_deliveries()
        assert {d.state for d in rows} == {DeliveryState.SENT}
    finally:
        await fake.close()
