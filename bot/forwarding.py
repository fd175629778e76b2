"""Forwarding to email, the pure part: the forwarded message, its key, the email, and the could-not-forward note."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formataddr
from typing import Any

from bot.owner_words import say
from bot.policy import Policy
from bot.queue import Delivery, DeliveryKey, PlannedDelivery
from bot.timefmt import format_absolute

EMAIL_PLATFORM = "email"
FORWARD_KIND = "email_forward"
FORWARD_FAILED_KIND = "email_forward_failed"
FORWARD_WINDOW = timedelta(days=3)  # a forward not sent by then is dropped (and the client told)
FOLLOW_UP_WINDOW = timedelta(days=3)
SLACK_ENVELOPES = frozenset({"email", "envelope", "incoming_envelope", "envelope_with_arrow"})
UNICODE_ENVELOPES = frozenset({"\u2709", "\U0001f4e7", "\U0001f4e8", "\U0001f4e9"})  # ✉ 📧 📨 📩
SUBJECT_WORDS = 8
SUBJECT_CHARS = 60
SUBJECT_NAME_CHARS = 60
SUBJECT_MAX = len(say("forward.subject", client="", words="…")) + SUBJECT_NAME_CHARS + SUBJECT_CHARS  # 138: one line
PLATFORM_NAMES = {
    "slack": say("platforms.slack"),
    "discord": say("platforms.discord"),
    "console": say("platforms.console"),
}
NAME_CHARS = 200  # a display name is cut here (Slack's are at most 80), so an address header fits one line
LINE_OCTETS = 998  # RFC 5322 2.1.1: no line of a message may be longer
ADDRESS_HEADERS = frozenset({"from", "sender", "reply-to", "to", "cc", "bcc"})
_FOLD = re.compile(r"\r?\n(?=[ \t])")
RULE = "-" * 60  # above and below the client's message in a forwarded email


class KeepAddresses(EmailPolicy):
    """The email package's default policy, except that an address header whose folding would change its addresses
    (Python 3.11 drops the quotes of a display name it splits, so "Bright Path ..., LLC" reads as two addresses)
    stays on one line of at most LINE_OCTETS; non-ASCII names are RFC 2047 encoded words either way."""

    def _fold(self, name: str, value: object, refold_binary: bool = False) -> str:
        folded: str = super()._fold(name, value, refold_binary)  # type: ignore[misc]  # private in the stubs
        if name.lower() not in ADDRESS_HEADERS or not self.max_line_length or self.max_line_length >= LINE_OCTETS:
            return folded
        if _addresses(self, name, folded.split(":", 1)[1]) == _addresses(self, name, value):
            return folded
        wider: KeepAddresses = self.clone(max_line_length=LINE_OCTETS)
        return wider._fold(name, value, refold_binary)


def _addresses(policy: EmailPolicy, name: str, value: object) -> tuple[Address, ...]:
    """The addresses a header (object, or its text folded or not) stands for."""
    header: Any = (
        value if hasattr(value, "addresses") else policy.header_factory(name, _FOLD.sub("", str(value)).strip())
    )
    return tuple(header.addresses)


EMAIL_POLICY = KeepAddresses(cte_type="7bit")  # 7-bit text ("\n" line ends); the poster sends it with CRLF


def is_envelope(emoji: str) -> bool:
    """An envelope reaction: a Slack emoji name, or the Unicode character (with or without its variation selector)."""
    name = emoji.strip(":")
    return name in SLACK_ENVELOPES or name.replace("\ufe0f", "") in UNICODE_ENVELOPES


@dataclass(frozen=True)
class ForwardRequest:
    """The client's message as the email needs it; adapters fill in what their platform knows."""

    platform: str
    workspace_id: str
    channel_id: str
    message_id: str
    author_id: str
    text: str
    sent_at: datetime
    author_name: str = ""
    author_email: str | None = None
    channel_name: str = ""
    thread_id: str | None = None
    permalink: str | None = None
    replying_to: str | None = None  # the message it answers (Discord's replies): its topic's

    @property
    def subject_id(self) -> str:
        return ":".join((self.platform, self.workspace_id, self.channel_id, self.message_id))

    @property
    def name(self) -> str:
        """The author's name on one line (a header never gets a line break from a profile)."""
        return " ".join(self.author_name.split())

    @property
    def who(self) -> str:
        return self.name or say("common.client")

    @property
    def where(self) -> str:
        """ "#name (Slack)"; a name with spaces is no channel's ("direct message with Sam") and gets no "#"."""
        name, platform = self.channel_name or self.channel_id, PLATFORM_NAMES.get(self.platform, self.platform)
        if " " in name:
            return say("common.conversation", name=name, platform=platform)
        return say("common.channel", channel=name, platform=platform)


