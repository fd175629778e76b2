"""The policy's [emergency] section: who covers real emergencies, what counts as one, and who is alerted."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Emergency(BaseModel):
    """Who covers real emergencies, and what counts as one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backup: str | None = Field(
        default=None, max_length=200, description='Backup contact, like "Jordan Lee, jordan@example.com".'
    )
    definition: str = Field(
        default="something that cannot wait until we reopen without real harm to your business",
        max_length=500,
        description="What counts as an emergency, in one phrase; replies and notices quote it.",
    )
    alert_email: str | None = Field(
        default=None,
        max_length=254,
        description="Where an urgent message that arrives while you are closed is emailed "
        "at once, with a link (the backup's address; needs SMTP_URL).",
    )
    alert_owner: bool = Field(
        default=False,
        description="Also send you (the owners) a direct message at once for each "
        "urgent message that arrives while you are closed.",
    )

    @field_validator("alert_email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f'"{value}" is not an email address; use name@example.com, like "jordan@example.com"')
        return value
