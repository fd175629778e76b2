"""Several SqlStore calls in one transaction: a stand-in engine whose begin()/connect() yield one connection."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

READ_ONLY = "boundary_read_only"  # execution option: on SQLite, a plain (deferred) BEGIN that takes no write lock
BUSY_TIMEOUT_MS = "boundary_busy_timeout_ms"  # execution option: this transaction's SQLite busy timeout


class OneConnection:
    """Looks enough like an AsyncEngine to SqlStore; every statement runs on the connection it wraps."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.dialect = connection.dialect

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        yield self.connection

    connect = begin


@contextlib.asynccontextmanager
async def one_transaction(engine: AsyncEngine | OneConnection, *, readonly: bool = False,
                          busy_timeout_ms: int | None = None) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction, committed at exit and rolled back on error; inside another, that one.

    `readonly` lets SQLite read a snapshot without the write lock; `busy_timeout_ms` bounds how long SQLite
    waits for a lock another process holds (both are ignored on PostgreSQL).
    """
    if isinstance(engine, OneConnection):
        yield engine.connection
        return
    options: dict[str, Any] = {}
    if readonly:
        options[READ_ONLY] = True
    if busy_timeout_ms is not None:
        options[BUSY_TIMEOUT_MS] = busy_timeout_ms
    async with engine.connect() as connection:
        if options:
            await connection.execution_options(**options)
        async with connection.begin():
            yield connection
