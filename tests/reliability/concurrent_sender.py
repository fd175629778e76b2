"""A sender process with posts in flight, for the crash test: it can SIGKILL itself while posts are under way."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from worker_support import database_from_env, dying_poster, send_until_done

from bot.sender import SEND_CONCURRENCY, Sender
from bot.service import system_clock


async def main() -> None:
    database = database_from_env()
    sender = Sender(
        database.deliveries(),
        {"slack": dying_poster()},
        system_clock,
        concurrency=SEND_CONCURRENCY,
        lease=timedelta(seconds=float(os.environ.get("LEASE_SECONDS", "2"))),
        pacing={},
    )
    totals = await send_until_done(sender, await sender.run_once())
    print(f"sent={totals.sent} recovered={totals.recovered} failed={totals.failed}")
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
