"""Pruning and erasure in SQL: small batches, each its own short transaction, safe to run in several replicas."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.forwarding import FORWARD_FAILED_KIND, FORWARD_KIND
from bot.queue import DeliveryState
from bot.replies import REPLY_KIND
from bot.retention import ClientRef, Cutoffs, ForgetReport, Held, PruneReport
from bot.urgent_alert import ALERT_KIND
from storage.rows import UNFINISHED_STATES
from storage.tables import (
    PAYLOAD_KEPT,
    as_utc,
    client_timezones,
    deliveries,
    departures,
    pauses,
    promises,
    reply_heads,
    reply_log,
    seen_events,
)

CUT = "{}"  # a delivery's payload once cut: keys, state and platform_message_id stay on the row

_SENT = [DeliveryState.SENT.value, DeliveryState.CANCELLED.value]
_FAILED = [DeliveryState.FAILED.value, DeliveryState.SKIPPED.value]
_CLIENT_KINDS = (FORWARD_KIND, FORWARD_FAILED_KIND, REPLY_KIND, ALERT_KIND)  # posts carrying a client's words or name
# The payload filter as a literal (not a bound parameter), so both databases can use the partial index on it.
_KEPT = text(PAYLOAD_KEPT)


async def prune(engine: AsyncEngine, due: Cutoffs, *, max_batches: int = 100) -> PruneReport:
    """Delete or cut what `due` says, at most `max_batches` batches of each kind; a batch that finds nothing (or
    another replica's locked rows, which it skips) ends that kind. Idempotent: a second pass finds nothing."""
    postgres = engine.dialect.name == "postgresql"

    def batch(table: Any, *where: Any) -> Any:
        ids = select(table.c.id).where(*where).limit(due.batch)
        return table.c.id.in_(ids.with_for_update(skip_locked=True) if postgres else ids)

    statements = {
        "event_ids": lambda: delete(seen_events).where(
            batch(seen_events, seen_events.c.seen_at < as_utc(due.event_ids))
        ),
        "replies": lambda: delete(reply_log).where(batch(reply_log, reply_log.c.sent_at < as_utc(due.replies))),
        "payloads": lambda: (
            update(deliveries)
            .where(
                batch(
                    deliveries,
                    _KEPT,
                    or_(
                        and_(deliveries.c.state.in_(_SENT), deliveries.c.updated_at < as_utc(due.sent_payloads)),
                        and_(deliveries.c.state.in_(_FAILED), deliveries.c.updated_at < as_utc(due.failed_payloads)),
                    ),
                )
            )
            .values(payload=CUT)
        ),  # updated_at stays: the digest and follow-ups read failures by it
    }
    counts: dict[str, int] = {}
    for name, statement in statements.items():
        counts[name] = 0
        for _ in range(max_batches):
            async with engine.begin() as conn:
                done = (await conn.execute(statement())).rowcount
            counts[name] += done
            if done < due.batch:
                break
    async with engine.begin() as conn:
        counts["rate_pauses"] = (await conn.execute(delete(pauses).where(pauses.c.until <= as_utc(due.now)))).rowcount
    if not postgres:  # PostgreSQL's autovacuum keeps its statistics current; SQLite needs ANALYZE now and then
        async with engine.begin() as conn:
            await conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
            await conn.exec_driver_sql("ANALYZE")
    return PruneReport(**counts)


def client_match(table: Any, client: ClientRef, user_column: str = "client_id") -> list[Any]:
    where = [table.c[user_column] == client.user_id]
    if client.platform is not None:
        where.append(table.c.platform == client.platform)
    if client.workspace_id is not None:
        where.append(table.c.workspace_id == client.workspace_id)
    return where


async def client_deliveries(conn: AsyncConnection, client: ClientRef) -> list[Any]:
    """The delivery rows that carry this client's words or name (email forwards of their messages, the note that
    one failed), payload not yet cut; forwards from before author ids were stored are found by the message ids
    the reply log holds for the client."""
    messages = set(
        (
            await conn.execute(
                select(
                    reply_log.c.platform, reply_log.c.workspace_id, reply_log.c.channel_id, reply_log.c.message_id
                ).where(*client_match(reply_log, client))
            )
        ).all()
    )
    subjects = {":".join(map(str, row)) for row in messages}
    rows = (await conn.execute(select(deliveries).where(deliveries.c.kind.in_(_CLIENT_KINDS), _KEPT))).all()
    found = []
    for row in rows:
        data = json.loads(row.payload).get("data") or {}
        place = (data.get("platform", row.platform), data.get("workspace_id", row.workspace_id))
        by_client = (
            client.user_id in (data.get("author_id"), data.get("notify"), data.get("client"))
            or row.subject_id in subjects
        )
        if by_client and client.matches(*place, client.user_id):
            found.append(row)
    return found


async def forget_client(
    engine: AsyncEngine, client: ClientRef, now: datetime, *, dry_run: bool = False
) -> ForgetReport:
    """In one transaction: delete the client's reply-log rows (their version moves on, as when a reply is
    released) and time zones, cancel the posts about them not yet out, and cut the text of the others. A post
    whose request is under way keeps its text until it ends (it is then never retried) and is cut by pruning;
    every row keeps its key, state and message id, so nothing is posted twice."""
    now = as_utc(now)
    d = deliveries
    my_zones = client_match(client_timezones, client, "user_id")
    async with engine.begin() as conn:
        rows = await client_deliveries(conn, client)
        ids = [row.id for row in rows]
        unfinished = sum(1 for row in rows if row.state in UNFINISHED_STATES)
        if dry_run:
            count = select(func.count()).select_from(reply_log).where(*client_match(reply_log, client))
            zones = select(func.count()).select_from(client_timezones).where(*my_zones)
            theirs = select(func.count()).select_from(promises).where(*client_match(promises, client))
            return ForgetReport(
                replies=(await conn.execute(count)).scalar_one(),
                timezones=(await conn.execute(zones)).scalar_one(),
                pending_posts=unfinished,
                payloads=len(rows) - unfinished,
                promises=(await conn.execute(theirs)).scalar_one(),
            )
        replies = (await conn.execute(delete(reply_log).where(*client_match(reply_log, client)))).rowcount
        made = (await conn.execute(delete(promises).where(*client_match(promises, client)))).rowcount
        await conn.execute(
            update(reply_heads).where(*client_match(reply_heads, client)).values(version=reply_heads.c.version + 1)
        )
        zones_erased = (await conn.execute(delete(client_timezones).where(*my_zones))).rowcount
        not_out = or_(
            d.c.state.in_([DeliveryState.PENDING.value, DeliveryState.UNKNOWN.value]), d.c.posting_at.is_(None)
        )
        cancelled = (
            await conn.execute(
                update(d)
                .where(d.c.id.in_(ids), d.c.state.in_(UNFINISHED_STATES), not_out)
                .values(
                    state=DeliveryState.CANCELLED.value,
                    cancelled_at=now,
                    lease_owner=None,
                    lease_until=None,
                    payload=CUT,
                    last_error="cancelled: the client's data was erased",
                    updated_at=now,
                )
            )
        ).rowcount
        await conn.execute(update(d).where(d.c.id.in_(ids), d.c.state.in_(UNFINISHED_STATES)).values(cancelled_at=now))
        cut = (
            await conn.execute(
                update(d).where(d.c.id.in_(ids), d.c.state.not_in(UNFINISHED_STATES), _KEPT).values(payload=CUT)
            )
        ).rowcount  # the rows just cancelled are cut already
    return ForgetReport(replies=replies, timezones=zones_erased, pending_posts=cancelled, payloads=cut, promises=made)


async def held(engine: AsyncEngine) -> dict[str, Held]:
    """The rows each retention key governs and the oldest one's time, read in one snapshot."""
    d = deliveries
    queries = {
        "event_ids": select(func.count(), func.min(seen_events.c.seen_at)),
        "replies": select(func.count(), func.min(reply_log.c.sent_at)),
        "sent_payloads": select(func.count(), func.min(d.c.updated_at)).where(d.c.state.in_(_SENT), _KEPT),
        "failed_payloads": select(func.count(), func.min(d.c.updated_at)).where(d.c.state.in_(_FAILED), _KEPT),
    }
    found = {}
    async with engine.connect() as conn:
        for name, query in queries.items():
            rows, oldest = (await conn.execute(query)).one()
            found[name] = Held(rows, as_utc(oldest) if oldest is not None else None)
    return found


async def workspace_left(engine: AsyncEngine, platform: str, workspace_id: str, now: datetime) -> None:
    async with engine.begin() as conn:
        where = and_(departures.c.platform == platform, departures.c.workspace_id == workspace_id)
        if (await conn.execute(update(departures).where(where).values(left_at=as_utc(now)))).rowcount == 0:
            await conn.execute(
                departures.insert().values(platform=platform, workspace_id=workspace_id, left_at=as_utc(now))
            )


async def workspace_back(engine: AsyncEngine, platform: str, workspace_id: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            delete(departures).where(departures.c.platform == platform, departures.c.workspace_id == workspace_id)
        )


async def erase_departed(engine: AsyncEngine, left_before: datetime, now: datetime) -> int:
    """Each departed workspace's clients (from the reply log, time zones and reply rows) erased one by one, then
    the departure deleted; a replica doing the same at once finds nothing left to erase."""
    async with engine.connect() as conn:
        query = select(departures.c.platform, departures.c.workspace_id).where(
            departures.c.left_at < as_utc(left_before)
        )
        gone = [(str(platform), str(workspace)) for platform, workspace in (await conn.execute(query)).all()]
    for platform, workspace_id in gone:
        async with engine.connect() as conn:
            clients: set[str] = set()
            for table, column in ((reply_log, "client_id"), (client_timezones, "user_id")):
                clients |= set(
                    (
                        await conn.execute(
                            select(table.c[column])
                            .distinct()
                            .where(table.c.platform == platform, table.c.workspace_id == workspace_id)
                        )
                    ).scalars()
                )
        for user_id in sorted(clients):
            await forget_client(engine, ClientRef(user_id, platform, workspace_id), now)
        await workspace_back(engine, platform, workspace_id)
    return len(gone)


class SqlRetention:
    """The store's retention and erasure methods (bot.retention.Retaining) over `_engine`; SqlStore has them."""

    _engine: AsyncEngine

    async def prune(self, due: Cutoffs, *, max_batches: int = 100) -> PruneReport:
        return await prune(self._engine, due, max_batches=max_batches)

    async def forget_client(self, client: ClientRef, now: datetime, *, dry_run: bool = False) -> ForgetReport:
        return await forget_client(self._engine, client, now, dry_run=dry_run)

    async def held(self) -> dict[str, Held]:
        return await held(self._engine)

    async def workspace_left(self, platform: str, workspace_id: str, now: datetime) -> None:
        await workspace_left(self._engine, platform, workspace_id, now)

    async def workspace_back(self, platform: str, workspace_id: str) -> None:
        await workspace_back(self._engine, platform, workspace_id)

    async def erase_departed(self, left_before: datetime, now: datetime) -> int:
        return await erase_departed(self._engine, left_before, now)
