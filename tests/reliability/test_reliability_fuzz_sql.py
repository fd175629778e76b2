"""Command fuzzing against real storage (a SQLite file per example, compared table by table before and after), and
the ids too large for the database's integer columns, which only real storage refuses, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from conftest import SOAK
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_reliability_fuzz import CLIENT, NOW, OWNER, POLICY, ROLES, seeded_store, text_for_commands

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.store import Store
from storage.database import Database
from storage.tables import Base

EXAMPLES = 500 if SOAK else 150


async def copy_state(source: Store, target: Store) -> None:
    """The seeded state, written through the target's own methods."""
    for closure in await source.list_closures(ending_after=NOW, include_cancelled=True):
        added = await target.add_closure(closure)
        if closure.cancelled_at:
            await target.cancel_closure(added.id, closure.cancelled_at)
    for slot in await source.list_meeting_slots():
        await target.set_meeting_slot(slot)
    for channel in await source.list_channels():
        await target.set_channel_mode(channel, await source.get_channel_mode(channel))
    await target.set_client_timezone("slack", "T1", "U_CLIENT", "Europe/London")


async def tables(database: Database) -> dict[str, list[tuple]]:
    async with database.engine.connect() as conn:
        return {
            table.name: sorted((await conn.execute(select(table))).all(), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_command_text_against_sqlite_changes_no_table_on_error(counts) -> None:
    tally: Counter = Counter()
    with tempfile.TemporaryDirectory() as directory:
        template = Path(directory) / "template.sqlite3"

        async def prepare() -> None:
            async with Database(f"sqlite:///{template}") as database:
                await database.migrate()
                await copy_state(await seeded_store(), database.store())

        asyncio.run(prepare())

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(text=text_for_commands(), invocation=st.sampled_from([OWNER, CLIENT]))
        @example(text="closure cancel 99999999999999999999", invocation=OWNER)  # found by this fuzzing: an overflow
        @example(text="closure cancel ²", invocation=OWNER)
        def check(text: str, invocation: Invocation) -> None:
            path = Path(directory) / "example.sqlite3"
            shutil.copyfile(template, path)

            async def run() -> None:
                async with Database(f"sqlite:///{path}") as database:
                    before = await tables(database)
                    result = await run_command(
                        text, Context(invocation, store=database.store(), policy=POLICY, roles=ROLES, now=NOW)
                    )
                    assert result.text.strip()
                    tally["ok" if result.ok else "refused"] += 1
                    if not result.ok:
                        assert await tables(database) == before, f"{text!r} failed but changed a table"

            asyncio.run(run())

        check()
    counts("commands on SQLite", examples=sum(tally.values()), **tally)
    assert tally["refused"]


async def test_closure_numbers_beyond_the_integer_columns_are_refused_clearly(database_factory) -> None:
    database = await database_factory.migrated()
    for number in ("2147483647", "2147483648", "99999999999999999999", "٣", "²"):
        result = await run_command(
            f"closure cancel {number}", Context(OWNER, store=database.store(), policy=POLICY, roles=ROLES, now=NOW)
        )
        assert not result.ok and ("is not a closure number" in result.text or "there is no open closure" in result.text)
