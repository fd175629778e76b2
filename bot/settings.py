"""Process settings from the environment and .env (tokens, database, policy path, owner ids)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.calendar_links import feed_links
from bot.messages import ChannelRef
from bot.policy import Policy
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.roles import Roles

log = logging.getLogger(__name__)

IdList = Annotated[frozenset[str], NoDecode]
# A person in one workspace or Enterprise Grid org, as multi-workspace (OAuth) mode requires: T0123ABCD:U0456EFGH.
QUALIFIED_ID = re.compile(r"[TE][A-Z0-9]+:[A-Z0-9_]+")
MIN_SECRET = 32
ALLOWED_ID_SHAPES = {"slack_allowed_workspaces": ("T", "T0123ABCD"), "slack_allowed_enterprises": ("E", "E0123ABCD")}


class Settings(BaseSettings):
    """Everything configured outside policy.toml; secrets stay SecretStr so they never print."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = Field(default="sqlite:///boundary-bot.sqlite3")
    policy_file: Path = Path("policy.toml")
    log_level: str = "INFO"
    host: str = Field(
        default="0.0.0.0",
        description="Address `serve` listens on; 0.0.0.0 (every interface) is what "
        "platforms with a router in front need, 127.0.0.1 behind a proxy on the same machine.",
    )
    metrics_enabled: bool = Field(default=False, description="Serve GET /metrics beside Slack's endpoint.")
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Serve GET /metrics on this port only (implies METRICS_ENABLED); keep it off the public network.",
    )

    calendar_key: SecretStr | None = Field(
        default=None,
        description="Secret that `serve` signs the calendar feed URLs with (a long random string); no feeds without it.",
    )
    calendar_import_url: SecretStr | None = Field(
        default=None,
        description="Your calendar's private iCal address (or a .ics file): its time-off events become closures.",
    )
    calendar_import_minutes: int = Field(default=15, ge=1, le=24 * 60, description="How often it is read.")
    public_url: str | None = Field(
        default=None, description="Where clients reach `serve`, like https://bot.example.com; for the feed links."
    )

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = Field(default=None, description="Web API base URL, for GovSlack, proxies and tests.")
    slack_user_token: SecretStr | None = Field(
        default=None,
        description="The owner's User OAuth Token (xoxp-, scopes users.profile:read, users.profile:write, dnd:write): "
        "the owner's status and notifications follow closures.",
    )
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_owner_ids: IdList = frozenset()
    slack_team_ids: IdList = frozenset()
    slack_allowed_workspaces: IdList = Field(
        default=frozenset(),
        description="Team ids that may install the app over OAuth and whose events are handled; others are ignored.",
    )
    slack_allowed_enterprises: IdList = Field(default=frozenset(), description="Enterprise Grid org ids, likewise.")

    discord_token: SecretStr | None = None
    discord_owner_ids: IdList = frozenset()
    discord_team_ids: IdList = frozenset()
    discord_api_url: str | None = Field(default=None, description="REST API base URL, for proxies and tests.")
    discord_gateway_url: str | None = Field(
        default=None,
        description="Gateway websocket URL, for proxies, "
        "Discord-compatible servers and tests; used to connect and to resume.",
    )
    discord_guild_id: int | None = Field(
        default=None, description="Sync slash commands to this server only (instant); global when unset."
    )

    smtp_url: SecretStr | None = Field(
        default=None,
        description="smtp://user:pass@host:587 (STARTTLS when offered) or "
        "smtps://user:pass@host:465; enables forwarding to email.",
    )
    owner_email: str | None = Field(
        default=None, description="Where forwarded messages go; default: the policy's email."
    )
    email_from: str | None = Field(
        default=None, description="From address of forwarded messages; default: the policy's email."
    )
    imap_url: SecretStr | None = Field(
        default=None,
        description="imaps://user:pass@host:993/INBOX: the bot's mailbox, where your answers to forwarded emails "
        "go (with SMTP_URL); each is posted in the client's thread.",
    )
    inbox_address: str | None = Field(
        default=None,
        description="That mailbox's address, which must take plus addressing (bot+tag@...); default: the IMAP user.",
    )
    reply_secret: SecretStr | None = Field(
        default=None,
        description="With IMAP_URL: a long random string (at least 32 characters) that signs each forwarded "
        "email's reply address, so only your answers to those are posted. Changing it voids older ones.",
    )
    inbox_senders: IdList = Field(
        default=frozenset(),
        description="More addresses whose answers are posted (your team's); yours (OWNER_EMAIL, the policy's "
        "email) always are.",
    )

    @field_validator(
        "slack_owner_ids",
        "slack_team_ids",
        "discord_owner_ids",
        "discord_team_ids",
        "slack_allowed_workspaces",
        "slack_allowed_enterprises",
        "inbox_senders",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("slack_allowed_workspaces", "slack_allowed_enterprises")
    @classmethod
    def _slack_ids(cls, value: frozenset[str], info: ValidationInfo) -> frozenset[str]:
        first, example = ALLOWED_ID_SHAPES[str(info.field_name)]
        if wrong := sorted(v for v in value if not re.fullmatch(first + "[A-Z0-9]+", v)):
            raise ValueError(f"{', '.join(wrong)}: use ids that start with {first}, like {example}")
        return value

    def slack_oauth_problems(self) -> list[str]:
        """Why multi-workspace (OAuth) mode must not start: anyone could install it, or a bare member id could be
        someone in another workspace. Empty when it may."""
        problems = []
        if not (self.slack_allowed_workspaces or self.slack_allowed_enterprises):
            problems.append(
                "SLACK_ALLOWED_WORKSPACES (team ids, like T0123ABCD) or SLACK_ALLOWED_ENTERPRISES is "
                "required with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: without it anyone could install "
                "the bot and become a client workspace"
            )
        for name, ids in (("SLACK_OWNER_IDS", self.slack_owner_ids), ("SLACK_TEAM_IDS", self.slack_team_ids)):
            if bare := sorted(i for i in ids if not QUALIFIED_ID.fullmatch(i)):
                problems.append(
                    f"{name} must name each person with their workspace in OAuth mode, like "
                    f"T0123ABCD:U0456EFGH (not {', '.join(bare)}): the same member id in another "
                    "workspace is someone else"
                )
        return problems

    @field_validator("slack_user_token")
    @classmethod
    def _user_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxp-"):
            raise ValueError("use the User OAuth Token (OAuth & Permissions), which starts with xoxp-")
        return value

    @field_validator("log_level")
    @classmethod
    def _level_known(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError(f'"{value}" is not a log level; use DEBUG, INFO, WARNING or ERROR')
        return value.upper()

    def inbox_problems(self) -> list[str]:
        """Why answers by email (IMAP_URL) cannot start; empty when they can or are off."""
        if self.imap_url is None:
            return []
        problems = []
        if self.smtp_url is None:
            problems.append("IMAP_URL needs SMTP_URL: answers come back only to messages the bot forwarded by email")
        secret = self.reply_secret.get_secret_value() if self.reply_secret else ""
        if len(secret) < MIN_SECRET:
            problems.append(
                f"IMAP_URL needs REPLY_SECRET, a random string of at least {MIN_SECRET} characters (like the output "
                "of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return problems

    def feed_links(self) -> Callable[[ChannelRef | None], str] | None:
        """The calendar feeds' addresses under PUBLIC_URL (else localhost:3000); None without CALENDAR_KEY."""
        if self.calendar_key is None:
            return None
        return feed_links(self.calendar_key.get_secret_value(), self.public_url or "http://localhost:3000")

    def roles(self) -> Roles:
        """Owner and team ids per platform (bare, or workspace-qualified); the console's owner is always "owner"."""
        return Roles.configured(
            owners={"slack": self.slack_owner_ids, "discord": self.discord_owner_ids, "console": frozenset({"owner"})},
            team={"slack": self.slack_team_ids, "discord": self.discord_team_ids},
        )

    def load_policy(self) -> Policy:
        """The owner's policy file, or the shipped example when there is none (logged)."""
        if not self.policy_file.exists() and self.policy_file == Path("policy.toml"):
            log.warning(
                "No policy.toml here; using the shipped example policy %s. Copy it to policy.toml and edit it.",
                EXAMPLE_POLICY,
            )
            return load_policy(EXAMPLE_POLICY)
        return load_policy(self.policy_file)
