"""The "Reply at the opening" message shortcut: the owner writes a reply to a client's message and it is posted in
that message's thread at the next opening (`boundaries later`, which a slash command cannot do in a thread)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.events import PLATFORM
from bot.commands import Invocation
from bot.commands.later import MAX_LATER, later_text
from bot.commands.types import CommandError

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

SHORTCUT = "reply_later"  # the message shortcut's callback_id, as in slack/manifest.yml
SUBMIT = "reply_later_submit"


def reply_later_view(team_id: str, channel_id: str, ts: str, thread_ts: str | None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": SUBMIT,
        "title": {"type": "plain_text", "text": "Reply at the opening"},
        "submit": {"type": "plain_text", "text": "Schedule"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"team_id": team_id, "channel_id": channel_id, "ts": ts, "thread": thread_ts}),
        "blocks": [
            {
                "type": "input",
                "block_id": "text",
                "label": {"type": "plain_text", "text": "Your reply, posted in this thread when you open"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": MAX_LATER,
                },
            }
        ],
    }


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.shortcut(SHORTCUT)
    async def on_shortcut(ack: Any, body: dict[str, Any], client: Any) -> None:
        await ack()
        message = body.get("message") or {}
        team_id = (body.get("team") or {}).get("id", "")
        view = reply_later_view(
            team_id, (body.get("channel") or {}).get("id", ""), message.get("ts", ""), message.get("thread_ts")
        )
        await client.views_open(trigger_id=body.get("trigger_id"), view=view)

    @app.view(SUBMIT)
    async def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        async with bot.tracker.track():
            meta = json.loads(view.get("private_metadata") or "{}")
            typed = ((view.get("state") or {}).get("values") or {}).get("text", {}).get("value", {}).get("value")
            try:
                command = later_text(str(typed or ""), meta.get("ts") or None, meta.get("thread") or None)
            except CommandError as error:
                await ack(response_action="errors", errors={"text": str(error)[:300]})
                return
            user = (body.get("user") or {}).get("id", "")
            invocation = Invocation(PLATFORM, meta.get("team_id", ""), meta.get("channel_id", ""), user)
            result = await bot.service.execute_command(command, invocation)
            if not result.ok:
                await ack(response_action="errors", errors={"text": result.text[:300]})
                return
            await ack(
                response_action="update",
                view={
                    "type": "modal",
                    "title": {"type": "plain_text", "text": "Scheduled"},
                    "close": {"type": "plain_text", "text": "Done"},
                    "blocks": [{"type": "section", "text": {"type": "plain_text", "text": result.text[:2900]}}],
                },
            )
