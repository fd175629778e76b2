"""App Home: the owner's dashboard (policy, closures with Change and Cancel, meetings, latest replies); hours for
others."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.events import PLATFORM, escape
from adapters.slack.modal import closure_view
from bot.calendar_links import guide_link
from bot.commands import Invocation
from bot.commands.show import describe_closure
from bot.hours_policy import WEEKDAYS
from bot.models import ReplyLogEntry
from bot.promises import promise_lines
from bot.responder import NOTED
from bot.service import BoundaryService
from bot.timefmt import format_absolute
from bot.welcoming import welcome_for

if TYPE_CHECKING:
    from adapters.slack.app import SlackBot

CANCEL_ACTION = "cancel_closure"
CHANGE_ACTION = "change_closure"
HOME_CHANNEL = "app_home"
MAX_TEXT = 2900
MAX_CLOSURES = 20


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT]}}
    if accessory:
        block["accessory"] = accessory
    return block


def fit(heading: str, lines: list[str], more: str) -> str:
    """The heading and as many whole lines as one section holds; then how many more there are and where to see them."""
    text = heading
    for shown, line in enumerate(lines):
        rest = len(lines) - shown
        tail = "" if rest == 1 else f"\n…and {rest - 1} more: {more}"
        if len(text) + 1 + len(line) + len(tail) > MAX_TEXT:
            return f"{text}\n…and {rest} more: {more}"
        text += "\n" + line
    return text


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def _cancel_button(closure_id: int | None) -> dict[str, Any] | None:
    if closure_id is None:  # a stored closure always has its number
        return None
    return {
        "type": "button",
        "action_id": CANCEL_ACTION,
        "value": str(closure_id),
        "style": "danger",
        "text": {"type": "plain_text", "text": "Cancel"},
        "confirm": {
            "title": {"type": "plain_text", "text": f"Cancel closure #{closure_id}?"},
            "text": {"type": "plain_text", "text": "Client channels that were told about it are told it's off."},
            "confirm": {"type": "plain_text", "text": "Cancel closure"},
            "deny": {"type": "plain_text", "text": "Keep it"},
        },
    }


def policy_glance(service: BoundaryService) -> str:
    policy = service.policy
    hours = "\n".join(f"• {day.capitalize()}: {', '.join(getattr(policy.hours, day)) or 'closed'}" for day in WEEKDAYS)
    throttle = policy.throttle
    lines = [
        f"*Time zone:* {policy.timezone}    *Turnaround:* {policy.turnaround}",
        f"*Requests go to:* {policy.contact.email}    *Calls:* {policy.contact.meeting}"
        + (f" or {policy.contact.booking_link}" if policy.contact.booking_link else ""),
        f"*Backup contact:* {policy.emergency.backup or 'none set'}",
        f"*Replies:* as a {policy.replies.style.value} message; at most once per {throttle.after_hours} (after hours), "
        f"per {throttle.closed} (closed), every {throttle.redirect} (call/text redirects)",
        "*Opening hours:*",
        hours,
    ]
    return "\n".join(escape(line) for line in lines)


def replies_text(entries: list[ReplyLogEntry], service: BoundaryService) -> str:
    """One line per answered message (a combined reply logs one row per kind)."""
    grouped: list[tuple[ReplyLogEntry, list[str]]] = []
    for entry in (e for e in entries if e.kind != NOTED):  # a message kept for the digest got no reply
        last = grouped[-1][0] if grouped else None
        if last and (last.channel, last.client_id, last.sent_at, last.text_excerpt) == (
            entry.channel,
            entry.client_id,
            entry.sent_at,
            entry.text_excerpt,
        ):
            grouped[-1][1].append(entry.kind)
        else:
            grouped.append((entry, [entry.kind]))
    lines: list[str] = []
    for entry, kinds in grouped:
        where = f"<#{entry.channel.channel_id}>" if entry.channel.platform == PLATFORM else escape(str(entry.channel))
        excerpt = escape(entry.text_excerpt[:80])
        link = f" <{entry.permalink}|view>" if entry.permalink else ""
        lines.append(
            f"• {format_absolute(entry.sent_at, service.policy.zone)} {where} "
            f"{escape(entry.client_name or entry.client_id)} ({', '.join(sorted(kinds))}): “{excerpt}”{link}"
        )
    return fit("*Last automatic replies*", lines or ["No automatic replies yet."], "your morning digest")


async def guide_text(service: BoundaryService, invocation: Invocation, now: datetime) -> str:
    """What a new client is told, and where the full guide is (its page, when `serve` publishes one)."""
    welcome = escape(await welcome_for(service.store, service.policy, invocation.channel, now))
    if service.feed_links is not None:
        where = f"The full guide as a page to share: {guide_link(service.feed_links(None))}"
    else:
        where = "The full guide: `/boundaries guide` posts it in a channel."
    return f"*What a new client is told* (`[replies] welcome`)\n{welcome}\n{where}"[:MAX_TEXT]


async def owner_view(bot: SlackBot, invocation: Invocation, notice: str | None) -> dict[str, Any]:
    service, now = bot.service, bot.service.clock()
    blocks: list[dict[str, Any]] = [_header(f"{service.policy.business_name}: your boundaries")]
    if notice:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(notice)[:MAX_TEXT]}]})
    blocks += [
        _section("*Your policy at a glance*\n" + policy_glance(service)),
        {"type": "divider"},
        _section("*Upcoming closures* (add one with `/closure`)"),
    ]
    closures = await service.store.list_closures(ending_after=now)
    for closure in closures[:MAX_CLOSURES]:
        text = f"*#{closure.id}* {escape(describe_closure(closure, service.policy, now))}"
        blocks.append(_section(text, _cancel_button(closure.id)))
        change = {"type": "button", "action_id": CHANGE_ACTION, "value": str(closure.id), "text": _plain("Change")}
        blocks.append({"type": "actions", "elements": [change]})
    if len(closures) > MAX_CLOSURES:
        blocks.append(_section(f"…and {len(closures) - MAX_CLOSURES} more: `/closure list`"))
    if not closures:
        blocks.append(_section("No closures planned."))
    waiting = promise_lines(await service.store.list_promises(), now, service.policy.zone)
    promised = fit(
        "*Promises waiting for an answer* (a ✅ on the message marks one done)", waiting, "`/boundaries promises`"
    )
    meetings = await service.handle_command("meeting list", invocation)
    blocks += [
        {"type": "divider"},
        _section(promised if waiting else "*Promises waiting for an answer*\nNone: every client has had their answer."),
        {"type": "divider"},
        _section(fit("*Weekly meetings*", escape(meetings.text).split("\n"), "`/meeting list`")),
        {"type": "divider"},
        _section(await guide_text(service, invocation, now)),
        {"type": "divider"},
        _section(replies_text(await service.store.recent_reply_log(20), service)),
    ]
    return {"type": "home", "blocks": blocks}


async def visitor_view(bot: SlackBot, invocation: Invocation) -> dict[str, Any]:
    hours = await bot.service.handle_command("hours", invocation)
    return {
        "type": "home",
        "blocks": [
            _header(f"{bot.service.policy.business_name}: hours and closures"),
            _section(escape(hours.text)),
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Use `/hours` in any channel to see this again."}],
            },
        ],
    }


async def publish_home(bot: SlackBot, client: Any, team_id: str, user_id: str, notice: str | None = None) -> None:
    person = await bot.directory.person(client, team_id, user_id)
    invocation = Invocation(PLATFORM, team_id, HOME_CHANNEL, user_id, person.tz)
    if bot.service.roles.is_owner(PLATFORM, user_id, team_id):
        view = await owner_view(bot, invocation, notice)
    else:
        view = await visitor_view(bot, invocation)
    await client.views_publish(user_id=user_id, view=view)


def _presser(body: dict[str, Any], context: Any) -> tuple[str, str]:
    """(team id, user id) of whoever pressed a button on the Home tab."""
    user = body.get("user") or {}
    return context.team_id or (body.get("team") or {}).get("id") or user.get("team_id", ""), user.get("id", "")


def register(app: AsyncApp, bot: SlackBot) -> None:
    @app.event("app_home_opened")
    async def on_home_opened(body: dict[str, Any], event: dict[str, Any], context: Any, client: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        async with bot.tracker.track():
            await publish_home(bot, client, context.team_id or body.get("team_id", ""), event["user"])

    @app.action(CHANGE_ACTION)
    async def on_change(ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, client: Any) -> None:
        await ack()
        async with bot.tracker.track():
            team_id, user_id = _presser(body, context)
            value = str(action.get("value", ""))
            closure = await bot.service.store.get_closure(int(value)) if value.isdigit() else None
            if closure is None or closure.cancelled_at is not None:  # changed or cancelled meanwhile
                await publish_home(
                    bot,
                    client,
                    team_id,
                    user_id,
                    notice=f"Closure #{value} was changed or cancelled meanwhile; here are the closures as they are now.",
                )
                return
            view = closure_view(bot.service, team_id=team_id, channel_id=HOME_CHANNEL, closure=closure)
            await client.views_open(trigger_id=body.get("trigger_id", ""), view=view)

    @app.action(CANCEL_ACTION)
    async def on_cancel(ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, client: Any) -> None:
        await ack()
        async with bot.tracker.track():
            team_id, user_id = _presser(body, context)
            invocation = Invocation(PLATFORM, team_id, HOME_CHANNEL, user_id)
            result = await bot.service.handle_command(f"closure cancel {action.get('value', '')}", invocation)
            await publish_home(bot, client, team_id, user_id, notice=result.text)
