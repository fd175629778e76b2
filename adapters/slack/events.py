"""Translating Slack message events into the core's IncomingMessage, and where a reply to one goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from adapters.slack.directory import Person
from bot.messages import IncomingMessage, MessageKind, ReplyStyle
from bot.outbound import Answering

PLATFORM = "slack"
SUBTYPE_KINDS = {
    "message_changed": MessageKind.EDIT,
    "message_deleted": MessageKind.DELETE,
    "channel_join": MessageKind.JOIN,
    "group_join": MessageKind.JOIN,
    "file_share": MessageKind.SHARE,
    "thread_broadcast": MessageKind.SHARE,
}


def kind_of(event: dict[str, Any]) -> MessageKind:
    """NEW for a plain message; EDIT, DELETE, JOIN, SHARE, or OTHER for any other subtype (bot_message included)."""
    subtype = event.get("subtype")
    return SUBTYPE_KINDS.get(subtype, MessageKind.OTHER) if subtype else MessageKind.NEW


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def authored(event: dict[str, Any]) -> dict[str, Any]:
    """The message itself: edits carry it in `message`, deletions in `previous_message` (a malformed one: {})."""
    if event.get("subtype") == "message_changed":
        return {**_dict(event.get("message")), "thread_ts": _dict(event.get("message")).get("thread_ts")}
    if event.get("subtype") == "message_deleted":
        return {**_dict(event.get("previous_message")), "ts": event.get("deleted_ts", event.get("ts"))}
    return event


def author_id(event: dict[str, Any]) -> str | None:
    return authored(event).get("user")


def _part(body: dict[str, Any], name: str) -> dict[str, Any]:
    part = body.get(name)
    return part if isinstance(part, dict) else {}


def acting_places(body: dict[str, Any], context: Any) -> list[str]:
    """The acting user's own workspace and Enterprise Grid org, as the payload names them (in a shared channel the
    user's team, not the installation's); the installation's when the payload says nothing more."""
    user, event, enterprise = (_part(body, name) for name in ("user", "event", "enterprise"))
    teams = [
        user.get("team_id"),
        event.get("user_team"),
        event.get("team"),
        context.get("actor_team_id"),
        context.get("team_id"),
    ]
    orgs = [
        user.get("enterprise_id"),
        enterprise.get("id"),
        context.get("actor_enterprise_id"),
        context.get("enterprise_id"),
    ]
    team = next((t for t in teams if isinstance(t, str) and t), None)
    return [p for p in (team, *(o for o in orgs if isinstance(o, str) and o)) if p]


def permalink(workspace_url: str | None, channel_id: str, ts: str, thread_ts: str | None = None) -> str | None:
    """The message's permalink, built from the workspace URL (no API call per message)."""
    if not workspace_url or not ts:
        return None
    link = f"{workspace_url.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return link


def to_incoming(
    body: dict[str, Any],
    event: dict[str, Any],
    *,
    team_id: str,
    bot_user_id: str | None,
    bot_id: str | None,
    received_at: datetime,
    owner_dm: str | None = None,
) -> IncomingMessage:
    """The neutral message for a Slack message event; the event id is the envelope's, in both modes. What the
    directory knows of its author, and the link to it, come after the claim (`with_person`)."""
    message = authored(event)
    user = message.get("user") or ""
    sender_bot = message.get("bot_id")
    ts = message.get("ts") or event.get("ts") or ""
    thread_ts = message.get("thread_ts")
    channel_id = event.get("channel") or ""
    return IncomingMessage(
        platform=PLATFORM,
        workspace_id=team_id,
        channel_id=channel_id,
        message_id=ts,
        author_id=user or sender_bot or "",
        text=message.get("text") or "",
        event_id=body.get("event_id") or f"{channel_id}:{ts}:{event.get('subtype') or 'message'}",
        received_at=received_at,
        author_is_bot=bool(sender_bot) or event.get("subtype") == "bot_message",
        is_from_this_bot=bool(user and user == bot_user_id) or bool(sender_bot and sender_bot == bot_id),
        kind=kind_of(event),
        thread_id=thread_ts,
        is_direct_message=event.get("channel_type") == "im",
        owner_dm=owner_dm,
        has_files=bool(message.get("files") or message.get("attachments")),
    )


def with_person(message: IncomingMessage, person: Person | None, workspace_url: str | None) -> IncomingMessage:
    """The message as the claim translated it, with what the directory knows of its author and the link to it."""
    link = permalink(workspace_url, message.channel_id, message.message_id, message.thread_id)
    if person is None:
        return replace(message, permalink=link)
    return replace(
        message,
        author_name=person.name,
        author_tz=person.tz,
        author_is_bot=message.author_is_bot or person.is_bot,
        permalink=link,
    )


def escape(text: str) -> str:
    """Slack's three control characters escaped, so text is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SECTION_CHARS = 3000  # Slack's most for one section's text


def sections(text: str) -> list[dict[str, Any]]:
    """Already escaped text as mrkdwn sections, cut at Slack's limit for one."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text[i : i + SECTION_CHARS]}}
        for i in range(0, len(text), SECTION_CHARS)
    ]


def reply_call(channel_id: str, answer: Answering, text: str) -> tuple[str, dict[str, Any]]:
    """The Web API method and arguments that post a reply per its style: in the client's thread, or starting one
    on their message; in the channel; or shown to the client alone where they wrote. The live post and the
    sender's both come from here, so a lookup reads where the reply went."""
    if answer.style is ReplyStyle.EPHEMERAL:
        args: dict[str, Any] = {"channel": channel_id, "user": answer.author_id, "text": escape(text)}
        if answer.thread_id:
            args["thread_ts"] = answer.thread_id
        return "chat.postEphemeral", args
    args = {"channel": channel_id, "text": escape(text), "unfurl_links": False, "unfurl_media": False}
    if answer.style is ReplyStyle.THREAD:
        args["thread_ts"] = answer.thread_id or answer.message_id
    return "chat.postMessage", args
