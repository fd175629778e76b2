"""One look at a real mailbox (pymap): the owner's reply handed over once and marked, forgeries counted and left alone."""

from __future__ import annotations

import asyncio
import logging

from imap_server import PASSWORD, imap_url
from test_inbox import NEWSLETTER, REPLY, SECRET, TOKEN

from adapters.inbox import InboxReader
from adapters.inbox_pump import InboundReply, read_once, watch
from bot.reply_tokens import answered_request, make_token

INBOX = "owner@acme.example"
FORGED = REPLY.replace(TOKEN, make_token("r-42", b"not-the-secret"))
FROM_A_CLIENT = REPLY.replace("Jane Owner <Owner@Acme.example>", "Sam <sam@client.example>")
EMPTY = (
    REPLY.split("\r\n\r\n", 1)[0] + "\r\n\r\nOn Fri, Dec 4, 2026 at 9:12 PM bot <bot@acme.example> wrote:\r\n> hi\r\n"
)


def accept(sender, headers):
    return answered_request(sender, headers, inbox=INBOX, owners=[INBOX], secret=SECRET)


class Outbox:
    """The caller's hand-over: records each reply, and refuses the next `refuse` of them."""

    def __init__(self, refuse: int = 0) -> None:
        self.replies: list[InboundReply] = []
        self.refuse = refuse
        self.arrived = asyncio.Event()

    async def __call__(self, reply: InboundReply) -> None:
        if self.refuse:
            self.refuse -= 1
            raise RuntimeError("the outbox is down")
        self.replies.append(reply)
        self.arrived.set()


async def test_only_the_owner_s_reply_is_handed_over_and_marked_and_forgeries_stay_where_they_are(imap):
    imap.deliver_many([NEWSLETTER, FORGED, FROM_A_CLIENT, REPLY])
    outbox = Outbox()
    async with InboxReader.from_url(imap_url(imap.port)) as reader:
        tally = await read_once(reader, accept, outbox, inbox=INBOX)
        assert (tally.handed, tally.suspect, tally.failed, tally.lost) == (1, 2, 0, 0)
        assert await read_once(reader, accept, outbox, inbox=INBOX) == type(tally)()
    (reply,) = outbox.replies
    assert (reply.request_id, reply.reply.text, reply.problem) == ("r-42", "Yes, 3pm works.", None)
    assert reply.mail.identity == "<reply-1@mail.acme.example>"  # the outbox key: the same for every reader
    assert imap.flags() == {101: set(), 102: set(), 103: set()}  # the reply moved out; the rest never even read
    async with InboxReader.from_url(imap_url(imap.port)) as restarted:
        assert (await read_once(restarted, accept, outbox, inbox=INBOX)).handed == 0
    assert len(outbox.replies) == 1


async def test_a_hand_over_that_fails_leaves_the_reply_to_the_next_look(imap, caplog):
    imap.deliver(REPLY)
    outbox = Outbox(refuse=1)
    async with InboxReader.from_url(imap_url(imap.port)) as reader:
        assert (await read_once(reader, accept, outbox, inbox=INBOX)).failed == 1
        assert imap.flags() == {101: set()}
        assert (await read_once(reader, accept, outbox, inbox=INBOX)).handed == 1
    assert [r.reply.text for r in outbox.replies] == ["Yes, 3pm works."]
    assert "was not handed over; it is tried again" in caplog.text


async def test_a_reply_with_nothing_new_is_handed_over_with_a_problem_and_marked(imap):
    imap.deliver(EMPTY)
    outbox = Outbox()
    async with InboxReader.from_url(imap_url(imap.port)) as reader:
        assert (await read_once(reader, accept, outbox, inbox=INBOX)).handed == 1
    (reply,) = outbox.replies
    assert reply.reply.text == "" and reply.problem == "the reply holds no new text (only quoted text or a signature)"
    assert imap.flags() == {}


async def test_watch_hands_over_a_reply_that_arrives_later_and_retries_a_refused_login(imap, caplog):
    caplog.set_level(logging.WARNING)
    outbox = Outbox()
    urls = iter([imap_url(imap.port, password="wrong-pass-12345")] + [imap_url(imap.port)] * 10)

    def connect() -> InboxReader:
        return InboxReader.from_url(next(urls))

    task = asyncio.create_task(watch(connect, accept, outbox, inbox=INBOX, retry_seconds=(0.05,)))
    try:
        await asyncio.sleep(0)
        imap.deliver(REPLY)
        await asyncio.wait_for(outbox.arrived.wait(), 120)  # a guard against a hang, not a measure of speed
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [r.request_id for r in outbox.replies] == ["r-42"]
    assert "LOGIN" in caplog.text.upper() and "connecting again in 0 s" in caplog.text
    assert "wrong-pass-12345" not in caplog.text and PASSWORD not in caplog.text
