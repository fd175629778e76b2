"""The IMAP reader against a real server on loopback (pymap): replies read without a trace, claimed once, errors named."""

from __future__ import annotations

import asyncio
import threading

import pytest
from imap_server import PASSWORD, USER, imap_url

from adapters.inbox import DONE_FOLDER, InboxError, InboxReader
from bot.mail_reply import reply_text
from bot.reply_tokens import answered_request, make_token, message_id

SECRET = b"test-secret-0123456789abcdef"
TOKEN = make_token("r-42", SECRET)
REPLY = (
    "From: Jane Owner <Owner@Acme.example>\r\n"
    f"To: owner+{TOKEN}@acme.example\r\n"
    "Subject: Re: [boundary-bot] Sam: Can you call me?\r\n"
    "Message-ID: <reply-1@mail.acme.example>\r\n"
    f"In-Reply-To: {message_id(TOKEN, 'acme.example')}\r\n"
    "Date: Fri, 04 Dec 2026 21:30:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Yes, 3pm works.\r\n\r\n"
    "On Fri, Dec 4, 2026 at 9:12 PM boundary-bot <bot@acme.example> wrote:\r\n"
    "> Can you call me this afternoon?\r\n"
)
NEWSLETTER = "From: news@shop.example\r\nTo: owner@acme.example\r\nSubject: Sale\r\n\r\n50% off\r\n"


def answer(sender: str, headers) -> str | None:
    return answered_request(sender, headers, inbox="owner@acme.example", owners=["owner@acme.example"], secret=SECRET)


def reader(port: int, **options) -> InboxReader:
    return InboxReader.from_url(imap_url(port), **options)


async def test_a_reply_is_read_by_its_headers_then_whole_and_nothing_in_the_mailbox_changes(imap):
    imap.deliver(NEWSLETTER)
    imap.deliver(REPLY)
    async with reader(imap.port) as inbox:
        candidates = await inbox.candidates()
        assert [c.sender for c in candidates] == ["news@shop.example", "owner@acme.example"]
        answered = [answer(c.sender, c.headers) for c in candidates]
        assert answered == [None, "r-42"]
        ours = [c for c, request in zip(candidates, answered, strict=True) if request]
        mail = await inbox.read(ours[0])
    assert mail.problem is None and mail.html is None and not mail.cut
    assert reply_text(mail.plain, mail.html).text == "Yes, 3pm works."
    assert imap.flags() == {101: set(), 102: set()}  # not even \Seen: read with PEEK


