"""One statement for what a message's decision needs from three tables: channel mode, meeting slot, client zone."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, bindparam, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.messages import ChannelRef
from bot.models import ChannelMode, MeetingSlot
from bot.store import MessageContext
from storage.tables import ChannelRow, ClientTimezoneRow, MeetingSlotRow

channels = ChannelRow.__table__
client_timezones = ClientTimezoneRow.__table__
meeting_slots = MeetingSlotRow.__table__


def _in_channel(table):  # noqa: ANN001, ANN202
    return (table.c.platform == bindparam("platform"), table.c.workspace_id == bindparam("workspace_id"),
            table.c.channel_id == bindparam("channel_id"))


_MODE = select(channels.c.mode).where(*_in_channel(channels)).scalar_subquery()
_ZONE = select(client_timezones.c.zone).where(
    client_timezones.c.platform == bindparam("platform"), client_timezones.c.workspace_id == bindparam("workspace_id"),
    client_timezones.c.user_id == bindparam("client_id"),
).scalar_subquery()
_ONE_ROW = select(literal(1).label("one")).subquery("one_row")
# Built once: a statement object reused with new parameters skips SQLAlchemy's construction work on every message.
QUERY = select(
    _MODE.label("mode"), _ZONE.label("zone"), meeting_slots.c.weekday, meeting_slots.c.local_time,
    meeting_slots.c.duration_minutes, meeting_slots.c.skipped_dates,
).select_from(_ONE_ROW.outerjoin(meeting_slots, and_(*_in_channel(meeting_slots))))


async def load_message_context(conn: AsyncConnection, channel: ChannelRef, client_id: str) -> MessageContext:
    row = (await conn.execute(QUERY, {"platform": channel.platform, "workspace_id": channel.workspace_id,
                                      "channel_id": channel.channel_id, "client_id": client_id})).one()
    slot = None
    if row.weekday is not None:
        slot = MeetingSlot(channel, row.weekday, row.local_time, row.duration_minutes,
                           frozenset(date.fromisoformat(d) for d in row.skipped_dates))
    return MessageContext(ChannelMode(row.mode) if row.mode is not None else None, slot, row.zone)
