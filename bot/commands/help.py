"""Usage lines and help text for every command (their words: [help] and [usage] in bot/owner_words.toml)."""

from __future__ import annotations

from bot.owner_words import say

USAGE: dict[str, str] = {
    "closure add": say("usage.closure_add"),
    "closure now": say("usage.closure_now"),
    "closure list": say("usage.closure_list"),
    "closure change": say("usage.closure_change"),
    "closure cancel": say("usage.closure_cancel"),
    "closure end": say("usage.closure_end"),
    "closure detach": say("usage.closure_detach"),
    "meeting set": say("usage.meeting_set"),
    "meeting list": say("usage.meeting_list"),
    "meeting skip": say("usage.meeting_skip"),
    "meeting clear": say("usage.meeting_clear"),
    "channel client": say("usage.channel_client"),
    "channel internal": say("usage.channel_internal"),
    "boundaries preview": say("usage.boundaries_preview"),
    "boundaries guide": say("usage.boundaries_guide"),
    "boundaries forget": say("usage.boundaries_forget"),
    "boundaries promises": say("usage.boundaries_promises"),
    "boundaries status": say("usage.boundaries_status"),
    "boundaries later": say("usage.boundaries_later"),
    "boundaries hold": say("usage.boundaries_hold"),
    "boundaries move": say("usage.boundaries_move"),
    "boundaries calendar": say("usage.boundaries_calendar"),
    "hours": say("usage.hours"),
    "timezone set": say("usage.timezone_set"),
}

_GROUPS = {
    "closure": say("help.closure"),
    "meeting": say("help.meeting"),
    "channel": say("help.channel"),
    "boundaries": say("help.boundaries"),
    "hours": say("help.hours"),
    "timezone": say("help.timezone"),
}


def help_text(topic: str | None = None) -> str:
    """Help for one command group, or for all of them."""
    groups = [topic] if topic in _GROUPS else list(_GROUPS)
    lines = []
    for group in groups:
        lines.append(_GROUPS[group])
        lines.extend(say("help.usage", usage=usage) for key, usage in USAGE.items() if key.split()[0] == group)
    if topic and topic not in _GROUPS:
        lines.insert(0, say("help.no_topic", topic=topic))
    return "\n".join(lines)
