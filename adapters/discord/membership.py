"""The Discord channels the bot is in: every text channel it can view and send in, synced per server from the cache."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import discord
from discord.ext import commands

from adapters.discord.poster import PLATFORM
from bot.messages import ChannelRef
from bot.store import Store

log = logging.getLogger(__name__)


def client_channels(guild: discord.Guild) -> list[tuple[ChannelRef, str]] | None:
    """The server's text channels where the bot may view and send, with their names; None when the cache cannot
    tell (the server is unavailable, or the bot's own member is not known yet)."""
    me = guild.me
    if guild.unavailable or me is None:
        return None
    found = []
    for channel in guild.text_channels:
        allowed = channel.permissions_for(me)
        if allowed.view_channel and allowed.send_messages:
            found.append((ChannelRef(PLATFORM, str(guild.id), str(channel.id)), channel.name))
    return found


class Membership:
    """Writes each server's client channels to the store whenever what decides them may have changed."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self._again: dict[int, bool] = {}  # servers being synced: whether an event asked for another sync meanwhile

    async def sync(self, guild: discord.Guild) -> bool:
        """Store the server's client channels; a burst of events (a channel reorder) costs two syncs, not one each."""
        if guild.id in self._again:
            self._again[guild.id] = True
            return True
        self._again[guild.id] = True
        try:
            while self._again[guild.id]:
                self._again[guild.id] = False
                present = client_channels(guild)
                if present is None:
                    return False
                await self.store.sync_channels(PLATFORM, str(guild.id), present, self.clock())
        finally:
            del self._again[guild.id]
        return True

    async def sync_all(self, guilds: Iterable[discord.Guild]) -> int:
        synced = sum([await self.sync(guild) for guild in guilds])
        log.info("Discord: client channels synced in %d server(s)", synced)
        return synced

    async def removed(self, guild: discord.Guild) -> None:
        """The bot left or was removed from the server: none of its channels are client channels any more."""
        await self.store.sync_channels(PLATFORM, str(guild.id), [], self.clock())

    def listen(self, bot: commands.Bot) -> None:
        """Sync on ready and on every event that can change which channels the bot may view and send in."""

        async def on_ready() -> None:
            await self.sync_all(bot.guilds)

        async def on_guild(guild: discord.Guild) -> None:
            await self.sync(guild)

        async def on_channel(channel: Any, *after: Any) -> None:
            await self.sync(channel.guild)

        async def on_role(role: discord.Role, *after: discord.Role) -> None:
            await self.sync(role.guild)

        async def on_member_update(before: discord.Member, after: discord.Member) -> None:
            if after.id == getattr(bot.user, "id", None):
                await self.sync(after.guild)

        bot.add_listener(on_ready, "on_ready")
        for event in ("on_guild_join", "on_guild_available"):
            bot.add_listener(on_guild, event)
        for event in ("on_guild_channel_create", "on_guild_channel_update", "on_guild_channel_delete"):
            bot.add_listener(on_channel, event)
        for event in ("on_guild_role_update", "on_guild_role_delete"):
            bot.add_listener(on_role, event)
        bot.add_listener(on_member_update, "on_member_update")
        bot.add_listener(self.removed, "on_guild_remove")
