"""The Discord adapter: a discord.py client that hands client messages and slash commands to the core and posts its replies.

Modules: bot (the client, setup_hook, run_discord), events (discord.Message -> IncomingMessage, replies),
commands (the slash-command tree), autocomplete (time zones, dates, times), poster (DiscordPoster for the
scheduler), invite (the invite URL). Setup is described in docs/discord.md.
"""
