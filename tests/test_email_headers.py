"""Forwarded emails with long, comma-bearing and non-ASCII display names reach the loopback SMTP server whole; an email
that cannot be sent fails for good, the client and the owner are told, and no row stays in flight."""

from __future__ import annotations

from datetime import timedelta

import aiosmtplib
import pytest
from email_server import Inbox, smtp_server
from factories import OWNER_INBOX, forward_request, make_policy, ny
from test_email_forwarding import MONDAY_9PM, ROLES, World

from bot.clock import SimulatedClock
from bot.forwarding import FORWARD_WINDOW, Addresses, compose_email, forward_data, forward_key
from bot.forwarding_service import Forwarding
from bot.queue import DeliveryState, PlannedDelivery
from bot.scheduling import Scheduling
from storage.database import Database

BUSINESS = "Bright Path Consulting Group of New York and New Jersey, LLC"
POLICY = make_policy(business_name=BUSINESS)
CLIENT_NAME = "Samantha Alexandra Worthington-Fairbanks, Director of Operations, Acme Holdings"  # 80, Slack's most
NON_ASCII = "Zoë Müller-Łukasiewicz, CPA (Ünïcode Ventures), Büro für Übersetzungen"


def bright_path(database: Database, port: int, **options) -> World:
    """The test_email_forwarding world, for the business with the long name."""
    world = World(database, SimulatedClock(MONDAY_9PM), port, **options)
    world.bridge = Forwarding(world.queue, POLICY, ROLES, world.clock, Addresses.for_policy(POLICY, owner=OWNER_INBOX))
    world.scheduling = Scheduling(world.scheduling.store, world.queue, POLICY, world.sender, world.clock, ROLES)
    return world


def one_address(header) -> tuple[str, str]:
    (address,) = header.addresses
    return address.display_name, address.addr_spec


@pytest.mark.parametrize("name", [CLIENT_NAME, NON_ASCII, 'Sam "the boss" O\'Neil, Jr. <ceo>; (CFO)'])
async def test_long_and_comma_bearing_names_arrive_as_one_address_each(database, smtp, inbox: Inbox, name) -> None:
    world = bright_path(database, smtp.port)
    assert (await world.bridge.forward(forward_request(author_name=name), "U_CLIENT")).queued
    await world.send_until_done()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.SENT, row.last_error
    (got,) = inbox.received
    assert got.mail_from == "hello@acme.example" and got.rcpt_tos == [OWNER_INBOX]
    assert one_address(got.message["From"]) == (f"boundary-bot for {BUSINESS}", "hello@acme.example")
    assert one_address(got.message["Reply-To"]) == (name, "sam@client.example")


def test_the_stored_email_keeps_every_line_within_78_columns_where_the_names_allow() -> None:
    text = compose_email(forward_request(author_name=NON_ASCII), POLICY, Addresses.for_policy(POLICY))
    headers = text.split("\n\n", 1)[0]
    assert headers.isascii()  # the non-ASCII name is RFC 2047 encoded words
    assert "=?utf-8?" in headers.split("Reply-To:", 1)[1].split("\nSubject:", 1)[0]
    assert all(len(line) <= 78 for line in headers.splitlines() if not line.startswith("From:"))


async def queue_as_stored(world: World, text: str) -> None:
    """A forward row holding `text`, as an earlier version of the bridge stored it."""
    key, now = forward_key(forward_request()), world.clock()
    await world.queue.enqueue(
        [
            PlannedDelivery(
                key, now, now + FORWARD_WINDOW, text, data=forward_data(forward_request(), notify="U_CLIENT")
            )
        ],
        now,
    )


STORED = (
    "From: {sender}\nTo: {owner}\nSubject: [boundary-bot] Sam: hi\nMessage-ID: <abc.forward@acme.example>\n"
    'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: 7bit\nMIME-Version: 1.0\n\nhi\n'
)
# What the bridge stored before this fix: Python 3.11 folds the quoted name and drops its quotes.
BROKEN = STORED.format(
    sender="boundary-bot for Bright Path Consulting Group of New York and New\n Jersey, LLC <hello@acme.example>",
    owner=OWNER_INBOX,
)


