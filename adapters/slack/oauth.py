"""Multi-workspace install: Bolt's OAuth flow with slack_sdk's async SQLAlchemy stores on the project's database."""
from __future__ import annotations

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack.client import reveal
from bot.settings import Settings
from storage.database import Database

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRATION_SECONDS = 600

# Every bot scope the app uses; slack/manifest.yml lists the same (a test keeps them equal).
BOT_SCOPES = (
    "app_mentions:read",      # app_mention events (acknowledged; the message event carries the text)
    "channels:history",       # message.channels, and conversations.history to find a delivery after a crash
    "channels:read",          # users.conversations and join/leave/archive events for public channels
    "chat:write",             # replies, announcements, reminders
    "commands",               # /closure, /meeting, /hours, /boundaries
    "groups:history",         # message.groups (private channels)
    "groups:read",            # users.conversations and join/leave/archive events for private channels
    "im:history",             # message.im (direct messages to the bot)
    "im:write",               # conversations.open for the owner's digest
    "mpim:history",           # message.mpim (group DMs the bot is in)
    "users:read",             # users.info: the sender's time zone and name
    "users:read.email",       # users.info: the client's email, the Reply-To of a forwarded message
    "reactions:read",         # reaction_added: the owner's envelope reaction forwards a message to email
)


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def build_oauth_settings(settings: Settings, database: Database) -> AsyncOAuthSettings:
    """OAuth settings whose installation and state stores use `database` (tables from migration 0002)."""
    client_id = settings.slack_client_id or ""
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=reveal(settings.slack_client_secret),
        scopes=list(BOT_SCOPES),
        installation_store=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=database.engine),
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS,
                                                   engine=database.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )
