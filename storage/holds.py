"""The owner's after-hours messages held for the opening (the table and its SQL): one row per person, replaced."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import String, Table, UniqueConstraint, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime, WorkspaceKeyed, as_utc


class OwnerHoldRow(WorkspaceKeyed, Base):
    """Until when one owner's or team member's messages in client channels are held for the opening."""

    __tablename__ = "owner_holds"

    person_id: Mapped[str] = mapped_column(String(128), nullable=False)
    until: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("platform", "workspace_id", "person_id", name="uq_owner_holds_person"),)


owner_holds = cast(Table, OwnerHoldRow.__table__)


class SqlHolds:
    """The owner's hold, mixed into SqlStore."""

    _engine: AsyncEngine

    async def hold_owner(self, platform: str, workspace_id: str, person_id: str, until: datetime | None) -> None:
        person = {"platform": platform, "workspace_id": workspace_id, "person_id": person_id}
        async with self._engine.begin() as conn:
            if until is None:
                await conn.execute(delete(owner_holds).where(*(owner_holds.c[k] == v for k, v in person.items())))
                return
            insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(owner_holds)
            await conn.execute(
                insert.values(**person, until=as_utc(until)).on_conflict_do_update(
                    index_elements=list(person), set_={"until": as_utc(until)}
                )
            )

    async def owner_held_until(
        self, platform: str, workspace_id: str, person_id: str, now: datetime
    ) -> datetime | None:
        query = select(owner_holds.c.until).where(
            owner_holds.c.platform == platform,
            owner_holds.c.workspace_id == workspace_id,
            owner_holds.c.person_id == person_id,
            owner_holds.c.until > as_utc(now),
        )
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).scalar_one_or_none()
