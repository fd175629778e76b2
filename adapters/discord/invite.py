"""The invite URL: scopes bot and applications.commands, only the permissions used (python -m adapters.discord.invite)."""

from __future__ import annotations

import argparse
import sys

import discord

SCOPES = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the channels it is added to
    send_messages=True,  # replies and announcements
    send_messages_in_threads=True,  # replies inside threads
    read_message_history=True,  # needed to reply to a message, and to find a post again after a crash
)


def invite_url(client_id: int, guild_id: int | None = None) -> str:
    """The OAuth2 URL that adds the bot to a server; with guild_id, that server is preselected."""
    if guild_id is None:
        return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=SCOPES)
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=SCOPES, guild=discord.Object(guild_id))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m adapters.discord.invite",
        description="Print the URL that adds boundary-bot to a Discord server.",
    )
    parser.add_argument(
        "--client-id",
        required=True,
        type=int,
        help="the Application ID from the Developer Portal (General Information)",
    )
    parser.add_argument("--guild-id", type=int, help="preselect this server in the invite dialog")
    args = parser.parse_args(argv)
    print(invite_url(args.client_id, args.guild_id))
    print(f"permissions integer: {PERMISSIONS.value}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
