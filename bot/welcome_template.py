"""The welcome's template: its default wording and the placeholders it may use (policy [replies] welcome_text)."""

from __future__ import annotations

WELCOME_PLACEHOLDERS: dict[str, str] = {
    "business": "business_name from the policy",
    "email": "the address requests go to",
    "turnaround": 'the turnaround standard, like "1 business day"',
    "hours": "the opening hours, day by day",
    "hours_zone": "the zone the hours are in (and the client's, when it differs and is known)",
    "meeting_line": "a line naming this channel's weekly meeting, or nothing when it has none",
    "closures_line": "a line listing the closures to come, or nothing",
    "emergency_line": "a line saying whom to contact in an emergency",
    "guide": "where the full client guide is",
}
DEFAULT_WELCOME = (
    "Welcome! Email is our hub: send requests to {email}, one email per topic.\n"
    "We answer within {turnaround}, counted over opening hours.\n"
    "Hours ({hours_zone}): {hours}.\n"
    "{meeting_line}\n"
    "{closures_line}\n"
    "{emergency_line}\n"
    "The full guide: {guide}"
)
