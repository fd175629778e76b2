"""A fetched mail as the core needs it: sender, headers, plain and HTML bodies, attachment names (stdlib email)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any, cast

from bot.outbound import Attachment

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UID = re.compile(rb"UID (\d+)")
SMALL_FILE = 4_000_000  # bytes: an attachment up to this is uploaded with the answer, a larger one only named


@dataclass(frozen=True)
class Candidate:
    """A new mail by its headers: the lowercased From address ("" when it names none or several), and its size."""

    uid: int
    sender: str
    headers: tuple[tuple[str, str], ...]
    size: int


@dataclass(frozen=True)
class InboundMail:
    """The mail whole: its bodies, the names of its attachments, and `problem` when it could not be read as one."""

    uid: int
    sender: str
    headers: tuple[tuple[str, str], ...]
    plain: str | None
    html: str | None
    attachments: tuple[str, ...] = ()
    cut: bool = False
    problem: str | None = None
    files: tuple[Attachment, ...] = ()  # the small attachments whole (SMALL_FILE), uploaded with the answer

    @property
    def identity(self) -> str:
        return identity(self.headers)


def identity(headers: tuple[tuple[str, str], ...]) -> str:
    """A mail's Message-ID, the same for every reader and after a move (a UID is neither): the key to post it
    under, so that two readers or a restart post it once. A mail without one is known by a digest of its headers."""
    for name, value in headers:
        if name.lower() == "message-id" and value.strip():
            return value.strip()
    digest = hashlib.sha256(repr(headers).encode("utf-8", errors="replace")).hexdigest()[:32]
    return f"<{digest}.headers@boundary-bot.invalid>"


def _message(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, _class=EmailMessage, policy=default_policy)


def _headers(message: EmailMessage) -> tuple[tuple[str, str], ...]:
    found = []
    for name, value in message.raw_items():
        try:
            text = str(message.policy.header_fetch_parse(name, value))
        except Exception:  # a header the email package cannot parse: its raw text, unfolded
            text = " ".join(str(value).split())
        found.append((name, text))
    return tuple(found)


def _sender(headers: tuple[tuple[str, str], ...]) -> str:
    values = [value for name, value in headers if name.lower() == "from"]
    addresses = [address for _, address in getaddresses(values) if "@" in address]
    return addresses[0].lower() if len(values) == 1 and len(addresses) == 1 else ""


def parse_candidates(lines: list[Any]) -> list[Candidate]:
    """The candidates of a FETCH (UID RFC822.SIZE BODY.PEEK[HEADER]) answer for several messages: imaplib gives each
    as a (line, headers) pair, the UID and size in that line or, from some servers, in the line after the literal."""
    found = []
    for number, line in enumerate(lines):
        if not (isinstance(line, tuple) and len(line) == 2):
            continue
        after = lines[number + 1] if number + 1 < len(lines) and isinstance(lines[number + 1], bytes) else b""
        uid, size = _UID.search(line[0]) or _UID.search(after), _SIZE.search(line[0]) or _SIZE.search(after)
        if uid is not None:
            headers = _headers(_message(line[1]))
            found.append(Candidate(int(uid.group(1)), _sender(headers), headers, int(size.group(1)) if size else 0))
    return found


def _text(part: EmailMessage) -> str | None:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else None
    return content if isinstance(content, str) else None


def parse_mail(candidate: Candidate, raw: bytes, *, cut: bool = False) -> InboundMail:
    """The mail's text/plain and text/html bodies (the first of each outside attachments) and attachment names;
    a mail the email package cannot read gets `problem` set, never an exception."""
    try:
        message = _message(raw)
        plain_part = message.get_body(preferencelist=("plain",))
        html_part = message.get_body(preferencelist=("html",))
        plain = _text(cast(EmailMessage, plain_part)) if plain_part is not None else None
        html = _text(cast(EmailMessage, html_part)) if html_part is not None else None
        parts = [part for part in message.iter_attachments() if part is not None]
        names = tuple(part.get_filename() or part.get_content_type() for part in parts)
        files = tuple(file for part in parts if not cut and (file := _small(part)) is not None)
    except Exception as error:  # the email package's parser is lenient; what it still refuses is named, not raised
        return InboundMail(candidate.uid, candidate.sender, candidate.headers, None, None, (), cut, str(error))
    written = (plain or "").strip() or (html or "").strip()
    problem = None if written else "the mail has no text or HTML body"
    return InboundMail(candidate.uid, candidate.sender, candidate.headers, plain, html, names, cut, problem, files)


def _small(part: EmailMessage) -> Attachment | None:
    """An attachment small enough to upload with the answer (Discord takes 10 MB from a bot; Slack far more)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload or len(payload) > SMALL_FILE:
        return None
    return Attachment(part.get_filename() or "attachment", part.get_content_type(), payload)
