"""Default reply templates and the placeholders they may use."""
from __future__ import annotations

PLACEHOLDERS: dict[str, str] = {
    "client": "the client's name, or \"there\"",
    "business": "business_name from the policy",
    "next_open": "when the business next opens, in the client's time zone",
    "reply_by": "when the client can expect an answer, in the client's time zone",
    "turnaround": 'the turnaround standard, like "1 business day"',
    "closure_reason": "why the business is closed",
    "closure_end": "when the business reopens after the closure, in the client's time zone",
    "email": "the address requests go to",
    "meeting": "the weekly meeting, with the next slot when the channel has one",
    "appointment": "\"by appointment\", with the booking link when there is one",
    "backup": "the backup contact for emergencies",
    "emergency": "the policy's definition of an emergency",
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "after_hours": (
        "Hi {client}, thanks for your message! It arrived outside business hours, so it will be "
        "picked up when we open {next_open}. You can expect an answer by {reply_by}; our standard "
        "turnaround is {turnaround}."
    ),
    "closed": (
        "Hi {client}, thanks for your message. {business} is closed for {closure_reason} and reopens "
        "{closure_end}. Your message is safe here: it will be answered in order after we reopen, "
        "by {reply_by}."
    ),
    "redirect_call": (
        "Calls happen at {meeting} or {appointment}. For anything before then, please email {email} "
        "(one email per topic) so every request has a paper trail and nothing gets lost."
    ),
    "redirect_text": (
        "We don't take requests by text message. Please email {email} (one email per topic) so every "
        "request has a paper trail and nothing gets lost; if it needs a conversation, calls happen at "
        "{meeting} or {appointment}."
    ),
    "urgent": "If this is a real emergency ({emergency}), please contact {backup}.",
    "urgent_no_backup": (
        "If this is a real emergency ({emergency}), email {email} with URGENT in the subject line."
    ),
}


TEMPLATE_HELP: dict[str, str] = {
    "after_hours": "The reply to a client writing outside opening hours or on a holiday.",
    "closed": "The reply to a client writing during a closure.",
    "redirect_call": "Added when a client asks for a call.",
    "redirect_text": "Added when a client asks to text.",
    "urgent": "Added when an urgent message arrives after hours or during a closure, and there is a backup contact.",
    "urgent_no_backup": "The same, when the policy has no backup contact.",
}


def render(template: str, values: dict[str, str]) -> str:
    """Fill a validated template; placeholders without a value render as an empty string."""
    return template.format_map(_Defaulting(values))


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return ""
