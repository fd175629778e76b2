"""One scheduling tick: read state, plan what is due, queue it once, then send what is queued."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta

from bot.at_opening import LATER_KIND
from bot.channel_state import state_updates
from bot.closure_summary import closure_summaries, summaries_due
from bot.digest import DIGEST_WINDOW, compose_digest, digest_moment, digest_moments
from bot.forwarding import FORWARD_KIND, follow_up, source_place
from bot.inbox_digest import left_line, waiting_lines
from bot.meetings import wall_to_instant
from bot.models import ChannelMode, Closure
from bot.planner import CLOSURE_KINDS, CLOSURE_LOOKBACK, LOOKBACK, PlanningInput, candidates, closure_subject, plan
from bot.policy import Policy
from bot.promise_reminders import promise_reminders
from bot.promises import Promise, moved, promise_lines, week_line
from bot.queue import DeliveryKey, DeliveryQueue, DeliveryState, PlannedDelivery
from bot.roles import Roles
from bot.send_records import SendReport
from bot.sender import Sender
from bot.store import Store
from bot.welcoming import WELCOME_KIND, welcomed_client

log = logging.getLogger(__name__)


class Scheduling:
    """Planning and sending around the pure planner; safe to run in several processes at once."""

    def __init__(
        self,
        store: Store,
        queue: DeliveryQueue,
        policy: Policy,
        sender: Sender,
        clock: Callable[[], datetime],
        roles: Roles | None = None,
    ):
        self.store = store
        self.queue = queue
        self.policy = policy
        self.sender = sender
        self.clock = clock
        self.roles = roles or Roles()
        self._ticking = False
        self._again = False
        self.guide_url: str | None = None  # the client guide page, which a Slack bookmark links to
        self._states_queued: set[DeliveryKey] = set()  # this stretch's state rows: not one insert per tick each
        self._digested: datetime | None = None  # the digest moment this process has queued: composed once

    async def planning_input(self, now: datetime) -> PlanningInput:
        closures = await self.store.list_closures(ending_after=now - CLOSURE_LOOKBACK, include_cancelled=True)
        return PlanningInput(
            policy=self.policy,
            closures=closures,
            channels=await self.store.list_channels(ChannelMode.CLIENT),
            slots=await self.store.list_meeting_slots(),
            announced=frozenset(await self.queue.sent_to(CLOSURE_KINDS, [closure_subject(c) for c in closures])),
            promises=await self._promises(closures),
        )

    async def _promises(self, closures: Sequence[Closure]) -> list[Promise]:
        """The unanswered promises, their answer-by times moved past the closures added since they were made."""
        stored = await self.store.list_promises()
        later = {p.id: p for p in moved(stored, self.policy.calendar(closures))}
        for promise in later.values():
            if promise.id is not None and await self.store.move_promise(promise.id, promise.due_at):
                log.info("promise %s now due %s: the business calendar changed", promise.id, promise.due_at.isoformat())
        return sorted((later.get(p.id, p) for p in stored), key=lambda p: (p.due_at, p.id or 0))

    async def plan_once(self) -> int:
        """Queue every delivery that is due and absent; record stale ones as skipped (logged once)."""
        now = self.clock()
        state = await self.planning_input(now)
        result = plan(state, now)
        moment = digest_moment(self.policy, [c for c in state.closures if c.cancelled_at is None], now)
        digests = await self._digests(state, moment) if moment is not None and moment != self._digested else []
        extra = digests + await self._follow_ups(now)
        calendar = self.policy.calendar([c for c in state.closures if c.cancelled_at is None])
        extra += promise_reminders(state.promises, self.policy, calendar, self.roles, now - LOOKBACK, now)
        if summaries_due(state, now):  # what is waiting is read only when a summary is due
            waiting = await self.queue.list_deliveries(kinds=[LATER_KIND], states=[DeliveryState.PENDING])
            extra += closure_summaries(state, self.roles, waiting, now)
        states = state_updates(self.policy, state.closures, state.channels, now, self.guide_url)
        extra += [s for s in states if s.key not in self._states_queued]  # the rest were queued here already
        queued = await self.queue.enqueue(result.due + extra, now)
        self._states_queued = {s.key for s in states}  # only once they are stored
        self._digested = moment or self._digested
        for item in await self.queue.enqueue(
            result.stale, now, skipped_reason="stale: its moment passed before it was planned"
        ):
            log.info(
                "skipped stale %s to %s: it was due %s and is no longer meaningful",
                item.key.kind,
                item.key.channel,
                item.due_at.isoformat(),
            )
        return len(queued)

    async def _follow_ups(self, now: datetime) -> list[PlannedDelivery]:
        """Tell a client privately when the email they asked for failed for good (the unique key makes it once)."""
        gone = [DeliveryState.FAILED, DeliveryState.SKIPPED]
        failed = await self.queue.list_deliveries(
            kinds=[FORWARD_KIND], states=gone, updated_since=now - timedelta(days=2)
        )
        return [note for row in failed if (note := follow_up(row, self.policy, now)) is not None]

    async def _digests(self, state: PlanningInput, moment: datetime) -> list[PlannedDelivery]:
        """The owner's digest per platform and workspace for the day's first opening (`moment`): what happened since
        the last one, composed once per moment by each process (the rows' keys make it once across processes)."""
        earlier = [d.due_at for d in await self.queue.list_deliveries(kinds=["owner_digest"]) if d.due_at < moment]
        since = max(earlier, default=moment - timedelta(days=7))
        entries = await self.store.reply_log_between(since, moment)
        failures = [
            d
            for d in await self.queue.list_deliveries(states=[DeliveryState.FAILED], updated_since=since)
            if d.key.kind != "owner_digest"
        ]
        midnight = wall_to_instant(
            datetime.combine(moment.astimezone(self.policy.zone).date(), time(0), self.policy.zone)
        )
        due_today = [p for p in state.promises if midnight <= p.due_at < midnight + timedelta(days=1)]
        answered = []
        if moment.astimezone(self.policy.zone).weekday() == 0:  # the week's promises, in Monday's digest
            answered = [
                p for p in await self.store.list_promises(answered_since=moment - timedelta(days=7)) if p.answered_at
            ]
        welcomed = await self.queue.list_deliveries(kinds=[WELCOME_KIND], updated_since=since)
        waiting = await waiting_lines(self.queue, self.store, moment, self.policy.zone)
        left = await left_line(self.queue, since)
        places = {(e.channel.platform, e.channel.workspace_id) for e in entries} | set(waiting)
        places |= {(d.key.platform, d.key.workspace_id) for d in welcomed}
        places |= {source_place(f) for f in failures} | {
            (p.channel.platform, p.channel.workspace_id) for p in due_today
        }
        occurrence = moment.astimezone(self.policy.zone).date().isoformat()
        calendar = self.policy.calendar([c for c in state.closures if c.cancelled_at is None])
        digests = []
        for platform, workspace in sorted(places):
            here = (platform, workspace)
            week = week_line([p for p in answered if p.place == here], calendar)
            promised = promise_lines([p for p in due_today if p.place == here], moment, self.policy.zone)
            text = compose_digest(
                self.policy,
                [e for e in entries if (e.channel.platform, e.channel.workspace_id) == here],
                [f for f in failures if source_place(f) == here],
                platform=platform,
                promised=promised,
                week=week,
                new_clients=sorted(
                    {welcomed_client(d) for d in welcomed if (d.key.platform, d.key.workspace_id) == here}
                ),
                inbox=[*waiting.get(here, []), *([left] if left else [])],
            )
            if not text:
                continue
            for owner in sorted(self.roles.owners.get(platform, ())):
                if not self.roles.is_owner(platform, owner, workspace):  # an owner configured for another workspace
                    continue
                key = DeliveryKey("owner_digest", f"digest:{owner}", occurrence, platform, workspace, owner)
                digests.append(PlannedDelivery(key, moment, moment + DIGEST_WINDOW, text, direct=True))
        return digests

    async def tick(self) -> SendReport:
        """Plan, then send everything due; during a running tick, ask it to plan again instead (see `wake`)."""
        if self._ticking:
            self._again = True
            return SendReport()
        self._ticking, self._again, report = True, True, SendReport()
        try:
            while self._again:
                self._again = False
                await self.plan_once()
                report = await self.sender.run_once()
        finally:
            self._ticking = False
        return report

    @property
    def ticking(self) -> bool:
        return self._ticking

    def wake(self) -> None:
        """Something changed (an owner command): a tick under way plans once more before it ends."""
        if self._ticking:
            self._again = True

    async def due_times(self, start: datetime, end: datetime) -> list[datetime]:
        """The distinct instants in (start, end] at which something falls due, for stepping a simulated clock."""
        state = await self.planning_input(start)
        calendar = self.policy.calendar([c for c in state.closures if c.cancelled_at is None])
        reminders = promise_reminders(state.promises, self.policy, calendar, self.roles, start, end)
        due = {item.due_at for item in [*candidates(state, start, end), *reminders] if item.due_at > start}
        queued = await self.queue.list_deliveries(states=[DeliveryState.PENDING])  # like boundaries later's posts
        due |= {d.due_at for d in queued if start < d.due_at <= end}
        return sorted(due | set(await self._digest_stops(state, start, end)))

    async def _digest_stops(self, state: PlanningInput, start: datetime, end: datetime) -> list[datetime]:
        """The first digest moment in (start, end] when something since the last digest is waiting for it."""
        active = [c for c in state.closures if c.cancelled_at is None]
        for moment in digest_moments(self.policy, active, start, end):
            earlier = [d.due_at for d in await self.queue.list_deliveries(kinds=["owner_digest"]) if d.due_at < moment]
            since = max(earlier, default=moment - timedelta(days=7))
            if await self.store.reply_log_between(since, moment):
                return [moment]
            return []
        return []
