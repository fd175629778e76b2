"""The owner's summary the day before a closure starts: who was told, the backup, what goes out, how to change it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.commands.show import describe_closure
from bot.hours_policy import parse_clock
from bot.meetings import wall_to_instant
from bot.messages import ChannelRef
from bot.models import Closure
from bot.outbound import CommandButton, buttons_data
from bot.owner_words import say
from bot.planner import PlanningInput, candidates, closure_subject, taken_hours
from bot.queue import Delivery, DeliveryKey, PlannedDelivery
from bot.roles import Roles
from bot.timefmt import format_instant

SUMMARY_KIND = "closure_summary"
_SAID = {
    "closure_notice": say("closure_summary.closure_notice"),
    "closure_start": say("closure_summary.closure_start"),
    "closure_end": say("closure_summary.closure_end"),
    "closure_changed": say("closure_summary.closure_changed"),
}


def summary_due(state: PlanningInput, closure: Closure) -> datetime:
    """The day before the closure starts, at the policy's notice time."""
    zone = state.policy.zone
    day = closure.start.astimezone(zone).date() - timedelta(days=1)
    return wall_to_instant(datetime.combine(day, parse_clock(state.policy.announcements.notice_time), zone))


def closure_summaries(
    state: PlanningInput, roles: Roles, waiting: Sequence[Delivery], now: datetime
) -> list[PlannedDelivery]:
    """One direct message per owner and workspace with client channels, for each closure starting tomorrow that
    clients are told about and that existed the day before (a sick day declared today gets none)."""
    summaries = []
    for closure in summaries_due(state, now):
        due = summary_due(state, closure)
        text = summary_text(state, closure, waiting, now)
        confirm = say("closure_summary.cancel_confirm")
        cancel = CommandButton(say("closure_summary.cancel"), f"closure cancel {closure.id}", confirm=confirm)
        for platform, workspace in sorted({(c.platform, c.workspace_id) for c in state.channels}):
            for owner in sorted(roles.owners.get(platform, ())):
                if roles.is_owner(platform, owner, workspace):
                    key = DeliveryKey(SUMMARY_KIND, closure_subject(closure), "", platform, workspace, owner)
                    summaries.append(
                        PlannedDelivery(key, due, closure.start, text, direct=True, data=buttons_data(cancel))
                    )
    return summaries


def summaries_due(state: PlanningInput, now: datetime) -> list[Closure]:
    """The closures whose day-before summary is due at `now` (the planner reads what is waiting only for them)."""
    due = []
    for closure in state.closures:
        if closure.cancelled_at is not None or closure.id is None or taken_hours(state.policy, closure) is None:
            continue
        at = summary_due(state, closure)
        if at <= now < closure.start and (closure.created_at is None or closure.created_at <= at):
            due.append(closure)
    return due


def summary_text(state: PlanningInput, closure: Closure, waiting: Sequence[Delivery], now: datetime) -> str:
    policy = state.policy
    subject = closure_subject(closure)
    told = sorted({c for s, c in state.announced if s == subject}, key=_order)
    untold = [c for c in sorted(state.channels, key=_order) if c not in told]
    lines = [say("closure_summary.tomorrow", closure=describe_closure(closure, policy, now))]
    told_names = _names(told) or say("closure_summary.no_channel")
    lines.append(
        say("closure_summary.told_not_all", told=told_names, untold=_names(untold))
        if untold
        else say("closure_summary.told", told=told_names)
    )
    backup = closure.backup or policy.emergency.backup
    lines.append(
        say("closure_summary.backup", backup=backup)
        if backup
        else say("closure_summary.no_backup", email=policy.contact.email)
    )
    coming = Counter(
        (item.key.kind, item.due_at)
        for item in candidates(state, now, closure.end + timedelta(days=21))
        if item.key.subject_id == subject and item.key.kind != "closure_changed"
    )
    zone = policy.zone
    for (kind, due), count in sorted(coming.items(), key=lambda entry: entry[0][1]):
        when = format_instant(due, now, zone, client_zone_known=False)
        lines.append(say("closure_summary.scheduled", what=_SAID.get(kind, kind), when=when, count=count))
    later = [d for d in waiting if d.due_at < closure.end + timedelta(days=21)]
    if later:
        lines.append(say("closure_summary.waiting", count=len(later)))
    lines.append(say("closure_summary.change", id=closure.id))
    return "\n".join(lines)


def _order(channel: ChannelRef) -> tuple[str, str, str]:
    return (channel.platform, channel.workspace_id, channel.channel_id)


def _names(channels: Sequence[ChannelRef]) -> str:
    shown = ", ".join(say("closure_summary.channel", channel=c.channel_id) for c in channels[:10])
    return say("common.and_more", listed=shown, more=len(channels) - 10) if len(channels) > 10 else shown
