"""The shape of one language's call, text and urgency rules (see bot/intent_languages.py for how they are applied)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LanguageRules:
    """One language's rules. A clause asks for a call or a text when one of `rules` matches it and `block` does not:
    `block` holds what makes a clause negated, past, somebody else's, technical or about the standing meeting."""

    code: str
    words: re.Pattern[
        str
    ]  # every rule and urgent pattern needs one of these words: a text without any skips the language
    split: re.Pattern[str]  # clause boundaries
    block: re.Pattern[str]
    rules: tuple[tuple[str, Literal["call", "text"], re.Pattern[str]], ...]  # (name shown in evidence, medium, pattern)
    urgent: re.Pattern[str]
    calm: re.Pattern[str]  # "no es urgente", "en caso de emergencia": any urgency in the text is not meant now
    unblock: re.Pattern[str] | None = (
        None  # phrases removed before `block` is tested ("n'hésite pas à" is an invitation)
    )
    # urgent situations (a deadline tonight, lost sales), each alternative starting with a letter, never a test like \b,
    # so the regex engine skips quickly to where one could start: a long message costs little more
    signs: re.Pattern[str] | None = None
    # more urgent situations (a burst pipe, a lawyer's threat), tried only on a text with one of `situation_words`
    situations: re.Pattern[str] | None = None
    situation_words: re.Pattern[str] | None = None
