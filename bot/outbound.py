"""The outbound contract: what an adapter must offer so the scheduler can post through it."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

from bot.messages import ChannelRef, ReplyStyle


class PostError(Exception):
    """A failed post: permanent ones (not in channel, forbidden, gone) are never retried; `unknown` ones (a timeout,
    a reset, a 5xx) may have been posted and are looked up first; `rate_limited` ones (a 429, with its Retry-After
    when the platform gave one) pause the workspace, or just the channel when `channel_scoped`."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        retry_after: float | None = None,
        unknown: bool = False,
        rate_limited: bool = False,
        channel_scoped: bool = False,
    ):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.unknown = unknown and not permanent
        self.rate_limited = rate_limited or retry_after is not None
        self.channel_scoped = channel_scoped


@dataclass(frozen=True)
class Answering:
    """The client's message a post answers and how the core wants it answered; the platform's poster decides where
    that puts the post (a Slack thread, a Discord reply) and so where a lookup finds it."""

    message_id: str
    author_id: str
    thread_id: str | None = None  # the thread the client wrote in
    style: ReplyStyle = ReplyStyle.THREAD
    offer_forward: bool = False  # with the "Send this to email" button, where the owner has set up email
    owner_dm: str | None = None  # the client wrote to this owner directly: the reply goes out in the owner's name


@dataclass(frozen=True)
class CommandButton:
    """A button on a post that runs a command for whoever presses it (the command checks who may); with no
    command it only acknowledges ("Just this once")."""

    label: str
    command: str = ""
    primary: bool = False
    confirm: str = ""  # asked before it runs, where the platform can ask (Slack)


@dataclass(frozen=True)
class Attachment:
    """A small file posted with the owner's answer by email (the outbox row holds it, base64)."""

    name: str
    content_type: str
    data: bytes = field(repr=False)

    def as_data(self) -> dict[str, str]:
        return {"file": base64.b64encode(self.data).decode("ascii"), "name": self.name, "type": self.content_type}

    @classmethod
    def from_data(cls, data: Mapping[str, str]) -> Attachment | None:
        if not data.get("file"):
            return None
        return cls(data.get("name") or "attachment", data.get("type") or "", base64.b64decode(data["file"]))


@dataclass(frozen=True)
class OwnerVoice:
    """A post the owner wrote ("boundaries later"): `text` unsigned, posted in their name with their user token
    where the platform has one; elsewhere the post's own text, signed "Dana: ...", goes out from the bot."""

    owner_id: str
    text: str


class OwnerMessages(Protocol):
    """Takes down the owner's own messages where the platform lets the bot (Slack, with the owner's user token)."""

    async def can_delete(self, platform: str, workspace_id: str, owner_id: str) -> bool:
        """Whether this owner's messages in that workspace can be taken down."""

    async def delete(self, channel: ChannelRef, owner_id: str, message_id: str) -> bool:
        """Take one down (True when it is gone, also when it already was); False when the platform refuses."""


@dataclass(frozen=True)
class Post:
    """One message to post; `key` is unique per delivery and lets the platform tell a resend apart."""

    channel: ChannelRef
    text: str
    key: str
    thread_id: str | None = None
    answering: Answering | None = None  # a reply: the poster places it by the message it answers
    buttons: tuple[CommandButton, ...] = ()  # a reminder's Done, a prompt's "End the closure now"
    state_line: bool = False  # not a message: the channel's open/closed line (a Slack bookmark, a Discord topic)
    owner_voice: OwnerVoice | None = None  # the owner's own words: in their name where their token allows
    link: str | None = None  # where the state line links to (the client guide)
    file: Attachment | None = None  # a file to upload there (its text is the file's name)


class Poster(Protocol):
    """Posts for one platform; every platform adapter provides one."""

    platform: str

    async def post(self, post: Post) -> str:
        """Post and return the platform's message id; raise PostError on failure."""

    async def find_posted(self, post: Post) -> str | None:
        """The id of a message already posted with this key (after a crash), or None."""

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        """Send a direct message (the owner's digest, a promise's reminder with its Done button), looking for an
        earlier copy first; return its id or raise PostError."""


async def find_posted_many(poster: Poster, posts: Sequence[Post]) -> dict[str, str]:
    """The platform ids of those `posts` (all in one channel) already posted, by key: with one lookup per place
    (the channel, each thread) where the poster offers `find_posted_many`, else one per post."""
    many: Callable[[Sequence[Post]], Awaitable[dict[str, str]]] | None = getattr(poster, "find_posted_many", None)
    if many is not None:
        return await many(posts)
    found = {}
    for post in posts:
        if (message_id := await poster.find_posted(post)) is not None:
            found[post.key] = message_id
    return found


def buttons_of(data: Mapping[str, str] | None) -> tuple[CommandButton, ...]:
    """The buttons a delivery row carries: its "buttons" (JSON), or a promise reminder's Done."""
    data = data or {}
    if data.get("buttons"):
        return tuple(CommandButton(**b) for b in json.loads(data["buttons"]))
    if data.get("promise"):
        return (CommandButton("Done", f"boundaries promises done {data['promise']}", primary=True),)
    return ()


def buttons_data(*buttons: CommandButton) -> dict[str, str]:
    """The delivery data that carries `buttons` to `buttons_of`."""
    return {"buttons": json.dumps([asdict(b) for b in buttons])}
