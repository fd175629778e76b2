"""The database goes away while events arrive: no crash, unrecorded events get a non-200 (so Slack retries them),
and after recovery, with Slack's redeliveries replayed, every event has exactly one reply.

How the database is made unavailable: on SQLite, another connection holds the write lock for the whole outage (as a
backup or a migration in another process would), so every write, the claim included, fails after its bounded wait;
on PostgreSQL, the bot reaches the server through a loopback TCP proxy that is cut (open connections reset, new ones
refused) and then restored, as when the database host drops off the network.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter

from conftest import SOAK
from slack_fakes import FakeSlack
from slack_harness import message_event, start_http
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from tcp_proxy import CuttableProxy

from storage.database import Database

OUTAGE_SECONDS = 30.0 if SOAK else 3.0
BEFORE = AFTER = 2.0  # seconds of traffic before and after the outage
RATE = 20  # events a second
SLACK_TIMEOUT = 3.0  # Slack gives up on an answer after 3 seconds and delivers the event again
SLACK_IN_FLIGHT = 16  # redeliveries Slack has open at once


class Outage:
    """Makes the database unavailable and back; `url` is what the bot connects to."""

    def __init__(self, factory) -> None:
        self.factory = factory
        self.proxy: CuttableProxy | None = None
        self.locker: sqlite3.Connection | None = None

    async def url(self) -> str:
        if self.factory.backend == "sqlite":
            return self.factory.url
        parsed = make_url(self.factory.url)
        self.proxy = await CuttableProxy(parsed.host or "127.0.0.1", parsed.port or 5432).start()
        return parsed.set(host="127.0.0.1", port=self.proxy.port).render_as_string(hide_password=False)

    def database(self, url: str) -> Database:
        database = Database(url)
        if self.factory.pg_schema:
            schema = self.factory.pg_schema

            @event.listens_for(database.engine.sync_engine, "do_connect")
            def _search_path(dialect, record, cargs, cparams):
                cparams.setdefault("server_settings", {})["search_path"] = schema

        return database

    async def begin(self) -> None:
        if self.proxy is not None:
            await self.proxy.cut()
        else:
            self.locker = sqlite3.connect(self.factory.sqlite_path, isolation_level=None)
            self.locker.execute("BEGIN IMMEDIATE")

    async def end(self) -> None:
        if self.proxy is not None:
            await self.proxy.restore()
        elif self.locker is not None:
            self.locker.execute("ROLLBACK")
            self.locker.close()
            self.locker = None

    async def close(self) -> None:
        if self.proxy is not None:
            await self.proxy.stop()
        if self.locker is not None:
            self.locker.close()


async def test_an_outage_while_events_arrive_ends_with_one_reply_each(database_factory, counts) -> None:
    outage = Outage(database_factory)
    database = outage.database(await outage.url())
    observer = database_factory()  # a direct connection that checks what a 200 promised, even mid-outage
    await observer.migrate()
    fake = await FakeSlack().start()
    events = [
        message_event(
            "Could you look at the invoice tonight?", user="U_CLIENT", channel=f"C{n:05d}", event_id=f"EvOut{n:05d}"
        )
        for n in range(int((BEFORE + OUTAGE_SECONDS + AFTER) * RATE))
    ]
    first: Counter = Counter()  # answers to first deliveries, by status
    replays: Counter = Counter()  # answers to redeliveries
    unanswered: list[dict] = []
    acked_unrecorded: list[str] = []
    try:
        async for http in start_http(fake, database):

            async def deliver(body: dict, retry: int) -> bool:
                extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_error"} if retry else None
                try:
                    status, _ = await asyncio.wait_for(http.event(body, extra=extra), SLACK_TIMEOUT)
                except TimeoutError:
                    status = "timeout"
                (replays if retry else first)[status] += 1
                if status != 200:
                    return False
                async with observer.engine.connect() as conn:  # recorded before the ack, or the ack was a lie
                    found = (
                        await conn.execute(
                            text("SELECT count(*) FROM seen_events WHERE event_id = :e"), {"e": body["event_id"]}
                        )
                    ).scalar()
                if not found:
                    acked_unrecorded.append(body["event_id"])
                return True

            async def first_delivery(n: int, body: dict) -> None:
                await asyncio.sleep(n / RATE)
                if not await deliver(body, 0):
                    unanswered.append(body)

            async def database_goes_away() -> None:
                await asyncio.sleep(BEFORE)
                await outage.begin()
                await asyncio.sleep(OUTAGE_SECONDS)
                await outage.end()

            started = time.monotonic()
            await asyncio.gather(database_goes_away(), *(first_delivery(n, body) for n, body in enumerate(events)))
            refused = len(unanswered)
            rounds = 0
            while unanswered and rounds < 10:  # Slack delivers again what got no 200 (it gives up after 3 retries)
                rounds += 1
                await asyncio.sleep(1.0)
                slots = asyncio.Semaphore(SLACK_IN_FLIGHT)

                async def redeliver(body: dict) -> bool:
                    async with slots:
                        return await deliver(body, min(rounds, 3))

                results = await asyncio.gather(*(redeliver(body) for body in unanswered))
                unanswered = [body for body, ok in zip(unanswered, results, strict=True) if not ok]
            while len(fake.calls_to("chat.postMessage")) < len(events) and time.monotonic() - started < 300:
                await asyncio.sleep(0.1)  # acknowledged events still retrying their handling finish here
            await http.settle()
            async with http.session.get(http.url + "/healthz") as health:
                alive = health.status
        replies = Counter(call.args["thread_ts"] for call in fake.calls_to("chat.postMessage"))
    finally:
        await outage.close()
        await fake.close()
        await database.dispose()
    counts(
        f"{database_factory.backend}, {OUTAGE_SECONDS:.0f} s outage",
        events=len(events),
        first_answers=dict(sorted(first.items(), key=str)),
        redeliveries=dict(sorted(replays.items(), key=str)),
        redelivery_rounds=rounds,
        replies=sum(replies.values()),
        events_without_reply=sum(1 for e in events if replies[e["event"]["ts"]] == 0),
        acknowledged_but_unrecorded=len(acked_unrecorded),
    )
    assert alive == 200
    assert refused > 0, "the outage should have refused some events"
    assert unanswered == [] and acked_unrecorded == []
    assert all(replies[body["event"]["ts"]] == 1 for body in events)
    assert sum(replies.values()) == len(events)
