"""The message path in one process: CPU per message of BoundaryService.claim and handle_claimed on each backend."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from benchmarks.databases import scratch_database
from benchmarks.report import figure
from bot.clock import SimulatedClock
from bot.messages import IncomingMessage
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.service import BoundaryService
from bot.settings import Settings
from storage.database import Database

MONDAY_9PM = datetime(2026, 11, 23, 21, 0, tzinfo=ZoneInfo("America/New_York"))  # after hours: each gets a reply


def message(n: int) -> IncomingMessage:
    """Each from a new (channel, client) pair, like the end-to-end benchmark's events."""
    return IncomingMessage(
        platform="slack",
        workspace_id="T1",
        channel_id=f"C{n // 100:05d}",
        message_id=f"1.{n}",
        author_id=f"U{n % 100:04d}",
        text="Could you look at the invoice tonight?",
        event_id=f"Ev{n}",
        received_at=MONDAY_9PM,
    )


async def measure(url: str, messages: int, warmup: int, *, outbox: bool = False) -> tuple[float, float]:
    """CPU ms per message of claim (record + read) and of handle_claimed (decide + log), one message at a time; with
    `outbox`, the reply's delivery row is written with the decision and recorded sent after it (as the bot does)."""
    database = Database(url)
    try:
        await database.migrate()
        service = BoundaryService(
            database.store(),
            load_policy(EXAMPLE_POLICY),
            Settings(_env_file=None, slack_owner_ids="U_OWNER").roles(),
            SimulatedClock(MONDAY_9PM),
        )
        if outbox:
            service.outbox, service.outbox_platforms = database.deliveries(), frozenset({"slack"})
        for n in range(warmup):
            await service.handle_message(message(n))
        numbers = range(warmup, warmup + messages)
        started = time.process_time()
        claims = [await service.claim(message(n)) for n in numbers]
        claimed = time.process_time()
        for n, claim in zip(numbers, claims, strict=True):
            outcome = await service.handle_claimed(message(n), claim)
            if outcome.queued:
                await service.reply_posted(message(n), f"1795481200.{n:06d}")
        handled = time.process_time()
    finally:
        await database.dispose()
    return 1000 * (claimed - started) / messages, 1000 * (handled - claimed) / messages


def run(backends: tuple[str, ...] = ("sqlite", "postgresql"), messages: int = 2000, warmup: int = 200) -> None:
    async def one(backend: str, outbox: bool) -> tuple[float, float]:
        async with scratch_database(backend) as url:
            return await measure(url, messages, warmup, outbox=outbox)

    for backend in backends:
        try:
            claim_ms, handle_ms = asyncio.run(one(backend, False))
            _, queued_ms = asyncio.run(one(backend, True))
        except RuntimeError as error:
            figure(f"message path ({backend})", "not measured", str(error))
            continue
        figure(
            f"message path CPU per message ({backend})",
            f"claim {claim_ms:.3f} ms, decide and log {handle_ms:.3f} ms; with the reply's outbox row written "
            f"and recorded sent {queued_ms:.3f} ms ({queued_ms / handle_ms:.2f}x)",
            f"{messages} after-hours messages after {warmup} warm-up, one at a time in one process "
            "(process_time, so SQLite's work counts wherever it runs); the post itself is not included",
        )


if __name__ == "__main__":
    run()
