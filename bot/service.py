"""The one path every adapter uses: de-duplicate, load state, ask the core, log the reply."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.commands import CommandResult, Invocation, execute, run_command
from bot.commands.types import Command, Context, FeedLinks
from bot.forwarding_service import forward_request
from bot.messages import IncomingMessage, Reply
from bot.models import Closure, SentReply
from bot.outbound import OwnerMessages
from bot.owner_prompts import OwnerPrompts
from bot.policy import Policy
from bot.promise_keeping import PromiseKeeping
from bot.promises import TYPICAL_DAYS, promise_for, typical_answer
from bot.queue import Delivery, DeliveryQueue
from bot.reader import IntentReader
from bot.replies import LIVE_OWNER, REPLY_KIND, answered, reply_delivery, reply_key
from bot.responder import NOTED, OWNER_OR_TEAM, URGENT, Decision, Situation, decide, history_since, ignore_reason
from bot.roles import Roles
from bot.store import DecisionRecord, HistorySince, MessageContext, MessageState, Store
from bot.urgent_alert import alerts_for
from bot.welcoming import direct_welcome_lost

if TYPE_CHECKING:
    from bot.forwarding_service import Forwarding

log = logging.getLogger(__name__)

MAX_DECISION_ATTEMPTS = 20  # each failed attempt means another reply to this client was just logged
TYPICAL_EVERY = timedelta(minutes=10)  # how stale the quoted typical answer time may be
UNANSWERED_LIMIT = 1_000  # claimed-but-unanswered events remembered for a retry (forgotten wholesale beyond)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """What happened to one incoming message."""

    decision: Decision | None
    duplicate: bool = False
    queued: bool = False  # the reply is a delivery row leased to this process: settle it with reply_posted & co.

    @property
    def reply(self) -> Reply | None:
        return self.decision.reply if self.decision else None


@dataclass(frozen=True)
class Claimed:
    """A message's event, recorded at `at`, with what deciding on it needs as read then."""

    at: datetime
    state: MessageState


