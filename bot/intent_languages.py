"""Call, text and urgency detection in Spanish, French, German and Portuguese: the engine that applies each language's rules."""

from __future__ import annotations

import re

from bot.intent_es_pt import PORTUGUESE, SPANISH
from bot.intent_fr_de import FRENCH, GERMAN
from bot.intent_rules import Redirect
from bot.language_rules import LanguageRules

LANGUAGES: tuple[LanguageRules, ...] = (SPANISH, FRENCH, GERMAN, PORTUGUESE)
# One scan for the words of every language's further situations: most messages have none
_SITUATION_WORDS = re.compile("|".join(lang.situation_words.pattern for lang in LANGUAGES if lang.situation_words))


def redirect_hits(plain: str) -> list[tuple[Redirect, int, str]]:
    """Hits in the other languages' rules, on the lower-cased clean text (no English slang expansion)."""
    hits: list[tuple[Redirect, int, str]] = []
    for lang in LANGUAGES:
        if not lang.words.search(plain):
            continue
        for clause in lang.split.split(plain):
            clause = (clause or "").strip()
            if not clause:
                continue
            found = [
                (medium, 2, f"{medium}:{lang.code}-{name}")
                for name, medium, pattern in lang.rules
                if pattern.search(clause)
            ]
            if found and not lang.block.search(lang.unblock.sub(" ", clause) if lang.unblock else clause):
                hits.extend(found)
    return hits


def urgency(plain: str, situations: bool = True) -> tuple[list[str], bool]:
    """The other languages' urgent words found (as evidence), and whether the text says it is not urgent."""
    found: list[str] = []
    calm = False
    situations = situations and _SITUATION_WORDS.search(plain) is not None
    for lang in LANGUAGES:
        m = None
        if lang.words.search(plain):
            if lang.calm.search(plain):
                calm = True
                continue
            m = lang.urgent.search(plain) or (lang.signs.search(plain) if lang.signs else None)
        if not m and situations and lang.situations and lang.situation_words and lang.situation_words.search(plain):
            m = lang.situations.search(plain)
        if m:
            found.append(f"urgent:{lang.code}({m.group(0).strip()})")
    return found, calm
