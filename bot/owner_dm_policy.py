"""The policy's [direct_messages] section: which direct messages to the owner get automatic replies, and from whom."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_SLACK_ID = re.compile(r"^[UWTE][A-Z0-9]{2,20}$")


class DirectMessages(BaseModel):
    """Clients who write to you directly (Slack, with your user token): who counts as one and who signs the reply."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    external: bool = Field(
        default=True,
        description="People from other organisations (Slack Connect) who message you directly are clients.",
    )
    clients: list[str] = Field(
        default_factory=list,
        max_length=500,
        description='More clients: Slack user ids ("U0123ABCD") or whole workspaces ("T0123ABCD"). Everyone else '
        "in your own workspace is a colleague and never gets an automatic reply in a direct message.",
    )
    reply_from: Literal["owner", "bot"] = Field(
        default="owner",
        description='"owner": the automatic reply goes in your direct message, with your user token, marked as '
        'automatic; "bot": the bot sends it to the client in a direct message of its own.',
    )

    @field_validator("clients")
    @classmethod
    def _slack_ids(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _SLACK_ID.fullmatch(value):
                raise ValueError(
                    f'"{value[:40]}" is not a Slack user or workspace id; use ids like "U0123ABCD" (a person) or '
                    '"T0123ABCD" (a workspace), from their profile\'s "Copy member ID" or the workspace settings'
                )
        return values

    def is_client(self, author_id: str, author_team: str | None, owner_team: str) -> bool:
        """Whether someone messaging the owner directly is a client: listed, from a listed workspace, or (with
        `external`) from another organisation than the owner's."""
        if author_id in self.clients or (author_team and author_team in self.clients):
            return True
        return self.external and bool(author_team) and author_team != owner_team
