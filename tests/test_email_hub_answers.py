"""The inbox as the hub, back (issue 25), end to end on Slack: a client's after-hours call request in a thread goes
to the owner's inbox (loopback SMTP); the owner's reply from their mail program (delivered to a loopback IMAP server)
appears in the Slack thread as the new text only, once across a restart and a second replica; a forged reply never."""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
import pytest_asyncio
from email_server import Inbox, smtp_url
from factories import OWNER_INBOX, make_policy
from imap_server import USER, imap_url
from slack_harness import MONDAY_9PM, HttpHarness, start_http
from test_email_slack import CHANNEL, MailFakeSlack, client_writes

from adapters.email import EmailPoster
from adapters.inbox import InboxReader
from adapters.inbox_watch import look_once
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.inbox_answers import REFUSED_KIND, AnswerRoute, InboxAnswers
from bot.sender import Sender

ROOT = "1795480000.000001"
SECRET = b"0123456789abcdef0123456789abcdef"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[MailFakeSlack]:
    server = await MailFakeSlack().start()
    try:
        yield server
    finally:
        await server.stop()


@pytest_asyncio.fixture
async def http(fake, database, smtp) -> AsyncIterator[HttpHarness]:
    policy = make_policy(email={"forward": "requests"}, owner={"name": "Dana"})
    async for harness in start_http(fake, database, at=MONDAY_9PM, policy=policy):
        service, queue, route = harness.service, database.deliveries(), AnswerRoute(USER, SECRET)
        addresses = Addresses.for_policy(policy, owner=OWNER_INBOX)
        service.forwarding = Forwarding(queue, policy, service.roles, harness.clock, addresses, route=route)
        harness.answers = InboxAnswers(queue, service.store, policy, service.roles, harness.clock, route, {OWNER_INBOX})
        posters = {"email": EmailPoster.from_url(smtp_url(smtp.port)), "slack": harness.bot.poster}
        harness.sender = Sender(queue, posters, harness.clock)
        yield harness


def owner_replies(forwarded: EmailMessage, text: str, *, sender: str = f"Olivia <{OWNER_INBOX}>") -> bytes:
    """What the owner's mail program sends on Reply: to the Reply-To, in the thread, the forward quoted below."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = forwarded["Reply-To"]
    reply["Subject"] = "Re: " + forwarded["Subject"]
    reply["Message-ID"] = make_msgid(domain="home.example")
    reply["In-Reply-To"] = forwarded["Message-ID"]
    reply["References"] = forwarded["Message-ID"]
    quoted = "\n".join("> " + line for line in forwarded.get_content().splitlines())
    reply.set_content(
        f"{text}\n\n--\nOlivia Chen\nAcme Admin Co.\n\nOn Mon, Nov 23, 2026 at 9:00 PM boundary-bot wrote:\n{quoted}\n"
    )
    return bytes(reply)


async def look(http, imap, **options) -> int:
    async with InboxReader.from_url(imap_url(imap.port), **options) as reader:
        return await look_once(reader, http.answers, lambda: None)


def thread_posts(fake) -> list:
    return [
        c.args
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("thread_ts") == ROOT and c.args["text"].startswith("Dana:")
    ]


async def test_the_owner_s_email_reply_lands_in_the_slack_thread_as_new_text_once(http, inbox: Inbox, imap) -> None:
    await client_writes(http, "Can you call me tomorrow about the invoice?", thread_ts=ROOT)
    await http.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Sure, 10 AM works. I'll send the invite."))
    assert await look(http, imap) == 1
    assert await look(http, imap) == 0  # claimed: a restart or a second replica finds nothing new
    await http.sender.run_once()
    (posted,) = thread_posts(http.fake)
    assert posted["channel"] == CHANNEL and posted["text"] == "Dana: Sure, 10 AM works. I'll send the invite."
    assert "On Mon" not in posted["text"] and "Olivia Chen" not in posted["text"]
    assert await http.service.store.list_promises() == []  # the email answer kept the promise


async def test_a_crash_before_the_claim_still_posts_once(http, inbox: Inbox, imap, monkeypatch) -> None:
    await client_writes(http, "Could you ring me?", thread_ts=ROOT)
    await http.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Calling you at 9."))

    async def crash(self, uid: int) -> bool:
        raise RuntimeError("the process died before claiming the mail")

    with monkeypatch.context() as patched:
        patched.setattr(InboxReader, "mark_handled", crash)
        with pytest.raises(RuntimeError):
            await look(http, imap)
    assert await look(http, imap) == 1  # seen again after the restart: queued again under the same key
    await http.sender.run_once()
    await http.sender.run_once()
    assert [p["text"] for p in thread_posts(http.fake)] == ["Dana: Calling you at 9."]


async def test_a_forged_reply_is_never_posted_and_stays_in_the_mailbox(http, inbox: Inbox, imap) -> None:
    await client_writes(http, "Can you call me?", thread_ts=ROOT)
    await http.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Wire the money to this account", sender="Olivia <olivia@evil.example>"))
    forged = owner_replies(forwarded, "Pay now")
    imap.deliver(forged.replace(str(forwarded["Reply-To"]).split("+")[1][:10].encode(), b"aaaaaaaaaa"))
    assert await look(http, imap) == 0
    await http.sender.run_once()
    assert thread_posts(http.fake) == []
    assert len(imap.flags()) == 2  # both still in the inbox, untouched
    left = await http.service.forwarding.queue.list_deliveries(kinds=[REFUSED_KIND])
    assert sorted(row.data["why"].split(":")[0] for row in left) == [
        "no valid reply address",
        "not from your or your team's address",
    ]
