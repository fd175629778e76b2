"""Forwarding to email against a real SMTP server on loopback: the email itself, once only, retries, failure notices, TLS."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest
from email_server import PASSWORD, USER, Inbox, self_signed, smtp_server, smtp_url
from factories import FORWARD_TEXT, OWNER_INBOX, forward_request, make_policy, ny
from scheduling_fakes import RecordingPoster

from adapters.email import EmailPoster, SmtpTarget
from bot.clock import SimulatedClock
from bot.forwarding import Addresses, compose_email, forward_key, is_envelope, message_id_for
from bot.forwarding_service import Forwarding
from bot.outbound import Post, PostError
from bot.queue import DeliveryState
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender
from storage.database import Database

POLICY = make_policy()
ROLES = Roles(owners={"slack": frozenset({"U_OWNER"})}, team={"slack": frozenset({"U_TEAMMATE"})})
MONDAY_9PM = ny(2026, 11, 23, 21, 0)


class World:
    """One process's objects on a shared database: bridge, sender with the email poster, scheduling."""

    def __init__(self, database: Database, clock: SimulatedClock, port: int, *, retry_limit: int = 8):
        self.queue = database.deliveries()
        self.clock = clock
        self.chat = RecordingPoster("slack", clock)
        self.email = EmailPoster.from_url(smtp_url(port))
        self.sender = Sender(self.queue, {"email": self.email, "slack": self.chat}, clock, retry_limit=retry_limit)
        self.bridge = Forwarding(self.queue, POLICY, ROLES, clock, Addresses.for_policy(POLICY, owner=OWNER_INBOX))
        self.scheduling = Scheduling(database.store(), self.queue, POLICY, self.sender, clock, ROLES)

    async def send_until_done(self, rounds: int = 20) -> None:
        """Run the sender, moving the clock past each backoff, until nothing is pending."""
        for _ in range(rounds):
            await self.sender.run_once()
            pending = await self.queue.list_deliveries(states=[DeliveryState.PENDING, DeliveryState.IN_FLIGHT])
            if not pending:
                return
            self.clock.advance(timedelta(minutes=11))
        raise AssertionError("deliveries still pending")

    async def forwards(self):
        return await self.queue.list_deliveries(kinds=["email_forward"])


@pytest.fixture
def world(database: Database, smtp) -> World:
    return World(database, SimulatedClock(MONDAY_9PM), smtp.port)


async def test_the_email_has_the_headers_and_body_the_owner_needs(world: World, inbox: Inbox) -> None:
    outcome = await world.bridge.forward(forward_request(), "U_CLIENT")
    assert outcome.ok and outcome.queued
    assert outcome.text == (
        "Thanks! Your message is on its way to hello@acme.example. "
        "You'll get the answer by email at sam@client.example."
    )
    await world.send_until_done()
    (got,) = inbox.received
    email = got.message
    assert got.login == USER and got.rcpt_tos == [OWNER_INBOX] and got.mail_from == "hello@acme.example"
    assert email["From"] == "boundary-bot for Acme Admin <hello@acme.example>"
    assert email["To"] == OWNER_INBOX
    assert email["Reply-To"] == "Sam <sam@client.example>"
    assert email["Subject"] == "[boundary-bot] Sam: Can you call me tonight about the Henderson…"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"] == message_id_for(forward_key(forward_request()), "hello@acme.example")
    assert email["Date"]
    body = email.get_content().replace("\r\n", "\n")
    assert FORWARD_TEXT in body  # whole, unescaped, both paragraphs
    assert "From:    Sam <sam@client.example>" in body
    assert "Channel: #client-acme (Slack)" in body
    assert "Sent:    Monday, Nov 23 at 8:58 PM EST" in body  # the owner's zone
    assert "Link:    https://t1.slack.example/archives/C_CLIENT/p1795481200000100" in body
    assert "Reply to this email to answer Sam at sam@client.example." in body
    (row,) = await world.forwards()
    assert row.state is DeliveryState.SENT and row.platform_message_id == email["Message-ID"]


