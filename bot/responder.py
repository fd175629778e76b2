"""The decision rules for an incoming client message, as one pure function."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import reply_language, reply_text
from bot.acknowledgement import is_acknowledgement
from bot.calendar import BusinessCalendar
from bot.intents import Intent, classify, with_policy
from bot.meetings import next_meeting
from bot.messages import IncomingMessage, MessageKind, Reply
from bot.models import ChannelMode, Closure, ClosureKind, MeetingSlot, SentReply
from bot.owner_dms import in_owner_dm
from bot.policy import Policy
from bot.roles import Roles
from bot.templates import shown_name

CLOSED, AFTER_HOURS, REDIRECT_CALL, REDIRECT_TEXT, URGENT, URGENT_FOLLOW_UP = (
    "closed",
    "after_hours",
    "redirect_call",
    "redirect_text",
    "urgent",
    "urgent_follow_up",
)
OWNER_OR_TEAM = "owner or team"  # why their messages get no reply (and answer the promises made in the channel)
NOTED = "noted"  # the reply-log kind of a message that arrived while closed and got no reply, for the digest
Candidate = tuple[str, str, str, timedelta | None]  # reason, throttle kind, window key, window


@dataclass(frozen=True)
class Situation:
    """Everything the decision depends on besides the message itself."""

    policy: Policy
    roles: Roles = field(default_factory=Roles)
    closures: Sequence[Closure] = ()
    channel_mode: ChannelMode | None = None
    meeting_slot: MeetingSlot | None = None
    history: Sequence[SentReply] = ()
    client_zone: str | None = None
    typical_answer: timedelta | None = None  # measured from kept promises, when the policy quotes it


@dataclass(frozen=True)
class Decision:
    """The reply (or None), why, and what was left out."""

    reply: Reply | None
    reasons: tuple[str, ...] = ()
    ignored: str | None = None
    throttled: tuple[str, ...] = ()
    intent: Intent | None = None  # what detection made of the message, with its evidence
    language: str | None = None  # the language the reply is written in
    quiet: str | None = None  # why a client's message gets no reply, when it needs none ("acknowledgement only")
    noted: bool = False  # no reply, but it arrived while closed: the owner's digest lists it
    to_inbox: bool = False  # the message goes to the owner's inbox on its own ([email] forward), replied to or not


def ignore_reason(message: IncomingMessage, situation: Situation) -> str | None:
    """Why a message is not the bot's business, or None when it comes from a client."""
    if message.is_from_this_bot:
        return "own message"
    if message.author_is_bot:
        return "bot"
    team = situation.roles.is_team(message.platform, message.author_id, message.workspace_id)
    if message.kind is not MessageKind.NEW and not (team and message.kind is MessageKind.SHARE):
        return f"{message.kind.value} event"
    if team:
        return OWNER_OR_TEAM
    if situation.channel_mode is ChannelMode.INTERNAL:
        return "internal channel"
    return None


def history_since(situation: Situation, now: datetime) -> datetime:
    """The earliest sent-reply time that can still throttle a reply at `now`."""
    policy = situation.policy
    earliest = now - max(
        (policy.throttle.window(k) or timedelta(0) for k in ("after_hours", "closed", "redirect")),
        default=timedelta(0),
    )
    active = [c for c in situation.closures if c.contains(now)]
    if active:
        earliest = min(earliest, *(c.start for c in active))
    last_closing = policy.calendar(situation.closures).previous_closing(now)
    if last_closing is not None:
        earliest = min(earliest, last_closing)
    return earliest


def _throttled(kind: str, key: str, window: timedelta | None, history: Sequence[SentReply], now: datetime) -> bool:
    for sent in history:
        if sent.kind != kind:
            continue
        if window is None and sent.window_key == key:
            return True
        if window is not None and window > timedelta(0) and sent.sent_at > now - window:
            return True
    return False


def _urgent_follow_up(candidates: Sequence[Candidate], history: Sequence[SentReply]) -> tuple[str, str, str] | None:
    """A client writing again after their urgent message in the same closed stretch ("hello?? anyone??") is told,
    once, that it is in hand and where to turn, rather than met with silence."""
    if not candidates or candidates[0][0] not in (CLOSED, AFTER_HOURS):
        return None
    key = candidates[0][2]
    sent_kinds = {sent.kind for sent in history if sent.window_key == key}
    if URGENT not in sent_kinds or URGENT_FOLLOW_UP in sent_kinds:
        return None
    return URGENT_FOLLOW_UP, URGENT_FOLLOW_UP, key


