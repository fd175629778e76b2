"""The /closure form: a modal with date pickers, reason, backup and notice; its submission becomes an AddClosure, or
a ChangeClosure when it was opened on a closure (App Home's Change button)."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp

from adapters.slack.events import PLATFORM
from bot.commands import Invocation
from bot.commands.build import MAX_TEXT
from bot.commands.types import AddClosure, ChangeClosure
from bot.models import Closure
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


def closure_view(
    service: BoundaryService, *, team_id: str, channel_id: str, closure: Closure | None = None
) -> dict[str, Any]:
    """The modal, empty or filled in with `closure` to change it; dates are read in the owner's time zone, the last
    day is included."""
    policy = service.policy
    zone, today = policy.zone, service.clock().astimezone(policy.zone).date()
    first = closure.start.astimezone(zone).date() if closure else today
    last = (closure.end - timedelta(microseconds=1)).astimezone(zone).date() if closure else None
    days = closure.notice_days if closure and closure.notice_days else tuple(policy.announcements.notice_days)
    choices = sorted(set(NOTICE_CHOICES) | set(days), reverse=True)
    notice: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": _plain("Your policy's notice"),
        "options": [_notice_option(d) for d in choices],
    }
    if days:
        notice["initial_options"] = [_notice_option(d) for d in sorted(days, reverse=True)]
    meta: dict[str, Any] = {"team_id": team_id, "channel_id": channel_id}
    if closure and last:  # the days it was shown with: a day left as it was keeps its time of day
        meta.update(closure_id=closure.id, first=first.isoformat(), last=last.isoformat())
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps(meta),
        "title": _plain(f"Change closure #{closure.id}" if closure else "Add a closure"),
        "submit": _plain("Save changes" if closure else "Save closure"),
        "close": _plain("Cancel"),
        "blocks": [
            _input("start", "First day closed", {"type": "datepicker", "initial_date": first.isoformat()}),
            _input(
                "end",
                "Last day closed",
                {"type": "datepicker", **({"initial_date": last.isoformat()} if last else {})},
                optional=True,
                hint=f"Included. Leave empty for a single day. Dates are in {policy.timezone}.",
            ),
            _input(
                "reason",
                "Reason (clients see it)",
                _text(closure.reason if closure else "", "the holidays"),
                optional=True,
            ),
            _input(
                "backup",
                "Backup contact for emergencies",
                _text(closure.backup or "" if closure else ""),
                optional=True,
                hint="Leave empty to use the backup from your policy.",
            ),
            _input("notice", "Tell client channels", notice, optional=True),
        ],
    }


def _text(initial: str, placeholder: str = "") -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "max_length": MAX_TEXT}
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    if initial:
        element["initial_value"] = initial
    return element


async def open_closure_modal(
    client: Any, trigger_id: str, service: BoundaryService, *, team_id: str, channel_id: str
) -> None:
    await client.views_open(trigger_id=trigger_id, view=closure_view(service, team_id=team_id, channel_id=channel_id))


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return (values.get(block_id) or {}).get("value") or {}


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def read_submission(
    view: dict[str, Any], zone: ZoneInfo, now: datetime
) -> tuple[AddClosure | ChangeClosure | None, dict[str, str]]:
    """The AddClosure (or, for a form opened on a closure, the ChangeClosure) a submitted form asks for, or the
    errors to show per block (nothing is stored then)."""
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
    meta = json.loads(view.get("private_metadata") or "{}")
    if isinstance(closure_id := meta.get("closure_id"), int):  # an emptied field clears it: the policy's backup
        return ChangeClosure(
            closure_id,
            None if start.isoformat() == meta.get("first") else _midnight(start, zone),
            None if last.isoformat() == meta.get("last") else end,
            reason,
            backup or "",
            tuple(notice) or None,
        ), {}
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
            saved = "Closure changed" if isinstance(command, ChangeClosure) else "Closure saved"
            saving = asyncio.ensure_future(service.execute_command(command, invocation))
            done, _ = await asyncio.wait({saving}, timeout=ANSWER_WITHIN)
            if not done:  # a slow database: answer Slack in time, then show the outcome in the same modal
                await ack(response_action="update", view=result_view("Saving your closure…", title="Saving…"))
                result = await saving
                await client.views_update(
                    view_id=(body.get("view") or {}).get("id"),
                    view=result_view(result.text, title=saved if result.ok else "Not saved"),
                )
                return
            result = saving.result()
            if not result.ok:
                await ack(response_action="errors", errors={"start": result.text[:MAX_ERROR]})
                return
            await ack(response_action="update", view=result_view(result.text, title=saved))
