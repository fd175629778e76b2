"""The owner's own detection phrases ([detection] in policy.toml): extra call, text and urgent phrases, and never-phrases."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bot.textclean import normalise

MAX_PHRASES = 100
MAX_PHRASE = 80
# "not", "no", "never" shortly before an owner's phrase, in the same sentence, cancel it ("no need to hop on a sync")
_NEGATED_BEFORE = re.compile(r"\b(?:not|no|never|without)\b[^.!?\n]{0,40}$")


def _phrase(value: str) -> str:
    text = " ".join(value.split())
    if len(text) < 2:
        raise ValueError(f'"{value}" is too short; write a word or a phrase of at least 2 characters')
    if len(text) > MAX_PHRASE:
        raise ValueError(f"is {len(text)} characters; keep a phrase under {MAX_PHRASE}")
    if not any(ch.isalnum() for ch in text) and not any(ord(ch) > 0x2000 for ch in text):
        raise ValueError(f'"{value}" has no letters, digits or emoji; write the words clients use')
    return text


Phrase = Annotated[str, AfterValidator(_phrase)]
_HELP = 'Matched as whole words, ignoring case, outside quotes and code; "not", "no" or "never" just before cancels it.'


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    forms = sorted({normalise(p.lower()).strip() for p in phrases}, key=len, reverse=True)
    return re.compile("|".join(r"(?<!\w)" + r"\s+".join(map(re.escape, f.split())) + r"(?!\w)" for f in forms))


class Detection(BaseModel):
    """Your own phrases for call and text requests and urgency, on top of the built-in detection."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    call_phrases: list[Phrase] = Field(
        default=[],
        max_length=MAX_PHRASES,
        description=(f'Phrases that always ask for a call, like ["hop on a sync", "ring-a-ding"]. {_HELP}'),
    )
    text_phrases: list[Phrase] = Field(
        default=[],
        max_length=MAX_PHRASES,
        description=(f'Phrases that always ask for a text, like ["ping my cell"]. {_HELP}'),
    )
    never_phrases: list[Phrase] = Field(
        default=[],
        max_length=MAX_PHRASES,
        description=(
            'Phrases that never ask for a call or a text, like ["call sheet", "discovery call"]: they are taken out of '
            "the message before detection."
        ),
    )
    urgent_words: list[Phrase] = Field(
        default=[],
        max_length=MAX_PHRASES,
        description=(f'Words that make a message urgent, like ["showstopper", "on fire"]. {_HELP}'),
    )

    @model_validator(mode="after")
    def _no_phrase_twice(self) -> Detection:
        seen: dict[str, str] = {}
        for name in ("call_phrases", "text_phrases", "never_phrases"):
            for phrase in getattr(self, name):
                key = phrase.lower()
                if key in seen:
                    where = "twice in " + name if seen[key] == name else f"in both {seen[key]} and {name}"
                    raise ValueError(f'"{phrase}" is {where}; keep it in one list')
                seen[key] = name
        return self

    @property
    def active(self) -> bool:
        return bool(self.call_phrases or self.text_phrases or self.never_phrases or self.urgent_words)

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern[str] | None]:
        return {
            name: _pattern(getattr(self, name))
            for name in ("call_phrases", "text_phrases", "never_phrases", "urgent_words")
        }

    def remove_never(self, low: str) -> tuple[str, list[str]]:
        """The normalised text without the never-phrases, and which were taken out."""
        pattern = self._patterns["never_phrases"]
        if pattern is None:
            return low, []
        found = [m.group(0) for m in pattern.finditer(low)]
        return (pattern.sub(" ", low) if found else low), found

    def found(self, name: str, low: str) -> list[str]:
        """The phrases of one list that occur in the normalised text and are not negated just before."""
        pattern = self._patterns[name]
        if pattern is None:
            return []
        return [
            m.group(0)
            for m in pattern.finditer(low)
            if not _NEGATED_BEFORE.search(low, max(0, m.start() - 50), m.start())
        ]


class WithDetection(BaseModel):
    """The policy's [detection] section, kept here so bot/policy.py stays small."""

    detection: Detection = Detection()
