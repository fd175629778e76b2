"""Showing the owner's presence: on a schedule, each platform gets the presence computed for that instant."""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from datetime import datetime

from bot.policy import Policy
from bot.presence import Applied, Presence, PresenceTarget, due, presence_at
from bot.store import Store

log = logging.getLogger(__name__)

PRESENCE_SECONDS = 60.0  # how often the presence is checked; it changes only when a closure begins, ends or moves


class PresenceSync:
    """Computes the presence from the closures at each pass and shows it where it differs from what was shown (or
    is due again): a restart shows it once more and two processes show the same thing, so both are harmless.
    `targets` fills in as platforms connect (the Discord bot adds itself once ready)."""

    def __init__(
        self,
        store: Store,
        policy: Policy,
        clock: Callable[[], datetime],
        targets: MutableMapping[str, PresenceTarget] | None = None,
        seconds: float = PRESENCE_SECONDS,
    ) -> None:
        self._store, self._policy, self._clock = store, policy, clock
        self.targets: MutableMapping[str, PresenceTarget] = targets if targets is not None else {}
        self.seconds = seconds
        self._applied: dict[str, Applied] = {}

    def forget(self, platform: str) -> None:
        """Show it on `platform` again at the next pass, as if never shown (a new Discord session starts bare)."""
        self._applied.pop(platform, None)

    async def wanted(self) -> Presence:
        now = self._clock()
        return presence_at(self._policy, await self._store.list_closures(ending_after=now), now)

    async def run_once(self) -> Presence | None:
        """Show the presence wherever it is due; the presence, or None when nothing was due."""
        if not self.targets:
            return None
        now = self._clock()
        wanted = await self.wanted()
        shown = None
        for platform, target in list(self.targets.items()):
            if not due(wanted, self._applied.get(platform), now):
                continue
            try:
                await target.show(wanted, now)
            except Exception as error:  # a refusal or an outage: logged, tried again at the next pass
                log.warning("presence on %s not updated (%s); trying again later", platform, error)
                continue
            self._applied[platform] = Applied(wanted, now)
            shown = wanted
            log.info("presence on %s: %s", platform, wanted.text)
        return shown
