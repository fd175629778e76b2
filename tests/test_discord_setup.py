"""Discord setup pieces: the invite URL and its command, the intents asked for, and refusing to start without a token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from discord_harness import make_service
from factories import ny
from memory_store import MemoryStore

from adapters.discord.bot import bot_intents, run_discord
from adapters.discord.invite import PERMISSIONS, invite_url
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_invite_url_has_both_scopes_and_only_the_needed_permissions():
    url = invite_url(123456789012345678)
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=123456789012345678")
    assert "scope=bot+applications.commands" in url and f"permissions={PERMISSIONS.value}" in url
    assert PERMISSIONS.value == 274877975552
    assert {name for name, on in PERMISSIONS if on} == {
        "read_messages",
        "send_messages",
        "send_messages_in_threads",
        "read_message_history",
    }  # read_messages = View Channels
    assert "guild_id=42" in invite_url(1, guild_id=42)


def test_invite_command_prints_the_url():
    result = subprocess.run(
        [sys.executable, "-m", "adapters.discord.invite", "--client-id", "77"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == invite_url(77)
    assert "permissions integer: 274877975552" in result.stderr


def test_only_the_needed_intents_are_requested():
    intents = bot_intents()
    assert {name for name, on in intents if on} == {
        "guilds",
        "guild_messages",
        "dm_messages",
        "message_content",
        "guild_reactions",
    }
    assert not intents.members and not intents.presences  # the other privileged intents stay off


async def test_run_discord_needs_a_token():
    service = make_service(MemoryStore(), ny(2026, 11, 23, 21, 0))
    with pytest.raises(ValueError, match="DISCORD_TOKEN"):
        await run_discord(service, Settings(_env_file=None, discord_token=None))


def test_the_docs_explain_setup():
    text = (ROOT / "docs" / "discord.md").read_text(encoding="utf-8")
    for needed in (
        "Message Content Intent",
        "applications.commands",
        "274877975552",
        "python -m adapters.discord.invite --client-id",
        "DISCORD_TOKEN",
        "DISCORD_OWNER_IDS",
    ):
        assert needed in text
