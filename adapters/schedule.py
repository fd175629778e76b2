"""APScheduler wiring: planning and sending as interval jobs in the running event loop."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.scheduling import Scheduling
from bot.service import BoundaryService

log = logging.getLogger(__name__)


def start_scheduler(scheduling: Scheduling, service: BoundaryService | None = None, *, plan_seconds: float = 30,
                    send_seconds: float = 5) -> AsyncIOScheduler:
    """Plan (then send) every `plan_seconds` and send every `send_seconds`, both starting at once; with a service,
    every successful owner command wakes the planning job at once (an emergency closure is announced at once).
    Neither job ever runs twice at a time, and the sender runs one pass at a time however it is called.

    Jobs live in APScheduler's memory store only: the deliveries table is the record of
    what is due and what was sent, so several processes can run this side by side.
    """
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(scheduling.tick, "interval", seconds=plan_seconds, id="plan", **common)
    scheduler.add_job(scheduling.sender.run_once, "interval", seconds=send_seconds, id="send", **common)
    scheduler.start()
    if service is not None:

        def wake() -> None:
            scheduling.wake()  # a tick already running plans again before it ends
            scheduler.modify_job("plan", next_run_time=datetime.now(UTC))

        service.after_command.append(wake)
    log.info("scheduler started: planning every %ss, sending every %ss", plan_seconds, send_seconds)
    return scheduler
