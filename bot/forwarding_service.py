"""Forwarding to email: who may forward a client's message, queueing its email once, and the private answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.forwarding import FORWARD_WINDOW, Addresses, ForwardRequest, compose_email, forward_data, forward_key
from bot.policy import Policy
from bot.queue import DeliveryQueue, PlannedDelivery
from bot.roles import Roles

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ForwardOutcome:
    """What came of a forward request: `text` is the private answer to whoever asked."""

    ok: bool
    text: str
    queued: bool = False


class Forwarding:
    """Queues forwards in the delivery table; the Sender mails them through the "email" poster with its retries."""

    def __init__(
        self,
        queue: DeliveryQueue,
        policy: Policy,
        roles: Roles,
        clock: Callable[[], datetime],
        addresses: Addresses,
        *,
        listeners: Sequence[Callable[[], None]] = (),
        forwarded: Sequence[Callable[[ForwardRequest], Awaitable[object]]] = (),
    ):
        self.queue = queue
        self.policy = policy
        self.roles = roles
        self.clock = clock
        self.addresses = addresses
        self.listeners = listeners  # e.g. wake the scheduler so the email goes out at once
        self.forwarded = forwarded  # told of each message queued for email (a promise may count it as answered)

    async def forward(self, request: ForwardRequest, requested_by: str, *, reaction: bool = False) -> ForwardOutcome:
        """The button (the message's author or the owner/team) or an envelope reaction (the owner only)."""
        platform = request.platform
        if reaction and not self.roles.is_owner(platform, requested_by, request.workspace_id):
            return ForwardOutcome(False, "Only the owner can forward a message with an envelope reaction.")
        is_team = self.roles.is_team(platform, requested_by, request.workspace_id)
        if requested_by != request.author_id and not is_team:
            return ForwardOutcome(
                False, f"Only the person who wrote that message can send it to {self.policy.contact.email}."
            )
        now = self.clock()
        by_owner = reaction or is_team
        text = compose_email(request, self.policy, self.addresses, by_owner=by_owner)
        data = forward_data(request, notify=None if is_team else requested_by)
        planned = PlannedDelivery(forward_key(request), now, now + FORWARD_WINDOW, text, data=data)
        queued = bool(await self.queue.enqueue([planned], now))
        if queued:
            log.info("email forward queued for %s", request.subject_id)
            for listener in list(self.listeners):
                listener()
            for hook in self.forwarded:
                await hook(request)
        return ForwardOutcome(True, self._answer(request, by_owner=by_owner, queued=queued), queued=queued)

    def _answer(self, request: ForwardRequest, *, by_owner: bool, queued: bool) -> str:
        if by_owner:  # the owner may see the private OWNER_EMAIL; clients only ever see the policy's address
            done = "Sending" if queued else "Already sent"
            return f"{done} {request.who}'s message to {self.addresses.owner}."
        if not queued:
            return f"Your message was already sent to {self.policy.contact.email}; nothing more to do."
        answer = f" You'll get the answer by email at {request.author_email}." if request.author_email else ""
        return f"Thanks! Your message is on its way to {self.policy.contact.email}.{answer}"
