"""Prometheus metrics for GET /metrics: events, duplicates, replies by reason, deliveries by state, API errors."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, generate_latest

from bot.messages import IncomingMessage
from bot.outbound import PostError
from bot.queue import Delivery, DeliveryQueue
from bot.scheduling import Scheduling
from bot.service import BoundaryService, Outcome

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """One registry per process; counters are fed by the service's and the sender's hooks."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter(
            "boundary_bot_events_received",
            "Client-channel message events received.",
            ["platform"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "boundary_bot_duplicate_events_dropped",
            "Copies of events already handled.",
            ["platform"],
            registry=self.registry,
        )
        self.replies = Counter(
            "boundary_bot_replies_sent",
            "Automatic replies, by each reason they carried.",
            ["reason"],
            registry=self.registry,
        )
        self.api_errors = Counter(
            "boundary_bot_api_errors", "Failed platform API calls.", ["platform", "permanent"], registry=self.registry
        )
        self.deliveries = Gauge(
            "boundary_bot_deliveries", "Scheduled deliveries by state.", ["state"], registry=self.registry
        )
        self._queue: DeliveryQueue | None = None

    def watch(self, service: BoundaryService, scheduling: Scheduling | None = None) -> Metrics:
        service.observers.append(self.observe_message)
        if scheduling is not None:
            scheduling.sender.on_error = self.observe_post_error
            self._queue = scheduling.queue
        return self

    def observe_message(self, message: IncomingMessage, outcome: Outcome) -> None:
        self.events.labels(message.platform).inc()
        if outcome.duplicate:
            self.duplicates.labels(message.platform).inc()
        if outcome.reply is not None:
            for reason in outcome.reply.reasons:
                self.replies.labels(reason).inc()

    def observe_post_error(self, delivery: Delivery, error: PostError) -> None:
        self.api_error(delivery.key.platform, permanent=error.permanent)

    def api_error(self, platform: str, *, permanent: bool) -> None:
        self.api_errors.labels(platform, "true" if permanent else "false").inc()

    async def render(self) -> bytes:
        """The exposition text, with delivery counts read from the database now."""
        if self._queue is not None:
            for state, count in (await self._queue.count_by_state()).items():
                self.deliveries.labels(state.value).set(count)
        return generate_latest(self.registry)
