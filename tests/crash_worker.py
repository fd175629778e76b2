"""A real sender process for the crash tests: posts due deliveries to Slack and can SIGKILL itself mid-way."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from worker_support import database_from_env, dying_poster, send_until_done

from bot.sender import PACING_SECONDS, SEND_CONCURRENCY, Sender
from bot.service import system_clock


async def main() -> None:
    database = database_from_env()
    concurrent = bool(os.environ.get("CONCURRENT"))  # posts in flight at once, as the running bot sends, unpaced
    sender = Sender(
        database.deliveries(),
        {"slack": dying_poster()},
        system_clock,
        concurrency=SEND_CONCURRENCY if concurrent else 1,
        lease=timedelta(seconds=float(os.environ.get("LEASE_SECONDS", "2"))),
        pacing={} if concurrent else dict(PACING_SECONDS),
    )
    report = await sender.run_once()
    if os.environ.get("UNTIL_EMPTY"):  # keep going until no row is pending, leased or unknown by anyone
        report = await send_until_done(sender, report)
    print(f"sent={report.sent} recovered={report.recovered} failed={report.failed} retried={report.retried}")
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
