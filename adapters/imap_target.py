"""IMAP_URL: where the inbox reader connects and how (SMTP_URL's rules), the password kept out of every text."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

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
        try:
            parts = urlsplit(url)
            port = parts.port
            query = parse_qs(parts.query, keep_blank_values=True)
        except ValueError:
            raise ValueError(f"IMAP_URL is not a URL; {USAGE}") from None
        if parts.scheme not in DEFAULT_PORTS:
            raise ValueError(f'IMAP_URL starts with "{parts.scheme}:"; {USAGE}')
        if not parts.hostname:
            raise ValueError(f"IMAP_URL names no host; {USAGE}")
        if not parts.username or not parts.password:
            raise ValueError(f"IMAP_URL needs the user and the (app) password; {USAGE}")
        if unknown := sorted(set(query) - {"tls"}):
            raise ValueError(f'IMAP_URL has an unknown parameter "{unknown[0]}"; the only one is tls=none')
        tls = query.get("tls", [])
        if parts.scheme == "imaps" and tls:
            raise ValueError("IMAP_URL: imaps:// always uses TLS; drop ?tls=, or use imap://...?tls=none for none")
        if tls and tls != ["none"] and tls != ["starttls"]:
            raise ValueError(f"IMAP_URL: tls={','.join(tls)} is not a choice; tls=starttls (the default) or tls=none")
        return cls(
            host=parts.hostname,
            port=port or DEFAULT_PORTS[parts.scheme],
            implicit_tls=parts.scheme == "imaps",
            username=unquote(parts.username),
            password=unquote(parts.password),
            mailbox=unquote(parts.path.strip("/")) or "INBOX",
            plain=tls == ["none"],
        )

    def __str__(self) -> str:
        scheme = "imaps" if self.implicit_tls else "imap"
        return f"{scheme}://{self.username}@{self.host}:{self.port}/{self.mailbox}" + (
            "?tls=none" if self.plain else ""
        )
