"""The inbox as the hub (issue 25) in Slack end to end: with [email] forward, an after-hours call request becomes one
email on its own (loopback SMTP), its thread's follow-ups join that email thread, the client is told in the reply;
the owner's reply from their mail program (a real IMAP server) lands in the thread as the new text only, once
across a restart and a second look; a forged reply never does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from cli_process import EXAMPLE_POLICY, cli_env, run_cli
from email_server import SECRET, Inbox, owner_replies, smtp_url
from factories import OWNER_INBOX, forward_to_email, make_policy
from imap_server import USER, imap_url
from slack_harness import MONDAY_9PM, TUESDAY_10AM, HttpHarness, start_http
from test_email_slack import CHANNEL, MailFakeSlack, client_writes

from adapters import inbox_mail
from adapters.email import EmailPoster
from adapters.inbox import InboxReader
from adapters.inbox_watch import look_once
from bot.forwarding import FORWARD_KIND, Addresses
from bot.forwarding_service import Forwarding
from bot.inbox_answers import REFUSED_KIND, AnswerRoute, InboxAnswers
from bot.sender import Sender

ROOT = "1795480000.000001"  # the client's thread


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[MailFakeSlack]:
    async with MailFakeSlack() as server:
        yield server


async def hub(fake, database, smtp, *, forward: str = "requests", at=MONDAY_9PM, window: str = "2h"):
    policy = make_policy(email={"forward": forward, "topic_window": window})
    async for harness in start_http(fake, database, at=at, policy=policy):
        harness.sender = forward_to_email(harness.service, database.deliveries(), harness.clock, smtp.port)
        yield harness


@pytest_asyncio.fixture
async def http(fake, database, smtp) -> AsyncIterator[HttpHarness]:
    async for harness in hub(fake, database, smtp):
        yield harness


async def mail(http: HttpHarness, inbox: Inbox) -> list:
    while (await http.sender.run_once()).sent:
        pass
    return [got.message for got in inbox.received]


async def test_an_after_hours_call_request_in_a_thread_becomes_one_email_and_the_client_is_told(http, inbox) -> None:
    await client_writes(http, "Can you call me tomorrow about the invoice?", thread_ts=ROOT)
    (reply,) = [c.args for c in http.fake.calls_to("chat.postMessage")]
    assert "already in our inbox (hello@acme.example), so there's no need to email it as well" in reply["text"]
    assert "blocks" not in reply or "Send this to email" not in str(reply["blocks"])  # no button: it is sent
    await client_writes(http, "Or text me, whichever is easier", thread_ts=ROOT)  # a second request, same thread
    (first, second) = await mail(http, inbox)
    assert first["Subject"] == "[boundary-bot] Sam: Can you call me tomorrow about the invoice?"
    assert first["In-Reply-To"] is None
    assert "came to your inbox on its own" in first.get_content()
    assert second["Subject"] == f"Re: {first['Subject']}"
    assert second["In-Reply-To"] == first["Message-ID"] and second["References"] == first["Message-ID"]


async def test_a_follow_up_in_the_thread_joins_the_email_thread_and_a_new_thread_starts_a_new_email(
    http, inbox
) -> None:
    await client_writes(http, "Could you ring me about the contract?", thread_ts=ROOT)
    await client_writes(http, "It's about clause 4, the renewal date.", thread_ts=ROOT)  # no request: it joins
    await client_writes(http, "Also the receipts: attached.", thread_ts=ROOT)
    await client_writes(http, "A different thing: the logo files", thread_ts="1795489999.000001")  # not forwarded
    first, second, third = await mail(http, inbox)
    assert "clause 4" in second.get_content() and "receipts" in third.get_content()
    assert second["In-Reply-To"] == first["Message-ID"]
    assert third["In-Reply-To"] == second["Message-ID"]
    assert third["References"] == f"{first['Message-ID']} {second['Message-ID']}"
    assert {m["Subject"] for m in (second, third)} == {f"Re: {first['Subject']}"}
    rows = await http.service.forwarding.queue.list_deliveries(kinds=[FORWARD_KIND])
    assert len(rows) == 3


async def test_outside_threads_the_same_client_s_burst_joins_within_the_window_only(fake, database, smtp, inbox):
    async for http in hub(fake, database, smtp, forward="all", window="30m"):
        await client_writes(http, "Hi, the invoice total looks wrong")
        http.clock.advance(timedelta(minutes=20))
        await client_writes(http, "it should be 1,200 not 1,500")
        http.clock.advance(timedelta(minutes=45))
        await client_writes(http, "and one more question about March")
        first, second, third = await mail(http, inbox)
        assert second["In-Reply-To"] == first["Message-ID"]
        assert third["In-Reply-To"] is None and not third["Subject"].startswith("Re:")


async def test_button_mode_forwards_nothing_on_its_own(fake, database, smtp, inbox) -> None:
    async for http in hub(fake, database, smtp, forward="button"):
        await client_writes(http, "Can you call me tomorrow?", thread_ts=ROOT)
        assert await mail(http, inbox) == []
        (reply,) = [c.args for c in http.fake.calls_to("chat.postMessage")]
        assert "inbox" not in reply["text"] and "Send this to email" in str(reply["blocks"])


async def test_during_opening_hours_requests_mode_still_forwards_a_request_but_all_mode_no_plain_message(
    fake, database, smtp, inbox
) -> None:
    async for http in hub(fake, database, smtp, forward="all", at=TUESDAY_10AM):
        await client_writes(http, "Here's the agenda for Thursday")  # open, no request: stays in chat
        await client_writes(http, "can you give me a quick call today?", thread_ts=ROOT)
        (only,) = await mail(http, inbox)
        assert "quick call" in only.get_content()


@pytest.mark.parametrize("forward", ["requests", "all"])
def test_forwarding_without_smtp_refuses_to_start_and_check_says_why(tmp_path, forward) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(EXAMPLE_POLICY.read_text("utf-8").replace('forward = "button"', f'forward = "{forward}"'))
    checked = run_cli("check", cwd=tmp_path, env=cli_env(tmp_path, policy=policy), timeout=120)
    assert f'PROBLEM  email.forward: "{forward}" sends client messages to your inbox, but SMTP_URL' in checked.stdout
    started = run_cli("run", cwd=tmp_path, env=cli_env(tmp_path, policy=policy), timeout=120)
    assert started.returncode != 0 and "but SMTP_URL is not set; set SMTP_URL" in started.stderr + started.stdout


# Back: the owner's answer from their mail program, through a real IMAP server


@pytest_asyncio.fixture
async def answering(fake, database, smtp) -> AsyncIterator[HttpHarness]:
    policy = make_policy(email={"forward": "requests"}, owner={"name": "Dana"})
    async for harness in start_http(fake, database, at=MONDAY_9PM, policy=policy):
        service, queue, route = harness.service, database.deliveries(), AnswerRoute(USER, SECRET)
        addresses = Addresses.for_policy(policy, owner=OWNER_INBOX)
        service.forwarding = Forwarding(queue, policy, service.roles, harness.clock, addresses, route=route)
        harness.answers = InboxAnswers(queue, service.store, policy, service.roles, harness.clock, route, {OWNER_INBOX})
        posters = {"email": EmailPoster.from_url(smtp_url(smtp.port)), "slack": harness.bot.poster}
        harness.sender = Sender(queue, posters, harness.clock)
        yield harness


async def look(http, imap, **options) -> int:
    async with InboxReader.from_url(imap_url(imap.port), **options) as reader:
        return await look_once(reader, http.answers, lambda: None)


def thread_posts(fake) -> list:
    return [
        c.args
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("thread_ts") == ROOT and c.args["text"].startswith("Dana:")
    ]


async def test_the_owner_s_email_reply_lands_in_the_slack_thread_as_new_text_once(
    answering, inbox: Inbox, imap
) -> None:
    await client_writes(answering, "Can you call me tomorrow about the invoice?", thread_ts=ROOT)
    await answering.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Sure, 10 AM works. I'll send the invite."))
    assert await look(answering, imap) == 1
    assert await look(answering, imap) == 0  # claimed: a restart or a second replica finds nothing new
    await answering.sender.run_once()
    (posted,) = thread_posts(answering.fake)
    assert posted["channel"] == CHANNEL and posted["text"] == "Dana: Sure, 10 AM works. I'll send the invite."
    assert "On Mon" not in posted["text"] and "Olivia Chen" not in posted["text"]
    assert await answering.service.store.list_promises() == []  # the email answer kept the promise


async def test_a_crash_before_the_claim_still_posts_once(answering, inbox: Inbox, imap, monkeypatch) -> None:
    await client_writes(answering, "Could you ring me?", thread_ts=ROOT)
    await answering.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Calling you at 9."))

    async def crash(self, uid: int) -> bool:
        raise RuntimeError("the process died before claiming the mail")

    with monkeypatch.context() as patched:
        patched.setattr(InboxReader, "mark_handled", crash)
        with pytest.raises(RuntimeError):
            await look(answering, imap)
    assert await look(answering, imap) == 1  # seen again after the restart: queued again under the same key
    await answering.sender.run_once()
    await answering.sender.run_once()
    assert [p["text"] for p in thread_posts(answering.fake)] == ["Dana: Calling you at 9."]


async def test_a_forged_reply_is_never_posted_and_stays_in_the_mailbox(answering, inbox: Inbox, imap) -> None:
    await client_writes(answering, "Can you call me?", thread_ts=ROOT)
    await answering.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    imap.deliver(owner_replies(forwarded, "Wire the money to this account", sender="Olivia <olivia@evil.example>"))
    forged = owner_replies(forwarded, "Pay now")
    imap.deliver(forged.replace(str(forwarded["Reply-To"]).split("+")[1][:10].encode(), b"aaaaaaaaaa"))
    assert await look(answering, imap) == 0
    await answering.sender.run_once()
    assert thread_posts(answering.fake) == []
    assert len(imap.flags()) == 2  # both still in the inbox, untouched
    left = await answering.service.forwarding.queue.list_deliveries(kinds=[REFUSED_KIND])
    assert sorted(row.data["why"].split(":")[0] for row in left) == [
        "no valid reply address",
        "not from your or your team's address",
    ]


async def test_small_attachments_are_uploaded_in_the_thread_once_and_large_ones_only_named(
    answering, inbox: Inbox, imap, monkeypatch
) -> None:
    monkeypatch.setattr(inbox_mail, "SMALL_FILE", 1_000)
    await client_writes(answering, "Can you call me about the Q3 numbers?", thread_ts=ROOT)
    await answering.sender.run_once()
    (forwarded,) = [got.message for got in inbox.received]
    files = {"q3.pdf": b"%PDF-1.7 small " * 20, "archive.zip": b"PK" + b"\x00" * 5_000}
    imap.deliver(owner_replies(forwarded, "Here are the numbers.", files=files))
    assert await look(answering, imap) == 1
    for _ in range(3):
        await answering.sender.run_once()
    (posted,) = thread_posts(answering.fake)
    assert posted["text"] == "Dana: Here are the numbers.\n\n(Attached to the email: q3.pdf, archive.zip.)"
    (upload,) = answering.fake.uploads.values()
    assert upload["name"] == "q3.pdf" and upload["data"] == files["q3.pdf"]
    (shared,) = [m for m in answering.fake.history[CHANNEL] if m.get("files")]
    assert shared["thread_ts"] == ROOT and shared["files"][0]["name"] == "q3.pdf"
    assert await look(answering, imap) == 0  # seen again: nothing more is uploaded
    await answering.sender.run_once()
    assert len(answering.fake.uploads) == 1
