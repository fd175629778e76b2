"""Announcement templates: the wording of closure notices and meeting reminders, with the placeholders each may use."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from bot.templates import check_template

_COMMON = {
    "business": "business_name from the policy",
    "email": "the address requests go to",
}
_CLOSURE = {
    **_COMMON,
    "closure_reason": 'why the business is closed (the closure\'s reason, else "a planned break")',
    "closure_dates": 'the closure\'s dates, like "Thursday, Dec 24 through Friday, Jan 1"',
    "closure_end": "when the business reopens, in your time zone (named)",
    "emergency": "the policy's definition of an emergency",
    "emergency_contact": 'what to do in one: "contact <backup>", or email with URGENT in the subject',
}
_MEETING = {
    **_COMMON,
    "meeting": "how the policy names the weekly meeting",
    "meeting_time": "the meeting's day and time, in your time zone (named)",
}
ANNOUNCEMENT_PLACEHOLDERS: dict[str, dict[str, str]] = {
    "closure_notice": _CLOSURE,
    "closure_start": _CLOSURE,
    "closure_end": _COMMON,
    "closure_changed": {**_CLOSURE, "closure_before": "the closure's dates as they were announced before"},
    "closure_cancelled": {**_COMMON, "closure_dates": _CLOSURE["closure_dates"]},
    "meeting_reminder": _MEETING,
    "meeting_cancelled": {**_MEETING, "why": 'why it is off, like "a holiday" or "skipped this week"'},
}
_EMERGENCY = " For a real emergency ({emergency}), {emergency_contact}."
DEFAULT_ANNOUNCEMENTS: dict[str, str] = {
    "closure_notice": (
        "Heads up: {business} will be closed for {closure_reason}, {closure_dates}, reopening {closure_end}. "
        "Messages sent while we're closed are safe and will be answered in order after we reopen; please email "
        "{email} with anything you need before then." + _EMERGENCY
    ),
    "closure_start": (
        "{business} is closed from today for {closure_reason}, reopening {closure_end}. Messages sent meanwhile are "
        "safe and will be answered in order after we reopen." + _EMERGENCY
    ),
    "closure_end": (
        "We're back! {business} is open again. Messages from while we were closed are being answered in order; new "
        "requests go to {email}, one email per topic."
    ),
    "closure_changed": (
        "Update: our closure has changed. {business} is closed for {closure_reason}, {closure_dates}, reopening "
        "{closure_end} (before: {closure_before})." + _EMERGENCY
    ),
    "closure_cancelled": (
        "Update: the closure we announced ({closure_dates}) is cancelled. {business} is open as usual."
    ),
    "meeting_reminder": (
        "Reminder: {meeting} is {meeting_time}. Please email agenda items to {email} beforehand so we can make the "
        "most of it."
    ),
    "meeting_cancelled": (
        "No meeting this week: {meeting} on {meeting_time} is off ({why}). Anything for it can go to {email} in the "
        "meantime."
    ),
}
ANNOUNCEMENT_HELP: dict[str, str] = {
    "closure_notice": "The advance notice of a closure, posted notice_days before it.",
    "closure_start": "Posted when a closure starts, if it was added too late for a notice.",
    "closure_end": "Posted when the business reopens after a closure the channel was told about.",
    "closure_changed": "Posted when a closure the channel was told about changes (closure change).",
    "closure_cancelled": "Posted when a closure the channel was told about is cancelled.",
    "meeting_reminder": "The reminder before a channel's weekly meeting.",
    "meeting_cancelled": "Posted when a channel's weekly meeting is off (a holiday, a closure or a skip).",
}


def _template(name: str) -> str:
    return Field(default=DEFAULT_ANNOUNCEMENTS[name], description=ANNOUNCEMENT_HELP[name])


class AnnouncementWording(BaseModel):
    """The announcement templates of [announcements]; each may use only its own placeholders."""

    closure_notice: str = _template("closure_notice")
    closure_start: str = _template("closure_start")
    closure_end: str = _template("closure_end")
    closure_changed: str = _template("closure_changed")
    closure_cancelled: str = _template("closure_cancelled")
    meeting_reminder: str = _template("meeting_reminder")
    meeting_cancelled: str = _template("meeting_cancelled")

    @field_validator(*DEFAULT_ANNOUNCEMENTS)
    @classmethod
    def _placeholders_known(cls, value: str, info: ValidationInfo) -> str:
        return check_template(value, ANNOUNCEMENT_PLACEHOLDERS[info.field_name or ""])
