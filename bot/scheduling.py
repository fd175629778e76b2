"""One scheduling tick: read state, plan what is due, queue it once, then send what is queued."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.models import ChannelMode
from bot.planner import CLOSURE_KINDS, CLOSURE_LOOKBACK, PlanningInput, candidates, plan
from bot.policy import Policy
from bot.queue import DeliveryQueue
from bot.sender import SendReport, Sender
from bot.store import Store

log = logging.getLogger(__name__)


class Scheduling:
    """Planning and sending around the pure planner; safe to run in several processes at once."""

    def __init__(self, store: Store, queue: DeliveryQueue, policy: Policy, sender: Sender,
                 clock: Callable[[], datetime]):
        self.store = store
        self.queue = queue
        self.policy = policy
        self.sender = sender
        self.clock = clock

    async def planning_input(self, now: datetime) -> PlanningInput:
        return PlanningInput(
            policy=self.policy,
            closures=await self.store.list_closures(ending_after=now - CLOSURE_LOOKBACK, include_cancelled=True),
            channels=await self.store.list_channels(ChannelMode.CLIENT),
            slots=await self.store.list_meeting_slots(),
            announced=frozenset(await self.queue.sent_subjects(CLOSURE_KINDS)),
        )

    async def plan_once(self) -> int:
        """Queue every delivery that is due and absent; record stale ones as skipped (logged once)."""
        now = self.clock()
        result = plan(await self.planning_input(now), now)
        queued = await self.queue.enqueue(result.due, now)
        for item in await self.queue.enqueue(result.stale, now, skipped_reason="stale: its moment passed before it was planned"):
            log.info("skipped stale %s to %s: it was due %s and is no longer meaningful",
                     item.key.kind, item.key.channel, item.due_at.isoformat())
        return len(queued)

    async def tick(self) -> SendReport:
        """Plan, then send everything due."""
        await self.plan_once()
        return await self.sender.run_once()

    async def due_times(self, start: datetime, end: datetime) -> list[datetime]:
        """The distinct instants in (start, end] at which something falls due, for stepping a simulated clock."""
        state = await self.planning_input(start)
        return sorted({item.due_at for item in candidates(state, start, end) if item.due_at > start})
