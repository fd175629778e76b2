"""Reply tokens: a request id and its truncated HMAC in one short base32 word, carried in a plus address or Message-ID."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Iterable
from email.utils import getaddresses

MAC_BYTES = 8  # 64 bits: a forger must guess it by sending mail, one try per message
MAX_ID_BYTES = 16  # so "name+TOKEN" fits the 64-octet local part of RFC 5321 4.5.3.1.1 (a token is at most 39 letters)
CONTEXT = b"boundary-bot reply token v1\x00"  # the secret's MACs for tokens differ from any other use of it
TOKEN = re.compile(r"[a-z2-7]{15,39}", re.IGNORECASE)
MESSAGE_ID_PREFIX = "bb."
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
_MESSAGE_ID = re.compile(r"<([^<>@\s]+)@[^<>\s]+>")


def _mac(request_id: bytes, secret: bytes) -> bytes:
    return hmac.new(secret, CONTEXT + request_id, hashlib.sha256).digest()[:MAC_BYTES]


def make_token(request_id: str, secret: bytes) -> str:
    """The lowercase base32 token (no padding) for `request_id`: MAC first, then the id, so it reads back alone."""
    raw = request_id.encode("utf-8")
    if not raw or len(raw) > MAX_ID_BYTES:
        raise ValueError(f"a request id is 1 to {MAX_ID_BYTES} bytes of UTF-8, not {len(raw)}")
    if not secret:
        raise ValueError("the reply token secret is empty")
    return base64.b32encode(_mac(raw, secret) + raw).decode("ascii").rstrip("=").lower()


def read_token(token: str, secret: bytes) -> str | None:
    """The request id a token stands for, or None when it is malformed, forged or made with another secret."""
    if not secret or not TOKEN.fullmatch(token):
        return None
    padded = token.upper() + "=" * (-len(token) % 8)
    try:
        raw = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        return None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != token.upper():
        return None  # the same bytes with other trailing bits: only the token made here is read
    mac, request_id = raw[:MAC_BYTES], raw[MAC_BYTES:]
    if not request_id or len(request_id) > MAX_ID_BYTES or not hmac.compare_digest(mac, _mac(request_id, secret)):
        return None
    try:
        return request_id.decode("utf-8")
    except UnicodeDecodeError:
        return None


def reply_address(inbox: str, token: str) -> str:
    """inbox+TOKEN@domain: where the owner's reply goes (plus addressing delivers it to the inbox itself)."""
    local, at, domain = inbox.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f'"{inbox}" is not an email address')
    return f"{local.split('+', 1)[0]}+{token}@{domain}"


def message_id(token: str, domain: str) -> str:
    """<bb.TOKEN@domain>: a forwarded email's Message-ID, which a reply names in In-Reply-To and References."""
    return f"<{MESSAGE_ID_PREFIX}{token}@{domain}>"


def token_of_address(address: str, inbox: str) -> str | None:
    """The token of inbox+TOKEN@domain; the mailbox name and domain compare case-insensitively (the token too)."""
    local, _, domain = address.strip().rpartition("@")
    mailbox, _, inbox_domain = inbox.rpartition("@")
    name, plus, tag = local.partition("+")
    if not plus or domain.lower() != inbox_domain.lower() or name.lower() != mailbox.split("+", 1)[0].lower():
        return None
    return tag if TOKEN.fullmatch(tag) else None


def token_of_message_id(value: str) -> list[str]:
    """The tokens of every <bb.TOKEN@host> in an In-Reply-To or References value, last (the newest) first."""
    found = []
    for local in reversed(_MESSAGE_ID.findall(value)):
        if local[: len(MESSAGE_ID_PREFIX)].lower() == MESSAGE_ID_PREFIX and TOKEN.fullmatch(
            tag := local[len(MESSAGE_ID_PREFIX) :]
        ):
            found.append(tag)
    return found


def candidate_tokens(headers: Iterable[tuple[str, str]], inbox: str) -> list[str]:
    """Every token the headers carry, in the order to trust them: the plus address the reply was sent to, then the
    message it answers (In-Reply-To), then the thread (References, newest first). Not yet verified."""
    by_name: dict[str, list[str]] = {}
    for name, value in headers:
        by_name.setdefault(name.lower(), []).append(str(value))
    found: list[str] = []
    for name in ADDRESS_HEADERS:
        for _, address in getaddresses(by_name.get(name.lower(), [])):
            if (token := token_of_address(address, inbox)) is not None:
                found.append(token)
    for name in ("in-reply-to", "references"):
        for value in by_name.get(name, []):
            found += token_of_message_id(value)
    return list(dict.fromkeys(found))


def request_of(headers: Iterable[tuple[str, str]], inbox: str, secret: bytes) -> str | None:
    """The request a reply answers: the first of its candidate tokens that verifies, or None (never posted)."""
    for token in candidate_tokens(headers, inbox):
        if (request_id := read_token(token, secret)) is not None:
            return request_id
    return None


def answered_request(
    sender: str, headers: Iterable[tuple[str, str]], *, inbox: str, owners: Iterable[str], secret: bytes
) -> str | None:
    """The request a mail answers, when it is from the owner's or a team address (compared whole, in any case) and
    carries a valid token; None for anything else, which stays in the mailbox and is never posted."""
    if not sender or sender.strip().lower() not in {owner.strip().lower() for owner in owners}:
        return None
    return request_of(headers, inbox, secret)
