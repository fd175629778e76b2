"""The neutral message and reply types that cross the adapter boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MessageKind(StrEnum):
    """What happened in the channel; only NEW messages are ever answered."""

    NEW = "new"
    EDIT = "edit"
    DELETE = "delete"
    JOIN = "join"
    SHARE = "share"  # a person's post with a file, or a thread reply also sent to the channel: answers, never answered
    OTHER = "other"


class ReplyStyle(StrEnum):
    """How the adapter posts a reply."""

    THREAD = "thread"
    CHANNEL = "channel"
    EPHEMERAL = "ephemeral"


@dataclass(frozen=True)
class ChannelRef:
    """A channel, unique across platforms and workspaces."""

    platform: str
    workspace_id: str
    channel_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace_id}:{self.channel_id}"


@dataclass(frozen=True)
class IncomingMessage:
    """A message as an adapter saw it, before any decision."""

    platform: str
    workspace_id: str
    channel_id: str
    message_id: str
    author_id: str
    text: str
    event_id: str
    received_at: datetime
    author_name: str = ""
    author_tz: str | None = None
    author_is_bot: bool = False
    is_from_this_bot: bool = False
    kind: MessageKind = MessageKind.NEW
    thread_id: str | None = None
    is_direct_message: bool = False
    permalink: str | None = None
    owner_dm: str | None = None  # the owner whose own direct messages this came through: answered in their name
    has_files: bool = False  # something is attached (a file, an image): the text alone is not the whole message
    replying_to: str | None = None  # the message this one answers, where a platform has replies (Discord)

    @property
    def channel(self) -> ChannelRef:
        return ChannelRef(self.platform, self.workspace_id, self.channel_id)


@dataclass(frozen=True)
class Reply:
    """What the core decided to say back, with the reasons that produced it."""

    text: str
    reasons: tuple[str, ...]
    style: ReplyStyle = ReplyStyle.THREAD
    throttle_keys: tuple[tuple[str, str], ...] = field(default=())
    offer_email_forward: bool = False
    promised_by: datetime | None = None  # the answer-by time the text states, if it states one: a promise
