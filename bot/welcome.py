"""New-client orientation: whether a person joining a client channel is welcomed, and the welcome's text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.guide import hours_lines
from bot.policy import Policy

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
    zone_note = f" ({policy.timezone})"
    if client_zone is not None and client_zone.key != policy.timezone:
        zone_note = f" ({policy.timezone}; your time zone is {client_zone.key})"
    lines = [
        f"Welcome! Email is our hub: send requests to {policy.contact.email}, one email per topic.",
        f"We answer within {policy.turnaround_rule}, counted over opening hours.",
        f"Hours{zone_note}: " + "; ".join(hours_lines(policy)) + ".",
    ]
    if meeting:
        lines.append(f"Our weekly meeting in this channel: {meeting}.")
    upcoming = [f"{start:%b} {start.day}–{end:%b} {end.day}" for start, end in closures]
    if upcoming:
        lines.append("Upcoming closures: " + ", ".join(upcoming) + ".")
    backup = policy.emergency.backup
    lines.append(
        f"Emergencies: contact {backup}." if backup else f"Emergencies: email {policy.contact.email} with URGENT."
    )
    lines.append(f"The full guide: {guide_link}" if guide_link else "The full guide: /boundaries guide")
    return "\n".join(lines)
