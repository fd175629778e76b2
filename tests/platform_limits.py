"""What real Slack and Discord refuse: the documented limits the loopback fakes enforce, each problem naming its limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

# Slack (api.slack.com/reference/block-kit, chat.postMessage, views.open)
SLACK_TEXT = 40_000
SLACK_MESSAGE_BLOCKS, SLACK_VIEW_BLOCKS = 50, 100
SLACK_LIMITS = {  # (block or element type, field): most characters
    ("section", "text"): 3_000,
    ("section", "field"): 2_000,
    ("header", "text"): 150,
    ("context", "text"): 3_000,
    ("button", "text"): 75,
    ("button", "value"): 2_000,
    ("button", "url"): 3_000,
    ("option", "text"): 75,
    ("option", "value"): 150,
    ("any", "action_id"): 255,
    ("any", "block_id"): 255,
}
SLACK_COUNTS = {"section fields": 10, "context elements": 10, "actions elements": 25, "options": 100}
SLACK_VIEW_TEXT = {"title": 24, "submit": 24, "close": 24, "private_metadata": 3_000, "callback_id": 255}

# Discord (discord.com/developers/docs/resources/message, interactions)
DISCORD_CONTENT = 2_000
DISCORD_EMBEDS, DISCORD_EMBED_TOTAL = 10, 6_000
DISCORD_EMBED_PARTS = {"title": 256, "description": 4_096, "footer": 2_048, "author": 256}
DISCORD_FIELDS, DISCORD_FIELD_NAME, DISCORD_FIELD_VALUE = 25, 256, 1_024
DISCORD_ROWS, DISCORD_ROW_ITEMS, DISCORD_LABEL, DISCORD_CUSTOM_ID = 5, 5, 80, 100
DISCORD_CHOICES, DISCORD_CHOICE_TEXT = 25, 100


def _text(value: Any) -> str:
    return value.get("text", "") if isinstance(value, dict) else str(value or "")


def _too_long(what: str, value: str, limit: int) -> Iterator[str]:
    if len(value) > limit:
        yield f"{what} is {len(value):,} characters; the limit is {limit:,}"


def _element(kind: str, element: dict[str, Any]) -> Iterator[str]:
    yield from _too_long(f"{kind} action_id", str(element.get("action_id", "")), SLACK_LIMITS[("any", "action_id")])
    if kind == "button":
        for part in ("text", "value", "url"):
            yield from _too_long(f"button {part}", _text(element.get(part)), SLACK_LIMITS[("button", part)])
    options = element.get("options") or []
    if len(options) > SLACK_COUNTS["options"]:
        yield f"{kind} has {len(options)} options; the limit is {SLACK_COUNTS['options']}"
    for option in options + (element.get("initial_options") or []):
        yield from _too_long("option text", _text(option.get("text")), SLACK_LIMITS[("option", "text")])
        yield from _too_long("option value", str(option.get("value", "")), SLACK_LIMITS[("option", "value")])


def _block(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type", "?")
    try:
        parsed = Block.parse(block)
    except (TypeError, ValueError) as error:
        yield f"malformed {kind} block: {error}"
        return
    if parsed is None:
        yield f"unknown block type {kind!r}"
        return
    try:
        parsed.validate_json()
    except SlackObjectFormationError as error:
        yield f"{kind} block: {error}"
    yield from _too_long("block_id", str(block.get("block_id", "")), SLACK_LIMITS[("any", "block_id")])
    if kind == "section":
        yield from _too_long("section text", _text(block.get("text")), SLACK_LIMITS[("section", "text")])
        fields = block.get("fields") or []
        if len(fields) > SLACK_COUNTS["section fields"]:
            yield f"section has {len(fields)} fields; the limit is {SLACK_COUNTS['section fields']}"
        for field in fields:
            yield from _too_long("section field", _text(field), SLACK_LIMITS[("section", "field")])
    if kind == "header":
        yield from _too_long("header text", _text(block.get("text")), SLACK_LIMITS[("header", "text")])
    elements = block.get("elements") or []
    if kind in ("context", "actions") and len(elements) > SLACK_COUNTS[f"{kind} elements"]:
        yield f"{kind} has {len(elements)} elements; the limit is {SLACK_COUNTS[f'{kind} elements']}"
    if kind == "context":
        for element in elements:
            yield from _too_long("context text", _text(element), SLACK_LIMITS[("context", "text")])
    children = elements if kind == "actions" else [e for e in (block.get("element"), block.get("accessory")) if e]
    action_ids = [c.get("action_id") for c in children if c.get("action_id")]
    if len(action_ids) != len(set(action_ids)):
        yield f"{kind} block repeats an action_id ({action_ids}); each must be unique in its block"
    for child in children:
        yield from _element(child.get("type", "?"), child)


def _blocks(blocks: Any, limit: int) -> Iterator[str]:
    blocks = json.loads(blocks) if isinstance(blocks, str) else (blocks or [])
    if len(blocks) > limit:
        yield f"{len(blocks)} blocks; the limit is {limit}"
    ids = [b.get("block_id") for b in blocks if b.get("block_id")]
    if len(ids) != len(set(ids)):
        yield f"block_ids repeat ({ids}); each must be unique"
    for block in blocks:
        yield from _block(block)


def slack_message_problems(args: dict[str, Any]) -> list[str]:
    """Why Slack would refuse (or cut) this chat.postMessage / postEphemeral / update / response_url payload."""
    return [
        *_too_long("text", str(args.get("text") or ""), SLACK_TEXT),
        *_blocks(args.get("blocks"), SLACK_MESSAGE_BLOCKS),
    ]


def slack_view_problems(view: Any) -> list[str]:
    """Why Slack would refuse this view (a modal or App Home)."""
    view = json.loads(view) if isinstance(view, str) else dict(view or {})
    problems = list(_blocks(view.get("blocks"), SLACK_VIEW_BLOCKS))
    for part, limit in SLACK_VIEW_TEXT.items():
        problems += _too_long(f"view {part}", _text(view.get(part)), limit)
    return problems


def discord_message_problems(payload: dict[str, Any]) -> list[str]:
    """Why Discord would refuse this message or interaction response payload."""
    problems = list(_too_long("content", str(payload.get("content") or ""), DISCORD_CONTENT))
    embeds = payload.get("embeds") or []
    if len(embeds) > DISCORD_EMBEDS:
        problems.append(f"{len(embeds)} embeds; the limit is {DISCORD_EMBEDS}")
    total = 0
    for embed in embeds:
        parts = {
            "title": embed.get("title"),
            "description": embed.get("description"),
            "footer": (embed.get("footer") or {}).get("text"),
            "author": (embed.get("author") or {}).get("name"),
        }
        for part, value in parts.items():
            problems += _too_long(f"embed {part}", str(value or ""), DISCORD_EMBED_PARTS[part])
            total += len(value or "")
        fields = embed.get("fields") or []
        if len(fields) > DISCORD_FIELDS:
            problems.append(f"embed has {len(fields)} fields; the limit is {DISCORD_FIELDS}")
        for field in fields:
            problems += _too_long("field name", str(field.get("name", "")), DISCORD_FIELD_NAME)
            problems += _too_long("field value", str(field.get("value", "")), DISCORD_FIELD_VALUE)
            total += len(str(field.get("name", ""))) + len(str(field.get("value", "")))
    if total > DISCORD_EMBED_TOTAL:
        problems.append(f"embeds hold {total:,} characters; the limit is {DISCORD_EMBED_TOTAL:,}")
    rows = payload.get("components") or []
    if len(rows) > DISCORD_ROWS:
        problems.append(f"{len(rows)} component rows; the limit is {DISCORD_ROWS}")
    for row in rows:
        items = row.get("components") or []
        if len(items) > DISCORD_ROW_ITEMS:
            problems.append(f"a row holds {len(items)} components; the limit is {DISCORD_ROW_ITEMS}")
        for item in items:
            problems += _too_long("button label", str(item.get("label") or ""), DISCORD_LABEL)
            problems += _too_long("custom_id", str(item.get("custom_id") or ""), DISCORD_CUSTOM_ID)
    return problems


def discord_choice_problems(choices: list[Any]) -> list[str]:
    """Why Discord would refuse these autocomplete choices (app_commands.Choice or dicts)."""
    problems = [f"{len(choices)} choices; the limit is {DISCORD_CHOICES}"] if len(choices) > DISCORD_CHOICES else []
    for choice in choices:
        name = choice["name"] if isinstance(choice, dict) else choice.name
        value = choice["value"] if isinstance(choice, dict) else choice.value
        problems += _too_long("choice name", str(name), DISCORD_CHOICE_TEXT)
        problems += _too_long("choice value", str(value), DISCORD_CHOICE_TEXT)
    return problems