async def test_a_handled_reply_is_moved_once_and_a_restart_or_a_second_reader_sees_nothing_new(imap):
    imap.deliver(NEWSLETTER)
    imap.deliver(REPLY)
    async with reader(imap.port) as first, reader(imap.port) as second:
        assert not first.keywords  # pymap keeps no keywords: a handled mail moves to its folder
        reply = (await first.candidates())[1]
        assert [c.uid for c in await second.candidates()] == [101, 102]
        assert await first.mark_handled(reply.uid) is True
        assert await second.mark_handled(reply.uid) is False  # the second reader's claim finds it gone
        assert await first.candidates() == []
    async with reader(imap.port) as restarted:
        assert [c.sender for c in await restarted.candidates()] == ["news@shop.example"]
    assert imap.flags() == {101: set()}  # the newsletter is untouched
    with imap.client() as client:
        client.select(f'"{DONE_FOLDER}"')
        _, found = client.uid("SEARCH", "ALL")
        _, lines = client.uid("FETCH", found[0].decode(), "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    assert b"\\Seen" in lines[0][0] and b"<reply-1@mail.acme.example>" in lines[0][1]


async def test_claims_at_the_same_moment_from_two_readers_are_won_by_one(imap):
    for _ in range(5):
        imap.deliver(REPLY)
    async with reader(imap.port) as first, reader(imap.port) as second:
        uids = [c.uid for c in await first.candidates()]
        await second.candidates()
        results = await asyncio.gather(*(r.mark_handled(uid) for uid in uids for r in (first, second)))
    assert sorted(results) == [False] * 5 + [True] * 5
    assert [results[i] != results[i + 1] for i in range(0, 10, 2)] == [True] * 5


async def test_mail_that_arrives_later_is_found_by_the_next_look_and_a_reply_can_be_listed_again(imap):
    async with reader(imap.port) as inbox:
        assert await inbox.candidates() == []
        imap.deliver(REPLY)
        assert [c.uid for c in await inbox.candidates()] == [101]
        assert await inbox.candidates() == []
        inbox.again(101)  # not handled: the outbox was down
        assert [c.uid for c in await inbox.candidates()] == [101]


async def test_idle_wakes_the_reader_when_mail_arrives(imap):
    async with reader(imap.port) as inbox:
        assert inbox.idle and await inbox.candidates() == []
        delivery = threading.Timer(0.2, imap.deliver, (REPLY,))
        delivery.start()
        try:
            assert await inbox.wait(600) is True  # woken by the server, not by the end of the wait
        finally:
            delivery.join()
        assert [c.uid for c in await inbox.candidates()] == [101]


async def test_a_malformed_mail_is_read_without_a_crash(imap):
    imap.deliver(
        b"From: Owner <owner@acme.example>\r\nFrom: other@x.example\r\nTo: =?bogus?Q?broken?=\r\n"
        b"Content-Type: multipart/mixed; boundary=nowhere\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"--nowhere\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\n\xff\xfe broken \x00 bytes\r\n"
    )
    imap.deliver(b"Subject: no sender, no body\r\n\r\n")
    async with reader(imap.port) as inbox:
        broken, empty = await inbox.candidates()
        assert broken.sender == "" and empty.sender == ""  # two From addresses name no one sender
        mail = await inbox.read(broken)
        assert mail.plain is not None and "broken" in mail.plain
        assert (await inbox.read(empty)).problem == "the mail has no text or HTML body"


async def test_a_40000_character_mail_is_read_and_a_larger_one_only_up_to_the_limit(imap):
    body = ("All of this is the owner's answer. " * 1_200)[:40_000]
    imap.deliver(REPLY.replace("Yes, 3pm works.", body))
    imap.deliver(REPLY.replace("Yes, 3pm works.", "x" * 300_000))
    async with reader(imap.port) as inbox:
        long, huge = await inbox.candidates()
        mail = await inbox.read(long)
        assert body in (mail.plain or "") and not mail.cut
        text = reply_text(mail.plain)
        assert text.cut and len(text.text) <= 4_000
        cut = await inbox.read(huge, max_bytes=50_000)
    assert cut.cut and cut.plain is not None and 45_000 < len(cut.plain) <= 50_000


async def test_bad_credentials_give_a_clear_error_without_the_password(imap):
    with pytest.raises(InboxError) as raised:
        async with InboxReader.from_url(imap_url(imap.port, password="wrong-pass-12345")):
            pass
    message = str(raised.value)
    assert f"{USER}@127.0.0.1:{imap.port}" in message and "LOGIN" in message.upper()
    assert "wrong-pass-12345" not in message and PASSWORD not in message


async def test_a_server_that_is_not_there_is_a_clear_error(unused_tcp_port):
    with pytest.raises(InboxError, match=f"127.0.0.1:{unused_tcp_port}/INBOX\\?tls=none: ConnectionRefusedError"):
        await InboxReader.from_url(imap_url(unused_tcp_port)).connect()


async def test_an_unknown_mailbox_is_named(imap):
    url = imap_url(imap.port).replace("/INBOX", "/Nowhere")
    with pytest.raises(InboxError, match="there is no mailbox 'Nowhere'"):
        await InboxReader.from_url(url).connect()


async def test_a_week_of_mail_after_a_restart_is_listed_in_batches(imap):
    imap.deliver_many([NEWSLETTER.replace("Sale", f"Sale {n}") for n in range(104)] + [REPLY])
    async with reader(imap.port) as inbox:
        candidates = await inbox.candidates()
    assert [c.uid for c in candidates] == list(range(101, 206))
    assert candidates[5].headers[2] == ("Subject", "Sale 5") and candidates[-1].sender == "owner@acme.example"
    assert [answer(c.sender, c.headers) for c in candidates].count("r-42") == 1
