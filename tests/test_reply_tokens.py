"""Reply tokens read back only with the secret that made them, from the plus address or the Message-IDs of a reply."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reply_tokens import (
    MAC_BYTES,
    answered_request,
    candidate_tokens,
    make_token,
    message_id,
    read_token,
    reply_address,
    request_of,
    token_of_address,
)

SECRET = b"0123456789abcdef0123456789abcdef"
OTHER = b"fedcba9876543210fedcba9876543210"
INBOX = "Owner.Name@Example.com"


def test_a_token_reads_back_to_its_request_id():
    token = make_token("r-1042", SECRET)
    assert token.islower() and token.isalnum() and len(token) == 23  # 14 bytes, 112 bits
    assert read_token(token, SECRET) == "r-1042"


@given(st.text(min_size=1, max_size=16).filter(lambda s: len(s.encode()) <= 16))
def test_every_short_request_id_round_trips_and_fits_a_local_part(request_id):
    token = make_token(request_id, SECRET)
    assert read_token(token, SECRET) == request_id
    assert read_token(token.upper(), SECRET) == request_id  # a mail system that upper-cases the address
    assert len("owner.name+" + token) <= 64


def test_a_token_from_another_secret_is_refused():
    assert read_token(make_token("r-1042", OTHER), SECRET) is None
    assert read_token(make_token("r-1042", SECRET), b"") is None


def test_a_forged_mac_or_a_changed_request_id_is_refused():
    token = make_token("r-1042", SECRET).upper()
    raw = base64.b32decode(token + "=" * (-len(token) % 8))
    forged_mac = bytes([raw[0] ^ 1]) + raw[1:]
    other_id = raw[:MAC_BYTES] + b"r-1043"
    for forged in (forged_mac, other_id):
        token = base64.b32encode(forged).decode().rstrip("=").lower()
        assert read_token(token, SECRET) is None


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a" * 15, "a" * 16, "0" * 24, "!" * 24, "a" * 40, "x" * 1_000, "r-1042", "mfzwi===mfzwi==="],
)
def test_malformed_tokens_are_refused(token):
    assert read_token(token, SECRET) is None


def test_a_token_with_other_trailing_bits_is_refused():
    token = make_token("r-1042", SECRET)
    last = "abcdefghijklmnopqrstuvwxyz234567"
    twin = token[:-1] + last[last.index(token[-1]) ^ 1]
    assert read_token(twin, SECRET) is None


def test_a_request_id_too_long_for_a_local_part_or_an_empty_secret_is_an_error():
    with pytest.raises(ValueError, match="1 to 16 bytes"):
        make_token("x" * 17, SECRET)
    with pytest.raises(ValueError, match="1 to 16 bytes"):
        make_token("", SECRET)
    with pytest.raises(ValueError, match="secret is empty"):
        make_token("r-1", b"")


def test_the_reply_address_is_a_plus_address_of_the_inbox():
    assert reply_address("inbox@example.com", "abc") == "inbox+abc@example.com"
    assert reply_address("inbox+old@example.com", "abc") == "inbox+abc@example.com"
    with pytest.raises(ValueError):
        reply_address("not-an-address", "abc")


def test_the_address_matches_the_inbox_whatever_the_case():
    token = make_token("r-7", SECRET)
    assert token_of_address(f"owner.name+{token.upper()}@EXAMPLE.COM", INBOX) == token.upper()
    assert token_of_address(f"someone+{token}@example.com", INBOX) is None
    assert token_of_address(f"owner.name+{token}@example.org", INBOX) is None
    assert token_of_address("owner.name@example.com", INBOX) is None
    assert token_of_address("owner.name+short@example.com", INBOX) is None


def test_a_reply_is_matched_by_its_plus_address():
    token = make_token("r-7", SECRET)
    headers = [("From", "Owner <owner.name@example.com>"), ("To", f'"Inbox" <owner.name+{token}@example.com>')]
    assert request_of(headers, INBOX, SECRET) == "r-7"


def test_a_reply_is_matched_by_in_reply_to_or_references_when_the_address_lost_its_tag():
    token = make_token("r-8", SECRET)
    forwarded = message_id(token, "example.com")
    assert forwarded == f"<bb.{token}@example.com>"
    assert request_of([("To", INBOX), ("In-Reply-To", forwarded)], INBOX, SECRET) == "r-8"
    references = f"<CAx1@mail.gmail.com> {forwarded.upper()}\r\n <other@example.com>"
    assert request_of([("To", INBOX), ("References", references)], INBOX, SECRET) == "r-8"


def test_the_plus_address_comes_first_then_in_reply_to_then_the_newest_reference():
    first, second, third = (make_token(f"r-{n}", SECRET) for n in (1, 2, 3))
    headers = [
        ("References", f"{message_id(first, 'h')} {message_id(second, 'h')}"),
        ("In-Reply-To", message_id(third, "h")),
        ("Delivered-To", f"owner.name+{first}@example.com"),
    ]
    assert candidate_tokens(headers, INBOX) == [first, third, second]
    headers = [("References", f"{message_id(first, 'h')} {message_id(second, 'h')}")]
    assert request_of(headers, INBOX, SECRET) == "r-2"


def test_forged_or_foreign_tokens_match_nothing_and_a_later_valid_one_still_does():
    forged = make_token("r-9", OTHER)
    valid = make_token("r-10", SECRET)
    assert request_of([("To", f"owner.name+{forged}@example.com")], INBOX, SECRET) is None
    headers = [("To", f"owner.name+{forged}@example.com"), ("In-Reply-To", message_id(valid, "example.com"))]
    assert request_of(headers, INBOX, SECRET) == "r-10"
    assert request_of([("Subject", f"Re: {valid}"), ("To", "garbage <<<")], INBOX, SECRET) is None


def test_only_the_owner_or_the_team_with_a_valid_token_answers_a_request():
    token = make_token("r-11", SECRET)
    headers = [("From", "Jane <jane@example.com>"), ("To", f"owner.name+{token}@example.com")]
    owners = ["Owner.Name@example.com", "jane@example.com"]
    assert answered_request("JANE@example.com", headers, inbox=INBOX, owners=owners, secret=SECRET) == "r-11"
    assert answered_request("client@example.org", headers, inbox=INBOX, owners=owners, secret=SECRET) is None
    assert answered_request("", headers, inbox=INBOX, owners=owners, secret=SECRET) is None
    assert answered_request("jane@example.com", headers, inbox=INBOX, owners=owners, secret=OTHER) is None
    forged = [("To", f"owner.name+{make_token('r-11', OTHER)}@example.com")]
    assert answered_request("jane@example.com", forged, inbox=INBOX, owners=owners, secret=SECRET) is None
