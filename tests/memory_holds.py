"""The in-memory hold on the owner's after-hours messages, mixed into MemoryStore."""

from __future__ import annotations

from datetime import datetime


class MemoryHolds:
    """Until when each (platform, workspace, person) is held; absent: not held."""

    _holds: dict[tuple[str, str, str], datetime]

    async def hold_owner(self, platform: str, workspace_id: str, person_id: str, until: datetime | None) -> None:
        if until is None:
            self._holds.pop((platform, workspace_id, person_id), None)
        else:
            self._holds[(platform, workspace_id, person_id)] = until

    async def owner_held_until(
        self, platform: str, workspace_id: str, person_id: str, now: datetime
    ) -> datetime | None:
        until = self._holds.get((platform, workspace_id, person_id))
        return until if until is not None and until > now else None
