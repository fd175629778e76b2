"""Forwarding to email: who may forward a client's message, queueing its email once, and the private answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.forwarding import (
    FORWARD_KIND,
    FORWARD_WINDOW,
    Addresses,
    ForwardRequest,
    Topic,
    compose_email,
    forward_data,
    forward_key,
    message_id_for,
)
from bot.inbox_answers import AnswerRoute
from bot.messages import IncomingMessage
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import Delivery, DeliveryQueue, PlannedDelivery
from bot.roles import Roles

log = logging.getLogger(__name__)

THREAD_TOPIC = timedelta(days=14)  # a thread's later messages join its email this long after the last forward


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
        route: AnswerRoute | None = None,
    ):
        self.queue = queue
        self.policy = policy
        self.roles = roles
        self.clock = clock
        self.addresses = addresses
        self.listeners = listeners  # e.g. wake the scheduler so the email goes out at once
        self.forwarded = forwarded  # told of each message queued for email (a promise may count it as answered)
        self.route = route  # with IMAP_URL: the owner's answer goes to the bot's inbox and is posted in the chat

    async def forward(self, request: ForwardRequest, requested_by: str, *, reaction: bool = False) -> ForwardOutcome:
        """The button (the message's author or the owner/team) or an envelope reaction (the owner only)."""
        platform = request.platform
        if reaction and not self.roles.is_owner(platform, requested_by, request.workspace_id):
            return ForwardOutcome(False, say("forward.owner_only"))
        is_team = self.roles.is_team(platform, requested_by, request.workspace_id)
        if requested_by != request.author_id and not is_team:
            return ForwardOutcome(False, say("forward.author_only", email=self.policy.contact.email))
        now = self.clock()
        by_owner = reaction or is_team
        answer_to, email_id, routed = self._routed(request)
        text = compose_email(
            request, self.policy, self.addresses, by_owner=by_owner, answer_to=answer_to, email_id=email_id
        )
        data = forward_data(request, notify=None if is_team else requested_by) | routed
        planned = PlannedDelivery(forward_key(request), now, now + FORWARD_WINDOW, text, data=data)
        queued = bool(await self.queue.enqueue([planned], now))
        if queued:
            log.info("email forward queued for %s", request.subject_id)
            for listener in list(self.listeners):
                listener()
            for hook in self.forwarded:
                await hook(request)
        return ForwardOutcome(True, self._answer(request, by_owner=by_owner, queued=queued), queued=queued)

    async def to_inbox(self, request: ForwardRequest, *, new_topic: bool = True) -> bool:
        """A client's message the policy sends to the inbox on its own ([email] forward): one email, joining the
        email thread of its topic (its chat thread's, or the same client's last one here within the topic window),
        once however often it is decided; without `new_topic`, only when it joins one. The client is told of a
        failure like after the button."""
        now = self.clock()
        topic = await self._topic(request, now)
        if topic is None and not new_topic:
            return False
        answer_to, email_id, routed = self._routed(request)
        text = compose_email(
            request, self.policy, self.addresses, automatic=True, topic=topic, answer_to=answer_to, email_id=email_id
        )
        data = forward_data(request, notify=request.author_id, topic=topic) | routed
        planned = PlannedDelivery(forward_key(request), now, now + FORWARD_WINDOW, text, data=data)
        if not await self.queue.enqueue([planned], now):
            return False
        log.info("email forward queued for %s%s", request.subject_id, " (same topic)" if topic else "")
        for listener in list(self.listeners):
            listener()
        return True

    async def _topic(self, request: ForwardRequest, now: datetime) -> Topic | None:
        """The email thread this message belongs to, if one was started: the latest forward from its chat thread
        (or the thread's first message), or of the message it replies to, else the same client's latest here,
        outside threads, within the window."""
        window = self.policy.email.window
        since = now - max(window, THREAD_TOPIC)
        key = forward_key(request)  # its channel: the email platform's, in the message's workspace and channel
        rows = await self.queue.list_deliveries(kinds=[FORWARD_KIND], updated_since=since, channel=key.channel)
        earlier = [(d, d.data) for d in rows if d.data and d.data.get("platform") == request.platform and d.key != key]
        thread, answered, author, start = request.thread_id, request.replying_to, request.author_id, now - window

        def same_topic(d: Delivery, data: Mapping[str, str]) -> bool:
            if thread:
                return thread in (data.get("thread_id"), data.get("message_id"))
            if answered and answered == data.get("message_id"):  # a reply to a message that went (Discord)
                return True
            return (
                window > timedelta(0)
                and data.get("author_id") == author
                and not data.get("thread_id")
                and d.due_at >= start
            )

        joined = [d for d, data in earlier if same_topic(d, data)]
        latest = max(joined, key=lambda d: (d.due_at, d.id), default=None)
        return self._answering(latest) if latest is not None else None

    def _routed(self, request: ForwardRequest) -> tuple[str | None, str | None, dict[str, str]]:
        """With answers by email on: where the owner's answer goes and the email's Message-ID, and what the row
        keeps of them (the request id an answer names, the Message-ID a later email of the topic answers)."""
        if self.route is None:
            return None, None, {}
        request_id, answer_to, email_id = self.route.addresses(forward_key(request), self.addresses.sender)
        return answer_to, email_id, {"request": request_id, "email_id": email_id}

    def _answering(self, latest: Delivery) -> Topic:
        data = latest.data or {}
        email_id = data.get("email_id") or message_id_for(latest.key, self.addresses.sender)
        root = data.get("topic") or email_id
        references = root if root == email_id else f"{root} {email_id}"
        return Topic(email_id, references, data.get("subject") or "")

    def _answer(self, request: ForwardRequest, *, by_owner: bool, queued: bool) -> str:
        email = self.policy.contact.email
        if by_owner:  # the owner may see the private OWNER_EMAIL; clients only ever see the policy's address
            return say(
                "forward.sending" if queued else "forward.sent_before", client=request.who, owner=self.addresses.owner
            )
        if not queued:
            return say("forward.already_sent", email=email)
        if request.author_email:
            return say("forward.on_its_way_answer", email=email, address=request.author_email)
        return say("forward.on_its_way", email=email)


def forward_request(message: IncomingMessage) -> ForwardRequest:
    """A client's message as a forward, with what the core knows of it (an adapter's button knows more)."""
    return ForwardRequest(
        platform=message.platform,
        workspace_id=message.workspace_id,
        channel_id=message.channel_id,
        message_id=message.message_id,
        author_id=message.author_id,
        text=message.text,
        sent_at=message.received_at,
        author_name=message.author_name,
        thread_id=message.thread_id,
        permalink=message.permalink,
        replying_to=message.replying_to,
    )
