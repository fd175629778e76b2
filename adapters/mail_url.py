"""SMTP_URL and IMAP_URL read alike: a scheme with TLS from the start or STARTTLS, user and password, ?tls=none."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class MailUrl:
    """A mail server's URL, checked: `implicit_tls` for the TLS scheme, `plain` for ?tls=none (no TLS at all)."""

    parts: SplitResult
    host: str
    port: int
    implicit_tls: bool
    username: str | None
    password: str | None = field(repr=False)
    plain: bool

    @classmethod
    def parse(cls, url: str, setting: str, ports: dict[str, int], tls_scheme: str, usage: str) -> MailUrl:
        """`url` for `setting` (its name in errors), `ports` by scheme, `tls_scheme` the one with TLS from the start;
        ValueError naming what is wrong and `usage`, never the password."""
        try:
            parts = urlsplit(url)
            port = parts.port
            query = parse_qs(parts.query, keep_blank_values=True)
        except ValueError:
            raise ValueError(f"{setting} is not a URL; {usage}") from None
        if parts.scheme not in ports:
            raise ValueError(f'{setting} starts with "{parts.scheme}:"; {usage}')
        if not parts.hostname:
            raise ValueError(f"{setting} names no host; {usage}")
        if unknown := sorted(set(query) - {"tls"}):
            raise ValueError(f'{setting} has an unknown parameter "{unknown[0]}"; the only one is tls=none')
        tls = query.get("tls", [])
        starttls = next(scheme for scheme in ports if scheme != tls_scheme)
        if parts.scheme == tls_scheme and tls:
            raise ValueError(
                f"{setting}: {tls_scheme}:// always uses TLS; drop ?tls=, or use {starttls}://...?tls=none for none"
            )
        if tls and tls != ["none"] and tls != ["starttls"]:
            raise ValueError(
                f"{setting}: tls={','.join(tls)} is not a choice; tls=starttls (the default for {starttls}://, "
                "TLS required) or tls=none (no TLS, the password in the clear)"
            )
        return cls(
            parts=parts,
            host=parts.hostname,
            port=port or ports[parts.scheme],
            implicit_tls=parts.scheme == tls_scheme,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            plain=tls == ["none"],
        )
