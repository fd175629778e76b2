"""The owner's digest: what arrived after hours or during a closure, sent at the day's first opening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from bot.forwarding import FORWARD_KIND, PLATFORM_NAMES, failure_line, first_words, source_place
from bot.meetings import wall_to_instant
from bot.messages import ChannelRef
from bot.models import Closure, ReplyLogEntry
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import Delivery
from bot.timefmt import format_absolute

DIGEST_WINDOW = timedelta(hours=8)
# The most one message may hold: Slack truncates text past 40,000 characters; Discord refuses content past 2,000.
MESSAGE_LIMITS = {"slack": 40_000, "discord": 2_000}
DEFAULT_LIMIT = 40_000


def digest_moment(policy: Policy, closures: Sequence[Closure], now: datetime) -> datetime | None:
    """Today's first opening (owner's zone), while `now` is at most DIGEST_WINDOW after it."""
    zone = policy.zone
    today = now.astimezone(zone).date()
    first = policy.calendar(closures).next_opening(wall_to_instant(datetime.combine(today, time(0), tzinfo=zone)))
    if first is None or first.astimezone(zone).date() != today:
        return None
    return first if first <= now < first + DIGEST_WINDOW else None


def digest_moments(policy: Policy, closures: Sequence[Closure], start: datetime, end: datetime) -> list[datetime]:
    """Each day's digest moment (its first opening, owner's zone) in (start, end], for stepping a simulated clock."""
    zone, calendar = policy.zone, policy.calendar(closures)
    moments, day = [], start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        first = calendar.next_opening(wall_to_instant(datetime.combine(day, time(0), tzinfo=zone)))
        if first is None:
            break
        if first.astimezone(zone).date() == day and start < first <= end:
            moments.append(first)
        day = max(day + timedelta(days=1), first.astimezone(zone).date())
    return moments


def compose_digest(
    policy: Policy,
    entries: Sequence[ReplyLogEntry],
    failures: Sequence[Delivery],
    *,
    platform: str | None = None,
    promised: Sequence[str] = (),
    week: str | None = None,
    new_clients: Sequence[str] = (),
    inbox: Sequence[str] = (),
) -> str | None:
    """One message: the posts that failed for good first, then each client message that arrived while closed, then
    the answers promised for today (`promised`: their lines) and how last week's were kept, cut to fit the platform's limit for one message (the
    platform of the entries and failures when not given)."""
    messages = client_messages(entries)
    if not messages and not failures and not promised and not week and not new_clients and not inbox:
        return None
    platform = (
        platform or ([e.channel.platform for e in entries] + [source_place(f)[0] for f in failures] + ["slack"])[0]
    )
    limit = MESSAGE_LIMITS.get(platform, DEFAULT_LIMIT)
    head = []
    if messages:
        morning = say(
            "digest.morning_messages_failures" if failures else "digest.morning_messages",
            business=policy.business_name,
            arrivals=arrivals(messages),
        )
        head.append(morning)
    elif not failures:
        head.append(say("digest.morning"))
    sections = []
    if failures:
        sections.append(
            (
                say("digest.failures"),
                [_failure_line(failure) for failure in failures],
                say("digest.failed_posts"),
            )
        )
    if messages:
        sections.append(
            (
                say("digest.messages") if failures else "",
                [_message_line(policy, key, labels) for key, labels in messages.items()],
                say("digest.client_messages"),
            )
        )
    if promised:
        sections.append((say("digest.promised"), list(promised), say("digest.promises")))
    if week:
        sections.append(("", [week], say("digest.lines")))
    if new_clients:
        welcomed = [say("digest.new_client", client=client) for client in new_clients]
        sections.append((say("digest.new_clients"), welcomed, say("digest.clients")))
    if inbox:
        sections.append((say("digest.inbox"), list(inbox), say("digest.lines")))
    return _fit(head, sections, limit, PLATFORM_NAMES.get(platform, platform))


URGENT_LABEL = "URGENT"  # marks an urgent message; its line says so first (digest.urgent_message), not in its replies
_DIGEST_LABELS = {
    "after_hours": say("digest.after_hours"),
    "closed": say("digest.closed"),
    "urgent": URGENT_LABEL,
    "urgent_follow_up": say("digest.urgent_follow_up"),
    "noted": say("digest.noted"),
}
EXCERPT_WORDS, EXCERPT_CHARS, STORED_EXCERPT = 25, 140, 200  # the store keeps the first 200 characters


MessageKey = tuple[ChannelRef, str, str, datetime, str, str | None]  # channel, client id and name, sent, excerpt, link


def client_messages(entries: Sequence[ReplyLogEntry]) -> dict[MessageKey, list[str]]:
    """Each client message of the night with its labels, grouped by client: clients with an urgent message first,
    and within a client the urgent messages first, then in the order they arrived."""
    messages: dict[MessageKey, list[str]] = {}
    for entry in entries:
        if entry.kind in _DIGEST_LABELS:
            key = (
                entry.channel,
                entry.client_id,
                entry.client_name,
                entry.sent_at,
                entry.text_excerpt,
                entry.permalink,
            )
            messages.setdefault(key, []).append(_DIGEST_LABELS[entry.kind])
    urgent_clients = {key[:2] for key, labels in messages.items() if URGENT_LABEL in labels}
    first_seen = {key[:2]: n for n, key in reversed(list(enumerate(messages)))}

    def order(key: MessageKey) -> tuple[bool, int, bool, datetime]:
        client = key[:2]
        return client not in urgent_clients, first_seen[client], URGENT_LABEL not in messages[key], key[3]

    return {key: messages[key] for key in sorted(messages, key=order)}


def arrivals(messages: dict[MessageKey, list[str]]) -> str:
    """ "3 client message(s) arrived (2 answered automatically, 1 urgent)"."""
    urgent = sum(URGENT_LABEL in labels for labels in messages.values())
    answered = sum(any(label != _DIGEST_LABELS["noted"] for label in labels) for labels in messages.values())
    if urgent:
        return say("digest.arrivals_urgent", count=len(messages), answered=answered, urgent=urgent)
    return say("digest.arrivals", count=len(messages), answered=answered)


def excerpt_line(excerpt: str) -> str:
    """The excerpt on one line, cut at a word with "…" when anything was left out."""
    cut = len(excerpt) >= STORED_EXCERPT  # the store cut the message: its last word may be a part
    text = excerpt.rsplit(maxsplit=1)[0] if cut and len(excerpt.split()) > 1 else excerpt
    shown = first_words(text, EXCERPT_WORDS, EXCERPT_CHARS)
    return shown + "…" if cut and not shown.endswith("…") else shown


def _message_line(policy: Policy, key: MessageKey, labels: list[str]) -> str:
    channel, _, name, sent_at, excerpt, link = key
    line = say(
        "digest.urgent_message" if URGENT_LABEL in labels else "digest.message",
        client=name or say("common.client"),
        where=say("common.channel", channel=channel.channel_id, platform=channel.platform),
        sent=format_absolute(sent_at, policy.zone),
        excerpt=excerpt_line(excerpt),
    )
    replies = ", ".join(label for label in labels if label != URGENT_LABEL)
    line += say("digest.replies", replies=replies) if replies else ""
    return line + (say("common.with_link", link=link) if link else "")


def _failure_line(failure: Delivery) -> str:
    if failure.key.kind == FORWARD_KIND:
        return failure_line(failure)
    where = say("common.channel", channel=failure.key.channel_id, platform=failure.key.platform)
    return say("digest.failure", kind=failure.key.kind.replace("_", " "), where=where, error=failure.last_error)


def cost(text: str) -> int:
    """A text's length as a platform may count it: UTF-16 code units, and &, < and > as the five characters they
    can become once escaped (Slack's &amp;)."""
    return len(text.encode("utf-16-le")) // 2 + 4 * sum(text.count(c) for c in "&<>")


def _fit(head: list[str], sections: list[tuple[str, list[str], str]], limit: int, where: str) -> str:
    """The head, then each section's title and lines in order while they fit in `limit`; a section cut short ends
    with how many of its lines were left out, so the first sections (what matters most) are always whole or counted."""
    lines = [_cut(line, limit // 4) for line in head]
    used = cost("\n".join(lines))  # cost is additive: each further line adds itself and a line break

    def fits(*more: str) -> bool:
        return used + sum(cost(line) + 1 for line in more) <= limit

    for title, items, noun in sections:
        if not fits(title, _note(len(items), noun, limit, where)):
            break
        for line in [title] if title else []:
            lines.append(line)
            used += cost(line) + 1
        for index, item in enumerate(_cut(item, limit // 4) for item in items):
            left = len(items) - index - 1
            if fits(item, _note(left, noun, limit, where)) if left else fits(item):
                lines.append(item)
                used += cost(item) + 1
                continue
            lines.append(_note(left + 1, noun, limit, where))  # the line before left room for it
            used += cost(lines[-1]) + 1
            break
    return "\n".join(lines)


def _note(left: int, noun: str, limit: int, where: str) -> str:
    return say("digest.more", left=left, noun=noun, where=where, limit=limit)


def _cut(line: str, most: int) -> str:
    """The line, cut with an ellipsis to cost at most `most` (one long error or excerpt never crowds out the rest)."""
    if cost(line) <= most:
        return line
    line = line[:most]
    while line and cost(line + "…") > most:
        line = line[:-1]
    return line.rstrip() + "…"
