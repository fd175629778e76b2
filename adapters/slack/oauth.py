"""Multi-workspace install: Bolt's OAuth flow on the project's database, only for the allowed workspaces."""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import AsyncFailureArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack.client import reveal
from adapters.slack.user_token import owner_authorize_url
from bot.errors import StartError
from bot.settings import Settings
from storage.database import Database

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_EXPIRATION_SECONDS = 600

# Every bot scope the app uses; slack/manifest.yml lists the same (a test keeps them equal).
BOT_SCOPES = (
    "app_mentions:read",  # app_mention events (acknowledged; the message event carries the text)
    "bookmarks:read",  # bookmarks.list: find the channel's open/closed bookmark (announcements.channel_state)
    "bookmarks:write",  # bookmarks.add/edit: keep it current
    "channels:history",  # message.channels, and conversations.history to find a delivery after a crash
    "channels:read",  # users.conversations and join/leave/archive events for public channels
    "chat:write",  # replies, announcements, reminders
    "commands",  # /closure, /meeting, /hours, /boundaries
    "files:write",  # files.uploadV2: the small files attached to your email answer, in the client's thread
    "groups:history",  # message.groups (private channels)
    "groups:read",  # users.conversations and join/leave/archive events for private channels
    "im:history",  # message.im (direct messages to the bot)
    "im:write",  # conversations.open for the owner's digest
    "mpim:history",  # message.mpim (group DMs the bot is in)
    "users:read",  # users.info: the sender's time zone and name
    "users:read.email",  # users.info: the client's email, the Reply-To of a forwarded message
    "reactions:read",  # reaction_added: the owner's envelope reaction forwards a message to email
)


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


@dataclass
class AllowList:
    """SLACK_ALLOWED_WORKSPACES and SLACK_ALLOWED_ENTERPRISES; empty lets every workspace through (single-workspace
    mode only: OAuth mode refuses to start without one)."""

    workspaces: frozenset[str] = frozenset()
    enterprises: frozenset[str] = frozenset()
    _logged: set[tuple[str | None, str | None]] = field(default_factory=set)

    @classmethod
    def of(cls, settings: Settings) -> AllowList:
        return cls(settings.slack_allowed_workspaces, settings.slack_allowed_enterprises)

    def allows(self, team_id: str | None, enterprise_id: str | None) -> bool:
        if not (self.workspaces or self.enterprises):
            return True
        return bool((team_id and team_id in self.workspaces) or (enterprise_id and enterprise_id in self.enterprises))

    async def before_authorize(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse:
        """Bolt's before_authorize: a request from a workspace not allowed is acknowledged (an empty 200, so Slack
        does not retry) and goes no further: nothing is stored, nothing is answered. An uninstall still goes
        through, so a workspace removed from the list can take its installation with it."""
        context, event = req.context, req.body.get("event")
        team, enterprise = context.team_id, context.enterprise_id
        cleanup = isinstance(event, dict) and event.get("type") in ("app_uninstalled", "tokens_revoked")
        if (team is None and enterprise is None) or cleanup or self.allows(team, enterprise):
            return await next()  # url_verification and ssl_check carry no workspace
        if (team, enterprise) not in self._logged and len(self._logged) < 1000:
            self._logged.add((team, enterprise))
            log.warning(
                "Slack: requests from workspace %s (enterprise %s) are ignored: it is not in "
                "SLACK_ALLOWED_WORKSPACES or SLACK_ALLOWED_ENTERPRISES",
                team,
                enterprise,
            )
        return BoltResponse(status=200, body="")


class NotAllowed(BoltError):
    """An installation in a workspace the allow-list does not name."""


REFUSED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Not installed</title></head>
<body><h1>boundary-bot was not installed</h1><p>This bot only serves the workspaces its owner has allowed, and
{place} is not one of them, so nothing was installed or stored. If you are a client of this business, ask
them to add your workspace; they will send you a new link.</p></body></html>"""


class AllowListOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow, refusing to store an installation outside the allow-list (and uninstalling it again)."""

    def __init__(self, *, allow: AllowList, settings: AsyncOAuthSettings) -> None:
        super().__init__(settings=settings)
        self.allow = allow
        self.installed: Callable[[str], Awaitable[None]] | None = None  # told of each workspace installed in
        default_failure = self.failure_handler

        async def failure(args: AsyncFailureArgs) -> BoltResponse:
            if not isinstance(args.error, NotAllowed):
                return await default_failure(args)
            return BoltResponse(
                status=403,
                body=REFUSED_PAGE.format(place=html.escape(str(args.error))),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )

        self.failure_handler = failure

    async def build_authorize_url(self, state: str, request: AsyncBoltRequest) -> str:
        generator = self.settings.authorize_url_generator
        return owner_authorize_url(generator, state, request.query) or await super().build_authorize_url(state, request)

    async def store_installation(self, request: AsyncBoltRequest, installation: Installation) -> None:
        if self.allow.allows(installation.team_id, installation.enterprise_id):
            await super().store_installation(request, installation)
            if self.installed is not None and installation.team_id:
                await self.installed(installation.team_id)
            return
        place = f"the workspace {installation.team_name or ''} ({installation.team_id or installation.enterprise_id})"
        log.warning(
            "Slack: refused an install in %s: not in SLACK_ALLOWED_WORKSPACES or SLACK_ALLOWED_ENTERPRISES; "
            "nothing stored",
            place,
        )
        if installation.bot_token:  # the app would stay in that workspace, tokenless: take it out again
            try:
                await self.client.api_call(
                    "apps.uninstall",
                    data={  # a form body: no secret in a URL
                        "token": installation.bot_token,
                        "client_id": self.settings.client_id,
                        "client_secret": self.settings.client_secret,
                    },
                )
            except (SlackApiError, OSError) as error:
                log.warning(
                    "Slack: could not uninstall the refused app from %s (%s); remove it in that "
                    "workspace's app settings",
                    place,
                    type(error).__name__,
                )
        raise NotAllowed(place)


def refuse_unsafe_oauth(settings: Settings) -> None:
    """StartError, naming every setting to fix, when OAuth mode would let anyone in or trust a bare member id."""
    if problems := settings.slack_oauth_problems():
        raise StartError("refusing to start Slack OAuth mode:\n- " + "\n- ".join(problems))


def oauth_flow(settings: Settings, database: Database) -> AllowListOAuthFlow:
    """The OAuth flow of multi-workspace mode, storing installations in `database`."""
    refuse_unsafe_oauth(settings)
    return AllowListOAuthFlow(allow=AllowList.of(settings), settings=build_oauth_settings(settings, database))


def build_oauth_settings(settings: Settings, database: Database) -> AsyncOAuthSettings:
    """OAuth settings whose installation and state stores use `database` (tables from migration 0002)."""
    client_id = settings.slack_client_id or ""
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=reveal(settings.slack_client_secret),
        scopes=list(BOT_SCOPES),
        installation_store=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=database.engine),
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=database.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )
