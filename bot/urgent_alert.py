"""The alert an urgent message raises while the business is closed: an email to the backup and, when the owner opted
in, a direct message to each owner, queued in the outbox at once with the message and its link."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr

from bot.forwarding import EMAIL_PLATFORM, EMAIL_POLICY, PLATFORM_NAMES, Addresses, first_words, mailbox, message_id_for
from bot.messages import IncomingMessage
from bot.owner_words import say
from bot.policy import Policy
from bot.queue import DeliveryKey, PlannedDelivery
from bot.responder import Situation
from bot.roles import Roles
from bot.timefmt import format_absolute

ALERT_KIND = "urgent_alert"
ALERT_WINDOW = timedelta(hours=12)  # an alert later than this is no longer "at once"
EXCERPT_CHARS = 1_000  # of the client's message in the alert


def alert_text(message: IncomingMessage, policy: Policy, backup: str | None) -> str:
    """What the alert says: who, where, when, the message and its link, and what the client was told."""
    platform = PLATFORM_NAMES.get(message.platform, message.platform)
    text = message.text if len(message.text) <= EXCERPT_CHARS else message.text[:EXCERPT_CHARS].rstrip() + "…"
    told = say("urgent.told_backup", backup=backup) if backup else say("urgent.told_email", email=policy.contact.email)
    head = say(
        "urgent.alert",
        client=message.author_name or message.author_id,
        where=say("common.channel", channel=message.channel_id, platform=platform),
        received=format_absolute(message.received_at, policy.zone),
        business=policy.business_name,
    )
    lines = [head, "", text, ""]
    if message.permalink:
        lines.append(say("urgent.link", link=message.permalink))
    lines.append(told)
    return "\n".join(lines)


def owner_alerts(
    message: IncomingMessage, policy: Policy, roles: Roles, text: str, now: datetime
) -> list[PlannedDelivery]:
    """A direct message to each owner of the message's workspace, when [emergency] alert_owner is true."""
    if not policy.emergency.alert_owner:
        return []
    owners = sorted(roles.owners.get(message.platform, ()))
    return [
        PlannedDelivery(
            DeliveryKey(ALERT_KIND, message.event_id, "", message.platform, message.workspace_id, owner),
            now,
            now + ALERT_WINDOW,
            text,
            direct=True,
            data=about(message),
        )
        for owner in owners
        if roles.is_owner(message.platform, owner, message.workspace_id)
    ]


def backup_email(
    message: IncomingMessage, policy: Policy, addresses: Addresses, text: str, now: datetime
) -> PlannedDelivery | None:
    """The email to [emergency] alert_email, through the email poster like a forward; None when none is set."""
    to = policy.emergency.alert_email
    if not to:
        return None
    key = DeliveryKey(ALERT_KIND, message.event_id, "", EMAIL_PLATFORM, message.workspace_id, message.channel_id)
    email = EmailMessage(policy=EMAIL_POLICY)
    sender_name = say("common.sender", business=policy.business_name)
    email["From"] = mailbox(sender_name, addresses.sender) or formataddr((sender_name, addresses.sender))
    email["To"] = mailbox("", to) or to
    who = " ".join((message.author_name or say("common.a_client")).split())[:60]
    email["Subject"] = say("urgent.subject", client=who, words=first_words(message.text) or say("common.no_text"))
    email["Message-ID"] = message_id_for(key, addresses.sender)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(text + "\n")
    return PlannedDelivery(key, now, now + ALERT_WINDOW, email.as_string(), data=about(message))


def about(message: IncomingMessage) -> dict[str, str]:
    """Whose message an alert carries, so erasing that client finds it (bot.retention)."""
    return {"client": message.author_id, "platform": message.platform, "workspace_id": message.workspace_id}


def alerts_for(
    message: IncomingMessage, situation: Situation, now: datetime, addresses: Addresses | None
) -> list[PlannedDelivery]:
    """Every alert an urgent message raises: the owners' direct messages and, with email (`addresses`), the
    backup's email; the backup named is the closure's in force, else the policy's."""
    policy = situation.policy
    closure = next((c for c in situation.closures if c.contains(now) and c.cancelled_at is None), None)
    backup = (closure.backup if closure and closure.backup else None) or policy.emergency.backup
    text = alert_text(message, policy, backup)
    alerts = owner_alerts(message, policy, situation.roles, text, now)
    if addresses is not None and (email := backup_email(message, policy, addresses, text, now)):
        alerts.append(email)
    return alerts
