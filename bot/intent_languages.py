"""Call, text and urgency detection in Spanish, French, German and Portuguese: the engine that applies each language's rules."""

from __future__ import annotations

from bot.intent_es_pt import PORTUGUESE, SPANISH
from bot.intent_fr_de import FRENCH, GERMAN
from bot.intent_rules import Redirect
from bot.language_rules import LanguageRules

LANGUAGES: tuple[LanguageRules, ...] = (SPANISH, FRENCH, GERMAN, PORTUGUESE)


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


def urgency(plain: str) -> tuple[list[str], bool]:
    """The other languages' urgent words found (as evidence), and whether the text says it is not urgent."""
    found: list[str] = []
    calm = False
    for lang in LANGUAGES:
        if not lang.words.search(plain):
            continue
        if lang.calm.search(plain):
            calm = True
        elif m := lang.urgent.search(plain) or (lang.signs.search(plain) if lang.signs else None):
            found.append(f"urgent:{lang.code}({m.group(0).strip()})")
    return found, calm
