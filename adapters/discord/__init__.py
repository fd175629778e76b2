"""The Discord adapter: discord.py client, slash commands and poster around the core (setup: docs/discord.md)."""
