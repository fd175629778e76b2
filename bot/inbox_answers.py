"""The owner's email answers to forwarded messages, posted in the client's thread: who may answer, and how once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr

from bot.forwarding import FORWARD_KIND
from bot.mail_reply import reply_text
from bot.outbound import Attachment
from bot.owner_words import say
from bot.policy import Policy
from bot.promise_keeping import PromiseKeeping
from bot.queue import Delivery, DeliveryKey, DeliveryQueue, PlannedDelivery
from bot.reply_tokens import make_token, message_id, reply_address, request_of
from bot.roles import Roles, split_id
from bot.store import Store

log = logging.getLogger(__name__)

NOT_YOURS = "not from your or your team's address"
NO_TOKEN = "no valid reply address: not an answer to a message the bot forwarded"

ANSWER_KIND = "email_answer"
ANSWER_FILE_KIND = "email_answer_file"  # one row per small attachment, posted after the answer, in its thread
REFUSED_KIND = "email_answer_refused"  # a skipped row per email left in the mailbox: the digest counts them, once
KEEP_FOR = timedelta(days=3)  # an answer that could not be posted by then is reported, not posted late
FORWARDS_KEPT = timedelta(days=60)  # an answer to a forward older than this is left in the mailbox (and counted)
NAMED_FILES = 10  # attachments named in the post, at most
UPLOADED = 3  # small attachments uploaded with it, at most (bot.outbound.Attachment; the reader decides "small")


@dataclass(frozen=True)
class AnswerRoute:
    """Where answers to forwarded emails go (INBOX_ADDRESS, plus addressed) and the secret that signs each one."""

    inbox: str
    secret: bytes = field(repr=False)

    def addresses(self, key: DeliveryKey, sender: str) -> tuple[str, str, str]:
        """The forward's request id, the reply address with its token, and the Message-ID carrying it too."""
        request = request_id(key)
        token = make_token(request, self.secret)
        return request, reply_address(self.inbox, token), message_id(token, sender.rpartition("@")[2] or "invalid")


def request_id(key: DeliveryKey) -> str:
    """A forward's short id (16 hex digits of a hash of its key): what the token in a reply names."""
    return hashlib.sha256(key.token().encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Mail:
    """One email in the inbox, as the reader found it."""

    uid: str
    sender: str  # the From header
    headers: Sequence[tuple[str, str]]
    plain: str | None
    html: str | None = None
    message_id: str = ""
    attachments: tuple[str, ...] = ()  # every attachment's name, as adapters.inbox_mail.InboundMail names them
    files: tuple[Attachment, ...] = ()  # the small attachments whole (InboundMail.files): uploaded with the answer


@dataclass(frozen=True)
class Taken:
    """What came of one email: posted (queued once), or left in the mailbox and why."""

    posted: bool
    why: str = ""


class InboxAnswers(PromiseKeeping):
    """Posts the owner's answer in the client's thread through the outbox; anything else stays in the mailbox."""

    def __init__(
        self,
        queue: DeliveryQueue,
        store: Store,
        policy: Policy,
        roles: Roles,
        clock: Callable[[], datetime],
        route: AnswerRoute,
        senders: Collection[str],
    ):
        self.queue, self.store, self.policy, self.roles, self.clock = queue, store, policy, roles, clock
        self.route = route
        self.senders = frozenset(address.lower() for address in senders)  # the owner's and the team's addresses

    def judge(self, sender: str, headers: Sequence[tuple[str, str]]) -> str | None:
        """Why an email, by its headers alone, is no answer to post (None: read it whole and `take` it)."""
        if parseaddr(sender)[1].lower() not in self.senders:
            return NOT_YOURS
        if request_of(headers, self.route.inbox, self.route.secret) is None:
            return NO_TOKEN
        return None

    async def take(self, mail: Mail) -> Taken:
        """Queue the answer `mail` carries, once (its key is the email's Message-ID, else its body's hash); an
        email that is none is recorded as left in the mailbox, once, for the digest."""
        taken = await self._take(mail)
        if not taken.posted:
            await self.leave(mail, taken.why)
        return taken

    async def leave(self, mail: Mail, why: str) -> None:
        """Record an email left in the mailbox (never posted), once per email however often it is seen."""
        log.info("an email in the inbox was left unposted: %s", why)
        now = self.clock()
        key = DeliveryKey(REFUSED_KIND, f"mail:{_mail_id(mail)}", "", "email", "", "")
        planned = PlannedDelivery(key, now, now, why, data={"why": why})
        await self.queue.enqueue([planned], now, skipped_reason=why)

    async def _take(self, mail: Mail) -> Taken:
        if (why := self.judge(mail.sender, mail.headers)) is not None:
            return Taken(False, why)
        request = request_of(mail.headers, self.route.inbox, self.route.secret)
        assert request is not None  # judged above
        forward = await self._forward(request)
        if forward is None:
            return Taken(False, "the forwarded message it answers is no longer known (older than 60 days)")
        reply = reply_text(mail.plain, mail.html)
        if not reply.text:
            return Taken(False, "nothing new was written above the quoted message")
        data = forward.data or {}
        platform, workspace = data.get("platform", ""), data.get("workspace_id", "")
        where = (platform, workspace, data.get("channel_id", ""))
        text = reply.text + _files_note(mail.attachments)
        key = DeliveryKey(ANSWER_KIND, f"mail:{_mail_id(mail)}", "", *where)
        said = {"said": text, "reply_to": data.get("message_id", ""), "request": request}
        if thread := data.get("thread_id"):
            said["thread"] = thread
        if owner := self._owner(platform, workspace):
            said["author"] = owner
        name = self.policy.owner.name or self.policy.business_name
        now = self.clock()
        rows = [PlannedDelivery(key, now, now + KEEP_FOR, say("common.signed", owner=name, text=text), data=said)]
        for n, file in enumerate(mail.files[:UPLOADED]):  # after the answer: a later id, the same thread
            shown = say("inbox.file", file=file.name)
            upload = DeliveryKey(ANSWER_FILE_KIND, f"{key.subject_id}:{n}", "", *where)
            data = {**said, "said": shown, **file.as_data()}
            posted = say("common.signed", owner=name, text=shown)
            rows.append(PlannedDelivery(upload, now, now + KEEP_FOR, posted, data=data))
        await self.queue.enqueue(rows, now)
        await self._promise_done(key.channel, said["reply_to"])  # an answer by email keeps the promise
        return Taken(True)

    async def _forward(self, request: str) -> Delivery | None:
        since = self.clock() - FORWARDS_KEPT
        for forward in await self.queue.list_deliveries(kinds=[FORWARD_KIND], updated_since=since):
            if forward.data and forward.data.get("request") == request:
                return forward
        return None

    def _owner(self, platform: str, workspace: str) -> str | None:
        """The owner whose name the answer is posted in (their token posts it as them, where there is one)."""
        for user in sorted(self.roles.owners.get(platform, frozenset())):
            if self.roles.is_owner(platform, split_id(user)[1], workspace):
                return user
        return None


def _mail_id(mail: Mail) -> str:
    """The email's own id: a hash of its Message-ID (every mail program sets one), else of its sender and body."""
    seed = mail.message_id or f"{mail.sender}\n{mail.plain or mail.html or ''}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def _files_note(files: Sequence[str]) -> str:
    if not files:
        return ""
    names = ", ".join(files[:NAMED_FILES])
    if len(files) > NAMED_FILES:
        names = say("common.and_more", listed=names, more=len(files) - NAMED_FILES)
    return say("inbox.attached", files=names)
