"""mark_event_seen under real concurrency: two engines (and, on SQLite, two processes) racing on the same ids."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from storage.database import Database
from storage.tables import seen_events

pytestmark = pytest.mark.slow  # several processes

IDS = 50
ROUNDS = 3


async def seen_rows(database: Database) -> dict[str, int]:
    table = seen_events
    query = select(table.c.event_id, func.count()).group_by(table.c.event_id)
    async with database.engine.connect() as conn:
        return dict((await conn.execute(query)).all())


async def test_two_engines_race_on_the_same_event_ids(database_factory) -> None:
    first, second = database_factory(), database_factory()
    await first.migrate()
    stores = (first.store(), second.store())
    now = datetime.now(UTC)
    for round_no in range(ROUNDS):
        ids = [f"Ev{round_no}-{i}" for i in range(IDS)]
        # Both engines get every id at once; order alternates so neither always starts first.
        calls = []
        for i, event_id in enumerate(ids):
            pair = stores if i % 2 else stores[::-1]
            calls += [pair[0].mark_event_seen("slack", event_id, now), pair[1].mark_event_seen("slack", event_id, now)]
        results = await asyncio.gather(*calls)
        for i, event_id in enumerate(ids):
            assert sorted(results[2 * i : 2 * i + 2]) == [False, True], event_id
    counts = await seen_rows(first)
    assert len(counts) == IDS * ROUNDS
    assert set(counts.values()) == {1}


async def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path / 'bot.db'}") as database, database.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() >= 5000


def _claim_in_process(url: str, ids: list[str], barrier: multiprocessing.synchronize.Barrier, results) -> None:
    async def run() -> list[bool]:
        async with Database(url) as database:
            store = database.store()
            await store.mark_event_seen("warmup", f"{multiprocessing.current_process().pid}", datetime.now(UTC))
            barrier.wait()
            return list(await asyncio.gather(*(store.mark_event_seen("slack", i, datetime.now(UTC)) for i in ids)))

    results.put(asyncio.run(run()))


async def test_two_processes_race_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    async with Database(url) as database:
        await database.migrate()
        ids = [f"Ev{i}" for i in range(IDS)]
        ctx = multiprocessing.get_context("spawn")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        workers = [ctx.Process(target=_claim_in_process, args=(url, ids, barrier, results)) for _ in range(2)]
        for worker in workers:
            worker.start()
        outcomes = [await asyncio.to_thread(results.get, True, 60) for _ in workers]
        for worker in workers:
            await asyncio.to_thread(worker.join, 30)
            assert worker.exitcode == 0
        for i, event_id in enumerate(ids):
            assert sorted([outcomes[0][i], outcomes[1][i]]) == [False, True], event_id
        counts = await seen_rows(database)
        assert {k: v for k, v in counts.items() if k.startswith("Ev")} == dict.fromkeys(ids, 1)
