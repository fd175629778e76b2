"""A real sender process for the crash test: posts due deliveries to Slack and can SIGKILL itself mid-way."""
from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta

from sqlalchemy import event

from adapters.slack.client import web_client
from adapters.slack.poster import SlackPoster
from bot.outbound import Post
from bot.queue import DeliveryState
from bot.sender import Sender
from bot.service import system_clock
from bot.settings import Settings
from storage.database import Database


async def main() -> None:
    database = Database(os.environ["DATABASE_URL"])
    if schema := os.environ.get("TEST_PG_SCHEMA"):  # the test's PostgreSQL runs in a schema of its own

        @event.listens_for(database.engine.sync_engine, "do_connect")
        def _search_path(dialect, record, cargs, cparams):
            cparams.setdefault("server_settings", {})["search_path"] = schema
    client = web_client(Settings(), os.environ["SLACK_BOT_TOKEN"], retries=False)

    async def client_for(workspace_id: str):
        return client

    poster = SlackPoster(client_for)
    crash_after = int(os.environ.get("CRASH_AFTER_POSTS", "0"))
    posted = 0
    post = poster.post

    async def post_then_maybe_die(item: Post) -> str:
        nonlocal posted
        ts = await post(item)
        posted += 1
        if posted == crash_after:  # posted, but the sender has not recorded it yet: the worst moment
            os.kill(os.getpid(), signal.SIGKILL)
        return ts

    poster.post = post_then_maybe_die
    sender = Sender(database.deliveries(), {"slack": poster}, system_clock,
                    lease=timedelta(seconds=float(os.environ.get("LEASE_SECONDS", "2"))))
    report = await sender.run_once()
    if os.environ.get("UNTIL_EMPTY"):  # keep going until no row is pending or leased by anyone
        queue = database.deliveries()
        while await queue.list_deliveries(states=[DeliveryState.PENDING, DeliveryState.IN_FLIGHT]):
            await asyncio.sleep(0.2)
            more = await sender.run_once()
            report.sent += more.sent
            report.recovered += more.recovered
    print(f"sent={report.sent} recovered={report.recovered} failed={report.failed} retried={report.retried}")
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
