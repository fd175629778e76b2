"""New-client orientation: whether a person joining a client channel is welcomed, and the welcome's text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.guide import hours_lines
from bot.owner_words import say
from bot.policy import Policy
from bot.templates import render

WELCOME_MODES = ("ephemeral", "dm", "channel", "off")


def should_welcome(*, mode: str, role: str | None, is_bot: bool, already_welcomed: bool) -> bool:
    """True for a client (no owner/team role, not a bot) not yet welcomed in this workspace, when welcomes are on."""
    if mode not in WELCOME_MODES:
        raise ValueError(f"welcome mode must be one of {', '.join(WELCOME_MODES)}, got {mode!r}")
    return mode != "off" and role is None and not is_bot and not already_welcomed


def welcome_text(
    policy: Policy,
    *,
    client_zone: ZoneInfo | None = None,
    meeting: str | None = None,
    closures: Iterable[tuple[datetime, datetime]] = (),
    guide_link: str | None = None,
) -> str:
    """A short orientation: email hub, turnaround, hours, the channel's meeting, closures, emergencies, the guide."""
    zone = policy.timezone
    if client_zone is not None and client_zone.key != policy.timezone:
        zone = say("welcome.zone", zone=policy.timezone, client_zone=client_zone.key)
    upcoming = [
        say("welcome.closure", start=start, start_day=start.day, end=end, end_day=end.day) for start, end in closures
    ]
    backup = policy.emergency.backup
    values = {
        "business": policy.business_name,
        "email": policy.contact.email,
        "turnaround": str(policy.turnaround_rule),
        "hours": "; ".join(hours_lines(policy)),
        "hours_zone": zone,
        "meeting_line": say("welcome.meeting", meeting=meeting) if meeting else "",
        "closures_line": say("welcome.closures", closures=", ".join(upcoming)) if upcoming else "",
        "emergency_line": say("welcome.backup", backup=backup)
        if backup
        else say("welcome.no_backup", email=policy.contact.email),
        "guide": guide_link or say("welcome.guide"),
    }
    text = render(policy.replies.welcome_text, values)
    return "\n".join(line for line in text.split("\n") if line.strip())
