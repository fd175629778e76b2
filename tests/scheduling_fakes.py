"""An in-memory platform for scheduling tests: records posts by key and can be told to fail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.outbound import CommandButton, Post, PostError


@dataclass
class RecordingPoster:
    """Implements bot.outbound.Poster; `failures` is a list of PostErrors raised by the next posts, in order."""

    platform: str
    clock: object = None
    posts: list[tuple[Post, object]] = field(default_factory=list)
    failures: list[PostError] = field(default_factory=list)
    refusing_channels: dict[str, PostError] = field(default_factory=dict)
    attempts: int = 0

    async def post(self, post: Post) -> str:
        self.attempts += 1
        if post.channel.channel_id in self.refusing_channels:
            raise self.refusing_channels[post.channel.channel_id]
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((post, self.clock() if self.clock else None))
        return f"{self.platform}-msg-{len(self.posts)}"

    async def find_posted(self, post: Post) -> str | None:
        for index, (done, _) in enumerate(self.posts, 1):
            if done.key == post.key:
                return f"{self.platform}-msg-{index}"
        return None

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        from bot.messages import ChannelRef

        return await self.post(Post(ChannelRef(self.platform, workspace_id, user_id), text, key, buttons=buttons))

    def copies(self) -> Counter:
        return Counter(post.key for post, _ in self.posts)
