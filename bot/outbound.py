"""The outbound contract: what an adapter must offer so the scheduler can post through it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import ChannelRef


class PostError(Exception):
    """A failed post: permanent ones (not in channel, forbidden, gone) are never retried."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Post:
    """One message to post; `key` is unique per delivery and lets the platform tell a resend apart."""

    channel: ChannelRef
    text: str
    key: str
    thread_id: str | None = None


class Poster(Protocol):
    """Posts for one platform; every platform adapter provides one."""

    platform: str

    async def post(self, post: Post) -> str:
        """Post and return the platform's message id; raise PostError on failure."""

    async def find_posted(self, post: Post) -> str | None:
        """The id of a message already posted with this key (after a crash), or None."""

    async def direct_message(self, workspace_id: str, user_id: str, text: str, key: str) -> str:
        """Send a direct message (the owner's digest); return its id or raise PostError."""
