"""A replica starting up, for the concurrent migration test: says "ready", waits for "go" on stdin, migrates."""
from __future__ import annotations

import asyncio
import os
import sys

from sqlalchemy import event

from storage.database import Database


async def main() -> None:
    database = Database(os.environ["DATABASE_URL"])
    if schema := os.environ.get("TEST_PG_SCHEMA"):  # the test's PostgreSQL runs in a schema of its own

        @event.listens_for(database.engine.sync_engine, "do_connect")
        def _search_path(dialect, record, cargs, cparams):
            cparams.setdefault("server_settings", {})["search_path"] = schema
    print("ready", flush=True)
    sys.stdin.readline()  # every process is started and imported: the test releases them all at once
    try:
        await database.migrate()
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