async def test_without_the_clients_address_there_is_no_reply_to_and_the_body_says_so() -> None:
    text = compose_email(
        forward_request(author_email=None, author_name="", sent_at=ny(2026, 7, 1, 9, 0, 0).astimezone(UTC)),
        POLICY,
        Addresses.for_policy(POLICY),
        by_owner=True,
    )
    assert "Reply-To" not in text
    assert "Subject: [boundary-bot] A client: Can you call me" in text
    assert "Slack did not share A client's email address" in text and "Wednesday, Jul 1 at 9:00 AM EDT" in text
    assert "You forwarded this message with an envelope reaction." in text


def test_names_and_text_cannot_break_the_headers() -> None:
    text = compose_email(
        forward_request(author_name="Sam\r\nBcc: everyone@example.com", text="hi\r\nBcc: x@example.com"),
        POLICY,
        Addresses.for_policy(POLICY),
    )
    headers = text.split("\n\n", 1)[0]
    assert "\nBcc:" not in headers and 'Reply-To: "Sam Bcc: everyone@example.com" <sam@client.example>' in headers


async def test_the_message_id_is_the_same_on_a_resend(world: World, inbox: Inbox) -> None:
    text = compose_email(forward_request(), POLICY, Addresses.for_policy(POLICY))
    post = Post(forward_key(forward_request()).channel, text, forward_key(forward_request()).token())
    first, second = await world.email.post(post), await world.email.post(post)
    assert first == second == inbox.received[0].message["Message-ID"] == inbox.received[1].message["Message-ID"]
    other = compose_email(forward_request(message_id="1795481200.000200"), POLICY, Addresses.for_policy(POLICY))
    assert first not in other


async def test_a_double_click_a_replay_and_a_restart_send_one_email(database, smtp, inbox: Inbox) -> None:
    clock = SimulatedClock(MONDAY_9PM)
    world = World(database, clock, smtp.port)
    assert (await world.bridge.forward(forward_request(), "U_CLIENT")).queued
    second = await world.bridge.forward(forward_request(), "U_CLIENT")  # a double click, or Slack replaying the action
    assert second.ok and not second.queued
    assert second.text == "Your message was already sent to hello@acme.example; nothing more to do."
    await world.send_until_done()
    restarted = World(database, clock, smtp.port)  # new process objects on the same database
    assert not (await restarted.bridge.forward(forward_request(), "U_CLIENT")).queued
    await restarted.send_until_done()
    await world.send_until_done()
    assert len(inbox.received) == 1 and len(await restarted.forwards()) == 1


async def test_a_server_that_refuses_for_a_while_still_gets_exactly_one_email(world: World, inbox: Inbox) -> None:
    inbox.refuse = 3
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.send_until_done()
    assert inbox.attempts == 4 and len(inbox.received) == 1
    (row,) = await world.forwards()
    assert row.state is DeliveryState.SENT and row.attempts == 4


async def test_refusing_past_the_limit_fails_tells_the_client_once_and_lands_in_the_digest(
    database, smtp, inbox: Inbox
) -> None:
    inbox.refuse = 100
    clock = SimulatedClock(MONDAY_9PM)
    world = World(database, clock, smtp.port, retry_limit=3)
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.send_until_done()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and inbox.attempts == 3 and inbox.received == []
    assert "gave up after 3 attempts" in row.last_error and "451" in row.last_error
    for _ in range(3):  # planning again (or in another process) tells the client once
        await world.scheduling.tick()
    (notice,) = [post for post, _ in world.chat.posts]
    assert notice.channel.channel_id == "U_CLIENT"  # a direct message: private
    assert notice.text.startswith("Sorry, Sam: the message you asked us to forward (“Can you call me tonight")
    assert "Please email it to hello@acme.example directly" in notice.text
    clock.set(ny(2026, 11, 24, 9, 5))  # the owner's digest at Tuesday's opening
    await world.scheduling.tick()
    digest = [post for post, _ in world.chat.posts if post.channel.channel_id == "U_OWNER"]
    assert len(digest) == 1
    assert "• email forward of Sam's message in #C_CLIENT (slack): gave up after 3 attempts" in digest[0].text
    assert "The client was asked to email you directly." in digest[0].text
    assert len(world.chat.posts) == 2


