"""Exporting what is stored, whole or for one client, as plain JSON-ready values (an access request, the records)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.retention import ClientRef
from storage.retention import CUT, client_deliveries, client_match
from storage.tables import (
    channels,
    client_timezones,
    closures,
    deliveries,
    meeting_slots,
    reply_log,
    seen_events,
)

FORMAT = "boundary-bot export 1"
_INTERNAL = {"lease_owner", "lease_until", "payload"}  # delivery columns that say nothing about anyone


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _row(row: Any, skip: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    return {key: _plain(value) for key, value in row._mapping.items() if key not in skip}


def _delivery(row: Any) -> dict[str, Any]:
    values = _row(row, _INTERNAL)
    payload = json.loads(row.payload or CUT)
    values.update(text=payload.get("text"), data=payload.get("data"), payload_cut=row.payload == CUT)
    return values


async def export(engine: AsyncEngine, client: ClientRef | None = None) -> dict[str, Any]:
    """Every table that holds what the owner configured or a client wrote; with `client`, only what is about that
    client: their logged replies, time zones, the posts carrying their words, and their channels' meeting slots."""
    replies, zones, slots = reply_log, client_timezones, meeting_slots
    async with engine.connect() as conn:
        if client is None:
            reply_rows = (await conn.execute(select(replies).order_by(replies.c.sent_at, replies.c.id))).all()
            zone_rows = (await conn.execute(select(zones).order_by(zones.c.id))).all()
            delivery_rows = (await conn.execute(select(deliveries).order_by(deliveries.c.id))).all()
            slot_rows = (await conn.execute(select(slots).order_by(slots.c.id))).all()
            whole = {
                "closures": [_row(r) for r in (await conn.execute(select(closures).order_by(closures.c.id))).all()],
                "channels": [_row(r) for r in (await conn.execute(select(channels).order_by(channels.c.id))).all()],
                "seen_events": (await conn.execute(select(func.count()).select_from(seen_events))).scalar_one(),
            }
        else:
            reply_rows = (
                await conn.execute(
                    select(replies).where(*client_match(replies, client)).order_by(replies.c.sent_at, replies.c.id)
                )
            ).all()
            zone_rows = (await conn.execute(select(zones).where(*client_match(zones, client, "user_id")))).all()
            delivery_rows = await client_deliveries(conn, client)
            places = {(r.platform, r.workspace_id, r.channel_id) for r in reply_rows}
            slot_rows = [
                r
                for r in (await conn.execute(select(slots))).all()
                if (r.platform, r.workspace_id, r.channel_id) in places
            ]
            whole = {
                "client": {"user_id": client.user_id, "platform": client.platform, "workspace_id": client.workspace_id}
            }
    return {
        "format": FORMAT,
        **whole,
        "meeting_slots": [_row(r) for r in slot_rows],
        "client_timezones": [_row(r) for r in zone_rows],
        "replies": [_row(r) for r in reply_rows],
        "deliveries": [_delivery(r) for r in delivery_rows],
    }
