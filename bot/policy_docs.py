"""The policy reference, generated from the pydantic model so the documentation cannot drift from the code."""

from __future__ import annotations

import json
import sys
from typing import get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bot.policy import Policy
from bot.templates import LONGEST, MAX_REPLY, MAX_TEMPLATE, PLACEHOLDERS
from bot.turnaround import LONGEST as TURNAROUND

HEADER = """# Policy reference

Generated from the policy model by `make docs`; a test fails when this file and the code disagree.
Every key is optional unless its default says **required**. Start from `bot/policy.example.toml`.
"""


LIMITS = (
    f"Each template is at most {MAX_TEMPLATE:,} characters, and the longest reply the templates can make (after-hours "
    f"or closed, plus a redirect, plus the urgent line, with the policy's own contact texts, a client name of "
    f"{LONGEST['client']} characters, times of {LONGEST['reply_by']} and a closure reason and backup of "
    f"{LONGEST['closure_reason']}) is at most {MAX_REPLY:,} characters: two Discord messages, two Slack sections. "
    f"Templates hold placeholders alone (`{{client}}`, never `{{client:>20}}` or `{{client!r}}`). The turnaround "
    f"is at most {TURNAROUND['hours']} business hours or {TURNAROUND['days']} business days; throttles at most "
    f'`"366d"`; meeting reminders at most `"7d"` before. The loader refuses a policy past any limit and says which.'
)


class UndocumentedField(Exception):
    """A policy field without a description: add `Field(description=...)`."""


def _default(field: FieldInfo) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "**required**"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "(section)"
    if hasattr(value, "value"):
        value = value.value
    if value is None:
        return "unset"
    text = json.dumps(value, ensure_ascii=False)
    return f"`{text}`" if len(text) <= 60 else "see `bot/policy.example.toml`"


def _limit(field: FieldInfo) -> str:
    longest = next((m.max_length for m in field.metadata if getattr(m, "max_length", None)), None)
    if longest is None:
        return ""
    return f" At most {longest} {'entries' if get_origin(field.annotation) is list else 'characters'}."


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            continue
        if not field.description:
            raise UndocumentedField(f"{prefix}{name} has no description")
        rows.append(f"| `{name}` | {_default(field)} | {field.description}{_limit(field)} |")
    return rows


def _table(rows: list[str]) -> list[str]:
    return ["| key | default | meaning |", "| --- | --- | --- |", *rows, ""]


def policy_reference() -> str:
    """The whole reference as Markdown; raises UndocumentedField when a field lacks a description."""
    lines = [HEADER, "## Top level", "", *_table(_rows(Policy, ""))]
    for name, field in Policy.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            doc = (section.__doc__ or "").strip()
            if not doc:
                raise UndocumentedField(f"section [{name}] has no docstring")
            lines += [f"## `[{name}]`", "", doc, "", *_table(_rows(section, f"{name}."))]
            for item_name, item_field in section.model_fields.items():
                items = [a for a in get_args(item_field.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
                for item in items:
                    lines += [
                        f"Each entry of `{name}.{item_name}`: {(item.__doc__ or '').strip()}",
                        "",
                        *_table(_rows(item, f"{name}.{item_name}[].")),
                    ]
    lines += ["## Limits", "", LIMITS, ""]
    lines += ["## Template placeholders", "", "| placeholder | what it becomes |", "| --- | --- |"]
    lines += [f"| `{{{name}}}` | {meaning} |" for name, meaning in PLACEHOLDERS.items()]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(policy_reference())
