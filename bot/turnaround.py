"""The turnaround standard: "N business hours" or "N business days", parsed and printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_PATTERN = re.compile(r"\s*(\d+)\s+business\s+(hour|day)s?\s*", re.IGNORECASE)
# A promise further out than this is no turnaround standard, and working it out costs time on every reply.
LONGEST = {"hours": 480, "days": 60}


@dataclass(frozen=True)
class Turnaround:
    """How long a client waits for an answer, counted in business hours or business days."""

    amount: int
    unit: Literal["hours", "days"]

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount <= 0:
            raise ValueError(f"a turnaround needs a whole number above 0, got {self.amount!r}")
        if self.unit not in ("hours", "days"):
            raise ValueError(f'a turnaround is counted in "hours" or "days", got {self.unit!r}')
        if self.amount > LONGEST[self.unit]:
            raise ValueError(
                f"a turnaround of {self.amount} business {self.unit} is too long; "
                f"use at most {LONGEST['hours']} business hours or {LONGEST['days']} business days"
            )

    @classmethod
    def parse(cls, text: str) -> Turnaround:
        """Read "4 business hours", "1 business day", ... (any case, singular or plural)."""
        match = _PATTERN.fullmatch(text)
        if match is None or len(match.group(1)) > 6 or int(match.group(1)) <= 0:
            raise ValueError(
                f'"{text}" is not a turnaround; use "N business hours" or "N business days" '
                f"(at most {LONGEST['hours']} hours or {LONGEST['days']} days)"
            )
        return cls(int(match.group(1)), "hours" if match.group(2).lower() == "hour" else "days")

    def __str__(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} business {unit}"
