"""Loading policy.toml, with errors that name the key, the bad value and what is expected."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.policy import Policy

EXAMPLE_POLICY = Path(__file__).with_name("policy.example.toml")


class PolicyError(Exception):
    """A policy file that cannot be used; `problems` holds one line per mistake."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{source}: the policy has {count}:\n" + "\n".join(f"  - {p}" for p in problems))


def _location(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not str(part).startswith(("function-", "model-")):
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def _describe(error: ErrorDetails) -> str:
    where = _location(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return f"{where}: missing; this key is required"
    if kind == "extra_forbidden":
        return f"{where}: unknown key; check its spelling against policy.example.toml"
    message = error["msg"].removeprefix("Value error, ")
    if kind == "value_error":
        return f"{where}: {message}"
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if kind == "string_too_long" else "entries"
        return f"{where}: has {len(error['input']):,} {unit}; at most {error['ctx']['max_length']:,} are allowed"
    shown = repr(error["input"])
    return f"{where}: {shown if len(shown) <= 80 else shown[:77] + '...'} is not valid: {message}"


def parse_policy(data: dict[str, Any], source: str = "policy") -> Policy:
    """Validate already-parsed TOML data into a Policy, or raise PolicyError."""
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyError(source, [_describe(e) for e in error.errors(include_url=False)]) from None


def load_policy(path: str | Path) -> Policy:
    """Read and validate a policy file; a half-read policy is never returned."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(str(path), ["the file does not exist; copy policy.example.toml to start"]) from None
    except OSError as error:
        raise PolicyError(str(path), [f"cannot be read: {error.strerror}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(str(path), [f"is not valid TOML: {error}"]) from None
    return parse_policy(data, str(path))
