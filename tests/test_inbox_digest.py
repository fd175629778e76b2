"""The inbox in the owner's digest: forwarded requests no one has answered yet, and emails left unposted."""

from __future__ import annotations

from datetime import timedelta

from factories import OWNER_INBOX, make_policy, message, ny
from scheduling_fakes import RecordingPoster
from test_inbox_answers import INBOX, SECRET, answer_to, forwarded_email, request

from bot.clock import SimulatedClock
from bot.digest import compose_digest
from bot.forwarding import Addresses
from bot.forwarding_service import Forwarding
from bot.inbox_answers import AnswerRoute, InboxAnswers, Mail
from bot.inbox_digest import left_line, waiting_lines
from bot.promises import promise_for
from bot.roles import Roles
from bot.sender import Sender
from bot.store import DecisionRecord

ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})})
MONDAY_9PM = ny(2026, 11, 23, 21, 0)


async def world(database):
    clock = SimulatedClock(MONDAY_9PM)
    policy = make_policy()
    queue, store, route = database.deliveries(), database.store(), AnswerRoute(INBOX, SECRET)
    forwarding = Forwarding(queue, policy, ROLES, clock, Addresses.for_policy(policy, owner=OWNER_INBOX), route=route)
    answers = InboxAnswers(queue, store, policy, ROLES, clock, route, senders={OWNER_INBOX})
    return forwarding, answers, queue, store, clock, Sender(queue, {"email": RecordingPoster("email", clock)}, clock)


async def test_a_forward_waits_until_answered_by_email_or_in_the_chat(database) -> None:
    forwarding, answers, queue, store, clock, sender = await world(database)
    first = await forwarded_email(forwarding, queue, request())
    await forwarded_email(forwarding, queue, request(message_id="1795481300.000200", text="And the March report?"))
    third = request(message_id="1795481400.000300", text="Also the logo")
    client = message("Also the logo", MONDAY_9PM, message_id=third.message_id, author_id="U_CLIENT")
    promise = promise_for(client, MONDAY_9PM + timedelta(days=1), answers.policy.turnaround, MONDAY_9PM)
    await store.record_decision(DecisionRecord(client, [], version=0, remember_channel=False, promise=promise))
    await forwarded_email(forwarding, queue, third)
    assert (await sender.run_once()).sent == 3
    zone = answers.policy.zone
    waiting = await waiting_lines(queue, store, clock(), zone)
    assert [line.rsplit(": ", 1)[1] for line in waiting[("slack", "T1")]] == [
        "“Can you call me about the invoice?”",
        "“And the March report?”",
        "“Also the logo”",
    ]
    assert waiting[("slack", "T1")][0].startswith("• Sam in #C1 (Slack), in your inbox since Monday, Nov 23")
    assert (await answers.take(answer_to(first, "Yes, call me at 10."))).posted  # answered by email
    (kept,) = await store.list_promises()
    assert await store.promise_done(kept.id, clock())  # answered in the chat
    (still,) = (await waiting_lines(queue, store, clock(), zone))[("slack", "T1")]
    assert "And the March report?" in still
    text = compose_digest(answers.policy, [], [], platform="slack", inbox=[still])
    assert text is not None and "Waiting in your inbox for an answer:\n" + still in text


async def test_emails_left_unposted_are_counted_once_with_why(database) -> None:
    _, answers, queue, _, clock, _ = await world(database)
    assert await left_line(queue, clock() - timedelta(days=1)) is None
    stranger = Mail("1", "mallory@evil.example", [("To", "bot@acme.example")], "pay now", message_id="<m1@evil>")
    await answers.take(stranger)
    await answers.take(stranger)
    await answers.take(Mail("2", OWNER_INBOX, [("To", "bot@acme.example")], "hello", message_id="<m2@home>"))
    line = await left_line(queue, clock() - timedelta(days=1))
    assert line is not None and line.startswith("2 email(s) in the bot's inbox were not posted, and are still there")
    assert "not from your or your team's address (1)" in line and "no valid reply address" in line
