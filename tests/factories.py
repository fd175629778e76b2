"""Builders for policies, messages and forward requests, and forwarding to email, shared by the tests."""

from __future__ import annotations

import copy
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from email_server import smtp_url

from adapters.email import EmailPoster
from bot.forwarding import Addresses, ForwardRequest
from bot.forwarding_service import Forwarding
from bot.messages import ChannelRef, IncomingMessage
from bot.policy_loader import parse_policy
from bot.sender import Sender

NEW_YORK = ZoneInfo("America/New_York")
OWNER_INBOX = "olivia@home.example"

BASE_POLICY = {
    "business_name": "Acme Admin",
    "timezone": "America/New_York",
    "turnaround": "1 business day",
    "hours": {
        "monday": ["09:00-12:00", "13:00-17:00"],
        "tuesday": ["09:00-12:00", "13:00-17:00"],
        "wednesday": ["09:00-12:00", "13:00-17:00"],
        "thursday": ["09:00-12:00", "13:00-17:00"],
        "friday": ["09:00-12:00", "13:00-17:00"],
        "saturday": [],
        "sunday": [],
    },
    "holidays": {"country": "US"},
    "contact": {"email": "hello@acme.example", "booking_link": "https://cal.example/acme"},
    "emergency": {"backup": "Jordan Lee (jordan@acme.example)", "definition": "a payroll or legal deadline today"},
}


def make_policy(**sections):
    """The base policy with top-level keys replaced (sections are replaced whole)."""
    data = copy.deepcopy(BASE_POLICY)
    data.update(sections)
    return parse_policy(data, "test-policy")


def ny(*args) -> datetime:
    """A New York wall-clock time as an aware datetime."""
    return datetime(*args, tzinfo=NEW_YORK)


_counter = iter(range(1, 10**9))


def message(text: str, at: datetime, channel: ChannelRef | None = None, **fields) -> IncomingMessage:
    """A new client message in a client channel (Slack's C1 in T1 unless `channel` is given)."""
    n = next(_counter)
    channel = channel or ChannelRef("slack", "T1", "C1")
    values = dict(
        platform=channel.platform,
        workspace_id=channel.workspace_id,
        channel_id=channel.channel_id,
        message_id=f"m{n}",
        author_id="U_CLIENT",
        author_name="Sam",
        text=text,
        event_id=f"Ev{n}",
        received_at=at,
    )
    values.update(fields)
    return IncomingMessage(**values)


FORWARD_TEXT = (
    "Can you call me tonight about the Henderson invoice? It's overdue & they're asking.\n\n"
    "Second paragraph with <details> that must arrive whole."
)


def forward_request(**fields) -> ForwardRequest:
    """Sam's message in #client-acme on Slack, asked to be sent to the owner's inbox; `fields` replace its values."""
    values = dict(
        platform="slack",
        workspace_id="T1",
        channel_id="C_CLIENT",
        message_id="1795481200.000100",
        author_id="U_CLIENT",
        author_name="Sam",
        author_email="sam@client.example",
        text=FORWARD_TEXT,
        sent_at=ny(2026, 11, 23, 20, 58),
        channel_name="client-acme",
        permalink="https://t1.slack.example/archives/C_CLIENT/p1795481200000100",
    )
    values.update(fields)
    return ForwardRequest(**values)


class RunningClock:
    """A clock that starts at `start` and runs on with real time (a pause stored in the database then ends)."""

    def __init__(self, start: datetime) -> None:
        self._start, self._began = start, time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def forward_to_email(service: Any, queue: Any, clock: Any, smtp_port: int) -> Sender:
    """Forwarding to email turned on for `service` (to OWNER_INBOX, queued on `queue`), and the Sender that mails the
    forwards through the loopback SMTP server on `smtp_port`."""
    addresses = Addresses.for_policy(service.policy, owner=OWNER_INBOX)
    service.forwarding = Forwarding(queue, service.policy, service.roles, clock, addresses)
    return Sender(queue, {"email": EmailPoster.from_url(smtp_url(smtp_port))}, clock)