class BoundaryService(PromiseKeeping):
    """Platform-neutral handling of messages and commands, shared by every adapter."""

    def __init__(self, store: Store, policy: Policy, roles: Roles, clock: Callable[[], datetime] = system_clock):
        self.store = store
        self.policy = policy
        self.feed_links: FeedLinks | None = None  # the calendar feeds' addresses, when `serve` publishes them
        self.roles = roles
        self.clock = clock
        self.after_command: list[Callable[[], None]] = []  # e.g. wake the scheduler to announce at once
        self.observers: list[Callable[[IncomingMessage, Outcome], None]] = []  # e.g. metrics
        self.forwarding: Forwarding | None = None  # forwarding to email, when SMTP_URL is set
        self._unanswered: set[tuple[str, str]] = set()  # events claimed here whose handling then failed
        self._typical: tuple[datetime, timedelta | None] | None = None  # (measured at, the typical answer time)
        self.reader = IntentReader()
        self.prompts = OwnerPrompts(store)
        self.owner_messages: OwnerMessages | None = None  # takes the owner's messages down where a platform can
        self.outbox: DeliveryQueue | None = None  # live replies go through it on outbox_platforms (the runner sets it)
        self.outbox_platforms: frozenset[str] = frozenset()

    def _notify(self, result: CommandResult) -> CommandResult:
        if result.ok:
            self.wake()
        return result

    async def handle_message(self, message: IncomingMessage) -> Outcome:
        """Claim the message's event, then decide the reply; a copy of an event already seen stops here.

        Safe to call again with the same message after a storage error: an event this service claimed but could
        not answer goes straight to the decision next time (an adapter whose platform never redelivers retries)."""
        key = (message.platform, message.event_id)
        if key in self._unanswered:
            self._unanswered.discard(key)
            claimed = None
        else:
            claimed = await self.claim(message)
            if claimed is None:
                return Outcome(decision=None, duplicate=True)
        try:
            return await self.handle_claimed(message, claimed)
        except Exception:
            if len(self._unanswered) >= UNANSWERED_LIMIT:
                self._unanswered.clear()
            self._unanswered.add(key)
            raise

    async def claim(self, message: IncomingMessage) -> Claimed | None:
        """Record the event as seen and read what deciding on it needs (one transaction); None for a copy. Raises
        when the store is unavailable, so an adapter can refuse the delivery (Slack then retries) instead of
        acknowledging an unrecorded event."""
        now = self.clock()
        state = await self.store.claim_message(message, now, self._history_since(message, now))
        if state is not None:
            return Claimed(now, state)
        log.info("duplicate event %s:%s dropped", message.platform, message.event_id)
        self._observe(message, Outcome(decision=None, duplicate=True))
        return None

    async def handle_claimed(self, message: IncomingMessage, claimed: Claimed | None = None) -> Outcome:
        """Decide the reply to a message whose event `claim` has recorded (on what the claim read, if given), and
        log it. Safe to call again after a storage error: the reply log is written last, in one statement."""
        outcome = await self._decide(message, claimed)
        self._observe(message, outcome)
        return outcome

    def _observe(self, message: IncomingMessage, outcome: Outcome) -> None:
        for observe in self.observers:
            observe(message, outcome)

    def _history_since(self, message: IncomingMessage, now: datetime) -> HistorySince:
        base = Situation(policy=self.policy, roles=self.roles)

        def history_since_for(context: MessageContext, closures: Sequence[Closure]) -> datetime | None:
            if ignore_reason(message, replace(base, channel_mode=context.channel_mode)) is not None:
                return None
            return history_since(replace(base, closures=tuple(closures)), now)

        return history_since_for

    async def _typical_answer(self, now: datetime) -> timedelta | None:
        """The typical answer time replies quote (when the policy asks), measured at most every TYPICAL_EVERY."""
        if not self.policy.promises.quote_typical:
            return None
        if self._typical is None or now - self._typical[0] >= TYPICAL_EVERY:
            answered = await self.store.list_promises(answered_since=now - timedelta(days=TYPICAL_DAYS))
            self._typical = (now, typical_answer(answered, self.policy.calendar([])))
        return self._typical[1]

    async def _decide(self, message: IncomingMessage, claimed: Claimed | None) -> Outcome:
        channel = message.channel
        base = Situation(policy=self.policy, roles=self.roles, typical_answer=await self._typical_answer(self.clock()))
        # Optimistic: read, decide, and log the reply only if no other decision for this client in this channel was
        # logged since the read (two messages from one client at once, in one process or two, cannot both pass
        # the throttle); the loser decides again on what the winner logged.
        intent = None
        for _ in range(MAX_DECISION_ATTEMPTS):
            if claimed is not None and claimed.state.history_complete:
                now, state = claimed.at, claimed.state
            else:
                now = claimed.at if claimed is not None else self.clock()
                state = await self.store.load_message_state(
                    channel, message.author_id, now, self._history_since(message, now), message.owner_dm is not None
                )
            claimed = None  # a second attempt reads again
            context = state.context
            situation = replace(
                base,
                channel_mode=context.channel_mode,
                closures=state.closures,
                meeting_slot=context.meeting_slot,
                client_zone=context.client_zone,
                history=state.history,
            )
            if (ignored := ignore_reason(message, situation)) is not None:
                if ignored == OWNER_OR_TEAM and await self.store.answer_promises(channel, now):
                    log.info("promises in %s answered by %s", channel, message.author_id)
                if ignored == OWNER_OR_TEAM and await self.prompts.offer(
                    message, situation, now, self.outbox, self.owner_messages
                ):
                    self.wake()
                return Outcome(Decision(reply=None, ignored=ignored))
            intent = intent or await self.reader.read(message.text)
            decision = decide(message, situation, now, intent)
            if self.forwarding is not None and self._hub(message, decision):  # once, whichever attempt queues it
                await self.forwarding.to_inbox(forward_request(message), new_topic=decision.to_inbox)
            replies = (
                [SentReply(kind, key, now) for kind, key in decision.reply.throttle_keys] if decision.reply else []
            )
            remember = not (context.channel_present or message.owner_dm)  # a new channel, or one marked left
            if decision.noted and decision.reply is None:  # no throttle depends on it: no compare-and-set
                await self.store.record_replies(message, [SentReply(NOTED, "", now)])
            if not replies and not remember:
                return Outcome(decision)
            queued = reply_delivery(message, decision.reply, now) if decision.reply and self._queues(message) else None
            promised = decision.reply.promised_by if decision.reply else None
            promise = promise_for(message, promised, self.policy.turnaround, now) if promised else None
            if await self.store.record_decision(
                DecisionRecord(message, replies, state.version, remember, reply=queued, promise=promise)
            ):
                if decision.reply and URGENT in decision.reply.reasons:
                    await self._alert(message, situation, now)
                return Outcome(decision, queued=queued is not None)
        raise RuntimeError(
            f"replies to {message.author_id} in {channel} kept changing during "
            f"{MAX_DECISION_ATTEMPTS} decisions; event {message.event_id} left unanswered"
        )

    async def _alert(self, message: IncomingMessage, situation: Situation, now: datetime) -> None:
        """Queue the urgent alert (the backup's email, the owners' direct messages) and wake the sender."""
        addresses = self.forwarding.addresses if self.forwarding is not None else None
        alerts = alerts_for(message, situation, now, addresses) if self.outbox is not None else []
        if alerts and self.outbox is not None and await self.outbox.enqueue(alerts, now):
            self.wake()

    def _hub(self, message: IncomingMessage, decision: Decision) -> bool:
        """Whether the message may go to the inbox: it is a new topic there, or may join one already there."""
        return decision.to_inbox or (
            self.policy.email.forward != "button" and decision.quiet is None and not message.owner_dm
        )

    def wake(self) -> None:
        """Something was queued that is due now: the sender (and planner) look at once."""
        for listener in self.after_command:
            listener()

    def _queues(self, message: IncomingMessage) -> bool:
        return self.outbox is not None and message.platform in self.outbox_platforms

    async def reply_posted(self, message: IncomingMessage, platform_message_id: str) -> None:
        """This process posted the reply it queued for `message`: its row is sent."""
        if self._queues(message):
            assert self.outbox is not None
            await self.outbox.settle_live(reply_key(message), LIVE_OWNER, self.clock(), sent=platform_message_id)

    async def reply_left_to_sender(self, message: IncomingMessage, error: str) -> None:
        """This process could not tell whether its post of the reply went out: the sender looks for it and posts it
        if it is absent, now rather than when the lease runs out. The throttle keeps counting it."""
        if self._queues(message):
            assert self.outbox is not None
            await self.outbox.settle_live(reply_key(message), LIVE_OWNER, self.clock(), unknown=error)

    async def delivery_lost(self, delivery: Delivery) -> None:
        """The sender gave up on a row for good (and recorded it): a reply's throttle is released."""
        if delivery.key.kind == REPLY_KIND:
            await self.store.release_replies(answered(delivery, self.clock()))
        elif self.outbox is not None and await direct_welcome_lost(self.outbox, delivery, self.clock()):
            log.info("welcome %s could not go by direct message; posted in the channel", delivery.key.token())

    async def reply_not_posted(self, message: IncomingMessage, error: str = "not posted") -> int:
        """The reply decided for `message` could not be posted: it no longer counts for the throttle, so the
        client's next message is answered (and its row, if queued, has failed). Returns how many logged replies
        were released."""
        if self._queues(message):
            assert self.outbox is not None
            await self.outbox.settle_live(reply_key(message), LIVE_OWNER, self.clock(), failed=error)
        released = await self.store.release_replies(message)
        if released:
            log.info(
                "released %d throttle entries for %s: the client's next message will be answered",
                released,
                message.event_id,
            )
        return released

    async def handle_command(self, text: str, invocation: Invocation) -> CommandResult:
        """Run command text for whoever invoked it; refusals and bad input change nothing."""
        return self._notify(await run_command(text, self._context(invocation)))

    async def execute_command(self, command: Command, invocation: Invocation) -> CommandResult:
        """Run an already-parsed command (from a form or structured options); authorization is still checked."""
        return self._notify(await execute(command, self._context(invocation)))

    def _context(self, invocation: Invocation) -> Context:
        return Context(
            invocation,
            self.store,
            self.policy,
            self.roles,
            self.clock(),
            feed_links=self.feed_links,
            queue=self.outbox,
            owner_messages=self.owner_messages,
        )
