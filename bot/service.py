"""The one path every adapter uses: de-duplicate, load state, ask the core, log the reply."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.commands import CommandResult, Invocation, execute, run_command
from bot.messages import IncomingMessage, Reply
from bot.models import SentReply
from bot.policy import Policy
from bot.responder import Decision, Situation, decide, history_since, ignore_reason
from bot.roles import Roles
from bot.store import KnownSet, Store, transaction

if TYPE_CHECKING:
    from bot.email_bridge import EmailBridge

log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """What happened to one incoming message."""

    decision: Decision | None
    duplicate: bool = False

    @property
    def reply(self) -> Reply | None:
        return self.decision.reply if self.decision else None


class BoundaryService:
    """Platform-neutral handling of messages and commands, shared by every adapter."""

    def __init__(self, store: Store, policy: Policy, roles: Roles, clock: Callable[[], datetime] = system_clock):
        self.store = store
        self.policy = policy
        self.roles = roles
        self.clock = clock
        self.after_command: list[Callable[[], None]] = []  # e.g. wake the scheduler to announce at once
        self.observers: list[Callable[[IncomingMessage, Outcome], None]] = []  # e.g. metrics
        self.email: EmailBridge | None = None  # the email bridge, when SMTP_URL is set
        self._known_channels = KnownSet()  # channels already remembered in the store, to skip rewriting them

    def _notify(self, result: CommandResult) -> CommandResult:
        if result.ok:
            for listener in self.after_command:
                listener()
        return result

    async def handle_message(self, message: IncomingMessage) -> Outcome:
        """Claim the message's event, then decide the reply; a copy of an event already seen stops here."""
        if not await self.claim(message):
            return Outcome(decision=None, duplicate=True)
        return await self.handle_claimed(message)

    async def claim(self, message: IncomingMessage) -> bool:
        """Record the event as seen (one transaction); False for a copy. Raises when the store is unavailable,
        so an adapter can refuse the delivery (Slack then retries) instead of acknowledging an unrecorded event."""
        if await self.store.mark_event_seen(message.platform, message.event_id, self.clock()):
            return True
        log.info("duplicate event %s:%s dropped", message.platform, message.event_id)
        self._observe(message, Outcome(decision=None, duplicate=True))
        return False

    async def handle_claimed(self, message: IncomingMessage) -> Outcome:
        """Decide the reply to a message whose event `claim` has recorded, in one transaction.

        Safe to call again after a storage error: the reply log is written last and only once it succeeds."""
        outcome = await self._decide(message)
        self._observe(message, outcome)
        return outcome

    def _observe(self, message: IncomingMessage, outcome: Outcome) -> None:
        for observe in self.observers:
            observe(message, outcome)

    async def _decide(self, message: IncomingMessage) -> Outcome:
        now = self.clock()
        channel = message.channel
        # One transaction from the throttle check to the reply log, with this client's replies locked: two messages
        # from one client handled at once (or in two processes) cannot both pass the throttle.
        async with transaction(self.store) as store:
            context = await store.message_context(channel, message.author_id)
            situation = Situation(policy=self.policy, roles=self.roles, channel_mode=context.channel_mode)
            if (ignored := ignore_reason(message, situation)) is not None:
                return Outcome(Decision(reply=None, ignored=ignored))
            await store.lock_replies(channel, message.author_id)
            situation = replace(situation, closures=await store.list_closures(ending_after=now),
                                meeting_slot=context.meeting_slot, client_zone=context.client_zone)
            since = history_since(situation, now)
            situation = replace(situation, history=await store.recent_replies(channel, message.author_id, since))
            decision = decide(message, situation, now)
            if channel not in self._known_channels:
                await store.remember_channel(channel)
            if decision.reply is not None:
                await store.record_replies(message, [SentReply(kind, key, now)
                                                     for kind, key in decision.reply.throttle_keys])
        self._known_channels.remember(channel)
        return Outcome(decision)

    async def handle_command(self, text: str, invocation: Invocation) -> CommandResult:
        """Run command text for whoever invoked it; refusals and bad input change nothing."""
        return self._notify(await run_command(text, invocation, store=self.store, policy=self.policy,
                                              roles=self.roles, now=self.clock()))

    async def execute_command(self, command: object, invocation: Invocation) -> CommandResult:
        """Run an already-parsed command (from a form or structured options); authorization is still checked."""
        return self._notify(await execute(command, invocation, store=self.store, policy=self.policy,
                                          roles=self.roles, now=self.clock()))
