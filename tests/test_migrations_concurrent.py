"""Five processes migrating one empty database at once all succeed and leave it whole at head (PostgreSQL, SQLite)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from test_migrations import assert_schema_whole, head_revision
from worker_support import start_worker, worker_env

from storage.database import SQLITE_BUSY_TIMEOUT_MS, Database

pytestmark = pytest.mark.slow  # several processes

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 5


async def start_together(database_factory, count: int) -> list[tuple[int, str]]:
    """Start `count` migrate_worker.py processes, wait until each is ready, release them at once; codes and output."""
    env = worker_env(database_factory)
    processes = [await start_worker(ROOT / "tests" / "migrate_worker.py", env, stdin=True) for _ in range(count)]
    try:
        for process in processes:
            assert await asyncio.wait_for(process.stdout.readline(), timeout=120) == b"ready\n"
        for process in processes:
            process.stdin.write(b"go\n")
        outputs = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), timeout=300)
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    return [(p.returncode, (out + err).decode()) for p, (out, err) in zip(processes, outputs, strict=True)]


@pytest.mark.parametrize("race", range(3))
async def test_replicas_migrating_together_all_start_and_leave_the_schema_whole(database_factory, race: int) -> None:
    results = await start_together(database_factory, PROCESSES)
    crashed = [output for code, output in results if code != 0]
    assert not crashed, f"{len(crashed)} of {PROCESSES} processes failed; the first said:\n{crashed[0][-3000:]}"
    database = database_factory()
    assert await database.current_revision() == head_revision()
    async with database.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one() == 1
    await assert_schema_whole(database)


async def test_sqlite_waits_long_for_the_migration_lock_only_while_migrating(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path}/bot.db") as database:
        await database.migrate()
        async with database.engine.connect() as conn:  # the pool's one connection, which migrated
            assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one() == SQLITE_BUSY_TIMEOUT_MS
