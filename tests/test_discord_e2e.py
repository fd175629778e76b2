"""An unmodified discord.py client, started by run_discord, against a loopback fake of Discord's REST API and gateway."""

from __future__ import annotations

import asyncio

import pytest
from discord_gateway import APP_ID, BOT_USER, CHANNEL_ID, GUILD_ID, TOKEN, user
from discord_harness import client_asks, running_bot

from adapters.discord.bot import bot_intents, run_discord
from adapters.discord.poster import DiscordPoster, nonce_for
from bot.errors import StartError
from bot.settings import Settings

CLIENT = user(700000000000000001, "Sam")


async def test_logs_in_gets_ready_answers_a_message_and_a_slash_command(fake_discord, sqlite_service):
    fake, posters = fake_discord, {}
    async with running_bot(sqlite_service, posters):  # run_discord, until on_ready registered its poster
        assert isinstance(posters["discord"], DiscordPoster)

        # login: /users/@me and the application, then the gateway; the guild-scoped command sync once connected
        paths = [f"{r['method']} {r['path']}" for r in fake.requests]
        assert paths[:2] == ["GET /users/@me", "GET /oauth2/applications/@me"]
        sync = await fake.wait_for_call(rf"PUT /applications/{APP_ID}/guilds/{GUILD_ID}/commands")
        synced = {(command["name"], command.get("type", 1)) for command in sync["body"]}
        slash = {(name, 1) for name in ("closure", "meeting", "channel", "boundaries", "hours", "timezone")}
        assert synced == slash | {("Reply at the opening", 3)}  # and the message command
        assert fake.identify["token"] == TOKEN and fake.identify["intents"] == bot_intents().value
        # discord.py asks for zlib/zstd transport compression but only inflates binary frames; the fake sends text
        assert fake.gateway_query["encoding"] == "json" and fake.gateway_query["compress"].endswith("-stream")

        message, reply = await client_asks(fake, "Could you look at the invoice tonight?", CLIENT)
        assert "It arrived outside business hours" in reply["content"]
        assert "tomorrow (Tuesday, Nov 24) at 9:00 AM EST" in reply["content"]
        assert str(reply["message_reference"]["message_id"]) == message["id"]
        assert reply["message_reference"]["fail_if_not_exists"] is False
        assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
        key = f"reply|{message['id']}||discord|{GUILD_ID}|{CHANNEL_ID}"  # the reply's delivery row
        assert reply["nonce"] == nonce_for(key) and reply["enforce_nonce"] is True

        hours = fake.slash_command("hours", CLIENT)
        await fake.dispatch("INTERACTION_CREATE", hours)
        callback = await fake.wait_for_call(rf"POST /interactions/{hours['id']}/{hours['token']}/callback")
        assert callback["body"]["type"] == 4
        assert callback["body"]["data"]["flags"] == 64  # ephemeral
        assert callback["body"]["data"]["content"].startswith("Opening hours (America/New_York):")

        # a subcommand with options, from the owner (id 1): options are parsed by discord.py from the payload
        options = [
            {
                "type": 1,
                "name": "set",
                "options": [
                    {"type": 3, "name": "weekday", "value": "tuesday"},
                    {"type": 3, "name": "time", "value": "10:00"},
                ],
            }
        ]
        meeting = fake.slash_command("meeting", user(1, "Olivia"), options)
        await fake.dispatch("INTERACTION_CREATE", meeting)
        callback = await fake.wait_for_call(rf"POST /interactions/{meeting['id']}/{meeting['token']}/callback")
        assert callback["body"]["data"]["content"].startswith(
            "This channel's weekly meeting is now Tuesdays at 10:00 (America/New_York) for 30 minutes."
        )

        # the bot's own reply comes back over the gateway and is ignored (no second post)
        echo = fake.client_message(reply["content"], BOT_USER)
        await fake.dispatch("MESSAGE_CREATE", echo)
        await asyncio.sleep(0.1)
        assert len(fake.calls(rf"POST /channels/{CHANNEL_ID}/messages")) == 1
        assert len(fake.calls(r"PUT /applications/.*")) == 1  # synced once per start, not per reconnect
    assert "discord" not in posters  # the poster leaves with the connection


async def test_a_missing_privileged_intent_or_a_bad_token_stops_with_the_fix_named(fake_discord, sqlite_service):
    fake_discord.close_on_identify = 4014
    settings = Settings(discord_token=TOKEN, _env_file=None)
    with pytest.raises(StartError, match="turn on Bot > Privileged Gateway Intents > Message Content Intent"):
        await asyncio.wait_for(run_discord(sqlite_service, settings, posters={}), 10)
    with pytest.raises(StartError, match="DISCORD_TOKEN was rejected; reset the token under Bot"):
        await run_discord(sqlite_service, Settings(discord_token="wrong", _env_file=None), posters={})