@dataclass(frozen=True)
class Addresses:
    """Who the email is from and to: EMAIL_FROM and OWNER_EMAIL, both defaulting to the policy's contact email."""

    sender: str
    owner: str

    @classmethod
    def for_policy(cls, policy: Policy, sender: str | None = None, owner: str | None = None) -> Addresses:
        return cls(sender=sender or policy.contact.email, owner=owner or policy.contact.email)


def forward_key(request: ForwardRequest) -> DeliveryKey:
    """One key per client message, so two clicks, a replayed interaction or a restart queue one email."""
    return DeliveryKey(FORWARD_KIND, request.subject_id, "", EMAIL_PLATFORM, request.workspace_id, request.channel_id)


def message_id_for(key: DeliveryKey, sender: str) -> str:
    """A Message-ID derived from the key: a resend carries the same one, so mail clients see one message."""
    digest = hashlib.sha256(key.token().encode("utf-8")).hexdigest()[:32]
    return f"<{digest}.forward@{sender.rpartition('@')[2] or 'boundary-bot.invalid'}>"


def first_words(text: str, words: int = SUBJECT_WORDS, limit: int = SUBJECT_CHARS) -> str:
    """The opening words on one line, cut with an ellipsis when there is more."""
    parts = text.split()
    head = " ".join(parts[:words])
    if len(head) > limit:
        head = head[:limit].rsplit(" ", 1)[0] if " " in head[:limit] else head[:limit]
    return head + ("…" if head != " ".join(parts) else "")


def subject(request: ForwardRequest) -> str:
    """'[boundary-bot] Sam: Can you call me this afternoon?', at most SUBJECT_MAX characters whatever the name."""
    who = request.who if len(request.who) <= SUBJECT_NAME_CHARS else request.who[: SUBJECT_NAME_CHARS - 1] + "…"
    return say("forward.subject", client=who, words=first_words(request.text) or say("common.no_text"))


@dataclass(frozen=True)
class Topic:
    """The email thread a forward joins: the email it answers, the thread's Message-IDs, and the first subject."""

    in_reply_to: str
    references: str
    subject: str


def body(
    request: ForwardRequest, policy: Policy, *, by_owner: bool, automatic: bool = False, answered_here: bool = False
) -> str:
    """Plain text: who, where, when (owner's zone), the link back, the full message, and how to answer."""
    who, address = request.who, request.author_email
    asked = (
        say("forward.automatic")
        if automatic
        else say("forward.by_owner")
        if by_owner
        else say("forward.asked", client=who)
    )
    sender = say("forward.from_address", client=who, address=address) if address else who
    lines = [
        asked,
        "",
        say("forward.from", sender=sender),
        say("forward.channel", where=request.where),
        say("forward.sent", sent=format_absolute(request.sent_at, policy.zone)),
    ]
    if request.permalink:
        lines.append(say("forward.link", link=request.permalink))
    lines += ["", RULE, request.text, RULE, ""]
    place = PLATFORM_NAMES.get(request.platform, request.platform)
    if answered_here:
        lines.append(say("forward.answer_here", client=who, place=place))
    elif address:
        lines.append(say("forward.answer_by_email", client=who, address=address))
    else:
        lines.append(say("forward.no_address", client=who, place=place))
    lines.append(say("forward.signature", business=policy.business_name))
    return "\n".join(lines) + "\n"


def mailbox(name: str, address: str) -> Address | None:
    """The address with its display name on one line, cut to NAME_CHARS; None when the address does not parse."""
    name = " ".join(name.split())
    name = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
    try:
        return Address(display_name=name, addr_spec=address.strip())
    except (ValueError, HeaderParseError, IndexError):
        return None


