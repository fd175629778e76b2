"""The bot's own words, mostly to the owner (bot/owner_words.toml), checked at import, and say() to fill one in."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path


def _plural(spec: str) -> tuple[str, str] | None:
    """ "message|messages" as its two words; None for any other format."""
    one, bar, many = spec.partition("|")
    return (one, many) if bar else None


class _Formatter(string.Formatter):
    def format_field(self, value: object, format_spec: str) -> str:
        words = _plural(format_spec)
        if words is None:
            return str(super().format_field(value, format_spec))
        return words[0] if value == 1 else words[1]


_FORMATTER = _Formatter()


def placeholders(name: str, wording: str) -> frozenset[str]:
    """The names a wording's placeholders use, or ValueError naming what is wrong with it."""
    try:
        fields = [(field, spec) for _, field, spec, _ in _FORMATTER.parse(wording) if field is not None]
    except ValueError as error:
        raise ValueError(f"owner wording {name}: {error}; write a literal brace as {{{{ or }}}}") from None
    for field, spec in fields:
        if not field.isidentifier():
            raise ValueError(f"owner wording {name}: {{{field}}} is not a named placeholder like {{count}}")
        if (spec or "").count("|") > 1:
            raise ValueError(f"owner wording {name}: {{{field}:{spec}}} has more than two words (one|many)")
    return frozenset(field for field, _ in fields)


def load(tables: Mapping[str, object]) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """The wordings of parsed TOML tables by "table.key", and the placeholders of each; ValueError when any is
    not text or does not parse."""
    wordings: dict[str, str] = {}
    for table, entries in tables.items():
        if not isinstance(entries, dict):
            raise ValueError(f"owner wording {table}: expected a [{table}] table of wordings")
        for key, wording in entries.items():
            if not isinstance(wording, str):
                raise ValueError(f"owner wording {table}.{key}: expected text, got {wording!r}")
            wordings[f"{table}.{key}"] = wording
    return wordings, {name: placeholders(name, wording) for name, wording in wordings.items()}


WORDINGS, PLACEHOLDERS = load(tomllib.loads((Path(__file__).parent / "owner_words.toml").read_text(encoding="utf-8")))
_COUNTED = frozenset(  # the wordings with a {count:one|many}; str.format fills the others alone, several times faster
    name
    for name, wording in WORDINGS.items()
    if any(_plural(spec or "") for _, _, spec, _ in _FORMATTER.parse(wording))
)


def say(name: str, /, **values: object) -> str:
    """The wording `name` ("digest.morning") filled with `values`: exactly its placeholders, else an error naming
    the missing or unknown ones (tests/test_owner_words.py finds them before any message does)."""
    if name not in WORDINGS:
        raise KeyError(f"no owner wording {name} in bot/owner_words.toml")
    expected = PLACEHOLDERS[name]
    if values.keys() != expected:
        missing, unknown = sorted(expected - values.keys()), sorted(values.keys() - expected)
        raise ValueError(f"owner wording {name}: missing placeholders {missing}, unknown {unknown}")
    return _FORMATTER.vformat(WORDINGS[name], (), values) if name in _COUNTED else WORDINGS[name].format_map(values)
