"""A real SMTP server on loopback (aiosmtpd) that records what it accepts and can refuse for a while, plus TLS helpers."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "bot@acme.example", "s3cret-pa55"
LINE_OCTETS = 998  # RFC 5321 4.5.3.1.6 and RFC 5322 2.1.1: a line holds at most 998 octets before its CRLF


def broken_limits(content: bytes, smtp_utf8: bool) -> list[str]:
    """The SMTP limits a message breaks: lines over LINE_OCTETS, and 8-bit header octets without SMTPUTF8."""
    problems = [
        f"line {number} has {len(line)} octets, over the {LINE_OCTETS}-octet line limit (RFC 5321 4.5.3.1.6)"
        for number, line in enumerate(content.split(b"\r\n"), 1)
        if len(line) > LINE_OCTETS
    ]
    headers = content.split(b"\r\n\r\n", 1)[0]
    if not smtp_utf8 and not headers.isascii():
        problems.append(
            "the headers hold 8-bit octets but MAIL FROM had no SMTPUTF8: headers must be 7-bit "
            "(RFC 5322 2.2, RFC 6531)"
        )
    return problems


@dataclass
class Received:
    """One accepted message: the envelope and the parsed email."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool
    login: str | None


@dataclass
class Inbox:
    """The aiosmtpd handler: refuses the first `refuse` DATA commands with `refusal`, then accepts; refuses every
    MAIL FROM with `refuse_sender` when set; refuses (554) and records in `violations` a message that breaks a limit
    of `broken_limits`, and smtp_server then fails the test, naming the limit."""

    refuse: int = 0
    refusal: str = "451 4.3.0 Mailbox busy, try again later"
    refuse_sender: str | None = None
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if problems := broken_limits(envelope.original_content, envelope.smtp_utf8):
            self.violations += problems
            return f"554 5.6.0 {problems[0]}"
        if self.refuse > 0:
            self.refuse -= 1
            return self.refusal
        message = message_from_bytes(
            envelope.original_content or envelope.content, _class=EmailMessage, policy=default_policy
        )
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                message,
                tls=server.transport.get_extra_info("ssl_object") is not None,
                login=login,
            )
        )
        return "250 2.0.0 OK: queued"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False, auth_data=auth_data)


class LoopbackController(Controller):
    """aiosmtpd's threaded controller on a port the OS picks (port=0), which it then reads back."""

    def factory(self) -> Any:
        server = super().factory()
        server.line_length_limit = 1 << 20  # long lines reach the Inbox, which names the limit they break
        return server

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(inbox: Inbox, **options: Any) -> Iterator[LoopbackController]:
    """A running server on 127.0.0.1 with login (over plain text unless a TLS option says otherwise); on leaving,
    an AssertionError naming the limit if any message broke one (see `broken_limits`)."""
    options.setdefault("auth_require_tls", False)
    controller = LoopbackController(inbox, hostname="127.0.0.1", port=0, authenticator=inbox.authenticate, **options)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
    if inbox.violations:
        raise AssertionError(
            "the loopback SMTP server was sent a message that breaks SMTP's limits: " + "; ".join(inbox.violations)
        )


def smtp_url(port: int, scheme: str = "smtp", tls: str | None = "none") -> str:
    """The SMTP URL that logs in to a loopback server on `port` as USER: plain text by default (the `smtp` server
    offers no STARTTLS), `tls=None` to require STARTTLS, `scheme` smtps for implicit TLS."""
    query = f"?tls={tls}" if tls and scheme == "smtp" else ""
    return f"{scheme}://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}{query}"


def self_signed(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext] | None:
    """(server context, client context trusting it) for 127.0.0.1, made with the openssl tool; None without it."""
    if shutil.which("openssl") is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(cert))
    return server, client


SECRET = b"0123456789abcdef0123456789abcdef"  # REPLY_SECRET in the tests


def owner_replies(
    forwarded: EmailMessage,
    text: str,
    *,
    sender: str = "Olivia <olivia@home.example>",
    files: dict[str, bytes] | None = None,
) -> bytes:
    """What the owner's mail program sends on Reply: to the Reply-To, in the thread, the forward quoted below, and
    `files` attached."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = forwarded["Reply-To"]
    reply["Subject"] = "Re: " + forwarded["Subject"]
    reply["Message-ID"] = make_msgid(domain="home.example")
    reply["In-Reply-To"] = forwarded["Message-ID"]
    reply["References"] = forwarded["Message-ID"]
    quoted = "\n".join("> " + line for line in forwarded.get_content().splitlines())
    reply.set_content(
        f"{text}\n\n--\nOlivia Chen\nAcme Admin Co.\n\nOn Mon, Nov 23, 2026 at 9:00 PM boundary-bot wrote:\n{quoted}\n"
    )
    for name, data in (files or {}).items():
        reply.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(reply)
