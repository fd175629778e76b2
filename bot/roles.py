"""Who is the owner or on the owner's team, per platform, from configuration only."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Roles:
    """Configured owner and team ids per platform; never taken from what a client sends."""

    owners: Mapping[str, frozenset[str]] = field(default_factory=dict)
    team: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_owner(self, platform: str, user_id: str) -> bool:
        return user_id in self.owners.get(platform, frozenset())

    def is_team(self, platform: str, user_id: str) -> bool:
        return self.is_owner(platform, user_id) or user_id in self.team.get(platform, frozenset())
