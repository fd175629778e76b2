"""IANA time zone names: the one check every setting, command and profile zone goes through."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def validate_zone(value: str) -> str:
    """Return an IANA zone name unchanged, or raise ValueError naming the expected form."""
    try:
        if value in _zone_names():
            ZoneInfo(value)
            return value
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise ValueError(f'"{value}" is not an IANA time zone; use a name like "America/New_York" or "Europe/London"')
