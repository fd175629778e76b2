"""Connecting to Discord wherever it runs: the gateway URL setting, command sync that never holds up replies, and a
failure to start that is one clear line."""

from __future__ import annotations

import asyncio
import logging
import subprocess
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from cli_process import cli_env, run_cli
from discord_fakes import FakeDiscord
from discord_gateway import APP_ID, CHANNEL_ID, GUILD_ID, TOKEN, user
from discord_harness import make_service, running_bot
from factories import ny
from memory_store import MemoryStore

from adapters.discord import bot as discord_bot
from adapters.discord import connect
from adapters.discord.bot import run_discord
from bot.errors import StartError
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MONDAY_NIGHT = ny(2026, 11, 23, 21, 0)
CLIENT = user(700000000000000001, "Sam")
OWNER_ID = 1


@pytest_asyncio.fixture
async def fake(monkeypatch):
    """The fake; discord.py's REST base and gateway are restored afterwards (run_discord sets them from settings)."""
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )
    try:
        yield server
    finally:
        await server.close()


def settings_for(fake: FakeDiscord, **values) -> Settings:
    return Settings(
        _env_file=None,
        **{
            "discord_token": TOKEN,
            "discord_guild_id": GUILD_ID,
            "discord_api_url": f"{fake.url}/api/v10",
            "discord_gateway_url": f"{fake.url}/gateway",
            **values,
        },
    )


def running(fake: FakeDiscord, settings: Settings):
    return running_bot(make_service(MemoryStore(), MONDAY_NIGHT, owners=[OWNER_ID]), settings=settings)


async def replied_to(fake: FakeDiscord, text: str, count: int) -> dict:
    message = fake.client_message(text, CLIENT)
    await fake.dispatch("MESSAGE_CREATE", message)
    reply = await fake.wait_for_call(rf"POST /channels/{CHANNEL_ID}/messages", count)
    assert str(reply["body"]["message_reference"]["message_id"]) == message["id"]
    return reply["body"]


async def test_the_gateway_url_setting_is_used_to_connect_and_to_resume(fake) -> None:
    fake.resume_url = "ws://127.0.0.1:9/gateway"  # what a proxy's upstream might name: not reachable from here
    async with running(fake, settings_for(fake)):
        assert "It arrived outside business hours" in (await replied_to(fake, "Invoice question", 1))["content"]
        await fake.reconnect()
        async with asyncio.timeout(10):
            while not fake.resumes:
                await asyncio.sleep(0.01)
        assert fake.resumes[0]["session_id"] == "fake-session"
        assert "After hours" not in (await replied_to(fake, "Can you call me?", 2))["content"]


async def test_a_refused_command_sync_leaves_messages_answered_and_is_reported(fake, monkeypatch, caplog) -> None:
    monkeypatch.setattr(discord_bot, "SYNC_RETRY_SECONDS", 0.2)
    refusal = {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "0": {
                "options": {
                    "0": {
                        "name": {
                            "_errors": [
                                {"code": "APPLICATION_COMMAND_INVALID_NAME", "message": "Command name is invalid"}
                            ]
                        }
                    }
                }
            }
        },
    }
    fake.fail_next(rf"PUT /applications/{APP_ID}/guilds/{GUILD_ID}/commands", 400, refusal)
    with caplog.at_level(logging.ERROR, logger="adapters.discord.bot"):
        async with running(fake, settings_for(fake)):
            assert "It arrived outside business hours" in (await replied_to(fake, "Invoice question", 1))["content"]
            told = await fake.wait_for_call(rf"POST /channels/{OWNER_ID + 1}/messages")  # the owner's DM channel
            assert "slash commands could not be set up" in told["body"]["content"]
            assert "Command name is invalid" in told["body"]["content"]
            await fake.wait_for_call(rf"PUT /applications/{APP_ID}/guilds/{GUILD_ID}/commands", 2)  # tried again
    [logged] = [r.getMessage() for r in caplog.records if "slash commands were refused" in r.getMessage()]
    assert "In 0.options.0.name: Command name is invalid" in logged and "messages are still answered" in logged


async def test_unreachable_servers_are_tried_again_then_named(fake, monkeypatch) -> None:
    monkeypatch.setattr(connect, "FIRST_CONNECT_WAIT", 0.01)
    service = make_service(MemoryStore(), MONDAY_NIGHT)
    closed = "http://127.0.0.1:9"
    with pytest.raises(
        StartError, match=r"cannot reach Discord's REST API at http://127.0.0.1:9/api/v10 .*DISCORD_API_URL"
    ):
        await run_discord(service, settings_for(fake, discord_api_url=f"{closed}/api/v10"), posters={})
    with pytest.raises(
        StartError, match=r"cannot reach Discord's gateway at ws://127.0.0.1:9/gateway .*DISCORD_GATEWAY_URL"
    ):
        await run_discord(service, settings_for(fake, discord_gateway_url="ws://127.0.0.1:9/gateway"), posters={})
    assert len(fake.calls("GET /users/@me")) == 1  # REST was fine the second time; the gateway was tried 4 times


def run_bot(fake: FakeDiscord, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    fake_urls = {"DISCORD_API_URL": f"{fake.url}/api/v10", "DISCORD_GATEWAY_URL": f"{fake.url}/gateway"}
    return run_cli(
        "run", cwd=tmp_path, env=cli_env(tmp_path, policy=None, **{"DISCORD_TOKEN": TOKEN, **fake_urls, **env})
    )


@pytest.mark.parametrize(
    ("setup", "env", "expected"),
    [
        (
            "",
            {"DISCORD_TOKEN": "wrong"},
            "DISCORD_TOKEN was rejected; reset the token under Bot in the Developer Portal",
        ),
        ("4004", {}, "DISCORD_TOKEN was rejected by the gateway"),
        ("4014", {}, "turn on Bot > Privileged Gateway Intents > Message Content Intent"),
        ("tls", {}, "a TLS connection to Discord failed"),
    ],
)
async def test_each_connect_failure_is_one_line_and_a_non_zero_exit(fake, tmp_path, setup, env, expected) -> None:
    if setup.isdigit():
        fake.close_on_identify = int(setup)
    if setup == "tls":  # https to a server that speaks plain HTTP
        env = {"DISCORD_API_URL": f"{fake.url.replace('http://', 'https://')}/api/v10"}
    done = await asyncio.to_thread(run_bot, fake, tmp_path, **env)
    lines = [line for line in done.stderr.splitlines() if line.startswith("boundary-bot: ")]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1 and expected in lines[0], done.stderr
