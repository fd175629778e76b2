"""Sender replicas on one database: the replica process (run as a script) and `run_replicas`, which starts several."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faulty_slack import Faults, FaultySlack
from sqlalchemy import text
from worker_support import database_for, database_from_env, dying_poster

from bot.queue import DeliveryKey, PlannedDelivery
from bot.sender import SEND_CONCURRENCY, Sender
from bot.service import system_clock

ROOT = Path(__file__).resolve().parents[2]
FINISHED = frozenset({"sent", "failed", "skipped", "cancelled"})  # state values; no row in them is worked on again
TOKEN = "xoxb-test-T1"
KILLS = [12, 35, None]  # posts after which each replica SIGKILLs itself (None: it lives)
SEED = 13
LEASE = 5.0  # seconds; the sender's heartbeat renews it while a replica holds a row


def bad_day() -> Faults:
    """3% of posts reset after being stored, 10% of lookups answer 500, a tight Tier 3, channel and workspace 429s."""
    return Faults(
        reset_after_post=0.03,
        history_errors=0.10,
        history_per_minute=60,
        history_burst=5,
        rate=20,
        burst=10,
        channel_busy=0.03,
        busy_retry_after=2,
        no_retry_after=0.1,
        latency=0.02,
    )


async def replica() -> int:
    """Wait for "go", migrate, then send until `EXPECTED_ROWS` rows exist and all are finished; the exit code."""
    database = database_from_env()
    poster = dying_poster()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":  # every replica is started and imported: all are released at once
        return 2
    await database.migrate()
    queue = database.deliveries()
    sender = Sender(
        queue,
        {"slack": poster},
        system_clock,
        concurrency=SEND_CONCURRENCY,
        lease=timedelta(seconds=float(os.environ.get("LEASE_SECONDS", "3"))),
        pacing={"slack": float(os.environ.get("PACING_SECONDS", "1"))},
    )
    expected, totals = int(os.environ.get("EXPECTED_ROWS", "1")), Counter()
    deadline = time.monotonic() + float(os.environ.get("DEADLINE_SECONDS", "120"))
    while True:
        report = await sender.run_once()
        totals.update({f.name: getattr(report, f.name) for f in fields(report)})
        states = Counter(str(getattr(d.state, "value", d.state)) for d in await queue.list_deliveries())
        if states.total() >= expected and set(states) <= FINISHED:
            break
        if time.monotonic() > deadline:
            print(f"gave up with work left: {dict(states)}", flush=True)
            return 3
        await asyncio.sleep(0.2)
    first = ("sent", "recovered", "failed")
    print(" ".join(f"{name}={totals[name]}" for name in [*first, *sorted(set(totals) - set(first))]), flush=True)
    await database.dispose()
    return 0


@dataclass
class Run:
    """What a run of replicas left: exit codes (None: still running at the timeout) and outputs, rows by state."""

    codes: list[int | None]
    outputs: list[str]
    states: Counter
    elapsed: float  # from the rows being queued to the last replica's exit
    planned: dict[str, list[str]]  # each channel's texts, in the order they were planned


async def run_replicas(
    url: str,
    schema: str | None,
    api_url: str,
    notices: int,
    kills: list[int | None],
    *,
    lease: float = LEASE,
    timeout: float = 90.0,
    corrections: int = 0,
) -> Run:
    """Start one replica per entry of `kills` (SIGKILL after that many posts; None: never) on an empty database,
    release them together, migrate and queue one closure notice for each of `notices` channels C0000... (and a
    correction after it in every `corrections`th channel); wait."""
    planned = notices_for(notices, corrections)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": api_url,
        "LEASE_SECONDS": str(lease),
        "EXPECTED_ROWS": str(len(planned)),
        "DEADLINE_SECONDS": str(timeout - 10),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        **({"TEST_PG_SCHEMA": schema} if schema else {}),
    }
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            cwd=ROOT,
            env={**env, "CRASH_AFTER_POSTS": str(kill or 0)},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        for kill in kills
    ]
    database, outputs = database_for(url, schema), []
    try:
        for process in processes:
            ready = await asyncio.wait_for(process.stdout.readline(), timeout=60)  # type: ignore[union-attr]
            assert ready == b"ready\n", ready + await process.stdout.read()  # type: ignore[union-attr]
        for process in processes:
            process.stdin.write(b"go\n")  # type: ignore[union-attr]
        await database.migrate()  # one more migrator in the race
        queued = time.monotonic()
        await database.deliveries().enqueue(planned, datetime.now(UTC))
        outputs = [asyncio.ensure_future(p.communicate()) for p in processes]
        # The fake runs in this process and stamps each request when its handler starts: a full garbage
        # collection of a large test process (a second, late in a suite) would stamp requests that arrived in
        # time as late, and count them as Retry-After violations the replicas never made.
        gc.disable()
        try:
            await asyncio.wait(outputs, timeout=timeout)
        finally:
            gc.enable()
        elapsed = time.monotonic() - queued
        codes = [p.returncode for p in processes]
        async with database.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT state, count(*) FROM deliveries GROUP BY state"))).all()
        states = Counter(dict(rows))
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
        await asyncio.gather(*outputs, *(p.wait() for p in processes), return_exceptions=True)
        await database.dispose()
    return Run(
        codes,
        [
            ("" if code is not None else "(killed: still running at the timeout) ") + o.result()[0].decode()
            for code, o in zip(codes, outputs, strict=True)
        ],
        states,
        elapsed,
        planned_texts(planned),
    )


def figures(fake: FaultySlack, run: Run, channels: int) -> dict[str, object]:
    """What a run of replicas against `fake` did: time against the rate-limit floor, copies per channel, faults."""
    posted = {channel: posted_texts(fake, channel) for channel in run.planned}
    copies = Counter((channel, text) for channel, texts in posted.items() for text in texts)
    wanted = [(channel, text) for channel, texts in run.planned.items() for text in texts]
    floor = len(wanted) / fake.faults.rate  # type: ignore[operator]
    # The floor a client that honours every Retry-After meets: the rate's, plus the busy channels' pauses, which
    # it must take as the workspace's (Slack's 429s do not say their scope).
    honoured = floor + fake.busy_seconds()
    refused = Counter({reason: n for (method, reason), n in fake.refused.items() if reason != "without Retry-After"})
    return {
        "elapsed": f"{run.elapsed:.1f} s",
        "floor": f"{floor:.1f} s",
        "ratio": f"{run.elapsed / floor:.2f}x",
        "floor with busy pauses": f"{honoured:.1f} s",
        "ratio to it": f"{run.elapsed / honoured:.2f}x",
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "lost": sum(1 for post in wanted if not copies[post]),
        "out of order": sum(
            1
            for channel, texts in posted.items()
            if list(dict.fromkeys(texts)) != run.planned[channel] and set(texts) == set(run.planned[channel])
        ),
        "resets": len(fake.resets),
        "failed lookups": len(fake.lookup_errors),
        "429s": sum(refused.values()),
        "429s by reason": dict(refused),
        "violations": len(fake.violations),
        "rows": dict(run.states),
        "exit codes": run.codes,
    }


def notices_for(count: int, corrections: int = 0) -> list[PlannedDelivery]:
    """A closure notice for each of `count` channels, and its correction after it in every `corrections`th one."""
    now = datetime.now(UTC)
    kinds = [("closure_notice", 60, "Heads up: closed Dec 10"), ("closure_correction", 59, "Correction: open Dec 10")]
    return [
        PlannedDelivery(
            DeliveryKey(kind, "closure:1", "2026-12-10", "slack", "T1", channel_name(n)),
            now - timedelta(seconds=seconds_ago),
            now + timedelta(days=1),
            f"{text} (#{n}).",
        )
        for n in range(count)
        for kind, seconds_ago, text in kinds[: 2 if corrections and n % corrections == 0 else 1]
    ]


def posted_texts(fake: FaultySlack, channel: str) -> list[str]:
    """A channel's messages at the fake, oldest first (its history, like Slack's, is newest first)."""
    return [message["text"] for message in reversed(fake.history.get(channel, []))]


def planned_texts(rows: list[PlannedDelivery]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: r.due_at):
        texts.setdefault(row.key.channel_id, []).append(row.text)
    return texts


def channel_name(n: int) -> str:
    return f"C{n:04d}"


if __name__ == "__main__":
    sys.exit(asyncio.run(replica()))
