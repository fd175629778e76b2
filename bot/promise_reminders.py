"""The owner's private reminders of promises: ahead of the answer-by time, and once it has passed unanswered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.calendar import BusinessCalendar
from bot.owner_words import say
from bot.policy import Policy
from bot.promises import Promise
from bot.queue import DeliveryKey, PlannedDelivery
from bot.roles import Roles
from bot.timefmt import format_absolute

REMINDER, OVERDUE = "promise_reminder", "promise_overdue"


def reminder_time(calendar: BusinessCalendar, due: datetime, lead: timedelta) -> datetime:
    """`lead` of opening hours before `due` (or as far back as the last 30 days' hours reach)."""
    left, since = lead, due - timedelta(days=30)
    for start, end in reversed(list(calendar.open_intervals(since, due))):
        if end - start >= left:
            return end - left
        left -= end - start
    return since


def promise_reminders(
    promises: Sequence[Promise],
    policy: Policy,
    calendar: BusinessCalendar,
    roles: Roles,
    start: datetime,
    end: datetime,
) -> list[PlannedDelivery]:
    """The reminders due in [start, end] for the unanswered promises, one per owner of the promise's workspace."""
    lead = policy.promises.lead()
    planned = []
    for promise in promises:
        if promise.answered_at is not None or promise.id is None:
            continue
        moments = [(OVERDUE, promise.due_at, promise.due_at + timedelta(days=1))]
        if lead:
            moments.append((REMINDER, reminder_time(calendar, promise.due_at, lead), promise.due_at))
        place = promise.channel
        owners = [
            o
            for o in sorted(roles.owners.get(place.platform, ()))
            if roles.is_owner(place.platform, o, place.workspace_id)
        ]
        for kind, due, expires in moments:
            if not start <= due <= end:
                continue
            text = _text(kind, promise, policy)
            for owner in owners:
                key = DeliveryKey(kind, f"promise:{promise.id}", "1", place.platform, place.workspace_id, owner)
                data = {"promise": str(promise.id)}  # its Done button
                planned.append(PlannedDelivery(key, due, expires, text, direct=True, data=data))
    return planned


def _text(kind: str, promise: Promise, policy: Policy) -> str:
    client, due = promise.client_name or promise.client_id, format_absolute(promise.due_at, policy.zone)
    where = say("common.channel", channel=promise.channel.channel_id, platform=promise.channel.platform)
    link = say("common.with_link", link=promise.permalink) if promise.permalink else ""
    if kind == REMINDER:
        return say("promises.reminder", client=client, where=where, due=due, zone=policy.timezone, link=link)
    return say("promises.overdue", client=client, where=where, due=due, zone=policy.timezone, id=promise.id, link=link)
