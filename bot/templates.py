"""Reply templates: the defaults, the placeholders they may use, other languages, and the policy section that checks them."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PLACEHOLDERS: dict[str, str] = {
    "client": 'the client\'s name, or "there"',
    "business": "business_name from the policy",
    "next_open": "when the business next opens, in the client's time zone",
    "reply_by": "when the client can expect an answer, in the client's time zone",
    "turnaround": 'the turnaround standard, like "1 business day"',
    "closure_reason": "why the business is closed",
    "closure_end": "when the business reopens after the closure, in the client's time zone",
    "email": "the address requests go to",
    "meeting": "the weekly meeting, with the next slot when the channel has one",
    "appointment": '"by appointment", with the booking link when there is one',
    "backup": "the backup contact for emergencies",
    "emergency": "the policy's definition of an emergency",
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "after_hours": (
        "Hi {client}, thanks for your message! It arrived outside business hours, so it will be "
        "picked up when we open {next_open}. You can expect an answer by {reply_by}; our standard "
        "turnaround is {turnaround}."
    ),
    "short_break": "Hi {client}, thanks for your message! We're on a short break and back {next_open}.",
    "closed": (
        "Hi {client}, thanks for your message. {business} is closed for {closure_reason} and reopens "
        "{closure_end}. Your message is safe here: it will be answered in order after we reopen, "
        "by {reply_by}."
    ),
    "redirect_call": (
        "Hi {client}, happy to talk! Calls happen at {meeting} or {appointment}. Until then, please email "
        "{email} (one email per topic), so nothing slips through."
    ),
    "redirect_text": (
        "Hi {client}, we don't take requests by text, but email works well: please write to {email} (one email "
        "per topic). If it needs a conversation, calls happen at {meeting} or {appointment}."
    ),
    "urgent": (
        "Hi {client}, if this is an emergency ({emergency}), please contact {backup} right away; "
        "they are covering for us."
    ),
    "urgent_no_backup": (
        "Hi {client}, if this is an emergency ({emergency}), please email {email} with URGENT in the subject line."
    ),
    "urgent_follow_up": (
        "Hi {client}, we haven't forgotten you: your urgent message is here and first in line when we're back "
        "{next_open}. If it can't wait, please contact {backup} now."
    ),
    "urgent_follow_up_no_backup": (
        "Hi {client}, we haven't forgotten you: your urgent message is here and first in line when we're back "
        "{next_open}. If it can't wait, please email {email} with URGENT in the subject line."
    ),
    "in_inbox": "Your message is already in our inbox ({email}), so there's no need to email it as well.",
}


TEMPLATE_HELP: dict[str, str] = {
    "after_hours": "The reply to a client writing outside opening hours or on a holiday.",
    "short_break": "The reply to a client writing during a short break between opening hours (see [replies] short_break).",
    "closed": "The reply to a client writing during a closure.",
    "redirect_call": "Added when a client asks for a call.",
    "redirect_text": "Added when a client asks to text.",
    "urgent": "Added when an urgent message arrives after hours or during a closure, and there is a backup contact.",
    "urgent_no_backup": "The same, when the policy has no backup contact.",
    "urgent_follow_up": "Once, when a client writes again after an urgent message in the same closed stretch.",
    "urgent_follow_up_no_backup": "The same, when the policy has no backup contact.",
    "in_inbox": "Added when the message went to your inbox on its own ([email] forward).",
}


MAX_TEMPLATE = 1_000  # characters in one template
MAX_REPLY = 4_000  # a whole reply with the longest values: two Discord messages (2,000 each), two Slack sections
# The longest value each per-message placeholder can take: Slack display names reach 80 characters, a time
# ("tomorrow (Wednesday, Sep 30) at 12:00 PM (America/Argentina/ComodRivadavia time)") about 85, a closure's
# reason and backup 200 (the commands' limit).
LONGEST = {
    "client": 80,
    "next_open": 100,
    "reply_by": 100,
    "closure_end": 100,
    "closure_reason": 200,
    "backup": 200,
    "meeting": 100,
}


TEMPLATE_LANGUAGES = ("en", "es", "fr", "de", "pt")  # the languages bot/language.py detects


def check_template(value: str, placeholders: Mapping[str, str] = PLACEHOLDERS) -> str:
    """A template's length and its placeholders (names from `placeholders`), or ValueError naming the problem."""
    if len(value) > MAX_TEMPLATE:
        raise ValueError(f"is {len(value):,} characters; keep a template under {MAX_TEMPLATE:,}")
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(value)
            if name is not None
        ]
    except ValueError as error:
        raise ValueError(f"{error}; write a literal brace as {{{{ or }}}}") from None
    for name, spec, conversion in fields:
        if name not in placeholders:
            raise ValueError(
                f"unknown placeholder {{{name}}}; use one of " + ", ".join(f"{{{p}}}" for p in placeholders)
            )
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"{written} has a format; write the placeholder alone, like {{{name}}}")
    return value


