"""A replica starting up, for the concurrent migration test: says "ready", waits for "go" on stdin, migrates."""

from __future__ import annotations

import asyncio
import sys

from worker_support import database_from_env


async def main() -> None:
    database = database_from_env()
    print("ready", flush=True)
    sys.stdin.readline()  # every process is started and imported: the test releases them all at once
    try:
        await database.migrate()
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
