"""Alembic migrations on empty SQLite and PostgreSQL databases, and Database URL handling."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from factories import message as client_message
from sqlalchemy import inspect

from bot.models import SentReply
from bot.store import DecisionRecord
from storage.database import MIGRATIONS_DIR, Database, alembic_config, normalize_url
from storage.tables import Base

TABLES = {
    "closures",
    "channels",
    "meeting_slots",
    "client_timezones",
    "reply_log",
    "seen_events",
    "deliveries",
    "departures",
}
UNIQUES = {
    "channels": ("platform", "workspace_id", "channel_id"),
    "meeting_slots": ("platform", "workspace_id", "channel_id"),
    "client_timezones": ("platform", "workspace_id", "user_id"),
    "seen_events": ("platform", "event_id"),
    "deliveries": ("kind", "subject_id", "occurrence", "platform", "workspace_id", "channel_id"),
}
INDEXES = {
    "reply_log": ("platform", "workspace_id", "channel_id", "client_id", "sent_at"),
    "deliveries": ("due_at", "id"),  # ix_deliveries_unfinished, which the sender's claim reads
}


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def schema_of(database: Database) -> dict[str, Any]:
    def read(sync_conn: Any) -> dict[str, Any]:
        inspector = inspect(sync_conn)
        tables = set(inspector.get_table_names())
        return {
            "tables": tables,
            "uniques": {
                t: {tuple(u["column_names"]) for u in inspector.get_unique_constraints(t)} for t in tables & TABLES
            },
            "indexes": {t: {tuple(i["column_names"]) for i in inspector.get_indexes(t)} for t in tables & TABLES},
            "diff": compare_metadata(MigrationContext.configure(sync_conn), Base.metadata),
        }

    async with database.engine.connect() as conn:
        return await conn.run_sync(read)


async def test_upgrade_empty_database_to_head(database_factory) -> None:
    database = database_factory()
    assert await database.current_revision() is None
    await database.migrate()
    assert await database.current_revision() == head_revision()
    await assert_schema_whole(database)


async def assert_schema_whole(database) -> None:
    """Every table, unique constraint and index of head is there, and the migrations match storage/tables.py."""
    schema = await schema_of(database)
    assert schema["tables"] >= TABLES
    for table, columns in UNIQUES.items():
        assert columns in schema["uniques"][table], table
    for table, columns in INDEXES.items():
        assert columns in schema["indexes"][table], table
    assert schema["diff"] == [], "migrations and storage/tables.py disagree"


async def test_migrating_twice_is_a_no_op(database_factory) -> None:
    database = await database_factory.migrated()
    store = database.store()
    await store.mark_event_seen("slack", "Ev1", datetime.now(UTC))
    before = await schema_of(database)
    await database.migrate()
    await database_factory().migrate()  # another handle (another process) finds it current too
    assert await database.current_revision() == head_revision()
    assert await schema_of(database) == before
    assert await store.mark_event_seen("slack", "Ev1", datetime.now(UTC)) is False


async def test_downgrade_to_base_and_back(database_factory) -> None:
    database = await database_factory.migrated()
    await database.downgrade("base")
    assert await database.current_revision() is None
    assert not (TABLES & (await schema_of(database))["tables"])
    await database.migrate()
    assert (await schema_of(database))["tables"] >= TABLES


def test_migration_files_ship_with_the_package() -> None:
    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "storage*" in config["packages"]["find"]["include"]
    assert (MIGRATIONS_DIR / "__init__.py").is_file() and (MIGRATIONS_DIR / "versions" / "__init__.py").is_file()
    data = config["package-data"]["storage"]
    assert {"migrations/*.mako", "migrations/versions/*.py"} <= set(data)
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("0001_*.py"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
        ("sqlite+aiosqlite:////abs/bot.db", "sqlite+aiosqlite:////abs/bot.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://u:p%40ss@db:5432/bot", "postgresql+asyncpg://u:p%40ss@db:5432/bot"),
        ("postgresql+asyncpg://u@db/bot", "postgresql+asyncpg://u@db/bot"),
        ("postgres://u@db/bot", "postgresql+asyncpg://u@db/bot"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


@pytest.mark.parametrize(
    "bad", ["mysql://u@db/bot", "postgresql+psycopg2://u@db/bot", "sqlite+pysqlite:///x.db", "bot.db", ""]
)
def test_unsupported_urls_are_a_clear_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="sqlite:///"):
        Database(bad)


async def test_in_memory_sqlite_works() -> None:
    async with Database("sqlite://") as database:
        await database.migrate()
        assert await database.store().mark_event_seen("slack", "e", datetime.now(UTC)) is True
        assert await database.store().mark_event_seen("slack", "e", datetime.now(UTC)) is False
        # the message path runs on the engine's one in-memory connection: a claim, a read and a record
        message = client_message("hi", datetime.now(UTC), author_id="U1")
        state = await database.store().claim_message(message, message.received_at, lambda context, closures: None)
        assert state is not None and state.closures == ()
        reply = SentReply("after_hours", "w", message.received_at)
        assert await database.store().record_decision(
            DecisionRecord(message, [reply], version=0, remember_channel=True)
        )
        assert await database.store().recent_replies(message.channel, "U1", message.received_at) == [reply]


async def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    async with Database(f"sqlite:///{tmp_path}/nested/dir/bot.db") as database:
        await database.migrate()
    assert (tmp_path / "nested" / "dir" / "bot.db").is_file()
