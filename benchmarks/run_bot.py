"""`boundary-bot run` with discord.py's gateway URL from BENCH_DISCORD_GATEWAY (a loopback fake), for benchmarks."""

from __future__ import annotations

import os
import sys

import discord
import yarl

from adapters.cli import main

if __name__ == "__main__":
    if gateway := os.environ.get("BENCH_DISCORD_GATEWAY"):  # discord.py has no setting for it, only this attribute
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    sys.exit(main(sys.argv[1:]))
