"""The policy's opening hours and holidays: weekly opening blocks and public and extra days off."""

from __future__ import annotations

import datetime as _dt
import re
from datetime import time
from typing import Annotated

import holidays as holiday_data
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_BLOCK = re.compile(r"^\s*(\S+)\s*-\s*(\S+)\s*$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_clock(text: str) -> time:
    """Parse a 24-hour HH:MM time ("24:00" means midnight at the end of the day)."""
    if text == "24:00":
        return time(0)
    match = _HHMM.match(text)
    if not match:
        raise ValueError(f'"{text}" is not a time; use HH:MM (24-hour, like 09:00 or 17:30)')
    return time(int(match[1]), int(match[2]))


def parse_block(text: str) -> tuple[time, time]:
    """Parse an open block "09:00-17:00"; an end at or before the start runs past midnight."""
    match = _BLOCK.match(text)
    if not match:
        raise ValueError(f'"{text}" is not an opening block; use HH:MM-HH:MM, like "09:00-17:00"')
    start, end = parse_clock(match[1]), parse_clock(match[2])
    if start == end and match[2] != "24:00":
        raise ValueError(f'"{text}" opens and closes at the same time; use HH:MM-HH:MM with different times')
    return start, end


def _valid_block(text: str) -> str:
    parse_block(text)
    return text


Block = Annotated[str, AfterValidator(_valid_block)]
_DAY_HELP = 'Opening blocks "HH:MM-HH:MM" (several allowed; an end before the start runs past midnight); [] is closed.'


class Hours(_Section):
    """Opening blocks per weekday; an empty list means closed all day."""

    monday: list[Block] = Field(default=["09:00-17:00"], description=_DAY_HELP)
    tuesday: list[Block] = Field(default=["09:00-17:00"], description=_DAY_HELP)
    wednesday: list[Block] = Field(default=["09:00-17:00"], description=_DAY_HELP)
    thursday: list[Block] = Field(default=["09:00-17:00"], description=_DAY_HELP)
    friday: list[Block] = Field(default=["09:00-17:00"], description=_DAY_HELP)
    saturday: list[Block] = Field(default=[], description=_DAY_HELP)
    sunday: list[Block] = Field(default=[], description=_DAY_HELP)

    def weekly(self) -> dict[int, list[tuple[time, time]]]:
        return {i: [parse_block(b) for b in getattr(self, day)] for i, day in enumerate(WEEKDAYS)}


class ExtraDay(_Section):
    """A named day off of the owner's own, on top of public holidays."""

    date: _dt.date = Field(description="The day, as a TOML date like 2026-12-24.")
    name: str = Field(default="Day off", max_length=100, description="What the day is called in replies and /hours.")


class HolidayRules(_Section):
    """Public holidays by country/subdivision (the `holidays` package) plus named extra days."""

    country: str | None = Field(default=None, description='ISO country code, like "US", "GB", "AU" or "IN".')
    subdivision: str | None = Field(default=None, description='State or region code, like "NY" or "NSW".')
    extra: list[ExtraDay] = Field(
        default=[], description='Your own days off: a list of {date = 2026-12-24, name = "..."}.'
    )

    @model_validator(mode="after")
    def _country_known(self) -> HolidayRules:
        if self.country is None:
            if self.subdivision:
                raise ValueError("subdivision needs a country too")
            return self
        supported = holiday_data.list_supported_countries()
        if self.country not in supported:
            raise ValueError(f'"{self.country}" is not a supported country code; use an ISO code like "US" or "GB"')
        if self.subdivision and self.subdivision not in supported[self.country]:
            raise ValueError(
                f'"{self.subdivision}" is not a subdivision of {self.country}; use one of: '
                + ", ".join(supported[self.country][:20])
            )
        return self
