"""Planning scheduled posts: which closure notices and meeting reminders are due, as keyed deliveries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot import announcements as say
from bot import owner_words
from bot.durations import format_duration
from bot.hours_policy import parse_clock
from bot.meetings import occurrences, wall_to_instant
from bot.messages import ChannelRef
from bot.models import Closure, ClosureKind, MeetingSlot
from bot.policy import Policy
from bot.promises import Promise
from bot.queue import DeliveryKey, PlannedDelivery

LOOKBACK = timedelta(days=1)
# A closure's "we're back" notice waits for the next opening, which may be days after its end.
CLOSURE_LOOKBACK = timedelta(days=21)
CLOSURE_KINDS = ("closure_notice", "closure_start", "closure_changed")  # those a cancellation or change corrects
UNSENT_ON_CANCEL = (*CLOSURE_KINDS, "closure_end")  # dropped when their closure is cancelled (or changed)


@dataclass(frozen=True)
class PlanningInput:
    """The state planning reads: closures (cancelled ones too), client channels, meeting slots, and where each
    closure was announced (subject, channel): a correction goes to those channels only."""

    policy: Policy
    closures: Sequence[Closure]
    channels: Sequence[ChannelRef]
    slots: Sequence[MeetingSlot] = ()
    announced: frozenset[tuple[str, ChannelRef]] = frozenset()
    promises: Sequence[Promise] = ()  # the unanswered ones, for the owner's reminders


@dataclass(frozen=True)
class Plan:
    """Deliveries due now, and those whose moment passed while nobody was planning (to skip and log)."""

    due: list[PlannedDelivery]
    stale: list[PlannedDelivery]


def closure_subject(closure: Closure) -> str:
    return f"closure:{closure.id}"


def plan(state: PlanningInput, now: datetime) -> Plan:
    """Everything due at `now` (still meaningful), and what became stale within the look-back."""
    due: list[PlannedDelivery] = []
    stale: list[PlannedDelivery] = []
    for item in candidates(state, now - LOOKBACK, now):
        (due if now < item.expires_at else stale).append(item)
    return Plan(due, stale)


def candidates(state: PlanningInput, start: datetime, end: datetime) -> Iterator[PlannedDelivery]:
    """Every delivery whose due time lies in [start, end]."""
    for item in _closure_posts(state, start, end):
        if start <= item.due_at <= end:
            yield item
    for item in _meeting_posts(state, start, end):
        if start <= item.due_at <= end:
            yield item


def _start_post_time(policy: Policy, closure: Closure) -> datetime:
    """When "closed from today" goes out: at the notice time of the closure's first day, not at midnight (or at
    once for a closure that starts later that day, or that is over before the notice time)."""
    day = _local_day(policy, closure.start)
    notice_time = wall_to_instant(datetime.combine(day, parse_clock(policy.announcements.notice_time), policy.zone))
    return max(closure.start, notice_time) if notice_time < closure.end else closure.start


_ONE_DAY = timedelta(days=1)


def taken_hours(policy: Policy, closure: Closure) -> tuple[datetime, bool] | None:
    """When the closure first takes open time from clients, and whether it takes only part of one day (the business
    is open that day before or after it); None when it falls on time the business is closed anyway."""
    usual = policy.calendar([])
    taken = usual.open_intervals(closure.start, closure.end)
    first = next(taken, None)
    if first is None:
        return None
    day = _local_day(policy, first[0])
    if any(_local_day(policy, a) != day for a, _ in taken):
        return first[0], False
    midnight, next_midnight = (
        wall_to_instant(datetime.combine(d, time(0), policy.zone)) for d in (day, day + _ONE_DAY)
    )
    that_day = list(usual.open_intervals(midnight, next_midnight))
    return first[0], that_day[0][0] < closure.start or that_day[-1][1] > closure.end


def _local_day(policy: Policy, at: datetime) -> date:
    return at.astimezone(policy.zone).date()


def _occurrence(policy: Policy, at: datetime) -> str:
    return at.astimezone(policy.zone).date().isoformat()


def _for_channels(
    state: PlanningInput,
    kind: str,
    subject: str,
    occurrence: str,
    due: datetime,
    expires: datetime,
    text: str,
    channels: Sequence[ChannelRef] | None = None,
) -> Iterator[PlannedDelivery]:
    for channel in state.channels if channels is None else channels:
        key = DeliveryKey(kind, subject, occurrence, channel.platform, channel.workspace_id, channel.channel_id)
        yield PlannedDelivery(key, due, expires, text)


def _closure_posts(state: PlanningInput, start: datetime, end: datetime) -> Iterator[PlannedDelivery]:
    policy = state.policy
    active = [c for c in state.closures if c.cancelled_at is None]
    calendar = policy.calendar(active)
    by_id = {c.id: c for c in state.closures}
    replaced = {c.replaces: c for c in state.closures if c.replaces is not None}
    for closure in state.closures:
        subject = closure_subject(closure)
        if closure.cancelled_at is not None:
            told = _told(state, closure)
            if closure.id in replaced and _ended_early(replaced[closure.id]):
                continue  # `closure end`: its replacement's "we're back" is all clients need to hear
            if told and closure.id in replaced:  # changed: one update, never "open as usual" then "closed"
                new = replaced[closure.id]
                when = new.created_at or closure.cancelled_at
                reopening = calendar.next_opening(new.end) or new.end
                text = say.closure_changed(policy, closure, new, reopening, when)
                yield from _for_channels(state, "closure_changed", closure_subject(new), "1", when, new.end, text, told)
            elif told and closure.cancelled_at < closure.end:
                yield from _for_channels(
                    state,
                    "closure_cancelled",
                    subject,
                    _occurrence(policy, closure.cancelled_at),
                    closure.cancelled_at,
                    closure.end,
                    say.closure_cancelled(policy, closure, closure.cancelled_at),
                    told,
                )
            continue
        updated = _told(state, by_id[closure.replaces]) if closure.replaces in by_id else []
        taken = taken_hours(policy, closure)
        if taken is None:
            continue  # it falls on closed time only: nothing changes for clients, so nothing is said
        _, short = taken
        reopening = calendar.next_opening(closure.end) or closure.end
        notices = _notice_times(policy, closure)
        starting = _start_post_time(policy, closure)
        if short:  # part of one day: one post, the last advance notice or else the start
            notices = notices[-1:]
        else:  # a notice due the day the closure starts is said by the start post
            notices = [due for due in notices if _local_day(policy, due) != _local_day(policy, starting)]
        for due in notices:
            yield from _for_channels(
                state,
                "closure_notice",
                subject,
                _occurrence(policy, due),
                due,
                closure.start,
                say.closure_notice(policy, closure, reopening, due),
                _audience(state, closure, updated, due),
            )
        if short and notices:
            continue
        yield from _for_channels(
            state,
            "closure_start",
            subject,
            _occurrence(policy, closure.start),
            starting,
            closure.end,
            say.closure_start(policy, closure, reopening),
            _audience(state, closure, updated, starting),
        )
        if short:
            continue
        yield from _for_channels(
            state,
            "closure_end",
            subject,
            _occurrence(policy, reopening),
            reopening,
            reopening + timedelta(days=1),
            say.closure_end(policy, closure),
        )


def _ended_early(closure: Closure) -> bool:
    """A replacement that ended the moment it was made: the owner ended the closure early."""
    return closure.created_at is not None and closure.end <= closure.created_at


def _audience(
    state: PlanningInput, closure: Closure, updated: list[ChannelRef], due: datetime
) -> list[ChannelRef] | None:
    """All channels (None), but those just told of the change hear nothing more that was due by then."""
    if updated and closure.created_at is not None and due <= closure.created_at:
        return [channel for channel in state.channels if channel not in updated]
    return None


def _told(state: PlanningInput, closure: Closure) -> list[ChannelRef]:
    """The channels that were told about `closure` (a notice, its start or a change)."""
    subject = closure_subject(closure)
    told = {channel for told_subject, channel in state.announced if told_subject == subject}
    return sorted(told, key=lambda c: (c.platform, c.workspace_id, c.channel_id))


def _notice_times(policy: Policy, closure: Closure) -> list[datetime]:
    """Advance notices at the notice time, N days ahead; any that was already past when the
    closure was added collapses into one notice at once."""
    if closure.kind is ClosureKind.EMERGENCY:
        return []
    days = closure.notice_days or tuple(policy.announcements.notice_days)
    clock = parse_clock(policy.announcements.notice_time)
    first_day = closure.start.astimezone(policy.zone).date()
    times, late = [], False
    for offset in sorted(set(days), reverse=True):
        wall = wall_to_instant(datetime.combine(first_day - timedelta(days=offset), clock, tzinfo=policy.zone))
        if wall >= closure.start:
            continue
        if closure.created_at is not None and wall < closure.created_at:
            late = True
        else:
            times.append(wall)
    if late and closure.created_at is not None and closure.created_at < closure.start:
        times.insert(0, closure.created_at)
    return times


def _meeting_posts(state: PlanningInput, start: datetime, end: datetime) -> Iterator[PlannedDelivery]:
    policy = state.policy
    leads = policy.announcements.reminder_leads()
    longest = leads[0] if leads else timedelta(0)
    client_channels = set(state.channels)
    active = [c for c in state.closures if c.cancelled_at is None]
    for slot in state.slots:
        if slot.channel not in client_channels:
            continue
        for day, meeting in occurrences(slot, policy.zone, start):
            if meeting - longest > end:
                break
            occurrence = day.isoformat()
            why = _meeting_off(policy, slot, day, meeting, active)
            if why:
                yield from _for_channels(
                    state,
                    "meeting_cancelled",
                    "meeting",
                    occurrence,
                    meeting - longest,
                    meeting,
                    say.meeting_cancelled(policy, meeting, why, meeting - longest),
                    [slot.channel],
                )
                continue
            for lead in leads:
                yield from _for_channels(
                    state,
                    f"meeting_reminder_{format_duration(lead)}",
                    "meeting",
                    occurrence,
                    meeting - lead,
                    meeting,
                    say.meeting_reminder(policy, meeting, meeting - lead),
                    [slot.channel],
                )


def _meeting_off(
    policy: Policy, slot: MeetingSlot, day: date, meeting: datetime, closures: Sequence[Closure]
) -> str | None:
    if day in slot.skipped_dates:
        return owner_words.say("calendar.meeting_skipped")
    closure = next((c for c in closures if c.contains(meeting)), None)
    if closure is not None:
        return owner_words.say(
            "calendar.meeting_closed", reason=closure.reason or owner_words.say("calendar.meeting_break")
        )
    holiday = policy.holiday_name(day)
    return owner_words.say("calendar.meeting_holiday", holiday=holiday) if holiday else None
