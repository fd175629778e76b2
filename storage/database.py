"""The Database handle: URL normalisation, async engine setup (SQLite WAL, busy timeout), locked migrations."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from storage.message_path import MessagePath, message_path_for
from storage.queue import SqlDeliveryQueue
from storage.store import SqlStore

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Migrating takes a lock, so replicas starting together queue instead of racing to create the same tables (the
# later ones then find the database at head). PostgreSQL: pg_advisory_xact_lock on this key, which is "boundary"
# in ASCII; it is held until the migration's transaction ends. SQLite: the write lock taken by BEGIN IMMEDIATE,
# waiting up to the migration busy timeout below, long enough for another process's slow migration.
MIGRATION_LOCK_KEY = 0x626F756E64617279
SQLITE_MIGRATION_BUSY_TIMEOUT_MS = 600_000

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


def normalize_url(url: str) -> str:
    """The URL with its async driver (sqlite+aiosqlite or postgresql+asyncpg); ValueError for anything else."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        # The text is not echoed: it may hold a password.
        raise ValueError("not a database URL; expected sqlite:///path or postgresql://user@host/db") from exc
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database URL scheme {parsed.drivername!r}; use sqlite:///path/to/bot.db "
            "(or sqlite+aiosqlite://) or postgresql://user:password@host:5432/dbname (or postgresql+asyncpg://)"
        )
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def _is_memory_sqlite(database: str | None) -> bool:
    return not database or database == ":memory:" or database.startswith("file::memory:")


def _private_file(path: Path) -> None:
    """Create the database file readable by this user only (it holds tokens in OAuth mode), and take group and
    other access away from one that exists; SQLite gives its -wal and -shm files the database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def alembic_config(url: str | None = None) -> Config:
    """Alembic configuration built in code, so no alembic.ini is needed at runtime."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    """One async engine for a database URL; hands out SqlStore instances sharing it."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": self.dialect == "postgresql"}
        if self.dialect == "sqlite":
            if _is_memory_sqlite(parsed.database):
                kwargs["poolclass"] = StaticPool
            else:
                _private_file(Path(parsed.database or "").expanduser())
                # One connection per process: SQLite has one writer anyway, so transactions queue here in order
                # instead of polling SQLite's busy handler, and aiosqlite runs one thread instead of fifteen.
                kwargs.update(pool_size=1, max_overflow=0)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine, wal=not _is_memory_sqlite(parsed.database))
        self.messages: MessagePath = message_path_for(
            self.engine, in_memory=self.dialect == "sqlite" and _is_memory_sqlite(parsed.database)
        )

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"

    async def migrate(self, revision: str = "head") -> None:
        """Apply Alembic migrations up to `revision` (default head) in one locked transaction; a no-op when current."""
        async with self.engine.connect() as conn:
            await conn.run_sync(_run_alembic, self.url, "upgrade", revision)

    async def downgrade(self, revision: str = "base") -> None:
        """Revert Alembic migrations down to `revision` (default: drop everything), under the same lock."""
        async with self.engine.connect() as conn:
            await conn.run_sync(_run_alembic, self.url, "downgrade", revision)

    async def current_revision(self) -> str | None:
        """The Alembic revision the database is at, or None when it was never migrated."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())

    def store(self) -> SqlStore:
        """A Store backed by this database (cheap; stores share the engine's pool)."""
        return SqlStore(self.engine, self.messages)

    def deliveries(self) -> SqlDeliveryQueue:
        """The delivery queue on this database."""
        return SqlDeliveryQueue(self.engine, self.messages)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.messages.close()
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.dispose()


def _run_alembic(connection: Connection, url: str, action: str, revision: str) -> None:
    """Run alembic in one transaction that first takes the migration lock (see MIGRATION_LOCK_KEY)."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # before BEGIN IMMEDIATE, which waits for the write lock
        _set_busy_timeout(connection, SQLITE_MIGRATION_BUSY_TIMEOUT_MS)
    try:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            cfg = alembic_config(url)
            cfg.attributes["connection"] = connection
            if action == "upgrade":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
    finally:
        if sqlite:
            _set_busy_timeout(connection, SQLITE_BUSY_TIMEOUT_MS)


def _set_busy_timeout(connection: Connection, milliseconds: int) -> None:
    # On the DBAPI connection: through SQLAlchemy, the PRAGMA would begin a transaction (BEGIN IMMEDIATE) first.
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any, seconds: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
    """PRAGMA journal_mode = WAL, waited for: switching a new file's journal needs it to itself, and SQLite answers
    "database is locked" at once, without its busy handler, while another process (replicas starting together)
    holds it."""
    deadline, wait = time.monotonic() + seconds, 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as error:  # the driver's OperationalError, as the adapter raises it
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(wait)  # in the driver's own thread, on a connection not yet handed out
        wait = min(wait * 2, 0.2)


def _configure_sqlite(engine: AsyncEngine, *, wal: bool) -> None:
    """Busy timeout, WAL and foreign keys on every new connection; explicit BEGIN IMMEDIATE transactions.

    BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads then writes never fails
    with SQLITE_BUSY half-way; concurrent writers (threads or processes) wait up to the busy timeout.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                _switch_to_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
