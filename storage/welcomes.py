"""Which clients were welcomed, once per client per workspace (the table and its SQL): the insert that wins is the one
welcome."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import String, Table, UniqueConstraint, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, UTCDateTime, WorkspaceKeyed, as_utc


class WelcomeRow(WorkspaceKeyed, Base):
    """A client welcomed in a workspace, so the orientation is sent once."""

    __tablename__ = "welcomes"

    client_id: Mapped[str] = mapped_column(String(128), nullable=False)
    welcomed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("platform", "workspace_id", "client_id", name="uq_welcomes_client"),)


welcomes = cast(Table, WelcomeRow.__table__)


class SqlWelcomes:
    """The welcomed-once record, mixed into SqlStore."""

    _engine: AsyncEngine

    async def claim_welcome(self, platform: str, workspace_id: str, client_id: str, at: datetime) -> bool:
        """True for the first claim of this client in this workspace; False once it was claimed before."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(
                    insert(welcomes).values(
                        platform=platform,
                        workspace_id=workspace_id,
                        client_id=client_id,
                        welcomed_at=as_utc(at),
                    )
                )
        except IntegrityError:
            return False
        return True