async def test_a_permanent_refusal_fails_at_once(world: World, inbox: Inbox) -> None:
    inbox.refuse, inbox.refusal = 5, "554 5.7.1 Rejected by policy"
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.send_until_done()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 1 and "554 5.7.1 Rejected by policy" in row.last_error


async def test_an_unreachable_server_is_retried_and_the_password_never_shows(database, caplog) -> None:
    clock = SimulatedClock(MONDAY_9PM)
    world = World(database, clock, 1, retry_limit=2)  # nothing listens on port 1
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.send_until_done()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 2
    assert "could not reach 127.0.0.1:1" in row.last_error
    assert PASSWORD not in row.last_error and PASSWORD not in caplog.text
    assert PASSWORD not in repr(world.email.target) and PASSWORD not in str(world.email.target)


async def test_who_may_forward(world: World) -> None:
    stranger = await world.bridge.forward(forward_request(), "U_STRANGER")
    assert (
        not stranger.ok and stranger.text == "Only the person who wrote that message can send it to hello@acme.example."
    )
    assert not (
        await world.bridge.forward(forward_request(), "U_CLIENT", reaction=True)
    ).ok  # reactions: the owner only
    assert not (await world.bridge.forward(forward_request(), "U_TEAMMATE", reaction=True)).ok
    assert await world.forwards() == []
    owner = await world.bridge.forward(forward_request(), "U_OWNER", reaction=True)
    assert owner.ok and owner.text == f"Sending Sam's message to {OWNER_INBOX}."
    (row,) = await world.forwards()
    assert row.data["notify"] == ""  # the owner asked: a failure goes to the digest only


def test_envelope_reactions() -> None:
    for emoji in (
        "email",
        ":envelope:",
        "incoming_envelope",
        "envelope_with_arrow",
        "\u2709\ufe0f",
        "\u2709",
        "\U0001f4e7",
        "\U0001f4e8",
        "\U0001f4e9",
    ):
        assert is_envelope(emoji), emoji
    for emoji in ("+1", "mailbox", "\U0001f44d", ""):
        assert not is_envelope(emoji), emoji


def test_smtp_url_defaults() -> None:
    assert SmtpTarget.parse("smtp://mail.example") == SmtpTarget("mail.example", 587, False)
    target = SmtpTarget.parse("smtps://me%40acme.example:p%3Ass@mail.example")
    assert (target.port, target.implicit_tls, target.username, target.password) == (
        465,
        True,
        "me@acme.example",
        "p:ss",
    )


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
async def test_tls_with_a_self_signed_certificate(tmp_path: Path, database, mode: str) -> None:
    contexts = self_signed(tmp_path)
    if contexts is None:
        pytest.skip("no openssl tool to make a certificate; plain SMTP is tested above")
    server_context, client_context = contexts
    inbox = Inbox()
    options = (
        {"tls_context": server_context, "require_starttls": True, "auth_require_tls": True}
        if mode == "starttls"
        else {"ssl_context": server_context}
    )
    with smtp_server(inbox, **options) as controller:
        scheme = "smtp" if mode == "starttls" else "smtps"
        poster = EmailPoster.from_url(smtp_url(controller.port, scheme, tls=None), tls_context=client_context)
        text = compose_email(forward_request(), POLICY, Addresses.for_policy(POLICY))
        await poster.post(Post(forward_key(forward_request()).channel, text, "k"))
    (got,) = inbox.received
    assert got.tls and got.login == USER
    untrusted = EmailPoster.from_url(smtp_url(controller.port, scheme, tls=None))
    with pytest.raises(PostError) as error, smtp_server(Inbox(), **options) as again:
        untrusted.target = SmtpTarget.parse(smtp_url(again.port, scheme, tls=None))
        await untrusted.post(Post(forward_key(forward_request()).channel, text, "k"))
    assert not error.value.permanent  # an untrusted certificate is retried (and reported if it persists)
