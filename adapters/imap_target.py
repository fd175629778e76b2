"""IMAP_URL: where the inbox reader connects and how (SMTP_URL's rules), the password kept out of every text."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from adapters.mail_url import MailUrl

DEFAULT_PORTS = {"imaps": 993, "imap": 143}
USAGE = (
    "use imaps://user:password@host:993/INBOX (TLS from the start), imap://user:password@host:143/INBOX (STARTTLS, "
    "required), or imap://...?tls=none (no TLS at all: only for a server on this machine or a network you trust)"
)


class InboxError(Exception):
    """The mailbox could not be read or changed; the message names the server, never the password."""


@dataclass(frozen=True)
class ImapTarget:
    """Where and how to connect: the rules of SMTP_URL (adapters/email.py), and the mailbox as the URL's path."""

    host: str
    port: int
    implicit_tls: bool
    username: str
    password: str = field(repr=False)
    mailbox: str = "INBOX"
    plain: bool = False

    @classmethod
    def parse(cls, url: str) -> ImapTarget:
        read = MailUrl.parse(url, "IMAP_URL", DEFAULT_PORTS, "imaps", USAGE)
        if not read.username or not read.password:
            raise ValueError(f"IMAP_URL needs the user and the (app) password; {USAGE}")
        mailbox = unquote(read.parts.path.strip("/")) or "INBOX"
        return cls(read.host, read.port, read.implicit_tls, read.username, read.password, mailbox, read.plain)

    def __str__(self) -> str:
        scheme = "imaps" if self.implicit_tls else "imap"
        return f"{scheme}://{self.username}@{self.host}:{self.port}/{self.mailbox}" + (
            "?tls=none" if self.plain else ""
        )
