"""Telling a database that is down, locked or unreachable (worth retrying later) from a bug (not worth it)."""

from __future__ import annotations

import asyncio
import sqlite3

from sqlalchemy import exc

_TRANSIENT = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,
    OSError,
    asyncio.TimeoutError,
    ConnectionError,
    sqlite3.OperationalError,
)

# asyncpg's names for a server that is starting, shutting down or out of connections (the rest say "Connection").
_ASYNCPG_UNAVAILABLE = {
    "CannotConnectNowError",
    "TooManyConnectionsError",
    "AdminShutdownError",
    "CrashShutdownError",
    "InterfaceError",
}


def is_unavailable(error: BaseException) -> bool:
    """True when the error says the database could not be reached or written just now (lock, network, restart)."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, _TRANSIENT):
        return True
    module = type(error).__module__ or ""
    name = type(error).__name__
    return module.startswith("asyncpg") and ("Connection" in name or name in _ASYNCPG_UNAVAILABLE)