class LanguageTemplates(BaseModel):
    """The reply templates in one more language; a reply that needs one this table leaves out is in the default language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    after_hours: str | None = Field(default=None, description=TEMPLATE_HELP["after_hours"])
    short_break: str | None = Field(default=None, description=TEMPLATE_HELP["short_break"])
    closed: str | None = Field(default=None, description=TEMPLATE_HELP["closed"])
    redirect_call: str | None = Field(default=None, description=TEMPLATE_HELP["redirect_call"])
    redirect_text: str | None = Field(default=None, description=TEMPLATE_HELP["redirect_text"])
    urgent: str | None = Field(default=None, description=TEMPLATE_HELP["urgent"])
    urgent_no_backup: str | None = Field(default=None, description=TEMPLATE_HELP["urgent_no_backup"])
    urgent_follow_up: str | None = Field(default=None, description=TEMPLATE_HELP["urgent_follow_up"])
    urgent_follow_up_no_backup: str | None = Field(
        default=None, description=TEMPLATE_HELP["urgent_follow_up_no_backup"]
    )
    in_inbox: str | None = Field(default=None, description=TEMPLATE_HELP["in_inbox"])

    @field_validator("*")
    @classmethod
    def _placeholders_known(cls, value: str | None) -> str | None:
        return None if value is None else check_template(value)


# A table of the same ten keys as above, any of them left out; Annotated keeps the reference to one table per language
_Table = Annotated[LanguageTemplates, "a table of templates in one language"]


class Templates(BaseModel):
    """Reply templates with named placeholders in braces; see the example policy for the list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    after_hours: str = Field(default=DEFAULT_TEMPLATES["after_hours"], description=TEMPLATE_HELP["after_hours"])
    short_break: str = Field(default=DEFAULT_TEMPLATES["short_break"], description=TEMPLATE_HELP["short_break"])
    closed: str = Field(default=DEFAULT_TEMPLATES["closed"], description=TEMPLATE_HELP["closed"])
    redirect_call: str = Field(default=DEFAULT_TEMPLATES["redirect_call"], description=TEMPLATE_HELP["redirect_call"])
    redirect_text: str = Field(default=DEFAULT_TEMPLATES["redirect_text"], description=TEMPLATE_HELP["redirect_text"])
    urgent: str = Field(default=DEFAULT_TEMPLATES["urgent"], description=TEMPLATE_HELP["urgent"])
    urgent_no_backup: str = Field(
        default=DEFAULT_TEMPLATES["urgent_no_backup"], description=TEMPLATE_HELP["urgent_no_backup"]
    )
    urgent_follow_up: str = Field(
        default=DEFAULT_TEMPLATES["urgent_follow_up"], description=TEMPLATE_HELP["urgent_follow_up"]
    )
    urgent_follow_up_no_backup: str = Field(
        default=DEFAULT_TEMPLATES["urgent_follow_up_no_backup"], description=TEMPLATE_HELP["urgent_follow_up_no_backup"]
    )
    in_inbox: str = Field(default=DEFAULT_TEMPLATES["in_inbox"], description=TEMPLATE_HELP["in_inbox"])

    language: str = Field(
        default="en",
        description=(
            'The language the templates above are written in ("en", "es", "fr", "de" or "pt"). Tables like [templates.es] '
            "hold any of the same ten templates in another language: a client writing in that language gets them whenever "
            "the table has every template the reply needs, and the templates above otherwise."
        ),
    )
    en: _Table | None = Field(default=None, description="[templates.en]: the templates in English.")
    es: _Table | None = Field(default=None, description="[templates.es]: the templates in Spanish.")
    fr: _Table | None = Field(default=None, description="[templates.fr]: the templates in French.")
    de: _Table | None = Field(default=None, description="[templates.de]: the templates in German.")
    pt: _Table | None = Field(default=None, description="[templates.pt]: the templates in Portuguese.")

    @field_validator(*DEFAULT_TEMPLATES)
    @classmethod
    def _placeholders_known(cls, value: str) -> str:
        return check_template(value)

    @field_validator("language")
    @classmethod
    def _language_known(cls, value: str) -> str:
        if value not in TEMPLATE_LANGUAGES:
            raise ValueError(
                f'"{value}" is not a language the bot detects; use one of ' + ", ".join(TEMPLATE_LANGUAGES)
            )
        return value

    @model_validator(mode="after")
    def _no_table_for_the_default(self) -> Templates:
        if getattr(self, self.language) is not None:
            raise ValueError(
                f"[templates.{self.language}] repeats the default language; write those templates at the top "
                f"of [templates], or set language to the one they are written in"
            )
        return self

    def in_language(self, lang: str | None, names: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        """The language a reply made of `names` is written in, and its templates: the client's language when its
        table has all of them, else the default language."""
        table = getattr(self, lang, None) if lang in TEMPLATE_LANGUAGES and lang != self.language else None
        if lang is not None and table is not None and all(getattr(table, name) is not None for name in names):
            return lang, {name: getattr(table, name) for name in names}
        return self.language, {name: getattr(self, name) for name in names}

    def longest_reply(self, fixed: dict[str, str]) -> int:
        """The length of the longest reply these templates can make, in any of their languages, with the policy's own
        values in `fixed` and every per-message placeholder at its longest."""
        values = {name: "x" * LONGEST.get(name, 0) for name in PLACEHOLDERS} | fixed
        values["meeting"] = fixed.get("meeting", "") + "x" * LONGEST["meeting"]
        values["backup"] = max(fixed.get("backup", ""), "x" * LONGEST["backup"], key=len)
        tables = [self] + [table for lang in TEMPLATE_LANGUAGES if (table := getattr(self, lang)) is not None]

        def longest(*names: str) -> int:
            return max(
                len(render(getattr(table, name) or getattr(self, name), values)) for name in names for table in tables
            )

        return (
            longest("after_hours", "short_break", "closed")
            + longest("redirect_call", "redirect_text")
            + max(longest("urgent", "urgent_no_backup"), longest("urgent_follow_up", "urgent_follow_up_no_backup"))
            + longest("in_inbox")
            + 3 * len("\n\n")
        )


# Discord renders Markdown in a bot's message, so a display name like "[Pay here](https://...)" would become a
# link in the bot's voice; a backslash before each markup character shows it as typed. Slack's adapter escapes the
# whole reply (its links need <...>), so names there stay as they are.
_DISCORD_MARKUP = re.compile(r"([\\*_~`|>\[\]()#<:-])")


def shown_name(name: str, platform: str) -> str:
    """A client's display name as text for a reply on `platform`, never as markup."""
    return _DISCORD_MARKUP.sub(r"\\\1", name) if platform == "discord" else name


def render(template: str, values: dict[str, str]) -> str:
    """Fill a validated template; placeholders without a value render as an empty string."""
    return template.format_map(_Defaulting(values))


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