def compose_email(
    request: ForwardRequest,
    policy: Policy,
    addresses: Addresses,
    *,
    by_owner: bool = False,
    automatic: bool = False,
    topic: Topic | None = None,
    answer_to: str | None = None,
    email_id: str | None = None,
) -> str:
    """The whole RFC 5322 message as text (stored in the delivery row, so every attempt sends the same bytes);
    a sender or owner address that does not parse is kept as written, and the poster fails it for good. With a
    `topic`, a reply in that email thread (In-Reply-To, References, "Re:" and the first subject). With `answer_to`,
    the owner's answer goes there (the bot's inbox, bot.inbox_answers) instead of to the client, under `email_id`."""
    message = EmailMessage(policy=EMAIL_POLICY)
    sender_name = say("common.sender", business=policy.business_name)
    message["From"] = mailbox(sender_name, addresses.sender) or formataddr((sender_name, addresses.sender))
    message["To"] = mailbox("", addresses.owner) or addresses.owner
    reply_to = mailbox(request.name, request.author_email) if request.author_email else None
    if answer_to is not None:
        name = say("forward.reply_to", client=request.who, business=policy.business_name)
        message["Reply-To"] = mailbox(name, answer_to) or answer_to
    elif reply_to is not None:
        message["Reply-To"] = reply_to
    message["Subject"] = say("forward.reply_subject", subject=topic.subject) if topic else subject(request)
    message["Message-ID"] = email_id or message_id_for(forward_key(request), addresses.sender)
    if topic is not None:
        message["In-Reply-To"] = topic.in_reply_to
        message["References"] = topic.references
    message["Auto-Submitted"] = "auto-generated"
    answered_here = answer_to is not None
    message.set_content(body(request, policy, by_owner=by_owner, automatic=automatic, answered_here=answered_here))
    return message.as_string()


def forward_data(request: ForwardRequest, notify: str | None, topic: Topic | None = None) -> dict[str, str]:
    """What the follow-up and the digest need later: where the message was, and whom to tell if it fails; and
    what a later forward on the same topic answers (its thread's first Message-ID and subject)."""
    return {
        "message_id": request.message_id,
        "topic": topic.references.split()[0] if topic else "",
        "subject": topic.subject if topic else subject(request),
        "platform": request.platform,
        "workspace_id": request.workspace_id,
        "channel_id": request.channel_id,
        "thread_id": request.thread_id or "",
        "replying_to": request.replying_to or "",
        "author": request.who,
        "author_id": request.author_id,
        "excerpt": first_words(request.text),
        "notify": notify or "",
    }


def source_place(delivery: Delivery) -> tuple[str, str]:
    """The (platform, workspace) a delivery is about: an email forward belongs to the chat it came from."""
    data = delivery.data or {}
    if delivery.key.kind == FORWARD_KIND and data.get("platform"):
        return data["platform"], data.get("workspace_id", "")
    return delivery.key.platform, delivery.key.workspace_id


def follow_up(failed: Delivery, policy: Policy, now: datetime) -> PlannedDelivery | None:
    """A private note to the client who asked, when their forward failed for good; None when nobody is to be told."""
    data = failed.data or {}
    if failed.key.kind != FORWARD_KIND or not data.get("notify"):
        return None
    key = DeliveryKey(
        FORWARD_FAILED_KIND, failed.key.subject_id, "", data["platform"], data.get("workspace_id", ""), data["notify"]
    )
    client, email = data.get("author") or say("forward.failed_there"), policy.contact.email
    text = (
        say("forward.failed_excerpt", client=client, excerpt=data["excerpt"], email=email)
        if data.get("excerpt")
        else say("forward.failed", client=client, email=email)
    )
    return PlannedDelivery(key, now, now + FOLLOW_UP_WINDOW, text, direct=True)


def failure_line(failure: Delivery) -> str:
    """The digest's line for a forward that failed for good."""
    data = failure.data or {}
    where = say(
        "common.channel", channel=data.get("channel_id", failure.key.channel_id), platform=data.get("platform", "?")
    )
    return say(
        "forward.failure_told" if data.get("notify") else "forward.failure",
        client=data.get("author", say("common.a_client")),
        where=where,
        error=failure.last_error,
    )
