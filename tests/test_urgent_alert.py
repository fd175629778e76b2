"""An urgent message while closed alerts the backup by email (a real loopback SMTP server) and, when the owner opted
in, the owner by direct message, through the outbox, once per message."""

from __future__ import annotations

import pytest
from email_server import Inbox, smtp_url
from factories import make_policy, message, ny
from scheduling_fakes import RecordingPoster

from adapters.email import EmailPoster
from bot.clock import SimulatedClock
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.policy_loader import PolicyError
from bot.roles import Roles
from bot.sender import Sender
from bot.service import BoundaryService
from storage.database import Database

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
SATURDAY = ny(2026, 11, 28, 10, 0)
EMERGENCY = {
    "backup": "Jordan Lee (jordan@acme.example)",
    "definition": "a site outage",
    "alert_email": "jordan@acme.example",
}


def world(database: Database, port: int, **emergency):
    policy = make_policy(emergency={**EMERGENCY, **emergency})
    clock = SimulatedClock(SATURDAY)
    queue = database.deliveries()
    chat = RecordingPoster("slack", clock)
    sender = Sender(queue, {"email": EmailPoster.from_url(smtp_url(port)), "slack": chat}, clock)
    service = BoundaryService(database.store(), policy, ROLES, clock)
    service.outbox = queue
    service.forwarding = Forwarding(queue, policy, ROLES, clock, Addresses.for_policy(policy))
    return service, sender, chat


async def test_an_urgent_message_while_closed_emails_the_backup_and_dms_the_owner_once(database, smtp, inbox: Inbox):
    service, sender, chat = world(database, smtp.port, alert_owner=True)
    urgent = message(
        "URGENT the site is down", SATURDAY, author_name="Sam", permalink="https://acme.slack.com/archives/C1/p1"
    )
    assert service.clock() == SATURDAY
    outcome = await service.handle_message(urgent)
    assert outcome.reply is not None and "urgent" in outcome.reply.reasons
    await service.handle_message(message("hello?? anyone??", SATURDAY, author_name="Sam"))  # no second alert
    await sender.run_once()
    (mail,) = inbox.received
    assert mail.rcpt_tos == ["jordan@acme.example"]
    assert mail.message["Subject"] == "[boundary-bot] URGENT from Sam: URGENT the site is down"
    body = mail.message.get_content().replace("\r\n", "\n")
    assert body.startswith("Urgent message from Sam in #C1 (Slack), Saturday, Nov 28 at 10:00 AM EST, while Acme")
    assert "\nURGENT the site is down\n" in body and "Link: https://acme.slack.com/archives/C1/p1" in body
    assert "They were told to contact Jordan Lee (jordan@acme.example) if it is an emergency." in body
    (dm,) = [post for post, _ in chat.posts if post.key.startswith("urgent_alert")]
    assert dm.channel.channel_id == "U_OWNER" and dm.text == body.rstrip("\n")


async def test_no_alert_for_a_plain_message_nor_for_the_owner_who_did_not_opt_in(database, smtp, inbox: Inbox):
    service, sender, chat = world(database, smtp.port)
    await service.handle_message(message("Could you send the report?", SATURDAY))
    await sender.run_once()
    assert inbox.received == [] and not [p for p, _ in chat.posts if p.key.startswith("urgent_alert")]
    await service.handle_message(message("URGENT the site is down", SATURDAY, author_id="U_KIM"))
    await sender.run_once()
    assert len(inbox.received) == 1  # the backup's email only: alert_owner is false by default
    assert not [p for p, _ in chat.posts if p.key.startswith("urgent_alert")]


def test_a_bad_alert_address_is_refused_at_load_with_an_example():
    with pytest.raises(
        PolicyError, match=r'emergency\.alert_email: .*"jordan" is not an email address; use name@example\.com'
    ):
        make_policy(emergency={"alert_email": "jordan"})


async def test_erasing_the_client_cuts_their_alerts(database, smtp, inbox: Inbox):
    from bot.queue import DeliveryState
    from bot.retention import ClientRef
    from bot.urgent_alert import ALERT_KIND

    service, sender, _ = world(database, smtp.port, alert_owner=True)
    await service.handle_message(message("URGENT the site is down", SATURDAY, author_name="Sam"))
    found = await database.store().forget_client(ClientRef("U_CLIENT", "slack", "T1"), SATURDAY, dry_run=True)
    assert found.pending_posts == 2  # the email to the backup and the owner's DM, both still waiting
    await database.store().forget_client(ClientRef("U_CLIENT", "slack", "T1"), SATURDAY)
    alerts = await database.deliveries().list_deliveries(kinds=[ALERT_KIND])
    assert {a.state for a in alerts} == {DeliveryState.CANCELLED} and all("site" not in a.text for a in alerts)
    await sender.run_once()
    assert inbox.received == []
