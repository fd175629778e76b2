"""The pruning job: apply the policy's retention off-peak (and at least once a day), through the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.policy import Policy
from bot.retention import PruneReport, off_peak, policy_cutoffs
from bot.store import Store

log = logging.getLogger(__name__)

EVERY_DAY = timedelta(days=1)  # a business that is never closed is pruned anyway, once a day
CLOSURE_REACH = timedelta(days=30)  # closures ended this long ago still shape the off-hours stretch before now


class Pruning:
    """Deletes and cuts what retention says is due; each batch is the store's own short transaction, so several
    processes may run it at once (a row one replica pruned is simply not found by the other)."""

    def __init__(self, store: Store, policy: Policy, clock: Callable[[], datetime], *, max_batches: int = 100) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock
        self.max_batches = max_batches
        self._last: datetime | None = None

    async def run_once(self, *, force: bool = False) -> PruneReport | None:
        """Prune now when the business is closed (or `force`, or a day has passed since the last pass); None when
        it is not the time."""
        now = self.clock()
        closures = await self.store.list_closures(ending_after=now - CLOSURE_REACH)
        self._last = self._last or now
        if not (force or off_peak(self.policy, closures, now) or now - self._last >= EVERY_DAY):
            return None
        report = await self.store.prune(policy_cutoffs(self.policy, closures, now), max_batches=self.max_batches)
        erased = await self.store.erase_departed(now - self.policy.retention.period("replies"), now)
        if erased:
            log.info("erased the client data of %d workspace(s) the app was uninstalled from", erased)
        self._last = now
        if report.total:
            log.info(
                "pruned %d event id(s), %d logged reply(ies), %d post payload(s), %d rate pause(s)",
                report.event_ids,
                report.replies,
                report.payloads,
                report.rate_pauses,
            )
        return report
