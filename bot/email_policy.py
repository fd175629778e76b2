"""The policy's [email] section: which client messages go to the owner's inbox on their own, and what counts as one topic."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.durations import parse_duration

MAX_TOPIC_WINDOW = timedelta(days=7)
NO_INBOX = (
    'email.forward: "{forward}" sends client messages to your inbox, but SMTP_URL is not set; set SMTP_URL, like '
    'smtp://user:pass@mail.example:587, or forward = "button"'
)


class EmailHub(BaseModel):
    """The inbox as the hub: forwarding without the button, one email per topic."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    forward: Literal["button", "requests", "all"] = Field(
        default="button",
        description='"button": a message goes to your inbox when its author or you press "Send this to email" (or '
        'react with an envelope); "requests": also every call or text request and every urgent message, on its '
        'own; "all": also every client message that arrives after hours or during a closure. Needs SMTP_URL.',
    )
    topic_window: str = Field(
        default="2h",
        description="A client's next message in the same channel within this long joins the email of their last "
        "one (as a reply to it) instead of starting a new email; a message in a thread always joins its thread's. A "
        'duration up to "7d"; "0" makes every message outside a thread its own email.',
    )

    @field_validator("topic_window")
    @classmethod
    def _window(cls, value: str) -> str:
        if parse_duration(value) > MAX_TOPIC_WINDOW:
            raise ValueError(f'"{value}" is longer than a week; use at most "7d", like "2h"')
        return value

    @property
    def window(self) -> timedelta:
        return parse_duration(self.topic_window)

    def forwards(self, request: bool, off_hours: bool) -> bool:
        """Whether a client's message goes to the inbox on its own: a call or text request or an urgent message
        (`request`) with "requests" or "all", any message after hours or during a closure (`off_hours`) with "all"."""
        return (self.forward != "button" and request) or (self.forward == "all" and off_hours)
