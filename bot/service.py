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
from bot.store import Store

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

    def _notify(self, result: CommandResult) -> CommandResult:
        if result.ok:
            for listener in self.after_command:
                listener()
        return result

    async def handle_message(self, message: IncomingMessage) -> Outcome:
        """Decide the reply to a message; a copy of an event already seen stops here."""
        outcome = await self._handle(message)
        for observe in self.observers:
            observe(message, outcome)
        return outcome

    async def _handle(self, message: IncomingMessage) -> Outcome:
        now = self.clock()
        if not await self.store.mark_event_seen(message.platform, message.event_id, now):
            log.info("duplicate event %s:%s dropped", message.platform, message.event_id)
            return Outcome(decision=None, duplicate=True)
        store = self.store
        channel = message.channel
        situation = Situation(policy=self.policy, roles=self.roles, channel_mode=await store.get_channel_mode(channel))
        if (ignored := ignore_reason(message, situation)) is not None:
            return Outcome(Decision(reply=None, ignored=ignored))
        await store.remember_channel(channel)
        situation = replace(
            situation,
            closures=await store.list_closures(ending_after=now),
            meeting_slot=await store.get_meeting_slot(channel),
            client_zone=await store.get_client_timezone(message.platform, message.workspace_id, message.author_id),
        )
        since = history_since(situation, now)
        situation = replace(situation, history=await store.recent_replies(channel, message.author_id, since))
        decision = decide(message, situation, now)
        if decision.reply is not None:
            sent = [SentReply(kind, key, now) for kind, key in decision.reply.throttle_keys]
            await store.record_replies(message, sent)
        return Outcome(decision)

    async def handle_command(self, text: str, invocation: Invocation) -> CommandResult:
        """Run command text for whoever invoked it; refusals and bad input change nothing."""
        return self._notify(await run_command(text, invocation, store=self.store, policy=self.policy,
                                              roles=self.roles, now=self.clock()))

    async def execute_command(self, command: object, invocation: Invocation) -> CommandResult:
        """Run an already-parsed command (from a form or structured options); authorization is still checked."""
        return self._notify(await execute(command, invocation, store=self.store, policy=self.policy,
                                          roles=self.roles, now=self.clock()))
