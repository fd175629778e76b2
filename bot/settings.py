"""Process settings from the environment and .env (tokens, database, policy path, owner ids)."""
from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing import Annotated

from bot.policy import Policy
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.roles import Roles

log = logging.getLogger(__name__)

IdList = Annotated[frozenset[str], NoDecode]


class Settings(BaseSettings):
    """Everything configured outside policy.toml; secrets stay SecretStr so they never print."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = Field(default="sqlite:///boundary-bot.sqlite3")
    policy_file: Path = Path("policy.toml")
    log_level: str = "INFO"

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = Field(default=None, description="Web API base URL, for GovSlack, proxies and tests.")
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_owner_ids: IdList = frozenset()
    slack_team_ids: IdList = frozenset()

    discord_token: SecretStr | None = None
    discord_owner_ids: IdList = frozenset()
    discord_team_ids: IdList = frozenset()
    discord_api_url: str | None = Field(default=None, description="REST API base URL, for proxies and tests.")
    discord_gateway_url: str | None = Field(default=None, description="Gateway websocket URL, for proxies, "
                                            "Discord-compatible servers and tests; used to connect and to resume.")
    discord_guild_id: int | None = Field(default=None, description="Sync slash commands to this server only (instant); global when unset.")

    smtp_url: SecretStr | None = Field(default=None, description="smtp://user:pass@host:587 (STARTTLS when offered) or "
                                       "smtps://user:pass@host:465; enables the email bridge.")
    owner_email: str | None = Field(default=None, description="Where forwarded messages go; default: the policy's email.")
    email_from: str | None = Field(default=None, description="From address of forwarded messages; default: the policy's email.")

    @field_validator("slack_owner_ids", "slack_team_ids", "discord_owner_ids", "discord_team_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("log_level")
    @classmethod
    def _level_known(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f'"{value}" is not a log level; use DEBUG, INFO, WARNING or ERROR')
        return value.upper()

    def roles(self) -> Roles:
        """Owner and team ids per platform; the console's owner is always "owner"."""
        return Roles(
            owners={"slack": self.slack_owner_ids, "discord": self.discord_owner_ids, "console": frozenset({"owner"})},
            team={"slack": self.slack_team_ids, "discord": self.discord_team_ids},
        )

    def load_policy(self) -> Policy:
        """The owner's policy file, or the shipped example when there is none (logged)."""
        if not self.policy_file.exists() and self.policy_file == Path("policy.toml"):
            log.warning("No policy.toml here; using the shipped example policy %s. Copy it to policy.toml and edit it.",
                        EXAMPLE_POLICY)
            return load_policy(EXAMPLE_POLICY)
        return load_policy(self.policy_file)
