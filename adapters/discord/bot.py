"""The discord.py client: minimal intents, message handling, command sync once connected, and run_discord."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import MutableMapping

import discord
import yarl
from discord.ext import commands

from adapters.discord.buttons import CommandPress, DoneButton
from adapters.discord.commands import register_commands
from adapters.discord.connect import explain, login, reach_gateway, use_gateway
from adapters.discord.events import send_reply, to_incoming
from adapters.discord.forwarding import ForwardView, reaction_added
from adapters.discord.membership import Membership
from adapters.discord.poster import DM_WORKSPACE, NO_PINGS, PLATFORM, DiscordPoster
from adapters.discord.presence import DiscordPresence
from adapters.presence import PresenceSync
from adapters.retry import FIRST_RETRY_SECONDS, GaveUp, while_unavailable
from bot.errors import StartError
from bot.outbound import Poster, PostError
from bot.service import BoundaryService
from bot.settings import Settings
from bot.welcoming import FirstMessages

log = logging.getLogger(__name__)

SYNC_RETRY_SECONDS = 600.0  # a refused command sync is tried again this long after


def bot_intents() -> discord.Intents:
    """Servers and channels, messages in them and in DMs, and their text (message_content is privileged)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = True
    intents.guild_reactions = True  # the owner's envelope reaction forwards a message to email
    return intents


