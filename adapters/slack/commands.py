"""Slash commands /closure, /meeting, /hours and /boundaries: the core's command text, acked at once, answered privately."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.events import PLATFORM, escape
from adapters.slack.modal import open_closure_modal
from bot.commands import Invocation
from bot.commands.run import REFUSAL

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

COMMANDS = ("/closure", "/meeting", "/hours", "/boundaries")
# `/boundaries WORD ...` runs `WORD ...` for command groups that have no slash command of their own.
ROUTED_BY_BOUNDARIES = frozenset({"channel"})


def command_text(command: str, text: str) -> str:
    """The core's command text for a slash command: "/closure list" -> "closure list"."""
    name, text = command.lstrip("/").lower(), " ".join(text.split())
    if name == "boundaries" and text.split(" ", 1)[0].lower() in ROUTED_BY_BOUNDARIES:
        return text
    return f"{name} {text}".strip()


def register(app: AsyncApp, bot: SlackBot) -> None:
    async def on_command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        async with bot.tracker.track():
            await run_slash_command(bot, command, respond, client)

    for name in COMMANDS:
        app.command(name)(on_command)


async def run_slash_command(bot: SlackBot, command: dict[str, Any], respond: Any, client: Any) -> None:
    team_id, user_id = command.get("team_id", ""), command.get("user_id", "")
    if command.get("command") == "/closure" and not (command.get("text") or "").strip():
        if bot.service.roles.is_owner(PLATFORM, user_id, team_id):
            await open_closure_modal(
                client, command["trigger_id"], bot.service, team_id=team_id, channel_id=command.get("channel_id", "")
            )
        else:
            await respond(text=escape(REFUSAL), response_type="ephemeral")
        return
    person = await bot.directory.person(client, team_id, user_id)
    invocation = Invocation(PLATFORM, team_id, command.get("channel_id", ""), user_id, person.tz)
    result = await bot.service.handle_command(command_text(command["command"], command.get("text") or ""), invocation)
    await respond(text=escape(result.text), response_type="ephemeral")
    if result.public:  # e.g. the client guide, for everyone in the channel
        await client.chat_postMessage(channel=command.get("channel_id", ""), text=escape(result.public))
