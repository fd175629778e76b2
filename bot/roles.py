"""Who is the owner or on the owner's team, per platform and workspace, from configuration only."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

OWNER, TEAM = "owner", "team"


def split_id(configured: str) -> tuple[str | None, str]:
    """("T123", "U456") for a workspace-qualified id "T123:U456"; (None, "U456") for a bare one."""
    workspace, _, user = configured.rpartition(":")
    return workspace or None, user


@dataclass(frozen=True)
class Roles:
    """Configured owner and team ids per platform; never taken from what a client sends.

    `owners` and `team` hold user ids (what the digest is sent to). `places` restricts a user configured as
    "WORKSPACE:USER" (one role, one platform) to those workspaces: in a multi-workspace install the same member id
    in another workspace is someone else. A user configured bare is that user in any workspace."""

    owners: Mapping[str, frozenset[str]] = field(default_factory=dict)
    team: Mapping[str, frozenset[str]] = field(default_factory=dict)
    places: Mapping[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)  # (role, platform, user)

    @classmethod
    def configured(cls, owners: Mapping[str, Iterable[str]], team: Mapping[str, Iterable[str]]) -> Roles:
        """Roles from configured ids, each bare ("U456") or workspace-qualified ("T123:U456")."""
        places: dict[tuple[str, str, str], set[str]] = {}
        anywhere: set[tuple[str, str, str]] = set()

        def users(role: str, platform: str, ids: Iterable[str]) -> frozenset[str]:
            found = set()
            for configured in ids:
                workspace, user = split_id(configured)
                found.add(user)
                if workspace is None:
                    anywhere.add((role, platform, user))
                else:
                    places.setdefault((role, platform, user), set()).add(workspace)
            return frozenset(found)

        return cls(
            owners={platform: users(OWNER, platform, ids) for platform, ids in owners.items()},
            team={platform: users(TEAM, platform, ids) for platform, ids in team.items()},
            places={key: frozenset(found) for key, found in places.items() if key not in anywhere},
        )

    def _holds(self, role: str, platform: str, user_id: str, workspace: str | None) -> bool:
        members = (self.owners if role == OWNER else self.team).get(platform, frozenset())
        if user_id not in members:
            return False
        allowed = self.places.get((role, platform, user_id))
        return allowed is None or workspace is None or workspace in allowed

    def is_owner(self, platform: str, user_id: str, workspace: str | None = None) -> bool:
        """The owner; with `workspace` (or enterprise) given, only where that id was configured. Without it the
        adapter has already dropped requests from a configured id acting elsewhere (see `acting_elsewhere`)."""
        return self._holds(OWNER, platform, user_id, workspace)

    def is_team(self, platform: str, user_id: str, workspace: str | None = None) -> bool:
        return self.is_owner(platform, user_id, workspace) or self._holds(TEAM, platform, user_id, workspace)

    def is_placed(self, platform: str, user_id: str) -> bool:
        """Whether `user_id` is configured as owner or team only for some workspaces (see `acting_elsewhere`)."""
        return (OWNER, platform, user_id) in self.places or (TEAM, platform, user_id) in self.places

    def acting_elsewhere(self, platform: str, user_id: str, workspaces: Collection[str]) -> bool:
        """True when `user_id` is configured as owner or team only for other workspaces than `workspaces` (the
        acting user's workspace and enterprise; none when unknown): the same id there is someone else."""
        roles = [
            role
            for role in (OWNER, TEAM)
            if user_id in (self.owners if role == OWNER else self.team).get(platform, frozenset())
        ]
        if not roles or any(self.places.get((role, platform, user_id)) is None for role in roles):
            return False
        return not any(self._holds(role, platform, user_id, place) for role in roles for place in workspaces)