class BoundaryBot(commands.Bot):
    """Hands every message to the core and posts the reply it decides; slash commands live in self.tree."""

    def __init__(
        self,
        service: BoundaryService,
        *,
        guild_id: int | None = None,
        posters: MutableMapping[str, Poster] | None = None,
        presence: PresenceSync | None = None,
        **options,
    ):
        options.setdefault("intents", bot_intents())
        options.setdefault("max_ratelimit_timeout", 30.0)  # longer 429 waits become a transient PostError instead
        super().__init__(
            command_prefix=commands.when_mentioned, help_command=None, allowed_mentions=NO_PINGS, **options
        )
        self.service = service
        self.sync_guild_id = guild_id
        self.posters = posters if posters is not None else {}
        self.presence = presence  # the owner's presence, shown as the bot's own once connected
        self._presence_task: asyncio.Task[object] | None = None
        self.poster = DiscordPoster(
            self, forward_view=lambda: ForwardView(service) if service.forwarding is not None else None
        )
        self.retry_wait = FIRST_RETRY_SECONDS  # the first wait before handling a message again (database down)
        self.membership = Membership(service.store, service.clock)  # the client channels, kept current by events
        self.membership.listen(self)
        self.first_messages = FirstMessages()  # Discord shows no join to a channel: a client's first message
        register_commands(self.tree, service)
        self.gateway_url: yarl.URL | None = None  # DISCORD_GATEWAY_URL, when set
        self.sync_retry = SYNC_RETRY_SECONDS
        self.sync_refusal: str | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self._owner_told = False

    async def setup_hook(self) -> None:
        self.add_view(ForwardView(self.service))  # buttons on earlier replies keep working after a restart
        self.add_dynamic_items(CommandPress, DoneButton)  # buttons of earlier posts, after a restart too

    async def sync_commands(self) -> list[discord.app_commands.AppCommand] | None:
        """Guild-scoped (instant, one server) when DISCORD_GUILD_ID is set, else global; None when refused
        (logged with what the platform named)."""
        guild = discord.Object(self.sync_guild_id) if self.sync_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except Exception as error:  # a 400 naming a field, a 429, an answer without ids: the bot runs on regardless
            detail = f"{error.status} {error.text}" if isinstance(error, discord.HTTPException) else repr(error)
            log.error(
                "Discord: the slash commands were refused (%s); messages are still answered, the sync is tried "
                "again in %.0f s. Was the bot invited with the applications.commands scope? See docs/discord.md.",
                " ".join(detail.split()),
                self.sync_retry,
            )
            self.sync_refusal = detail
            return None
        log.info(
            "Discord: synced %d slash commands %s",
            len(synced),
            f"to server {self.sync_guild_id}" if guild else "globally (may take up to an hour to appear)",
        )
        self.sync_refusal = None
        return synced

    async def _keep_commands_synced(self) -> None:
        """Sync once per start, after the connection is up so no reply waits on it; a refusal is retried, and the
        owner is told once."""
        while await self.sync_commands() is None:
            if not self._owner_told:
                self._owner_told = await tell_owners(
                    self,
                    "Your Discord slash commands could not be set up "
                    f"(Discord said: {(self.sync_refusal or '')[:300]}). Messages are "
                    "still answered; I will keep trying. See docs/discord.md.",
                )
            await asyncio.sleep(self.sync_retry)

    async def on_ready(self) -> None:
        self.posters[PLATFORM] = self.poster
        self._resume_through_gateway_setting()
        log.info(
            "Discord: connected as %s (%s) to %d server(s)",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
        )
        if self._sync_task is None:  # on_ready runs again after every reconnect; the sync once per start
            self._sync_task = asyncio.create_task(self._keep_commands_synced())
        if self.presence is not None:  # shown at once on connecting (a new session starts bare), then kept current
            self.presence.targets[PLATFORM] = DiscordPresence(self)
            self.presence.forget(PLATFORM)
            self._presence_task = asyncio.create_task(self.presence.run_once())

    async def on_resumed(self) -> None:
        self._resume_through_gateway_setting()

    def _resume_through_gateway_setting(self) -> None:
        """Resume through DISCORD_GATEWAY_URL too, not the resume URL the server named (a proxy's upstream)."""
        if self.gateway_url is not None and self.ws is not None:
            self.ws.gateway = self.gateway_url

    async def close(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        """Translate, let the core decide (it ignores bots, ourselves, the owner and team), post its reply."""
        incoming = to_incoming(
            message, bot_user_id=self.user.id if self.user else None, received_at=self.service.clock()
        )
        try:  # Discord never delivers a message twice: while the database is down, this handler waits for it
            outcome = await while_unavailable(
                lambda: self.service.handle_message(incoming),
                what=f"Discord message {incoming.event_id}",
                first_wait=self.retry_wait,
            )
        except GaveUp as error:
            log.error("%s; it gets no automatic reply", error)
            return
        if outcome.reply is not None:
            offer = outcome.reply.offer_email_forward and self.service.forwarding is not None
            await send_reply(
                self.service,
                message,
                incoming,
                outcome.reply,
                view=ForwardView(self.service) if offer else None,
                queued=outcome.queued,
            )
        service = self.service
        if service.outbox is not None and outcome.decision is not None and outcome.decision.ignored is None:
            args = (service.store, service.outbox, service.policy, service.roles, incoming)
            await self.first_messages.welcome(*args, ephemeral_ok=False)  # Discord: a direct message

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await reaction_added(self, self.service, payload)


async def tell_owners(client: BoundaryBot, text: str) -> bool:
    """A direct message to every Discord owner; True when at least one got it."""
    told = False
    for owner in sorted(client.service.roles.owners.get(PLATFORM, ())):
        try:
            await client.poster.direct_message(DM_WORKSPACE, owner, text, f"commands-refused|{owner}")
            told = True
        except PostError as error:
            log.warning("Discord: could not tell owner %s: %s", owner, error)
    return told


async def run_discord(
    service: BoundaryService, settings: Settings, *, posters: MutableMapping[str, Poster] | None = None, **options
) -> None:
    """Log in and serve until cancelled, in the caller's event loop (next to Slack Socket Mode when both run)."""
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    posters = posters if posters is not None else {}
    if settings.discord_api_url:  # discord.py reads the REST base from this class attribute
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    client = BoundaryBot(service, guild_id=settings.discord_guild_id, posters=posters, **options)
    client.gateway_url = use_gateway(settings)
    try:
        async with client:
            await login(client, settings.discord_token.get_secret_value())
            await reach_gateway(client)
            await client.connect(reconnect=True)  # later outages: discord.py reconnects with backoff
    except (
        discord.LoginFailure,
        discord.PrivilegedIntentsRequired,
        discord.ConnectionClosed,
        discord.GatewayNotFound,
    ) as error:
        raise StartError(explain(error) or str(error)) from None
    finally:
        if posters.get(PLATFORM) is client.poster:
            del posters[PLATFORM]
