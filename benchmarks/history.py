"""Growth: the periodic reads and a message's read with a year and ten years of busy history, their EXPLAIN lines,
and a pruning pass."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks.databases import scratch_database
from benchmarks.report import figure
from bot.messages import ChannelRef
from bot.planner import CLOSURE_KINDS
from bot.queue import DeliveryState
from bot.retention import Retention, cutoffs
from storage.database import Database
from storage.tables import deliveries, reply_log, seen_events

NOW = datetime(2036, 3, 10, 3, 0, tzinfo=UTC)
PER_DAY = 200  # client messages a day, each answered automatically (the busy year)
CHANNELS, CLIENTS = 100, 300
POSTS_PER_DAY = 20  # notices, reminders, forwards and digests
CHUNK = 5_000
REPEAT = 15
SQL = {  # the statements behind the reads, for EXPLAIN (as the store issues them)
    "digest (reply_log_between)": "SELECT * FROM reply_log WHERE sent_at >= {day_ago} AND sent_at < {now} "
    "ORDER BY sent_at, id",
    "App Home (recent_reply_log)": "SELECT * FROM reply_log ORDER BY sent_at DESC, id DESC LIMIT 10",
    "planner (sent_to)": "SELECT DISTINCT subject_id, platform, workspace_id, channel_id FROM deliveries "
    "WHERE kind IN ('closure_notice', 'closure_start') AND subject_id IN ('s0', 's1', 's2', 's3') "
    "AND (state = 'sent' OR "
    "(state = 'cancelled' AND posting_at IS NOT NULL))",
    "digest failures": "SELECT * FROM deliveries WHERE state IN ('failed') AND updated_at >= {week_ago} "
    "ORDER BY due_at, id",
    "sender claim": "SELECT id FROM deliveries WHERE state IN ('pending', 'in_flight', 'unknown') AND "
    "((state IN ('pending', 'unknown') AND next_attempt_at <= {now}) OR "
    "(state = 'in_flight' AND lease_until <= {now})) AND cancelled_at IS NULL "
    "ORDER BY due_at, id LIMIT 32",
    "pruning (payload batch)": "SELECT id FROM deliveries WHERE payload <> '{{}}' AND state IN ('sent', "
    "'cancelled') AND updated_at < {now} LIMIT 500",
}


def _rows(days: int) -> tuple[list[dict], list[dict], list[dict]]:
    replies, seen, posts = [], [], []
    for day in range(days):
        base = NOW - timedelta(days=days - day)
        for n in range(PER_DAY):
            at = base + timedelta(seconds=n * 400)
            client = (day * PER_DAY + n) % CLIENTS
            replies.append(
                {
                    "platform": "slack",
                    "workspace_id": "T1",
                    "channel_id": f"C{client % CHANNELS}",
                    "client_id": f"U{client}",
                    "client_name": f"Client {client}",
                    "kind": "after_hours",
                    "window_key": f"window:{day}",
                    "sent_at": at,
                    "message_id": f"{day}.{n}",
                    "text_excerpt": "x" * 200,
                    "permalink": f"https://x.slack.com/p{day}{n}",
                }
            )
            seen.append({"platform": "slack", "event_id": f"Ev{day}.{n}", "seen_at": at})
        for n in range(POSTS_PER_DAY):
            kind = CLOSURE_KINDS[n % 2] if n < 4 else "meeting_reminder"
            posts.append(
                {
                    "kind": kind,
                    "subject_id": f"s{day}",
                    "occurrence": f"{day}",
                    "platform": "slack",
                    "workspace_id": "T1",
                    "channel_id": f"C{n}",
                    "due_at": base,
                    "state": "sent",
                    "payload": json.dumps({"text": "y" * 400, "expires_at": base.isoformat()}),
                    "attempts": 1,
                    "platform_message_id": f"{day}.{n}",
                    "created_at": base,
                    "updated_at": base,
                }
            )
    return replies, seen, posts


def _when(row: dict) -> datetime:
    return row.get("sent_at") or row.get("seen_at") or row["due_at"]


async def _fill(database: Database, days: int, *, recent: bool) -> None:
    """The last two days' rows (`recent`), or all the older ones."""
    edge = NOW - timedelta(days=2)
    replies, seen, posts = ([r for r in rows if (_when(r) >= edge) == recent] for rows in _rows(days))
    for table, rows in (
        (reply_log, replies),
        (seen_events, seen),
        (deliveries, posts),
    ):
        for start in range(0, len(rows), CHUNK):
            async with database.engine.begin() as conn:
                await conn.execute(table.insert(), rows[start : start + CHUNK])
    async with database.engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")


