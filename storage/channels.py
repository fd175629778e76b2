"""Channel rows in SQL: where the bot is (remembered, left, synced with the platform's list) and the owner's mark."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.messages import ChannelRef
from bot.models import ChannelMode
from storage.rows import channel_key, channel_match
from storage.tables import as_utc, channels

KEY = [channels.c.platform, channels.c.workspace_id, channels.c.channel_id]
CHUNK = 500  # channel ids per UPDATE ... IN (...), well inside both databases' bound-parameter limits


def _insert(conn: AsyncConnection) -> Any:
    """A dialect insert that supports ON CONFLICT."""
    return (sqlite if conn.dialect.name == "sqlite" else postgresql).insert(channels)


async def remember(
    conn: AsyncConnection,
    present: Sequence[tuple[ChannelRef, str]],
    now: datetime,
    *,
    left_after: datetime | None = None,
) -> None:
    """Insert or update each channel as present: its name when one is given, left_at cleared, except where it was
    marked left after `left_after` (news newer than the list being written)."""
    if not present:
        return
    statement = _insert(conn)
    new = statement.excluded
    left_at = None if left_after is None else case((channels.c.left_at > as_utc(left_after), channels.c.left_at))
    statement = statement.on_conflict_do_update(
        index_elements=KEY, set_={"name": case((new.name != "", new.name), else_=channels.c.name), "left_at": left_at}
    )
    rows = {
        ref: {**channel_key(ref), "name": name, "mode": None, "first_seen_at": as_utc(now)} for ref, name in present
    }  # one row per channel: ON CONFLICT may not touch a row twice in one statement
    await conn.execute(statement, list(rows.values()))


async def mark_left(conn: AsyncConnection, channel: ChannelRef, at: datetime) -> None:
    """Mark a known channel left (keeping the first time it was); an unknown one stays unknown."""
    await conn.execute(
        update(channels)
        .where(*channel_match(channels, channel), channels.c.left_at.is_(None))
        .values(left_at=as_utc(at))
    )


async def sync(
    conn: AsyncConnection, platform: str, workspace_id: str, present: Sequence[tuple[ChannelRef, str]], at: datetime
) -> None:
    """Remember every present channel and mark every other known channel of the workspace left."""
    strays = [ref for ref, _ in present if (ref.platform, ref.workspace_id) != (platform, workspace_id)]
    if strays:
        raise ValueError(f"{strays[0]} is not in {platform} workspace {workspace_id}")
    await remember(conn, present, at, left_after=at)
    query = select(channels.c.channel_id).where(
        channels.c.platform == platform, channels.c.workspace_id == workspace_id, channels.c.left_at.is_(None)
    )
    known: set[str] = set((await conn.execute(query)).scalars())
    gone = sorted(known - {ref.channel_id for ref, _ in present})
    for start in range(0, len(gone), CHUNK):
        await conn.execute(
            update(channels)
            .where(
                channels.c.platform == platform,
                channels.c.workspace_id == workspace_id,
                channels.c.channel_id.in_(gone[start : start + CHUNK]),
                channels.c.left_at.is_(None),
            )
            .values(left_at=as_utc(at))
        )


async def set_mode(conn: AsyncConnection, channel: ChannelRef, mode: ChannelMode, name: str, now: datetime) -> None:
    mode_value = ChannelMode(mode).value
    statement = _insert(conn).values(**channel_key(channel), name=name, mode=mode_value, first_seen_at=now)
    changes: dict[str, Any] = {"mode": mode_value}
    if name:
        changes["name"] = name
    await conn.execute(statement.on_conflict_do_update(index_elements=KEY, set_=changes))


async def get_mode(conn: AsyncConnection, channel: ChannelRef) -> ChannelMode | None:
    mode = (await conn.execute(select(channels.c.mode).where(*channel_match(channels, channel)))).scalar_one_or_none()
    return ChannelMode(mode) if mode is not None else None


async def listed(conn: AsyncConnection, mode: ChannelMode | None) -> list[ChannelRef]:
    """Channels the bot is in (not left); with `mode`, only those whose effective mode matches."""
    query = select(*KEY).where(channels.c.left_at.is_(None))
    if mode is not None:
        mode = ChannelMode(mode)
        if mode is ChannelMode.CLIENT:
            query = query.where(or_(channels.c.mode.is_(None), channels.c.mode == mode.value))
        else:
            query = query.where(channels.c.mode == mode.value)
    rows = (await conn.execute(query.order_by(*KEY))).all()
    return [ChannelRef(row.platform, row.workspace_id, row.channel_id) for row in rows]
