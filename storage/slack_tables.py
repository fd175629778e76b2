"""Slack OAuth tables (installations, bots, OAuth states) in the exact shape slack_sdk's SQLAlchemy stores use."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table

from storage.tables import Base

# slack_sdk.oauth's AsyncSQLAlchemyInstallationStore / AsyncSQLAlchemyOAuthStateStore read and write these by
# name; the migration 0002_slack_oauth creates them, and they live here so migrations and metadata agree.
# Their DateTime columns are naive UTC, as slack_sdk writes them.


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _app(*, enterprise_url: bool = False) -> list[Column]:
    """The app and the workspace (or Enterprise Grid org) an installation is for."""
    url = [Column("enterprise_url", String(200))] if enterprise_url else []
    return [
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        *url,
        Column("team_id", String(32)),
        Column("team_name", String(200)),
    ]


def _bot() -> list[Column]:
    """The bot user's token and scopes."""
    return [
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


slack_installations = Table(
    "slack_installations",
    Base.metadata,
    _id(),
    *_app(enterprise_url=True),
    *_bot(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = Table(
    "slack_bots",
    Base.metadata,
    _id(),
    *_app(),
    *_bot(),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    _id(),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
