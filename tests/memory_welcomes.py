"""The in-memory welcomed-once record, mixed into MemoryStore."""

from __future__ import annotations

from datetime import datetime


class MemoryWelcomes:
    """Clients welcomed per (platform, workspace, client), claimed once."""

    _welcomed: dict[tuple[str, str, str], datetime]

    async def claim_welcome(self, platform: str, workspace_id: str, client_id: str, at: datetime) -> bool:
        """True for the first claim of this client in this workspace; False once it was claimed before."""
        welcomed = self._welcomed
        if (platform, workspace_id, client_id) in welcomed:
            return False
        welcomed[(platform, workspace_id, client_id)] = at
        return True