async def _timed(call) -> float:
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def _reads(database: Database) -> dict[str, float]:
    store, queue = database.store(), database.deliveries()
    channel = ChannelRef("slack", "T1", "C7")
    subjects = ["s0", "s1", "s2", "s3"]  # the planner asks about the closures it plans: a handful
    return {
        "message read": await _timed(
            lambda: store.load_message_state(channel, "U7", NOW, lambda *_: NOW - timedelta(days=1))
        ),
        "digest": await _timed(lambda: store.reply_log_between(NOW - timedelta(days=1), NOW)),
        "App Home": await _timed(lambda: store.recent_reply_log(10)),
        "planner sent_to": await _timed(lambda: queue.sent_to(CLOSURE_KINDS, subjects)),
        "digest failures": await _timed(
            lambda: queue.list_deliveries(states=[DeliveryState.FAILED], updated_since=NOW - timedelta(days=7))
        ),
        "sender claim (nothing due)": await _timed(
            lambda: queue.claim(NOW, "bench", timedelta(seconds=10), 32, to_look_up=4)
        ),
    }


async def _explain(database: Database) -> list[str]:
    sqlite = database.dialect == "sqlite"
    literal = (
        (lambda t: f"'{t.replace(tzinfo=None).isoformat(sep=' ')}.000000'")
        if sqlite
        else (lambda t: f"'{t.isoformat()}'::timestamptz")
    )
    values = {
        "now": literal(NOW),
        "day_ago": literal(NOW - timedelta(days=1)),
        "week_ago": literal(NOW - timedelta(days=7)),
    }
    lines = []
    async with database.engine.connect() as conn:
        for name, sql in SQL.items():
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (COSTS OFF) "
            plan = (await conn.execute(text(prefix + sql.format(**values)))).all()
            steps = [row[-1] for row in plan]
            lines.append(f"{database.dialect} {name}: " + " / ".join(s.strip() for s in steps))
    return lines


async def _one(kind: str, days: int) -> None:
    async with scratch_database(kind) as url, Database(url) as database:
        await database.migrate()
        await _fill(database, days, recent=True)
        empty = await _reads(database)  # the baseline: the same answers, from two days of history
        started = time.perf_counter()
        await _fill(database, days, recent=False)
        filled_in = time.perf_counter() - started
        full = await _reads(database)
        for name, ms in full.items():
            figure(
                f"{kind} {days // 365}y {name}",
                f"{ms:.2f} ms ({ms / empty[name]:.2f}x 2 days)",
                f"median of {REPEAT}; {days * PER_DAY:,} replies, {days * POSTS_PER_DAY:,} posts, filled in "
                f"{filled_in:.0f} s",
            )
        for line in await _explain(database):
            print("  " + line, flush=True)
        started = time.perf_counter()
        report = await database.store().prune(cutoffs(Retention(), NOW), max_batches=10_000)
        figure(
            f"{kind} {days // 365}y first pruning pass",
            f"{time.perf_counter() - started:.1f} s",
            f"{report.event_ids:,} event ids, {report.replies:,} replies, {report.payloads:,} payloads, batches of 500",
        )
        after = await _reads(database)
        figure(
            f"{kind} {days // 365}y digest after pruning",
            f"{after['digest']:.2f} ms",
            f"({after['digest'] / empty['digest']:.2f}x 2 days)",
        )


def run(years: tuple[int, ...] = (1, 10)) -> None:
    for kind in ("sqlite", "postgresql"):
        for count in years:
            try:
                asyncio.run(_one(kind, 365 * count))
            except RuntimeError as error:
                figure(f"{kind} history", "skipped", str(error))
