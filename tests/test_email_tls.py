"""SMTP_URL requires TLS unless it says ?tls=none: a server without STARTTLS never gets the password, and the forward
fails for good with a clear reason; a bad URL or TLS choice is explained without the password."""

from __future__ import annotations

import pytest
from email_server import PASSWORD, Inbox, smtp_url
from factories import forward_request, make_policy
from test_email_forwarding import MONDAY_9PM, World

from adapters.email import EmailPoster, SmtpTarget
from bot.clock import SimulatedClock
from bot.forwarding import Addresses, compose_email, forward_key
from bot.outbound import Post, PostError
from bot.queue import DeliveryState

POLICY = make_policy()


async def test_without_starttls_nothing_is_sent_and_the_password_never_goes_out(smtp, inbox: Inbox, caplog) -> None:
    poster = EmailPoster.from_url(smtp_url(smtp.port, tls=None))  # smtp:// without ?tls=none: TLS required
    text = compose_email(forward_request(), POLICY, Addresses.for_policy(POLICY))
    with pytest.raises(PostError) as error:
        await poster.post(Post(forward_key(forward_request()).channel, text, "k"))
    assert error.value.permanent
    assert str(error.value) == (
        f"127.0.0.1:{smtp.port} does not offer STARTTLS, and SMTP_URL requires TLS: nothing "
        "was sent, the password neither. Use the server's TLS port (smtps://host:465, or a "
        "port offering STARTTLS), or add ?tls=none to SMTP_URL to send in the clear"
    )
    assert inbox.logins == [] and inbox.attempts == 0 and inbox.received == []
    assert PASSWORD not in caplog.text


async def test_the_forward_fails_at_once_and_the_client_is_told(database, smtp, inbox: Inbox) -> None:
    world = World(database, SimulatedClock(MONDAY_9PM), smtp.port)
    world.email.target = SmtpTarget.parse(smtp_url(smtp.port, tls=None))
    await world.bridge.forward(forward_request(), "U_CLIENT")
    await world.sender.run_once()
    (row,) = await world.forwards()
    assert row.state is DeliveryState.FAILED and row.attempts == 1 and "does not offer STARTTLS" in row.last_error
    await world.scheduling.tick()
    (notice,) = [post for post, _ in world.chat.posts]
    assert notice.channel.channel_id == "U_CLIENT" and "could not be sent to our inbox" in notice.text
    assert inbox.logins == []


async def test_tls_none_is_the_explicit_way_to_send_in_the_clear(smtp, inbox: Inbox) -> None:
    poster = EmailPoster.from_url(smtp_url(smtp.port, tls="none"))
    assert poster.target.plain and str(poster.target).endswith(f"127.0.0.1:{smtp.port}?tls=none")
    await poster.post(
        Post(
            forward_key(forward_request()).channel,
            compose_email(forward_request(), POLICY, Addresses.for_policy(POLICY)),
            "k",
        )
    )
    (got,) = inbox.received
    assert not got.tls and got.login is not None


def test_tls_choices_in_the_url() -> None:
    assert not SmtpTarget.parse("smtp://mail.example").plain
    assert not SmtpTarget.parse("smtp://mail.example?tls=starttls").plain
    assert SmtpTarget.parse("smtp://u:p@mail.example:25?tls=none") == SmtpTarget(
        "mail.example", 25, False, "u", "p", plain=True
    )


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("http://u:hunter2@mail.example", 'SMTP_URL starts with "http:"; use smtps://'),
        ("smtp://u:hunter2@", "SMTP_URL names no host; use smtps://"),
        ("smtp://u:hunter2@mail.example:port", "SMTP_URL is not a URL; use smtps://"),
        ("smtp://u:hunter2@mail.example?tls=off", "SMTP_URL: tls=off is not a choice; tls=starttls"),
        ("smtp://u:hunter2@mail.example?tls", "SMTP_URL: tls= is not a choice"),
        ("smtp://u:hunter2@mail.example?tls=none&verify=no", 'SMTP_URL has an unknown parameter "verify"'),
        ("smtps://u:hunter2@mail.example?tls=none", "SMTP_URL: smtps:// always uses TLS"),
    ],
)
def test_bad_smtp_urls_and_tls_choices_are_explained_without_the_password(bad: str, says: str) -> None:
    with pytest.raises(ValueError) as error:
        SmtpTarget.parse(bad)
    assert str(error.value).startswith(says) and "hunter2" not in str(error.value)
