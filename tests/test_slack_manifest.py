"""slack/manifest.yml agrees with the code: scopes, slash commands, events and settings."""

from __future__ import annotations

from pathlib import Path

from adapters.slack.commands import COMMANDS
from adapters.slack.oauth import BOT_SCOPES
from adapters.slack.user_token import USER_EVENTS, USER_SCOPES

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = (ROOT / "slack" / "manifest.yml").read_text()


def entries(path: str) -> list[str]:
    """The values under a dotted key path of this simple YAML (no PyYAML needed): list items or `key: value`."""
    wanted, stack, found = path.split("."), [], []
    for raw in MANIFEST.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        while stack and stack[-1][0] >= indent and not (text.startswith("- ") and stack[-1][0] == indent - 2):
            stack.pop()
        keys = [key for _, key in stack]
        if text.startswith("- "):
            if keys == wanted:
                found.append(text[2:].strip())
            continue
        key, _, value = text.partition(":")
        if keys == wanted[:-1] and key == wanted[-1] and value.strip():
            found.append(value.strip())
        stack.append((indent, key))
    return found


def test_bot_scopes_match_the_oauth_install() -> None:
    assert sorted(entries("oauth_config.scopes.bot")) == sorted(BOT_SCOPES)


def test_user_scopes_and_events_are_the_ones_the_owner_s_token_needs() -> None:
    assert sorted(entries("oauth_config.scopes.user")) == sorted(USER_SCOPES)
    assert {"users.profile:write", "dnd:write", "im:history", "chat:write"} <= set(USER_SCOPES)
    assert entries("settings.event_subscriptions.user_events") == list(USER_EVENTS)


def test_slash_commands_match_the_app() -> None:
    commands = [
        e.removeprefix("command:").strip() for e in entries("features.slash_commands") if e.startswith("command:")
    ]
    assert commands == list(COMMANDS)


def test_events_and_settings() -> None:
    assert set(entries("settings.event_subscriptions.bot_events")) == {
        "app_home_opened",
        "app_mention",
        "app_uninstalled",
        "channel_archive",
        "channel_left",
        "group_archive",
        "group_left",
        "member_joined_channel",
        "member_left_channel",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
        "reaction_added",
        "tokens_revoked",
    }
    assert entries("settings.socket_mode_enabled") == ["true"]
    assert entries("settings.interactivity.is_enabled") == ["true"]
    assert entries("features.app_home.home_tab_enabled") == ["true"]
    assert "# request_url: https://bot.example.com/slack/events" in MANIFEST  # HTTP mode, commented


def test_docs_explain_the_steps() -> None:
    docs = (ROOT / "docs" / "slack.md").read_text()
    for step in (
        "### 1. Create the app from the manifest",
        "### 2. Install it and copy the tokens into `.env`",
        "### 3. Invite the bot to client channels",
    ):
        assert step in docs
    for scope in BOT_SCOPES:
        assert f"`{scope}`" in docs
