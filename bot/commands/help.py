"""Usage lines and help text for every command."""

from __future__ import annotations

USAGE: dict[str, str] = {
    "closure add": 'closure add DATES [reason: TEXT] [backup: CONTACT] [notice: 14,1], like "closure add Dec 24 to Jan 2 reason: the holidays"',
    "closure now": 'closure now until DATE [reason: TEXT] [backup: CONTACT], like "closure now until tomorrow reason: sick day"',
    "closure list": "closure list",
    "closure change": "closure change NUMBER [DATES] [reason: TEXT] [backup: CONTACT] [notice: 14,1], like "
    '"closure change 3 Dec 24 to Jan 4" or "closure change 3 through Jan 4" (what you leave out stays as it was)',
    "closure cancel": "closure cancel NUMBER, with the # from closure list",
    "closure end": 'closure end [NUMBER] (ends the closure under way now; clients get the usual "we\'re back")',
    "closure detach": "closure detach NUMBER (a closure imported from your calendar: later imports no longer move or "
    "cancel it)",
    "meeting set": 'meeting set WEEKDAY TIME [MINUTES], like "meeting set tuesday 10:00 45m"',
    "meeting list": "meeting list",
    "meeting skip": 'meeting skip [DATE], like "meeting skip dec 1" (the next one when no date)',
    "meeting clear": "meeting clear",
    "channel client": "channel client (the bot answers clients here)",
    "channel internal": "channel internal (the bot stays quiet here)",
    "boundaries preview": 'boundaries preview [at WHEN |] TEXT, like "boundaries preview at friday 21:00 | can you call me?"',
    "boundaries guide": "boundaries guide (posts the client guide in this channel for everyone to read)",
    "boundaries forget": "boundaries forget @CLIENT [confirm] (erases that client's names, excerpts, time zone and "
    'pending posts; first see what, then add "confirm")',
    "boundaries promises": "boundaries promises (the answer-by times clients were told, not yet answered), "
    "boundaries promises done NUMBER (answered another way, like by email)",
    "boundaries status": "boundaries status (open or closed now, closures and meetings to come, posts waiting and "
    "failed, the last digest)",
    "boundaries later": "boundaries later TEXT (posts TEXT here at the next opening, signed with your name), like "
    '"boundaries later Here is the draft; more on Monday."; boundaries later (what is waiting), boundaries later '
    "cancel NUMBER",
    "boundaries hold": "boundaries hold (after hours, each message you post in a client channel is taken down and "
    "posted again there at the opening, in your name; Slack with your user token), boundaries hold off",
    "boundaries move": "boundaries move (the message the after-hours reminder was about goes to the opening)",
    "boundaries calendar": "boundaries calendar (the secret addresses of your calendar feed and this channel's, "
    "to subscribe to and share)",
    "hours": "hours (opening hours, turnaround, next opening and upcoming closures)",
    "timezone set": 'timezone set ZONE, like "timezone set Europe/London"',
}

_GROUPS = {
    "closure": "Closures (owner only): vacations, holidays and sick days.",
    "meeting": "Weekly meeting slot of this channel (owner only).",
    "channel": "Whether the bot answers clients in this channel (owner only).",
    "boundaries": "Preview a reply, see the status or erase a client's data (owner only), show hours or set your time "
    "zone.",
    "hours": "Opening hours and closures, in your time zone.",
    "timezone": "Your time zone, used in the bot's replies to you.",
}


def help_text(topic: str | None = None) -> str:
    """Help for one command group, or for all of them."""
    groups = [topic] if topic in _GROUPS else list(_GROUPS)
    lines = []
    for group in groups:
        lines.append(_GROUPS[group])
        lines.extend(f"  • {usage}" for key, usage in USAGE.items() if key.split()[0] == group)
    if topic and topic not in _GROUPS:
        lines.insert(0, f'There is no help on "{topic}"; here is everything.')
    return "\n".join(lines)
