"""EmailPoster: the "email" Poster that mails the core's composed messages over SMTP (aiosmtplib), errors mapped to PostError."""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_string
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate
from typing import cast

import aiosmtplib

from adapters.mail_url import MailUrl
from bot.forwarding import EMAIL_PLATFORM, EMAIL_POLICY
from bot.outbound import CommandButton, Post, PostError

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
USAGE = (
    "use smtps://user:password@host:465 (TLS from the start), smtp://user:password@host:587 (STARTTLS, "
    "required), or smtp://...?tls=none (no TLS at all: only for a server on this machine or a network you trust)"
)
TIMEOUT_SECONDS = 30.0
WIRE_POLICY = EMAIL_POLICY.clone(linesep="\r\n")  # folds like the stored text, so a display name keeps its quotes
# Connection trouble is retried; anything else (a header aiosmtplib cannot send, a missing extension) is permanent.
CONNECTION_ERRORS = (
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPTimeoutError,
    OSError,
    TimeoutError,
)


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to connect; the password never appears in repr, logs or errors. TLS is required (implicit, or
    STARTTLS that the server must offer) unless `plain` (SMTP_URL's explicit ?tls=none)."""

    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    plain: bool = False

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        """smtps://user:pass@host:465, smtp://user:pass@host:587 (STARTTLS required) or smtp://...?tls=none."""
        read = MailUrl.parse(url, "SMTP_URL", DEFAULT_PORTS, "smtps", USAGE)
        return cls(read.host, read.port, read.implicit_tls, read.username, read.password, read.plain)

    def __str__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        where = f"{scheme}://{self.username + '@' if self.username else ''}{self.host}:{self.port}"
        return where + ("?tls=none" if self.plain else "")


def post_error(error: Exception, target: SmtpTarget) -> PostError:
    """4xx answers and connection trouble are transient; 5xx answers (refused, bad login) and an email that cannot be
    sent as written (aiosmtplib's ValueError for a bad address, a missing SMTP extension) are permanent."""
    if isinstance(error, PostError):
        return error
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
        return PostError(f"{target.host} refused the recipient: {detail}", permanent=all(c >= 500 for c in codes))
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return PostError(f"{target.host} answered {error.code} {error.message}", permanent=error.code >= 500)
    if isinstance(error, CONNECTION_ERRORS):
        return PostError(f"could not reach {target.host}:{target.port}: {type(error).__name__}", permanent=False)
    if isinstance(error, aiosmtplib.SMTPException):
        return PostError(f"{target.host}: {error}", permanent=True)
    return PostError(f"the email cannot be sent as written: {type(error).__name__}: {error}", permanent=True)


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP sender and recipients from the headers: exactly one From address, and every From, To, Cc and
    Reply-To address whole (a header that parses into a broken address is refused here, never sent)."""
    found: dict[str, list] = {}
    for name in ("From", "To", "Cc", "Reply-To"):
        header = message[name]
        found[name] = list(getattr(header, "addresses", ())) if header is not None else []
        if header is not None and (not found[name] or any(not a.username or not a.domain for a in found[name])):
            raise PostError(f'the email\'s {name} header does not parse to whole addresses: "{header}"', permanent=True)
    if len(found["From"]) != 1:
        raise PostError(f'the email\'s From header must name one address, not: "{message["From"]}"', permanent=True)
    if not found["To"] + found["Cc"]:
        raise PostError("the email names no recipient", permanent=True)
    return found["From"][0].addr_spec, [a.addr_spec for a in found["To"] + found["Cc"]]


def no_starttls(target: SmtpTarget) -> PostError:
    return PostError(
        f"{target.host}:{target.port} does not offer STARTTLS, and SMTP_URL requires TLS: nothing was "
        "sent, the password neither. Use the server's TLS port (smtps://host:465, or a port offering "
        "STARTTLS), or add ?tls=none to SMTP_URL to send in the clear",
        permanent=True,
    )


@asynccontextmanager
async def session(
    target: SmtpTarget, tls_context: ssl.SSLContext | None, timeout: float
) -> AsyncIterator[aiosmtplib.SMTP]:
    """Connected, over TLS unless `target.plain` (implicit, or STARTTLS, which the server must offer: otherwise a
    permanent PostError before any login), then logged in; the connection is closed on leaving."""
    client = aiosmtplib.SMTP(
        hostname=target.host,
        port=target.port,
        use_tls=target.implicit_tls,
        start_tls=False,
        tls_context=tls_context,
        timeout=timeout,
    )
    await client.connect()
    try:
        if not target.implicit_tls and not target.plain:
            await client.ehlo()
            if not client.supports_extension("starttls"):
                raise no_starttls(target)
            await client.starttls()
        if target.username:
            await client.login(target.username, target.password or "")
        yield client
    finally:
        try:
            await client.quit()
        except Exception:
            client.close()


async def verify(
    target: SmtpTarget, *, tls_context: ssl.SSLContext | None = None, timeout: float = TIMEOUT_SECONDS
) -> tuple[str, bool]:
    """Connect, negotiate TLS and log in without sending anything (`boundary-bot check --live`): what happened, and
    whether the connection was over TLS; PostError on failure (a server without the STARTTLS it must offer too)."""
    try:
        async with session(target, tls_context, timeout) as client:
            secured = target.implicit_tls or client.get_transport_info("sslcontext") is not None
    except (aiosmtplib.SMTPException, OSError, TimeoutError, PostError) as error:
        raise post_error(error, target) from None
    login = f"logged in as {target.username}" if target.username else "no login"
    tls = "TLS" if secured else "NO TLS (tls=none: the password and every message cross the network in the clear)"
    return f"{target}: connected, {tls}, {login}", secured


class EmailPoster:
    """Implements bot.outbound.Poster for platform "email": one SMTP connection per message (forwards are rare)."""

    platform = EMAIL_PLATFORM

    def __init__(
        self, target: SmtpTarget, *, tls_context: ssl.SSLContext | None = None, timeout: float = TIMEOUT_SECONDS
    ):
        self.target = target
        self.tls_context = tls_context
        self.timeout = timeout

    @classmethod
    def from_url(cls, url: str, **options) -> EmailPoster:
        return cls(SmtpTarget.parse(url), **options)

    async def post(self, post: Post) -> str:
        """Send the stored message; return its Message-ID (the same on every attempt). Every failure is a PostError:
        one that cannot succeed later is permanent, so the row fails at once and reaches the owner's digest."""
        target = self.target
        message = cast(EmailMessage, message_from_string(post.text, _class=EmailMessage, policy=EMAIL_POLICY))
        try:
            if "Date" not in message:
                message["Date"] = formatdate(usegmt=True)
            sender, recipients = envelope(message)
            utf8 = not all(address.isascii() for address in [sender, *recipients])
            wire = message.as_bytes(policy=WIRE_POLICY.clone(utf8=True) if utf8 else WIRE_POLICY)
            async with session(target, self.tls_context, self.timeout) as client:
                await client.sendmail(sender, recipients, wire, mail_options=["SMTPUTF8"] if utf8 else None)
        except (
            aiosmtplib.SMTPException,
            OSError,
            TimeoutError,
            ValueError,
            TypeError,
            MessageError,
            PostError,
        ) as error:
            mapped = post_error(error, target)
            log.warning("email %s via %s failed: %s", post.key, target, mapped)
            raise mapped from None
        log.info("email %s sent to %s via %s", message["Message-ID"], message["To"], target)
        return str(message["Message-ID"])

    async def find_posted(self, post: Post) -> str | None:
        """SMTP cannot say whether a message arrived; a resend carries the same Message-ID, which mail clients merge."""
        return None

    async def direct_message(
        self, workspace_id: str, user_id: str, text: str, key: str, buttons: tuple[CommandButton, ...] = ()
    ) -> str:
        raise PostError("email has no direct messages", permanent=True)
