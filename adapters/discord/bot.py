"""The discord.py client: minimal intents, command sync in setup_hook, message handling, and run_discord."""
from __future__ import annotations

import logging
from collections.abc import MutableMapping

import discord
from discord.ext import commands

from adapters.discord.commands import register_commands
from adapters.retry import FIRST_RETRY_SECONDS, GaveUp, while_unavailable
from adapters.discord.events import send_reply, to_incoming
from adapters.discord.forward import ForwardView, reaction_added
from adapters.discord.membership import Membership
from adapters.discord.poster import NO_PINGS, PLATFORM, DiscordPoster
from bot.outbound import Poster
from bot.service import BoundaryService
from bot.settings import Settings

log = logging.getLogger(__name__)


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

    def __init__(self, service: BoundaryService, *, guild_id: int | None = None,
                 posters: MutableMapping[str, Poster] | None = None, **options):
        options.setdefault("intents", bot_intents())
        options.setdefault("max_ratelimit_timeout", 30.0)  # longer 429 waits become a transient PostError instead
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, allowed_mentions=NO_PINGS,
                         **options)
        self.service = service
        self.sync_guild_id = guild_id
        self.posters = posters if posters is not None else {}
        self.poster = DiscordPoster(self)
        self.retry_wait = FIRST_RETRY_SECONDS  # the first wait before handling a message again (database down)
        self.membership = Membership(service.store, service.clock)  # the client channels, kept current by events
        self.membership.listen(self)
        register_commands(self.tree, service)

    async def setup_hook(self) -> None:
        """Sync slash commands once per start (never in on_ready, which runs again after every reconnect)."""
        self.add_view(ForwardView(self.service))  # buttons on earlier replies keep working after a restart
        await self.sync_commands()

    async def sync_commands(self) -> list[discord.app_commands.AppCommand]:
        """Guild-scoped (instant, one server) when DISCORD_GUILD_ID is set, else global; failures are logged."""
        guild = discord.Object(self.sync_guild_id) if self.sync_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as error:
            log.error("Discord: could not sync slash commands (%s); was the bot invited with the "
                      "applications.commands scope? See docs/discord.md.", error)
            return []
        log.info("Discord: synced %d slash commands %s", len(synced),
                 f"to server {self.sync_guild_id}" if guild else "globally (may take up to an hour to appear)")
        return synced

    async def on_ready(self) -> None:
        self.posters[PLATFORM] = self.poster
        log.info("Discord: connected as %s (%s) to %d server(s)", self.user, self.user.id if self.user else "?",
                 len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        """Translate, let the core decide (it ignores bots, ourselves, the owner and team), post its reply."""
        incoming = to_incoming(message, bot_user_id=self.user.id if self.user else None,
                               received_at=self.service.clock())
        try:  # Discord never delivers a message twice: while the database is down, this handler waits for it
            outcome = await while_unavailable(lambda: self.service.handle_message(incoming),
                                              what=f"Discord message {incoming.event_id}", first_wait=self.retry_wait)
        except GaveUp as error:
            log.error("%s; it gets no automatic reply", error)
            return
        if outcome.reply is not None:
            offer = outcome.reply.offer_email_forward and self.service.email is not None
            await send_reply(self.service, message, incoming, outcome.reply,
                             view=ForwardView(self.service) if offer else None)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await reaction_added(self, self.service, payload)


async def run_discord(service: BoundaryService, settings: Settings, *,
                      posters: MutableMapping[str, Poster] | None = None, **options) -> None:
    """Log in and serve until cancelled, in the caller's event loop (next to Slack Socket Mode when both run)."""
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    posters = posters if posters is not None else {}
    if settings.discord_api_url:  # discord.py reads the REST base from this class attribute
        discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    client = BoundaryBot(service, guild_id=settings.discord_guild_id, posters=posters, **options)
    try:
        async with client:
            await client.start(settings.discord_token.get_secret_value())
    except discord.PrivilegedIntentsRequired:
        log.error("Discord: the Message Content Intent is off; enable it under Bot > Privileged Gateway Intents "
                  "in the Developer Portal (docs/discord.md).")
        raise
    except discord.LoginFailure:
        log.error("Discord: DISCORD_TOKEN was rejected; reset the token under Bot in the Developer Portal.")
        raise
    finally:
        if posters.get(PLATFORM) is client.poster:
            del posters[PLATFORM]
