"""The owner's policy: hours, holidays, turnaround, contacts, throttles, reply templates and detection phrases."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo

import holidays as holiday_data
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.announcement_templates import AnnouncementWording
from bot.calendar import BusinessCalendar
from bot.calendar_import import ImportRule
from bot.detection_policy import WithDetection
from bot.durations import parse_duration
from bot.email_policy import EmailHub
from bot.emergency_policy import Emergency
from bot.hours_policy import HolidayRules, Hours, parse_clock
from bot.messages import ReplyStyle
from bot.owner_dm_policy import DirectMessages
from bot.promise_policy import Promises
from bot.retention import Retention
from bot.templates import MAX_REPLY, Templates, check_template
from bot.turnaround import Turnaround
from bot.welcome_template import DEFAULT_WELCOME, WELCOME_PLACEHOLDERS
from bot.zones import validate_zone

if TYPE_CHECKING:
    from bot.models import Closure

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


MAX_THROTTLE = timedelta(days=366)
_parsed_duration = lru_cache(maxsize=64)(parse_duration)  # timedelta is immutable; a throttle is read per message


def _valid_reminder(text: str) -> str:
    if parse_duration(text) > timedelta(days=7):
        raise ValueError(f'"{text}" is more than a week; meetings are weekly, so remind at most "7d" before')
    return text


class Contact(_Section):
    """Where requests go and where calls happen."""

    email: str = Field(max_length=254, description="The address every request goes to.")
    booking_link: str | None = Field(default=None, max_length=500, description="Where clients book an appointment.")
    meeting: str = Field(
        default="our weekly meeting", max_length=200, description="How replies name the weekly meeting."
    )

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError(f'"{value}" is not an email address; use name@example.com')
        return value

    @field_validator("booking_link")
    @classmethod
    def _link_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f'"{value}" is not a link; use a full https:// address')
        return value


class Replies(_Section):
    """How replies are posted."""

    style: ReplyStyle = Field(
        default=ReplyStyle.THREAD,
        description='"thread", "channel" or "ephemeral" (Slack only; a thread reply elsewhere).',
    )
    email_button_after_hours: bool = Field(
        default=False,
        description='Also put the "Send this to email" button on after-hours replies (with SMTP_URL '
        "set); call and text redirects always have it.",
    )
    welcome: Literal["ephemeral", "dm", "channel", "off"] = Field(
        default="ephemeral", description='How a new client is welcomed: "ephemeral", "dm", "channel" or "off".'
    )
    welcome_text: str = Field(
        default=DEFAULT_WELCOME,
        description="The welcome's wording, a template like the replies' (placeholders: "
        + ", ".join(f"{{{name}}}" for name in WELCOME_PLACEHOLDERS)
        + "); a line left empty by its placeholder is dropped.",
    )
    short_break: str = Field(
        default="2h",
        description="A closed stretch this short (a lunch break) gets the short "
        '"short_break" reply instead of the after-hours one: a duration up to "12h"; "0" never.',
    )

    @field_validator("welcome_text")
    @classmethod
    def _welcome_placeholders(cls, value: str) -> str:
        return check_template(value, WELCOME_PLACEHOLDERS)

    @field_validator("short_break")
    @classmethod
    def _short_break_duration(cls, value: str) -> str:
        if parse_duration(value) > timedelta(hours=12):
            raise ValueError(f'"{value}" is longer than a break; use at most "12h", like "2h" or "90m"')
        return value

    @property
    def short_break_duration(self) -> timedelta:
        return _parsed_duration(self.short_break)


class Owner(_Section):
    """You, as the bot names you."""

    name: str = Field(
        default="",
        max_length=80,
        description='How posts the bot makes for you are signed, like "Dana" ("boundaries later"); the business '
        "name when left empty.",
    )
    nudge: bool = Field(
        default=False,
        description="When you or your team post in a client channel outside opening hours, the bot reminds the one "
        "who posted, privately and once per off-hours stretch, that clients learn from when you answer.",
    )


class Throttle(_Section):
    """How often one client gets the same kind of automatic reply in one channel."""

    after_hours: str = Field(default="window", description='"window" (once per off-hours stretch) or a duration.')
    closed: str = Field(default="closure", description='"closure" (once per closure) or a duration.')
    redirect: str = Field(default="1d", description='A duration like "1d"; "0" answers every time.')

    @field_validator("after_hours", "closed", "redirect")
    @classmethod
    def _duration_or_keyword(cls, value: str, info: ValidationInfo) -> str:
        keyword = {"after_hours": "window", "closed": "closure"}.get(str(info.field_name))
        if value != keyword:
            try:
                if parse_duration(value) > MAX_THROTTLE:
                    raise ValueError(f'"{value}" is more than a year; use at most "366d"')
            except ValueError as error:
                hint = f' or "{keyword}"' if keyword else ""
                raise ValueError(f"{error}{hint}") from None
        return value

    def window(self, kind: str) -> timedelta | None:
        """The throttle as a duration, or None when it is per window/closure."""
        value = getattr(self, kind)
        return None if value in ("window", "closure") else _parsed_duration(value)


class Announcements(_Section, AnnouncementWording):
    """When closures and meetings are announced to client channels, and in what words."""

    notice_days: list[Annotated[int, Field(ge=1, le=365)]] = Field(
        default=[14, 1],
        max_length=10,
        description="Days before a closure when client channels are told; later additions are announced at once.",
    )
    notice_time: str = Field(default="09:00", description="Local time of day advance notices go out (HH:MM).")
    meeting_reminders: list[Annotated[str, AfterValidator(_valid_reminder)]] = Field(
        default=["24h", "1h"], max_length=10, description="How long before each weekly meeting a reminder goes out."
    )
    retry_limit: int = Field(default=8, ge=1, le=50, description="Attempts before a post is given up on.")
    channel_state: bool = Field(
        default=False,
        description='Keep each client channel\'s open/closed line, like "Closed · back Mon 9:00 AM EST", in a Slack '
        "bookmark (linking to the client guide: needs PUBLIC_URL and CALENDAR_KEY) and the Discord channel topic; "
        "changed only when the state changes, in your time zone.",
    )

    @field_validator("notice_time")
    @classmethod
    def _notice_time_parses(cls, value: str) -> str:
        parse_clock(value)
        return value

    def reminder_leads(self) -> list[timedelta]:
        return sorted({parse_duration(value) for value in self.meeting_reminders}, reverse=True)


class Policy(_Section, WithDetection):
    """Everything the owner configures in policy.toml."""

    business_name: str = Field(
        default="We", max_length=100, description='How replies name the business, like "Acme Admin".'
    )
    timezone: str = Field(description='The owner\'s IANA time zone, like "America/New_York".')
    hours: Hours = Hours()
    holidays: HolidayRules = HolidayRules()
    calendar_import: ImportRule = ImportRule()
    turnaround: str = Field(default="1 business day", description='"N business hours" or "N business days".')
    contact: Contact
    emergency: Emergency = Emergency()
    replies: Replies = Replies()
    throttle: Throttle = Throttle()
    announcements: Announcements = Announcements()
    owner: Owner = Owner()
    templates: Templates = Templates()
    retention: Retention = Retention()
    promises: Promises = Promises()
    direct_messages: DirectMessages = DirectMessages()
    email: EmailHub = EmailHub()

    @field_validator("timezone")
    @classmethod
    def _zone_known(cls, value: str) -> str:
        return validate_zone(value)

    @field_validator("turnaround")
    @classmethod
    def _turnaround_parses(cls, value: str) -> str:
        Turnaround.parse(value)
        return value

    @model_validator(mode="after")
    def _some_opening(self) -> Policy:
        if not any(self.hours.weekly().values()):
            raise ValueError("hours: every day is closed; give at least one opening block")
        return self

    @model_validator(mode="after")
    def _replies_fit(self) -> Policy:
        contact = self.contact
        fixed = {
            "business": self.business_name,
            "email": contact.email,
            "turnaround": self.turnaround,
            "meeting": contact.meeting,
            "backup": self.emergency.backup or "",
            "emergency": self.emergency.definition,
            "appointment": f"by appointment ({contact.booking_link or ''})",
        }
        longest = self.templates.longest_reply(fixed)
        if longest > MAX_REPLY:
            raise ValueError(
                f"templates: with the longest names, times and reasons a reply can reach {longest:,} "
                f"characters; shorten the templates (or the contact texts they quote) so it stays "
                f"within {MAX_REPLY:,}"
            )
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def turnaround_rule(self) -> Turnaround:
        return Turnaround.parse(self.turnaround)

    @cached_property
    def _public_holidays(self) -> holiday_data.HolidayBase | dict[date, str]:
        if self.holidays.country is None:
            return {}
        return holiday_data.country_holidays(self.holidays.country, subdiv=self.holidays.subdivision)

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name when `day` (a local date) is a public holiday or an extra day off."""
        for extra in self.holidays.extra:
            if extra.date == day:
                return extra.name
        return self._public_holidays.get(day)

    def is_holiday(self, day: date) -> bool:
        return self.holiday_name(day) is not None

    def calendar(self, closures: Iterable[Closure] = ()) -> BusinessCalendar:
        """The business calendar with these closures taken out (cancelled ones are ignored)."""
        return self._calendar_for(tuple((c.start, c.end) for c in closures if getattr(c, "cancelled_at", None) is None))

    @cached_property
    def _calendar_for(self) -> Callable[[tuple[tuple[_dt.datetime, _dt.datetime], ...]], BusinessCalendar]:
        """Calendars by closure periods, kept for the next message: each remembers the days it has worked out."""
        weekly = self.hours.weekly()
        return lru_cache(maxsize=16)(lambda periods: BusinessCalendar(self.zone, weekly, self.is_holiday, periods))
