"""EmailPoster: the "email" Poster that mails the core's composed messages over SMTP (aiosmtplib), errors mapped to PostError."""
from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from email import message_from_string
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

import aiosmtplib

from bot.forwarding import EMAIL_PLATFORM
from bot.outbound import Post, PostError

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to connect; the password never appears in repr, logs or errors."""

    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        """smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 (TLS from the start)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise ValueError("SMTP_URL is not a URL; use smtp://user:password@host:587 or smtps://...") from None
        if parts.scheme not in DEFAULT_PORTS:
            raise ValueError(f'SMTP_URL starts with "{parts.scheme}:"; use smtp:// (STARTTLS when offered) '
                             "or smtps:// (TLS from the start)")
        if not parts.hostname:
            raise ValueError("SMTP_URL names no host; use smtp://user:password@host:587")
        return cls(host=parts.hostname, port=port or DEFAULT_PORTS[parts.scheme], implicit_tls=parts.scheme == "smtps",
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None)

    def __str__(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{self.username + '@' if self.username else ''}{self.host}:{self.port}"


def post_error(error: Exception, target: SmtpTarget) -> PostError:
    """4xx answers and connection trouble are transient; 5xx answers (refused, bad login) are permanent."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
        return PostError(f"{target.host} refused the recipient: {detail}", permanent=all(c >= 500 for c in codes))
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return PostError(f"{target.host} answered {error.code} {error.message}", permanent=error.code >= 500)
    return PostError(f"could not reach {target.host}:{target.port}: {type(error).__name__}", permanent=False)


async def verify(target: SmtpTarget, *, tls_context: ssl.SSLContext | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> str:
    """Connect, negotiate TLS and log in without sending anything (`boundary-bot check --live`); PostError on failure."""
    client = aiosmtplib.SMTP(hostname=target.host, port=target.port, username=target.username,
                             password=target.password, use_tls=target.implicit_tls,
                             start_tls=False if target.implicit_tls else None, tls_context=tls_context, timeout=timeout)
    try:
        async with client:
            secured = target.implicit_tls or client.get_transport_info("sslcontext") is not None
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        raise post_error(error, target) from None
    login = f"logged in as {target.username}" if target.username else "no login"
    return f"{target}: connected, {'TLS' if secured else 'NO TLS (the server offers no STARTTLS)'}, {login}"


class EmailPoster:
    """Implements bot.outbound.Poster for platform "email": one SMTP connection per message (forwards are rare)."""

    platform = EMAIL_PLATFORM

    def __init__(self, target: SmtpTarget, *, tls_context: ssl.SSLContext | None = None,
                 timeout: float = TIMEOUT_SECONDS):
        self.target = target
        self.tls_context = tls_context
        self.timeout = timeout

    @classmethod
    def from_url(cls, url: str, **options) -> EmailPoster:
        return cls(SmtpTarget.parse(url), **options)

    async def post(self, post: Post) -> str:
        """Send the stored message; return its Message-ID (the same on every attempt)."""
        message = message_from_string(post.text, _class=EmailMessage, policy=default_policy)
        if "Date" not in message:
            message["Date"] = formatdate(usegmt=True)
        target = self.target
        client = aiosmtplib.SMTP(hostname=target.host, port=target.port, username=target.username,
                                 password=target.password, use_tls=target.implicit_tls,
                                 start_tls=False if target.implicit_tls else None,
                                 tls_context=self.tls_context, timeout=self.timeout)
        try:
            async with client:
                await client.send_message(message)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            mapped = post_error(error, target)
            log.warning("email to %s via %s failed: %s", message["To"], target, mapped)
            raise mapped from None
        log.info("email %s sent to %s via %s", message["Message-ID"], message["To"], target)
        return str(message["Message-ID"])

    async def find_posted(self, post: Post) -> str | None:
        """SMTP cannot say whether a message arrived; a resend carries the same Message-ID, which mail clients merge."""
        return None

    async def direct_message(self, workspace_id: str, user_id: str, text: str, key: str) -> str:
        raise PostError("email has no direct messages", permanent=True)
