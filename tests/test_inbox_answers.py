"""The owner's email answer to a forwarded message, against the core and a real database: queued once for the
client's thread in the owner's name, the promise kept; anything not from the owner or without a valid reply
address is never posted."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_string
from email.message import EmailMessage
from email.policy import default

from factories import OWNER_INBOX, forward_request, make_policy, message, ny

from bot.clock import SimulatedClock
from bot.forwarding import Addresses, ForwardRequest, forward_key
from bot.forwarding_service import Forwarding
from bot.inbox_answers import ANSWER_KIND, NO_TOKEN, NOT_YOURS, REFUSED_KIND, AnswerRoute, InboxAnswers, Mail
from bot.mail_reply import CUT_NOTE
from bot.promises import promise_for
from bot.roles import Roles
from bot.store import DecisionRecord

SECRET = b"a long random secret for the tests"
INBOX = "bot@acme.example"
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
MONDAY_9PM = ny(2026, 11, 23, 21, 0)


def request(**fields) -> ForwardRequest:
    """Sam's call request in C1's thread, with no email address, channel name or link."""
    own = dict(
        channel_id="C1",
        text="Can you call me about the invoice?",
        sent_at=MONDAY_9PM,
        thread_id="1795481100.000001",
        author_email=None,
        channel_name="",
        permalink=None,
    )
    return forward_request(**(own | fields))


async def world(database):
    clock = SimulatedClock(MONDAY_9PM)
    policy = make_policy(owner={"name": "Dana"})
    queue = database.deliveries()
    route = AnswerRoute(INBOX, SECRET)
    forwarding = Forwarding(queue, policy, ROLES, clock, Addresses.for_policy(policy, owner=OWNER_INBOX), route=route)
    answers = InboxAnswers(queue, database.store(), policy, ROLES, clock, route, senders={OWNER_INBOX})
    return forwarding, answers, queue, clock


async def forwarded_email(forwarding, queue, req: ForwardRequest) -> EmailMessage:
    await forwarding.to_inbox(req)
    (row,) = [d for d in await queue.list_deliveries(kinds=["email_forward"]) if d.key.subject_id == req.subject_id]
    return message_from_string(row.text, _class=EmailMessage, policy=default)


def answer_to(email: EmailMessage, text: str, *, sender: str = f"Olivia <{OWNER_INBOX}>", **headers) -> Mail:
    """The owner pressing Reply in their mail program: to the Reply-To, quoting the forward below the answer."""
    quoted = "\n".join("> " + line for line in email.get_content().splitlines())
    fields = [("To", str(email["Reply-To"])), ("In-Reply-To", str(email["Message-ID"])), *headers.items()]
    body = f"{text}\n\nOn Mon, Nov 23, 2026 at 9:01 PM boundary-bot wrote:\n{quoted}\n"
    return Mail(uid="1", sender=sender, headers=fields, plain=body, message_id=f"<answer-{hash(text)}@home.example>")


async def answers_queued(queue) -> list:
    return await queue.list_deliveries(kinds=[ANSWER_KIND])


async def test_the_owner_s_answer_is_queued_once_for_the_client_s_thread_in_their_name(database) -> None:
    forwarding, answers, queue, clock = await world(database)
    email = await forwarded_email(forwarding, queue, request())
    assert email["Reply-To"].addresses[0].username.startswith("bot+") and email["Message-ID"].startswith("<bb.")
    assert "your answer is posted in Slack, as a reply to it" in email.get_content()
    mail = answer_to(email, "Sure: tomorrow at 10 works.\n\nBest,\nOlivia")
    assert (await answers.take(mail)).posted
    assert (await answers.take(mail)).posted  # seen twice (a restart, a second replica): still one row
    (row,) = await answers_queued(queue)
    assert row.key.channel.channel_id == "C1" and row.due_at == clock()
    assert row.data["said"] == "Sure: tomorrow at 10 works." and row.text == "Dana: Sure: tomorrow at 10 works."
    assert row.data["reply_to"] == "1795481200.000100" and row.data["thread"] == "1795481100.000001"
    assert row.data["author"] == "U_OWNER"  # posted as the owner where their token allows


async def test_the_answer_keeps_the_promise_made_about_that_message(database) -> None:
    forwarding, answers, queue, _ = await world(database)
    store = answers.store
    client = message("Can you call me?", MONDAY_9PM, message_id="1795481200.000100", author_id="U_CLIENT")
    promised = promise_for(client, MONDAY_9PM + timedelta(days=1), answers.policy.turnaround, MONDAY_9PM)
    assert await store.record_decision(DecisionRecord(client, [], version=0, remember_channel=False, promise=promised))
    email = await forwarded_email(forwarding, queue, request(channel_id=client.channel_id, workspace_id="T1"))
    assert (await answers.take(answer_to(email, "Done, see the invoice attached."))).posted
    assert await store.list_promises() == []


async def test_a_forged_sender_a_wrong_token_or_nothing_new_is_never_posted(database) -> None:
    forwarding, answers, queue, _ = await world(database)
    email = await forwarded_email(forwarding, queue, request())
    stranger = answer_to(email, "Pay this invoice now", sender="Mallory <mallory@evil.example>")
    assert (await answers.take(stranger)).why == NOT_YOURS
    forged = Mail("2", OWNER_INBOX, [("To", "bot+" + "a" * 39 + "@acme.example")], plain="Sure, I'll call")
    assert "no valid reply address" in (await answers.take(forged)).why
    other_secret = AnswerRoute(INBOX, b"another secret entirely")
    _, address, _ = other_secret.addresses(forward_key(request()), OWNER_INBOX)
    assert "no valid reply address" in (await answers.take(Mail("3", OWNER_INBOX, [("To", address)], "Hi"))).why
    empty = answer_to(email, "")
    assert (await answers.take(empty)).why == "nothing new was written above the quoted message"
    assert await answers_queued(queue) == []
    left = await queue.list_deliveries(kinds=[REFUSED_KIND])
    assert sorted(row.data["why"] for row in left) == sorted(
        [NOT_YOURS, NO_TOKEN, NO_TOKEN, "nothing new was written above the quoted message"]
    )
    await answers.take(stranger)  # seen again (a restart, another replica): counted once
    assert len(await queue.list_deliveries(kinds=[REFUSED_KIND])) == 4


async def test_a_very_long_answer_is_cut_with_a_note_and_files_are_named(database) -> None:
    forwarding, answers, queue, _ = await world(database)
    email = await forwarded_email(forwarding, queue, request())
    long = answer_to(email, "word " * 10_000)
    long = Mail(
        long.uid, long.sender, long.headers, long.plain, message_id="<long@home.example>", attachments=("q3.pdf",)
    )
    assert (await answers.take(long)).posted
    (row,) = await answers_queued(queue)
    assert CUT_NOTE in row.data["said"] and row.data["said"].endswith("(Attached to the email: q3.pdf.)")
    assert len(row.data["said"]) < 4_100
