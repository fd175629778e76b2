"""The secret addresses of the calendar feeds: a per-feed token signed with CALENDAR_KEY, so that one shared link
shows neither the key nor another client's feed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from bot.messages import ChannelRef

FEED_PREFIX = "/calendar"
GUIDE_PREFIX = "/guide"  # the client guide as a page, at the business feed's token


def guide_link(business_feed: str) -> str:
    """The guide page's address beside the business feed's (same base, same token)."""
    base, _, file = business_feed.rpartition(FEED_PREFIX + "/")
    return f"{base}{GUIDE_PREFIX}/{file.removesuffix('.ics')}"


def feed_token(key: str, channel: ChannelRef | None) -> str:
    subject = "business" if channel is None else f"channel:{channel}"
    return hmac.new(key.encode(), subject.encode(), hashlib.sha256).hexdigest()[:32]


def feed_path(key: str, channel: ChannelRef | None = None) -> str:
    """/calendar/TOKEN.ics for the business, /calendar/PLATFORM/WORKSPACE/CHANNEL/TOKEN.ics for a client channel."""
    where = "" if channel is None else f"/{channel.platform}/{channel.workspace_id}/{channel.channel_id}"
    return f"{FEED_PREFIX}{where}/{feed_token(key, channel)}.ics"


def feed_links(key: str, base_url: str) -> Callable[[ChannelRef | None], str]:
    """The full address of a feed under `base_url` (where clients reach `serve`)."""
    base = base_url.rstrip("/")
    return lambda channel: base + feed_path(key, channel)


def token_matches(key: str, channel: ChannelRef | None, token: str) -> bool:
    """A constant-time comparison, so that timing tells nothing about the right token."""
    return hmac.compare_digest(feed_token(key, channel).encode(), token.encode("utf-8", "replace"))
