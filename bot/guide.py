"""The client guide: the policy rendered as the section an owner pastes into their onboarding document."""

from __future__ import annotations

from datetime import time

from bot.hours_policy import WEEKDAYS, parse_block
from bot.meetings import WEEKDAY_NAMES
from bot.policy import Policy


def _clock(at: time) -> str:
    return f"{at.hour % 12 or 12}:{at:%M} {'AM' if at.hour < 12 else 'PM'}"


def hours_lines(policy: Policy) -> list[str]:
    """Weekdays with identical hours are grouped: "Monday–Thursday: 9:00 AM–12:00 PM, 1:00 PM–5:00 PM"."""
    described = []
    for day in WEEKDAYS:
        blocks = [parse_block(b) for b in getattr(policy.hours, day)]
        described.append(", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in blocks) or "closed")
    lines, start = [], 0
    for index in range(1, 8):
        if index == 7 or described[index] != described[start]:
            days = WEEKDAY_NAMES[start] if index - 1 == start else f"{WEEKDAY_NAMES[start]}–{WEEKDAY_NAMES[index - 1]}"
            lines.append(f"{days}: {described[start]}")
            start = index
    return lines


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def client_guide(policy: Policy, *, markdown: bool = True) -> str:
    """The guide as Markdown, or as plain text for email and documents without formatting."""

    def heading(text: str) -> str:
        return f"## {text}" if markdown else f"{text}\n{'-' * len(text)}"

    bullet = "- " if markdown else "  * "
    name = policy.business_name if policy.business_name != "We" else "us"
    holidays = ""
    if policy.holidays.country:
        region = f"{policy.holidays.country}{'-' + policy.holidays.subdivision if policy.holidays.subdivision else ''}"
        holidays = f" We are closed on public holidays ({region})"
        extra = _and([f"{d.name} ({d.date:%b} {d.date.day})" for d in policy.holidays.extra])
        holidays += f" and on {extra}." if extra else "."
    backup = policy.emergency.backup
    sections = [
        (
            heading("How to reach us"),
            [
                f"Email is our hub: send every request to {policy.contact.email}, one email per topic, so nothing gets "
                "lost and there is a paper trail.",
                "We don't take requests by phone call or text message.",
                f"Calls happen at {policy.contact.meeting} or by appointment"
                + (f" ({policy.contact.booking_link})." if policy.contact.booking_link else "."),
            ],
        ),
        (heading(f"Hours ({policy.timezone})"), hours_lines(policy) + ([holidays.strip()] if holidays else [])),
        (
            heading("When you'll hear back"),
            [
                f"We answer requests within {policy.turnaround_rule}, counted over opening hours only.",
                "Messages that arrive after hours get an automatic reply saying when we open and when to expect an "
                "answer, in your own time zone; they are answered in order when we open.",
            ],
        ),
        (
            heading("Closures"),
            [
                "We close for vacations, holidays and the occasional sick day. Planned closures are announced in your "
                f"channel {_and([_days(d) for d in policy.announcements.notice_days])} ahead, again when they "
                "start, and when we're back.",
                "Messages sent while we're closed are safe and answered in order after we reopen.",
            ],
        ),
        (
            heading("Emergencies"),
            [
                f"An emergency is {policy.emergency.definition}.",
                f"In an emergency while we're closed or after hours, contact {backup}."
                if backup
                else f"In an emergency, email {policy.contact.email} with URGENT in the subject line.",
            ],
        ),
    ]
    title = f"# Working with {name}" if markdown else f"Working with {name}\n{'=' * len(f'Working with {name}')}"
    parts = [title, ""]
    for head, lines in sections:
        parts += [head, "", *(f"{bullet}{line}" for line in lines), ""]
    return "\n".join(parts).rstrip() + "\n"
