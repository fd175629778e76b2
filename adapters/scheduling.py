"""APScheduler wiring: planning, sending and pruning as interval jobs in the running event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.pruning import Pruning
from bot.scheduling import Scheduling
from bot.service import BoundaryService

if TYPE_CHECKING:
    from adapters.calendar_import import CalendarSync
    from adapters.presence import PresenceSync

log = logging.getLogger(__name__)


PRUNE_DELAY = 60.0  # seconds after start before the first pruning pass
STOP_GRACE = 5.0  # seconds a running pass gets to finish when the bot stops, before it is cancelled


def _until_stopped(job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """The job, ending quietly if cancelled (APScheduler would log the cancellation as a failure with a
    traceback); the deliveries table keeps what was left undone."""

    async def run() -> None:
        try:
            await job()
        except asyncio.CancelledError:
            log.debug("%s stopped with the bot", job.__qualname__)

    run.__qualname__ = run.__name__ = job.__qualname__
    return run


def start_scheduler(
    scheduling: Scheduling,
    service: BoundaryService | None = None,
    *,
    plan_seconds: float = 30,
    send_seconds: float = 5,
    prune_seconds: float = 3600,
    calendar_sync: CalendarSync | None = None,
    presence: PresenceSync | None = None,
) -> AsyncIOScheduler:
    """Plan (then send) every `plan_seconds` and send every `send_seconds`, both starting at once, and prune what
    the policy's retention says is due every `prune_seconds` (bot.pruning: off-peak); with a service,
    every successful owner command wakes the planning job at once (an emergency closure is announced at once).
    Neither job ever runs twice at a time, and the sender runs one pass at a time however it is called.

    Jobs live in APScheduler's memory store only: the deliveries table is the record of
    what is due and what was sent, so several processes can run this side by side.
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(_until_stopped(scheduling.tick), "interval", seconds=plan_seconds, id="plan", **common)
    scheduler.add_job(_until_stopped(scheduling.sender.run_once), "interval", seconds=send_seconds, id="send", **common)
    pruning = Pruning(scheduling.store, scheduling.policy, scheduling.clock)  # off-peak; waits for the bot to settle
    scheduler.add_job(
        _until_stopped(pruning.run_once),
        "interval",
        seconds=prune_seconds,
        id="prune",
        **{**common, "next_run_time": datetime.now(UTC) + timedelta(seconds=PRUNE_DELAY)},
    )
    if calendar_sync is not None:  # the owner's calendar: at once, then every CALENDAR_IMPORT_MINUTES
        scheduler.add_job(
            _until_stopped(calendar_sync.run_once), "interval", seconds=calendar_sync.seconds, id="calendar", **common
        )
    if presence is not None:  # the owner's presence: at once, then checked every PRESENCE_SECONDS
        scheduler.add_job(
            _until_stopped(presence.run_once), "interval", seconds=presence.seconds, id="presence", **common
        )
    scheduler.start()
    if service is not None:

        def wake() -> None:
            scheduling.wake()  # a tick already running plans again before it ends
            scheduler.modify_job("plan", next_run_time=datetime.now(UTC))
            if presence is not None:  # a closure that begins now, or ends early, shows at once
                scheduler.modify_job("presence", next_run_time=datetime.now(UTC))

        service.after_command.append(wake)
    log.info("scheduler started: planning every %ss, sending every %ss", plan_seconds, send_seconds)
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, *, grace: float = STOP_GRACE) -> None:
    """Stop starting passes, let the submitted and running ones finish (cancelled after `grace`), then shut
    down: the database is closed after them, nothing is cut off mid-transaction, and APScheduler's shutdown (which
    cancels whatever it still holds, logging each as a failed job) finds nothing left."""
    scheduler.pause()
    executor = scheduler._lookup_executor("default")
    passes = {task for task in getattr(executor, "_pending_futures", ()) if not task.done()}  # running ones too
    if passes:
        _, late = await asyncio.wait(passes, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    scheduler.shutdown(wait=False)
