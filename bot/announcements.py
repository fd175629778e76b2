"""The wording of scheduled posts: closure notices, meeting reminders and their corrections, from the policy's templates."""

from __future__ import annotations

from datetime import datetime

from bot.models import Closure, ClosureKind
from bot.policy import Policy
from bot.templates import render
from bot.timefmt import format_absolute, format_span


def _when(policy: Policy, at: datetime, now: datetime) -> str:
    return f"{format_absolute(at, policy.zone, now)} ({policy.timezone} time)"


def _common(policy: Policy) -> dict[str, str]:
    return {"business": policy.business_name, "email": policy.contact.email}


def _closure(policy: Policy, closure: Closure, reopening: datetime, posted: datetime) -> dict[str, str]:
    backup = closure.backup or policy.emergency.backup
    reason = closure.reason or ("an unexpected absence" if closure.kind is ClosureKind.EMERGENCY else "a planned break")
    return _common(policy) | {
        "closure_reason": reason,
        "closure_dates": format_span(closure.start, closure.end, policy.zone, posted),
        "closure_end": _when(policy, reopening, posted),
        "emergency": policy.emergency.definition,
        "emergency_contact": f"contact {backup}"
        if backup
        else f"email {policy.contact.email} with URGENT in the subject",
    }


def closure_notice(policy: Policy, closure: Closure, reopening: datetime, posted: datetime) -> str:
    return render(policy.announcements.closure_notice, _closure(policy, closure, reopening, posted))


def closure_start(policy: Policy, closure: Closure, reopening: datetime) -> str:
    return render(policy.announcements.closure_start, _closure(policy, closure, reopening, closure.start))


def closure_end(policy: Policy, closure: Closure) -> str:
    return render(policy.announcements.closure_end, _common(policy))


def closure_changed(policy: Policy, old: Closure, new: Closure, reopening: datetime, posted: datetime) -> str:
    values = _closure(policy, new, reopening, posted)
    values["closure_before"] = format_span(old.start, old.end, policy.zone, posted)
    return render(policy.announcements.closure_changed, values)


def closure_cancelled(policy: Policy, closure: Closure, posted: datetime) -> str:
    values = _common(policy) | {"closure_dates": format_span(closure.start, closure.end, policy.zone, posted)}
    return render(policy.announcements.closure_cancelled, values)


def meeting_reminder(policy: Policy, start: datetime, posted: datetime) -> str:
    values = _common(policy) | {"meeting": policy.contact.meeting, "meeting_time": _when(policy, start, posted)}
    return render(policy.announcements.meeting_reminder, values)


def meeting_cancelled(policy: Policy, start: datetime, why: str, posted: datetime) -> str:
    values = _common(policy) | {"meeting": policy.contact.meeting, "meeting_time": _when(policy, start, posted)}
    return render(policy.announcements.meeting_cancelled, values | {"why": why})
