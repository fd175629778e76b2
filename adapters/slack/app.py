"""The Bolt app for one BoundaryService: message, membership and install listeners, plus the commands, modal and home."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, cast

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import buttons, commands, forwarding, home, membership, modal, reply_later
from adapters.slack.claims import MessageEvents
from adapters.slack.client import SlackConnections, reveal, web_client
from adapters.slack.directory import Directory
from adapters.slack.events import PLATFORM, acting_places
from adapters.slack.membership import Membership
from adapters.slack.oauth import AllowList, oauth_enabled, oauth_flow, refuse_unsafe_oauth
from adapters.slack.owner_dms import OwnerDms
from adapters.slack.owner_messages import SlackOwnerMessages
from adapters.slack.poster import SlackPoster
from adapters.slack.user_token import installed_owner_tokens
from bot.messages import ChannelRef
from bot.outbound import Poster
from bot.service import BoundaryService
from bot.settings import Settings
from bot.welcoming import welcome_joiner
from storage.database import Database

log = logging.getLogger(__name__)


class _TokenUnusedFilter(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment too and warns it goes unused beside our client; it is used."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.AsyncApp").addFilter(_TokenUnusedFilter())


class Tracker:
    """Counts listener bodies and started answers in flight, so shutdown (and tests) can wait until they are done."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run `work` as a task of its own, counted from now; an error is logged with `what`."""
        self._running += 1
        self._idle.clear()
        task = asyncio.create_task(work)
        self._tasks.add(task)

        def done(task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            self._finished()
            if not task.cancelled() and (error := task.exception()) is not None:
                log.error("%s: its answer failed", what, exc_info=error)

        task.add_done_callback(done)

    def _finished(self) -> None:
        self._running -= 1
        if self._running == 0:
            self._idle.set()

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._finished()

    async def wait_idle(self, timeout: float = 10.0) -> None:
        await asyncio.sleep(0.05)  # let listeners Bolt has just scheduled start
        await asyncio.wait_for(self._idle.wait(), timeout)


@dataclass
class SlackBot:
    """The Bolt app and what its listeners share; close it to release the OAuth database."""

    app: AsyncApp
    service: BoundaryService
    settings: Settings
    poster: SlackPoster
    membership: Membership  # the channel list sync; `membership.start()` once serving
    directory: Directory = field(default_factory=Directory)
    tracker: Tracker = field(default_factory=Tracker)
    database: Database | None = None
    owns_database: bool = False
    on_api_error: Callable[[str], None] | None = None  # e.g. metrics; given Slack's error code
    connections: SlackConnections = field(default_factory=SlackConnections)
    owner_dms: OwnerDms = field(init=False)

    def __post_init__(self) -> None:
        self.owner_dms = OwnerDms(self)

    async def aclose(self) -> None:
        await self.membership.stop()
        with contextlib.suppress(asyncio.TimeoutError):
            await self.tracker.wait_idle(timeout=5)
        await self.connections.close()
        if self.database is not None and self.owns_database:
            await self.database.dispose()


def build_slack(
    service: BoundaryService,
    settings: Settings,
    posters: dict[str, Poster] | None = None,
    *,
    http: bool = True,
    oauth_database: Database | None = None,
) -> SlackBot:
    """The Bolt app; OAuth (multi-workspace) when SLACK_CLIENT_ID/SECRET are set in HTTP mode, else SLACK_BOT_TOKEN.

    The OAuth stores use `oauth_database`, or their own handle on DATABASE_URL (closed by SlackBot.aclose).
    """
    database = None
    connections = SlackConnections()
    allow = AllowList.of(settings)
    common: dict[str, Any] = dict(
        name="boundary-bot",
        signing_secret=reveal(settings.slack_signing_secret) or "",
        process_before_response=False,
        ignoring_self_events_enabled=False,
        # Over HTTP, the endpoint checks the signature on the raw bytes before anything parses them (http.py):
        # Bolt's second check of the same signature is left out.
        request_verification_enabled=not http,
        before_authorize=allow.before_authorize,
    )
    workspaces: membership.Workspaces
    owner_client_for: Callable[[str, str], Awaitable[AsyncWebClient | None]] | None = None  # OAuth: their installs
    if http and oauth_enabled(settings):
        refuse_unsafe_oauth(settings)  # StartError: no allow-list, or owners named without their workspace
        database = oauth_database or Database(settings.database_url)
        flow = oauth_flow(settings, database)
        flow.installed = lambda team_id: service.store.workspace_back(PLATFORM, team_id)
        app = AsyncApp(client=web_client(settings, connections=connections), oauth_flow=flow, **common)
        store = cast(AsyncSQLAlchemyInstallationStore, flow.settings.installation_store)  # see oauth_flow

        async def client_for(workspace_id: str) -> AsyncWebClient | None:
            bot = await store.async_find_bot(enterprise_id=None, team_id=workspace_id)
            if bot and bot.bot_token and allow.allows(bot.team_id, bot.enterprise_id):
                return web_client(settings, bot.bot_token, retries=False, connections=connections)
            return None

        installed = membership.installed_workspaces(store)
        rotator = AsyncTokenRotator(
            client_id=settings.slack_client_id or "",
            client_secret=reveal(settings.slack_client_secret) or "",
            client=web_client(settings, retries=False, connections=connections),
        )
        owner_tokens = installed_owner_tokens(
            store, rotator, lambda token: web_client(settings, token, retries=False, connections=connections)
        )

        async def allowed_owner(workspace_id: str, owner_id: str) -> AsyncWebClient | None:
            return await owner_tokens(workspace_id, owner_id) if allow.allows(workspace_id, None) else None

        owner_client_for = allowed_owner

        async def workspaces() -> list[str]:
            return [workspace for workspace in await installed() if allow.allows(workspace, None)]
    else:
        token = reveal(settings.slack_bot_token)
        if not token:
            raise ValueError(
                "SLACK_BOT_TOKEN is not set; set it (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for "
                "multi-workspace install in HTTP mode)"
            )
        app = AsyncApp(client=web_client(settings, token, connections=connections), **common)
        poster_client = web_client(settings, token, retries=False, connections=connections)

        async def client_for(workspace_id: str) -> AsyncWebClient | None:
            return poster_client

        workspaces = membership.token_workspace(poster_client)

    user_token = reveal(settings.slack_user_token)
    poster = SlackPoster(
        client_for,
        forwarding=lambda: service.forwarding is not None,
        user_client=web_client(settings, user_token, retries=False, connections=connections) if user_token else None,
        dm_reply_from=lambda: service.policy.direct_messages.reply_from,
        owner_client_for=owner_client_for,
    )
    bot = SlackBot(
        app=app,
        service=service,
        settings=settings,
        poster=poster,
        database=database,
        owns_database=database is not None and oauth_database is None,
        connections=connections,
        membership=Membership(service.store, service.clock, client_for, workspaces),
    )
    _register(bot)
    service.owner_messages = SlackOwnerMessages(poster, service.roles)
    if posters is not None:
        posters[PLATFORM] = bot.poster
    return bot


def _revocation(bot: SlackBot, installations: AsyncInstallationStore) -> None:
    """Bolt's token revocation listeners (the installation's tokens go at once), and an uninstall recorded so the
    pruning job erases that workspace's client data once the retention period has passed."""
    revocation = AsyncTokenRevocationListeners(installations)

    @bot.app.event("app_uninstalled")
    async def on_app_uninstalled(context: Any) -> None:
        await revocation.handle_app_uninstalled_events(context)
        await bot.service.store.workspace_left(PLATFORM, context.team_id, bot.service.clock())
        log.warning(
            "Slack: the app was uninstalled from workspace %s; its tokens are deleted and its client data "
            "will be erased after the retention period",
            context.team_id,
        )

    bot.app.event("tokens_revoked")(revocation.handle_tokens_revoked_events)


def _register(bot: SlackBot) -> None:
    app = bot.app

    async def configured_place(req: AsyncBoltRequest, resp: BoltResponse, next: Callable) -> BoltResponse:
        """An owner's or team member's id configured with a workspace ("T1:U1") acting from another workspace is
        someone else: the request is acknowledged and dropped before the core could take them for the owner."""
        user, roles = req.context.user_id, bot.service.roles
        if (
            user
            and roles.is_placed(PLATFORM, user)
            and roles.acting_elsewhere(PLATFORM, user, places := acting_places(req.body, req.context))
        ):
            log.warning(
                "Slack: %s acted from %s, not where SLACK_OWNER_IDS/SLACK_TEAM_IDS place them; ignored",
                user,
                "/".join(places) or "an unknown workspace",
            )
            return BoltResponse(status=200, body="")
        return await next()

    app.use(configured_place)
    app.use(MessageEvents(bot))  # every message event ends here: claimed before the ack, then answered

    async def welcome(channel: ChannelRef, user: str, client: AsyncWebClient) -> None:
        service = bot.service
        if service.outbox is not None:
            person = await bot.directory.person(client, channel.workspace_id, user)
            is_bot = bool(person and person.is_bot)
            args = (service.store, service.outbox, service.policy, service.roles, channel, user, service.clock())
            await welcome_joiner(*args, is_bot=is_bot)

    membership.register(app, bot.membership, bot.tracker.track, welcome)
    commands.register(app, bot)
    modal.register(app, bot)
    home.register(app, bot)
    forwarding.register(app, bot)
    buttons.register(app, bot)
    reply_later.register(app, bot)
    if bot.app.installation_store is not None:  # multi-workspace (OAuth) mode
        _revocation(bot, bot.app.installation_store)

    @app.event(re.compile(".*"))
    async def on_other_event(event: dict[str, Any]) -> None:
        """app_mention (the message event carries the same text) and anything else: acknowledged, nothing to do."""
        log.debug("Slack event %s acknowledged", event.get("type"))
