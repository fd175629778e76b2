"""One reply from several templates: the emergency path first, and the client greeted once."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.templates import render

URGENT_NAMES = ("urgent", "urgent_no_backup", "urgent_follow_up", "urgent_follow_up_no_backup")
# A greeting that opens a template ("Hi {client},", "Hola {client}:"), dropped from every part after the first greeting.
_GREETING = re.compile(
    r"\s*(?:hi|hello|hey|dear|hola|buenas|bonjour|salut|hallo|liebe|lieber|olá|ola|oi)\s+\{client\}"
    r"\s*[,!.:;]?\s*",
    re.IGNORECASE,
)


def ordered(names: Sequence[str]) -> tuple[str, ...]:
    """The parts in the order the client reads them: what to do in an emergency before anything else."""
    return tuple(sorted(names, key=lambda name: name not in URGENT_NAMES))


def join(templates: Sequence[str], values: dict[str, str]) -> str:
    """The parts rendered and joined by blank lines, each greeting after the first left out."""
    parts, greeted = [], False
    for template in templates:
        greeting = _GREETING.match(template)
        if greeting and greeted:
            rest = template[greeting.end() :]
            template = rest[:1].upper() + rest[1:]
        greeted = greeted or greeting is not None
        parts.append(render(template, values))
    return "\n\n".join(parts)