async def test_an_email_that_cannot_be_sent_fails_for_good_and_everyone_is_told(database, smtp, inbox: Inbox) -> None:
    world = bright_path(database, smtp.port)
    await queue_as_stored(world, BROKEN)
    report = await world.sender.run_once()  # raised ValueError before: the row stayed in flight
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 1 and report.failed == 1
    assert "From header" in row.last_error and inbox.attempts == 0 and inbox.received == []
    await world.scheduling.tick()
    (notice,) = [post for post, _ in world.chat.posts]
    assert notice.channel.channel_id == "U_CLIENT" and "could not be sent to our inbox" in notice.text
    world.clock.set(ny(2026, 11, 24, 9, 5))  # the owner's digest at Tuesday's opening
    await world.scheduling.tick()
    (digest,) = [post for post, _ in world.chat.posts if post.channel.channel_id == "U_OWNER"]
    assert "• email forward of Sam's message in #C_CLIENT (slack): the email's From header" in digest.text


async def test_a_value_error_from_aiosmtplib_is_a_permanent_failure(database, smtp, inbox: Inbox) -> None:
    world = bright_path(database, smtp.port)
    # The To header parses to a whole address, but aiosmtplib will not put "<" on an SMTP command line.
    await queue_as_stored(world, STORED.format(sender="Bot <hello@acme.example>", owner="<olivia@[home<example]>"))
    await world.sender.run_once()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 1
    assert "cannot be sent as written: ValueError" in row.last_error and inbox.received == []


async def test_a_refused_sender_is_a_permanent_failure(database, smtp, inbox: Inbox) -> None:
    inbox.refuse_sender = "553 5.7.1 Sender address rejected: not owned by user"
    world = bright_path(database, smtp.port)
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.sender.run_once()
    world.clock.advance(timedelta(minutes=11))
    await world.sender.run_once()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 1 and "553 5.7.1 Sender address" in row.last_error


async def send_raw(port: int, content: bytes, *, utf8: bool = False) -> None:
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as client:
        await client.sendmail(
            "bot@acme.example", ["olivia@home.example"], content, mail_options=["SMTPUTF8"] if utf8 else None
        )


def raw(subject: str, body_line: str) -> bytes:
    return f"From: bot@acme.example\r\nTo: olivia@home.example\r\nSubject: {subject}\r\n\r\n{body_line}\r\n".encode()


async def test_the_loopback_server_fails_a_test_whose_message_breaks_a_line_or_header_limit() -> None:
    inbox = Inbox()
    with pytest.raises(AssertionError) as failed, smtp_server(inbox) as server:
        await send_raw(server.port, raw("fine", "x" * 998))  # exactly the limit
        await send_raw(server.port, raw("Zoë's invoice", "fine"), utf8=True)  # UTF-8 headers with SMTPUTF8
        with pytest.raises(aiosmtplib.SMTPDataError) as refused:
            await send_raw(server.port, raw("too long", "x" * 999))
        assert refused.value.code == 554 and "998-octet line limit" in refused.value.message
        with pytest.raises(aiosmtplib.SMTPDataError):
            await send_raw(server.port, raw("Zoë's invoice", "fine"))  # 8-bit header, no SMTPUTF8
    assert len(inbox.received) == 2
    assert str(failed.value) == (
        "the loopback SMTP server was sent a message that breaks SMTP's limits: line 5 has "
        "999 octets, over the 998-octet line limit (RFC 5321 4.5.3.1.6); the headers hold "
        "8-bit octets but MAIL FROM had no SMTPUTF8: headers must be 7-bit (RFC 5322 2.2, "
        "RFC 6531)"
    )


async def test_a_40000_character_message_is_forwarded_within_the_limits(database, smtp, inbox: Inbox) -> None:
    text = ("Zoë's Henderson invoice, line by line ✓ " * 700 + "y" * 12_000)[:40_000]  # one line, a long unbroken run
    assert len(text) == 40_000
    world = bright_path(database, smtp.port)
    await world.bridge.forward(forward_request(text=text, author_name=NON_ASCII), "U_CLIENT")
    await world.send_until_done()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.SENT, row.last_error
    (got,) = inbox.received
    assert text in got.message.get_content() and inbox.violations == []
