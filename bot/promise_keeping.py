"""Promises kept outside a reply: a message forwarded to email, the owner's check mark, an answer from the inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.forwarding import ForwardRequest
from bot.messages import ChannelRef
from bot.policy import Policy
from bot.promises import Promise
from bot.roles import Roles
from bot.store import Store


class PromiseKeeping:
    """Marks a promise answered when the owner answers it another way; mixed into BoundaryService."""

    store: Store
    policy: Policy
    roles: Roles
    clock: Callable[[], datetime]

    async def promise_forwarded(self, request: ForwardRequest) -> None:
        """A client's message went to email: with `promises.forward_counts`, that answers its promise."""
        if self.policy.promises.forward_counts:
            await self._promise_done(
                ChannelRef(request.platform, request.workspace_id, request.channel_id), request.message_id
            )

    async def promise_reacted(self, channel: ChannelRef, message_id: str, user_id: str) -> Promise | None:
        """The owner's check-mark reaction on a client's message marks its promise done; anyone else's does nothing."""
        if not self.roles.is_owner(channel.platform, user_id, channel.workspace_id):
            return None
        return await self._promise_done(channel, message_id)

    async def _promise_done(self, channel: ChannelRef, message_id: str) -> Promise | None:
        found = await self.store.find_promise(channel, message_id)
        if found is None or found.id is None or found.answered_at is not None:
            return None
        return await self.store.promise_done(found.id, self.clock())
