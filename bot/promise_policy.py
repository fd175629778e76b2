"""The policy's [promises] section: when the owner is reminded of an answer-by time told to a client."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.durations import parse_duration


class Promises(BaseModel):
    """Reminders of the answer-by times replies promise (they go to the owners privately; clients never see them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    remind_before: str = Field(
        default="2h",
        description='How long before an answer-by time you are reminded, counted in opening hours, like "2h" '
        '(up to "24h"); "0" reminds only when it is overdue.',
    )

    quote_typical: bool = Field(
        default=False,
        description="After-hours and closure replies add how soon you have answered lately, next to the standard "
        "turnaround: the median opening hours to answer the promises of the last 30 days, once there are 5.",
    )

    forward_counts: bool = Field(
        default=False,
        description="Sending a client's message to your email (its button, or your envelope reaction) answers its "
        "promise: you reply by email.",
    )

    @field_validator("remind_before")
    @classmethod
    def _duration(cls, value: str) -> str:
        if parse_duration(value) > timedelta(hours=24):
            raise ValueError(f'"{value}" is more than 24 opening hours; use a duration like "2h"')
        return value

    def lead(self) -> timedelta:
        return parse_duration(self.remind_before)
