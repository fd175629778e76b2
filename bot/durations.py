"""Parsing short durations such as "24h", "90m", "14d" or "1h30m"."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*(d|h|m)", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:\d+\s*[dhm]\s*)+$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> timedelta:
    """Parse "0", "24h", "90m", "14d" or "1d12h"; raise ValueError naming the expected form."""
    cleaned = str(text).strip()
    if cleaned == "0":
        return timedelta(0)
    if not _WHOLE.match(cleaned):
        raise ValueError(f'"{text}" is not a duration; use a number with d, h or m, like "24h", "90m" or "14d"')
    total = timedelta(0)
    try:
        for amount, unit in _PART.findall(cleaned):
            total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    except OverflowError:
        raise ValueError(f'"{text}" is longer than any duration this bot can count; use days, like "14d"') from None
    return total


def format_duration(value: timedelta) -> str:
    """The inverse of parse_duration, in the largest whole units."""
    minutes = int(value.total_seconds() // 60)
    if minutes == 0:
        return "0"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (mins, "m")) if n)
