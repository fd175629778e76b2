"""Shared fixtures: `store` over memory, SQLite and PostgreSQL, `database_factory` for SQL-level tests,
`inbox` / `smtp`, a loopback SMTP server (tests/email_server.py) and what it received, and `imap`, a loopback IMAP
server (tests/imap_server.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from email_server import Inbox, LoopbackController, smtp_server
from imap_server import ImapServer, imap_server
from memory_store import MemoryStore
from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage.database import Database, normalize_url

ROOT = Path(__file__).resolve().parents[1]
# every process a test starts (the command line, replicas, workers) runs this tree's code, not an installed copy's
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

pytest_plugins = ("slack_harness", "discord_harness")  # the Slack and Discord fakes' fixtures, for every test

PG_URL = os.environ.get("TEST_DATABASE_URL") or None
PG_SKIP_REASON = "PostgreSQL tests skipped: " + (
    os.environ.get("TEST_DATABASE_SKIP_REASON", "").strip()
    or "TEST_DATABASE_URL is not set (`make test` finds one with scripts/ensure-postgres.sh)"
)


class DatabaseFactory:
    """Makes Database handles that all point at one empty test database (a tmp SQLite file or a PG schema)."""

    def __init__(self, backend: str, *, sqlite_path: Path | None = None, pg_schema: str | None = None) -> None:
        self.backend = backend
        self.sqlite_path = sqlite_path
        self.pg_schema = pg_schema
        self.created: list[Database] = []

    @property
    def url(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        assert PG_URL is not None
        return PG_URL

    def __call__(self) -> Database:
        database = Database(self.url)
        if self.pg_schema is not None:
            schema = self.pg_schema

            @event.listens_for(database.engine.sync_engine, "do_connect")
            def _search_path(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
                cparams.setdefault("server_settings", {})["search_path"] = schema

        self.created.append(database)
        return database

    async def migrated(self) -> Database:
        """A handle on the test database, migrated to head."""
        database = self()
        await database.migrate()
        return database

    async def dispose_all(self) -> None:
        for database in self.created:
            await database.dispose()


async def _create_pg_schema() -> tuple[str, Any]:
    if PG_URL is None:
        pytest.skip(PG_SKIP_REASON)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(normalize_url(PG_URL), poolclass=NullPool)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except (OSError, SQLAlchemyError) as exc:
        await admin.dispose()
        pytest.fail(f"TEST_DATABASE_URL is set but PostgreSQL is not usable: {exc}")
    return schema, admin


async def _drop_pg_schema(schema: str, admin: Any) -> None:
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


async def _factory(backend: str, tmp_path: Path) -> AsyncIterator[DatabaseFactory]:
    if backend == "sqlite":
        factory = DatabaseFactory("sqlite", sqlite_path=tmp_path / "bot.db")
        try:
            yield factory
        finally:
            await factory.dispose_all()
        return
    schema, admin = await _create_pg_schema()
    factory = DatabaseFactory("postgresql", pg_schema=schema)
    try:
        yield factory
    finally:
        await factory.dispose_all()
        await _drop_pg_schema(schema, admin)


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DatabaseFactory]:
    """Call it for Database handles on one fresh, empty (unmigrated) database; all disposed afterwards."""
    async for factory in _factory(request.param, tmp_path):
        yield factory


@pytest_asyncio.fixture
async def postgres_factory(tmp_path: Path) -> AsyncIterator[DatabaseFactory]:
    """database_factory on PostgreSQL only: for several processes on one queue (SKIP LOCKED), which SQLite's one
    writer does not serve, so there is no SQLite variant to skip."""
    async for factory in _factory("postgresql", tmp_path):
        yield factory


@pytest_asyncio.fixture(params=["memory", "sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    """A bot.store.Store on a clean, migrated backend."""
    if request.param == "memory":
        yield MemoryStore()
        return
    async for factory in _factory(request.param, tmp_path):
        yield (await factory.migrated()).store()


@pytest.fixture
def inbox() -> Inbox:
    """What the `smtp` server received; set `refuse` / `refusal` on it to have the server refuse for a while."""
    return Inbox()


@pytest.fixture
def smtp(inbox: Inbox) -> Iterator[LoopbackController]:
    """A running loopback SMTP server (default options: login over plain text) delivering into `inbox`."""
    with smtp_server(inbox) as controller:
        yield controller


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    """A running loopback IMAP server (pymap, in memory, login over plain text): `deliver` APPENDs to its INBOX."""
    with imap_server() as server:
        yield server


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite database in the test's own folder."""
    db = Database(f"sqlite:///{tmp_path}/bot.sqlite3")
    await db.migrate()
    try:
        yield db
    finally:
        await db.dispose()
