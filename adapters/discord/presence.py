"""The Discord bot's own presence: "Closed until …" while closed, "Open · answers within …" otherwise."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.presence import Presence


class DiscordPresence:
    """Shows the presence as the bot's custom status: idle while closed, online when open."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def show(self, presence: Presence, now: datetime) -> None:
        if not self._client.is_ready():
            raise ConnectionError("not connected to Discord yet")
        status = discord.Status.idle if presence.closed else discord.Status.online
        await self._client.change_presence(status=status, activity=discord.CustomActivity(name=presence.text))