def decide(message: IncomingMessage, situation: Situation, now: datetime, intent: Intent | None = None) -> Decision:
    """Apply the design's rules in order and return one combined reply, or none. `intent` is the message's
    classification when the caller has it (read off the event loop); otherwise it is classified here."""
    ignored = ignore_reason(message, situation)
    if ignored:
        return Decision(reply=None, ignored=ignored)

    policy = situation.policy
    calendar = policy.calendar(situation.closures)
    closure = next((c for c in situation.closures if c.contains(now) and c.cancelled_at is None), None)
    detection = policy.detection
    intent = with_policy(intent, message.text, detection) if intent else classify(message.text, detection=detection)
    throttle = policy.throttle
    candidates: list[Candidate] = []
    if closure is not None:
        situation_key = f"closure:{closure.id if closure.id is not None else closure.start.isoformat()}"
        candidates.append((CLOSED, CLOSED, situation_key, throttle.window("closed")))
    elif not calendar.is_open(now):
        opening = calendar.next_opening(now)
        situation_key = f"window:{opening.isoformat() if opening else 'none'}"
        candidates.append((AFTER_HOURS, AFTER_HOURS, situation_key, throttle.window("after_hours")))
    if intent.redirect is not None:
        reason = REDIRECT_CALL if intent.redirect == "call" else REDIRECT_TEXT
        candidates.append((reason, "redirect", "", throttle.window("redirect")))
    if intent.urgent and candidates and candidates[0][0] in (CLOSED, AFTER_HOURS):
        candidates.append((URGENT, URGENT, candidates[0][2], candidates[0][3]))

    off_hours = bool(candidates) and candidates[0][0] in (CLOSED, AFTER_HOURS)
    if not intent.urgent and intent.redirect is None and is_acknowledgement(message.text):
        return Decision(reply=None, intent=intent, quiet="acknowledgement only", noted=off_hours)
    request = any(reason in (REDIRECT_CALL, REDIRECT_TEXT, URGENT) for reason, *_ in candidates)
    to_inbox = not message.owner_dm and policy.email.forwards(request, off_hours)

    kept: list[tuple[str, str, str]] = []  # reason, throttle kind, window key
    throttled: list[tuple[str, str, str]] = []
    for reason, kind, key, window in candidates:
        (throttled if _throttled(kind, key, window, situation.history, now) else kept).append((reason, kind, key))
    if not kept and (follow_up := _urgent_follow_up(candidates, situation.history)):
        kept = [follow_up]
    if not kept:
        skipped = tuple(r for r, *_ in throttled)
        return Decision(reply=None, throttled=skipped, intent=intent, noted=off_hours, to_inbox=to_inbox)

    reasons = tuple(reason for reason, _, _ in kept)
    parts = (*reasons, "in_inbox") if to_inbox else reasons
    language, text, promised = _compose(parts, message, situation, calendar, closure, now, intent.lang)
    reply = Reply(
        text=text,
        reasons=reasons,
        style=policy.replies.style,
        throttle_keys=tuple((kind, key) for _, kind, key in kept),
        offer_email_forward=not to_inbox
        and (
            any(r in (REDIRECT_CALL, REDIRECT_TEXT) for r in reasons)
            or (AFTER_HOURS in reasons and policy.replies.email_button_after_hours)
        ),
        promised_by=promised,
    )
    if message.owner_dm:
        reply = in_owner_dm(reply, message)
    return Decision(
        reply=reply,
        reasons=reasons,
        throttled=tuple(r for r, *_ in throttled),
        intent=intent,
        language=language,
        to_inbox=to_inbox,
    )


def _compose(
    reasons: tuple[str, ...],
    message: IncomingMessage,
    situation: Situation,
    calendar: BusinessCalendar,
    closure: Closure | None,
    now: datetime,
    lang: str | None = None,
) -> tuple[str, str, datetime | None]:
    """The reply's language and text, and the answer-by time it promises (when a template used names it)."""
    policy = situation.policy
    zone_name = situation.client_zone or message.author_tz
    zone = ZoneInfo(zone_name) if zone_name else policy.zone
    backup = (closure.backup if closure and closure.backup else None) or policy.emergency.backup
    opening = calendar.next_opening(now)
    short = policy.replies.short_break_duration
    brief = AFTER_HOURS in reasons and opening is not None and opening - now <= short
    names = reply_text.ordered(
        [
            (r if backup else f"{r}_no_backup")
            if r in (URGENT, URGENT_FOLLOW_UP)
            else "short_break"
            if r == AFTER_HOURS and brief
            else r
            for r in reasons
        ]
    )
    language, templates = policy.templates.in_language(lang, names)  # the client's language when the policy has it
    words = reply_language.words(language)

    def when(at: datetime | None) -> str:
        if at is None:
            return words.reopening
        return reply_language.format_instant(language, at, now, zone, client_zone_known=zone_name is not None)

    reply_by = calendar.reply_by(now, policy.turnaround_rule) if calendar.next_opening(now) else None
    slot_start = (
        next_meeting(situation.meeting_slot, policy.zone, now, situation.closures, policy.is_holiday)
        if situation.meeting_slot
        else None
    )
    meeting = policy.contact.meeting + (f" ({words.next_meeting}: {when(slot_start)})" if slot_start else "")
    appointment = words.appointment + (f" ({policy.contact.booking_link})" if policy.contact.booking_link else "")
    reason = ""
    reopens = None
    if closure is not None:
        reason = closure.reason or (words.unexpected if closure.kind is ClosureKind.EMERGENCY else words.planned)
        reopens = calendar.next_opening(closure.end)
    rule = policy.turnaround_rule
    values = {
        "client": shown_name(message.author_name, message.platform) if message.author_name else words.there,
        "business": policy.business_name,
        "next_open": when(calendar.next_opening(now)),
        "reply_by": when(reply_by),
        "turnaround": reply_language.turnaround(language, rule.amount, rule.unit) + _lately(words, situation),
        "closure_reason": reason,
        "closure_end": when(reopens),
        "email": policy.contact.email,
        "meeting": meeting,
        "appointment": appointment,
        "backup": backup or "",
        "emergency": policy.emergency.definition,
    }
    text = reply_text.join([templates[name] for name in names], values)
    promised = reply_by if any("{reply_by}" in templates[name] for name in names) else None
    note = reply_language.zone_note(language, zone, client_zone_known=zone_name is not None)
    return language, reply_language.name_zone_once(text, note), promised


def _lately(words: reply_language.Words, situation: Situation) -> str:
    """ " (lately about 3 opening hours)" after the standard turnaround, when the policy quotes the measured one."""
    if situation.typical_answer is None or not situation.policy.promises.quote_typical:
        return ""
    hours = situation.typical_answer / timedelta(hours=1)
    shown = f"{round(hours)}" if hours >= 2 else f"{max(hours, 0.5):.1f}".rstrip("0").rstrip(".")
    return f" ({words.lately.format(hours=shown)})"
