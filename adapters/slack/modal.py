"""The /closure form: a modal with date pickers, reason, backup and notice; its submission becomes an AddClosure."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from adapters.slack.events import PLATFORM
from bot.commands import Invocation
from bot.commands.parse import MAX_TEXT
from bot.commands.types import AddClosure
from bot.service import BoundaryService

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

CALLBACK_ID = "closure_add"
NOTICE_CHOICES = (30, 21, 14, 7, 3, 2, 1, 0)
MAX_ERROR = 300
ANSWER_WITHIN = 2.0  # Slack shows an error when a submission is not acknowledged within 3 seconds


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "optional": optional,
        "element": {**element, "action_id": "value"},
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _notice_option(days: int) -> dict[str, Any]:
    label = "on the day it starts" if days == 0 else f"{days} day{'s' if days != 1 else ''} before"
    return {"text": _plain(label), "value": str(days)}


def closure_view(service: BoundaryService, *, team_id: str, channel_id: str) -> dict[str, Any]:
    """The modal; dates are read in the owner's time zone, the last day is included."""
    policy = service.policy
    today = service.clock().astimezone(policy.zone).date().isoformat()
    choices = sorted(set(NOTICE_CHOICES) | set(policy.announcements.notice_days), reverse=True)
    notice: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": _plain("Your policy's notice"),
        "options": [_notice_option(d) for d in choices],
    }
    if policy.announcements.notice_days:
        notice["initial_options"] = [_notice_option(d) for d in sorted(policy.announcements.notice_days, reverse=True)]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"team_id": team_id, "channel_id": channel_id}),
        "title": _plain("Add a closure"),
        "submit": _plain("Save closure"),
        "close": _plain("Cancel"),
        "blocks": [
            _input("start", "First day closed", {"type": "datepicker", "initial_date": today}),
            _input(
                "end",
                "Last day closed",
                {"type": "datepicker"},
                optional=True,
                hint=f"Included. Leave empty for a single day. Dates are in {policy.timezone}.",
            ),
            _input(
                "reason",
                "Reason (clients see it)",
                {"type": "plain_text_input", "max_length": MAX_TEXT, "placeholder": _plain("the holidays")},
                optional=True,
            ),
            _input(
                "backup",
                "Backup contact for emergencies",
                {"type": "plain_text_input", "max_length": MAX_TEXT},
                optional=True,
                hint="Leave empty to use the backup from your policy.",
            ),
            _input("notice", "Tell client channels", notice, optional=True),
        ],
    }


async def open_closure_modal(
    client: Any, trigger_id: str, service: BoundaryService, *, team_id: str, channel_id: str
) -> None:
    await client.views_open(trigger_id=trigger_id, view=closure_view(service, team_id=team_id, channel_id=channel_id))


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get("value") or {}


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def read_submission(view: dict[str, Any], zone: ZoneInfo, now: datetime) -> tuple[AddClosure | None, dict[str, str]]:
    """The AddClosure a submitted form asks for, or the errors to show per block (nothing is stored then)."""
    values = (view.get("state") or {}).get("values") or {}
    try:
        start = date.fromisoformat(_value(values, "start").get("selected_date") or "")
    except ValueError:
        return None, {"start": "Pick the first day of the closure."}
    try:
        last = date.fromisoformat(_value(values, "end").get("selected_date") or start.isoformat())
    except ValueError:
        return None, {"end": "Pick the last day of the closure, or leave it empty for a single day."}
    if last < start:
        return None, {"end": "The last day is before the first day; pick a day on or after it."}
    end = _midnight(last + timedelta(days=1), zone)
    if end <= now:
        return None, {"end": "Those days are in the past; pick days from today on."}
    reason = (_value(values, "reason").get("value") or "").strip()
    backup = (_value(values, "backup").get("value") or "").strip() or None
    notice = sorted({int(o["value"]) for o in _value(values, "notice").get("selected_options") or []}, reverse=True)
    return AddClosure(max(_midnight(start, zone), now), end, reason, backup, tuple(notice) or None), {}


def result_view(text: str, *, title: str = "Closure saved") -> dict[str, Any]:
    return {
        "type": "modal",
        "title": _plain(title),
        "close": _plain("Done"),
        "blocks": [{"type": "section", "text": _plain(text[:2900])}],
    }


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.view(CALLBACK_ID)
    async def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        async with bot.tracker.track():
            service = bot.service
            command, errors = read_submission(view, service.policy.zone, service.clock())
            if command is None:
                await ack(response_action="errors", errors=errors)
                return
            meta = json.loads(view.get("private_metadata") or "{}")
            user = body.get("user") or {}
            team_id = meta.get("team_id") or (body.get("team") or {}).get("id") or user.get("team_id", "")
            invocation = Invocation(PLATFORM, team_id, meta.get("channel_id", ""), user.get("id", ""))
            saving = asyncio.ensure_future(service.execute_command(command, invocation))
            done, _ = await asyncio.wait({saving}, timeout=ANSWER_WITHIN)
            if not done:  # a slow database: answer Slack in time, then show the outcome in the same modal
                await ack(response_action="update", view=result_view("Saving your closure…", title="Saving…"))
                result = await saving
                await client.views_update(
                    view_id=(body.get("view") or {}).get("id"),
                    view=result_view(result.text, title="Closure saved" if result.ok else "Not saved"),
                )
                return
            result = saving.result()
            if not result.ok:
                await ack(response_action="errors", errors={"start": result.text[:MAX_ERROR]})
                return
            await ack(response_action="update", view=result_view(result.text))
