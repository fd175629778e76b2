"""Slack side of command buttons (a reminder's Done, a prompt's "End the closure now"): the blocks, and a press
running the command for whoever pressed it, the message then saying what became of it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.slack.events import PLATFORM, escape, sections
from bot.commands import Invocation
from bot.outbound import CommandButton
from bot.owner_words import say

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

COMMAND_ACTION = "boundaries_command"  # and the button's place: Slack wants each action_id once per message
DONE_ACTION = "promise_done"  # reminders posted before command buttons: the value is the promise's number
ACKNOWLEDGED = "OK: nothing changes."


def command_blocks(text: str, buttons: tuple[CommandButton, ...]) -> list[dict[str, Any]]:
    """The (already escaped) text, then its buttons, each carrying its command as its value."""
    elements = []
    for place, button in enumerate(buttons):
        element: dict[str, Any] = {
            "type": "button",
            "action_id": f"{COMMAND_ACTION}:{place}",
            "value": button.command,
            "text": {"type": "plain_text", "text": button.label},
        }
        if button.primary:
            element["style"] = "primary"
        if button.confirm:
            element["confirm"] = {
                "title": {"type": "plain_text", "text": button.label},
                "text": {"type": "plain_text", "text": button.confirm},
                "confirm": {"type": "plain_text", "text": button.label},
                "deny": {"type": "plain_text", "text": "Not now"},
            }
        elements.append(element)
    return [*sections(text), {"type": "actions", "elements": elements}]


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.action(re.compile(rf"^(?:{COMMAND_ACTION}:\d+|{DONE_ACTION})$"))
    async def on_press(ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, client: Any) -> None:
        await ack()
        async with bot.tracker.track():
            user = (body.get("user") or {}).get("id", "")
            team_id = context.team_id or (body.get("team") or {}).get("id", "")
            container = body.get("container") or {}
            channel, ts = container.get("channel_id", ""), container.get("message_ts", "")
            command = str(action.get("value", ""))
            if action.get("action_id") == DONE_ACTION:
                command = f"boundaries promises done {command}"
            status = ACKNOWLEDGED
            if command:
                result = await bot.service.handle_command(command, Invocation(PLATFORM, team_id, channel, user))
                status = result.text if result.ok else result.text.removeprefix(say("commands.not_done", error=""))
            message = (body.get("message") or {}).get("text", "")
            blocks = [
                *sections(message),
                {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(status)}]},
            ]
            try:  # the buttons go: the message now says what became of it
                await client.chat_update(channel=channel, ts=ts, text=message, blocks=blocks)
            except SlackApiError:  # a message Slack will not let the bot change any more: say it instead
                await client.chat_postMessage(channel=channel, text=escape(status))
