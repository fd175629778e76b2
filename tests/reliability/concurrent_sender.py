"""A sender process with 8 posts in flight, for the crash test: it can SIGKILL itself while posts are under way."""
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
from bot.sender import SEND_CONCURRENCY, Sender
from bot.service import system_clock
from bot.settings import Settings
from storage.database import Database


async def main() -> None:
    database = Database(os.environ["DATABASE_URL"])
    if schema := os.environ.get("TEST_PG_SCHEMA"):

        @event.listens_for(database.engine.sync_engine, "do_connect")
        def _search_path(dialect, record, cargs, cparams):  # noqa: ANN001, ANN202
            cparams.setdefault("server_settings", {})["search_path"] = schema
    client = web_client(Settings(_env_file=None), os.environ["SLACK_BOT_TOKEN"], retries=False)

    async def client_for(workspace_id: str):
        return client

    poster = SlackPoster(client_for)
    crash_after, posted, post = int(os.environ.get("CRASH_AFTER_POSTS", "0")), 0, poster.post

    async def post_then_maybe_die(item: Post) -> str:
        nonlocal posted
        ts = await post(item)
        posted += 1
        if posted == crash_after:  # other posts are in flight, and this one is not recorded yet
            os.kill(os.getpid(), signal.SIGKILL)
        return ts

    poster.post = post_then_maybe_die
    sender = Sender(database.deliveries(), {"slack": poster}, system_clock, concurrency=SEND_CONCURRENCY,
                    lease=timedelta(seconds=float(os.environ.get("LEASE_SECONDS", "2"))), pacing={})
    totals = await sender.run_once()
    queue = database.deliveries()
    while await queue.list_deliveries(states=[DeliveryState.PENDING, DeliveryState.IN_FLIGHT]):
        await asyncio.sleep(0.2)  # leases of a killed process run out, then they are claimed here
        more = await sender.run_once()
        totals.sent += more.sent
        totals.recovered += more.recovered
    print(f"sent={totals.sent} recovered={totals.recovered} failed={totals.failed}")
    await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
