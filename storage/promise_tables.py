"""The promises table (bot/promises.py): kept beside storage/tables.py, which imports it so it is registered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, ChannelKeyed, UTCDateTime


class PromiseRow(ChannelKeyed, Base):
    """An automatic reply's "you can expect an answer by …" (bot/promises.py); answered_at: when it was answered."""

    __tablename__ = "promises"

    client_id: Mapped[str] = mapped_column(String(128), nullable=False)
    client_name: Mapped[str] = mapped_column(Text, nullable=False, default="")
    message_id: Mapped[str] = mapped_column(String(128), nullable=False)
    permalink: Mapped[str | None] = mapped_column(Text, nullable=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    rule: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "channel_id", "message_id", name="uq_promises_message"),
        Index("ix_promises_open", "platform", "workspace_id", "channel_id", "answered_at"),
    )
