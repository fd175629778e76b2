"""The wording of scheduled posts: closure notices, meeting reminders and their corrections."""

from __future__ import annotations

from datetime import datetime

from bot.models import Closure, ClosureKind
from bot.policy import Policy
from bot.timefmt import format_absolute, format_span


def _when(policy: Policy, at: datetime, now: datetime) -> str:
    return f"{format_absolute(at, policy.zone, now)} ({policy.timezone} time)"


def _reason(closure: Closure) -> str:
    return closure.reason or ("an unexpected absence" if closure.kind is ClosureKind.EMERGENCY else "a planned break")


def _emergency(policy: Policy, closure: Closure) -> str:
    backup = closure.backup or policy.emergency.backup
    if backup:
        return f"For a real emergency ({policy.emergency.definition}), contact {backup}."
    return f"For a real emergency ({policy.emergency.definition}), email {policy.contact.email} with URGENT in the subject."


def closure_notice(policy: Policy, closure: Closure, reopening: datetime, posted: datetime) -> str:
    return (
        f"Heads up: {policy.business_name} will be closed for {_reason(closure)}, "
        f"{format_span(closure.start, closure.end, policy.zone, posted)}, reopening {_when(policy, reopening, posted)}. "
        "Messages sent while we're "
        f"closed are safe and will be answered in order after we reopen; please email {policy.contact.email} "
        f"with anything you need before then. {_emergency(policy, closure)}"
    )


def closure_start(policy: Policy, closure: Closure, reopening: datetime) -> str:
    return (
        f"{policy.business_name} is closed from today for {_reason(closure)}, reopening "
        f"{_when(policy, reopening, closure.start)}. Messages sent meanwhile are safe and will be answered in order after "
        f"we reopen. {_emergency(policy, closure)}"
    )


def closure_end(policy: Policy, closure: Closure) -> str:
    return (
        f"We're back! {policy.business_name} is open again. Messages from while we were closed are being "
        f"answered in order; new requests go to {policy.contact.email}, one email per topic."
    )


def closure_changed(policy: Policy, old: Closure, new: Closure, reopening: datetime, posted: datetime) -> str:
    was = format_span(old.start, old.end, policy.zone, posted)
    return (
        f"Update: our closure has changed. {policy.business_name} is closed for {_reason(new)}, "
        f"{format_span(new.start, new.end, policy.zone, posted)}, reopening {_when(policy, reopening, posted)} "
        f"(before: {was}). {_emergency(policy, new)}"
    )


def closure_cancelled(policy: Policy, closure: Closure, posted: datetime) -> str:
    return (
        f"Update: the closure we announced ({format_span(closure.start, closure.end, policy.zone, posted)}) is "
        f"cancelled. {policy.business_name} is open as usual."
    )


def meeting_reminder(policy: Policy, start: datetime, posted: datetime) -> str:
    return (
        f"Reminder: {policy.contact.meeting} is {_when(policy, start, posted)}. Please email agenda items to "
        f"{policy.contact.email} beforehand so we can make the most of it."
    )


def meeting_cancelled(policy: Policy, start: datetime, why: str, posted: datetime) -> str:
    return (
        f"No meeting this week: {policy.contact.meeting} on {_when(policy, start, posted)} is off ({why}). "
        f"Anything for it can go to {policy.contact.email} in the meantime."
    )
