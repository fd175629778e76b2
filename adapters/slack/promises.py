"""Slack side of promises: the reminder's Done button, and its press marking the promise done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.slack.events import PLATFORM, escape, sections
from bot.commands import Invocation

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

DONE_ACTION = "promise_done"


def done_blocks(text: str, promise_id: int) -> list[dict[str, Any]]:
    """The reminder's (already escaped) text, then its Done button."""
    button = {
        "type": "button",
        "action_id": DONE_ACTION,
        "value": str(promise_id),
        "style": "primary",
        "text": {"type": "plain_text", "text": "Done"},
    }
    return [*sections(text), {"type": "actions", "elements": [button]}]


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.action(DONE_ACTION)
    async def on_done(ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, client: Any) -> None:
        await ack()
        async with bot.tracker.track():
            user = (body.get("user") or {}).get("id", "")
            team_id = context.team_id or (body.get("team") or {}).get("id", "")
            container = body.get("container") or {}
            channel, ts = container.get("channel_id", ""), container.get("message_ts", "")
            number = str(action.get("value", ""))
            result = await bot.service.handle_command(
                f"boundaries promises done {number}", Invocation(PLATFORM, team_id, channel, user)
            )
            message = (body.get("message") or {}).get("text", "")
            status = result.text if result.ok else result.text.removeprefix("Sorry, I couldn't do that: ")
            blocks = [
                *sections(message),
                {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(status)}]},
            ]
            try:  # the button goes: the reminder now says what became of it
                await client.chat_update(channel=channel, ts=ts, text=message, blocks=blocks)
            except SlackApiError:  # a message Slack will not let the bot change any more: say it instead
                await client.chat_postMessage(channel=channel, text=escape(status))
