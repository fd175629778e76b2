"""The owner's digest: what arrived after hours or during a closure, sent at the day's first opening."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from bot.forwarding import FORWARD_KIND, failure_line
from bot.meetings import wall_to_instant
from bot.models import Closure, ReplyLogEntry
from bot.policy import Policy
from bot.queue import Delivery
from bot.timefmt import format_absolute

DIGEST_KINDS = ("after_hours", "closed")
DIGEST_WINDOW = timedelta(hours=8)
_LABELS = {"after_hours": "after-hours reply", "closed": "closure reply"}


def digest_moment(policy: Policy, closures: Sequence[Closure], now: datetime) -> datetime | None:
    """Today's first opening (owner's zone), while `now` is at most DIGEST_WINDOW after it."""
    zone = policy.zone
    today = now.astimezone(zone).date()
    first = policy.calendar(closures).next_opening(wall_to_instant(datetime.combine(today, time(0), tzinfo=zone)))
    if first is None or first.astimezone(zone).date() != today:
        return None
    return first if first <= now < first + DIGEST_WINDOW else None


def compose_digest(policy: Policy, entries: Sequence[ReplyLogEntry], failures: Sequence[Delivery]) -> str | None:
    """One message listing each client message answered automatically, and posts that failed for good."""
    messages: dict[tuple, list[str]] = {}
    for entry in entries:
        if entry.kind in DIGEST_KINDS:
            key = (entry.channel, entry.client_id, entry.client_name, entry.sent_at, entry.text_excerpt, entry.permalink)
            messages.setdefault(key, []).append(_LABELS[entry.kind])
    if not messages and not failures:
        return None
    lines = []
    if messages:
        lines.append(f"Good morning! While {policy.business_name} was closed, {len(messages)} client message(s) "
                     "got an automatic reply:")
        for (channel, _, name, sent_at, excerpt, link), labels in messages.items():
            first_line = excerpt.splitlines()[0] if excerpt else ""
            where = f"#{channel.channel_id} ({channel.platform})"
            line = f"• {name or 'A client'} in {where}, {format_absolute(sent_at, policy.zone)}: “{first_line}” — {', '.join(labels)}"
            lines.append(line + (f" {link}" if link else ""))
    if failures:
        lines.append("These scheduled posts could not be delivered and were not retried:")
        for failure in failures:
            if failure.key.kind == FORWARD_KIND:
                lines.append(failure_line(failure))
                continue
            kind = failure.key.kind.replace("_", " ")
            lines.append(f"• {kind} to #{failure.key.channel_id} ({failure.key.platform}): {failure.last_error}. "
                         "Invite the bot to that channel, or mark it internal with /channel internal.")
    return "\n".join(lines)
