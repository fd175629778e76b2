"""A FETCH answer and a raw mail read as the core needs them, whatever order the server puts UID and size in."""

from __future__ import annotations

from adapters.inbox_mail import Candidate, parse_candidates, parse_mail

HEADERS = b"From: Owner <Owner@Acme.example>\r\nSubject: Re: call\r\n\r\n"


def test_uid_and_size_are_read_before_or_after_the_literal():
    lines = [
        (b"1 (UID 101 RFC822.SIZE 75 BODY[HEADER] {55}", HEADERS),
        b")",
        (b"2 (BODY[HEADER] {55}", HEADERS),
        b" UID 102 RFC822.SIZE 80)",
        (b"3 (RFC822.SIZE 9 BODY[HEADER] {55}", HEADERS),
        b")",  # no UID at all: not a candidate
    ]
    found = parse_candidates(lines)
    assert [(c.uid, c.size, c.sender) for c in found] == [
        (101, 75, "owner@acme.example"),
        (102, 80, "owner@acme.example"),
    ]
    assert found[0].headers == (("From", "Owner <Owner@Acme.example>"), ("Subject", "Re: call"))


def test_a_multipart_mail_gives_its_bodies_and_names_its_attachments():
    raw = (
        b"From: owner@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
        b"--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n"
        b"--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the quote attached.\r\n"
        b"--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See the quote attached.</p>\r\n--b2--\r\n"
        b"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=quote.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b1--\r\n"
    )
    mail = parse_mail(Candidate(7, "owner@acme.example", (), len(raw)), raw)
    assert mail.plain == "See the quote attached."  # the boundary's line break belongs to the boundary
    assert mail.html is not None and "<p>See the quote attached.</p>" in mail.html
    assert mail.attachments == ("quote.pdf",) and mail.problem is None


def test_an_html_only_mail_has_no_plain_body():
    raw = b"From: owner@acme.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>Yes.</div>\r\n"
    mail = parse_mail(Candidate(8, "owner@acme.example", (), len(raw)), raw)
    assert mail.plain is None and mail.html is not None and mail.problem is None


def test_a_mail_is_known_by_its_message_id_or_else_by_its_headers():
    with_id = (("From", "owner@acme.example"), ("Message-ID", " <reply-1@mail.acme.example> "))
    without = (("From", "owner@acme.example"), ("Subject", "Re: call"))
    assert parse_mail(Candidate(1, "", with_id, 0), b"x").identity == "<reply-1@mail.acme.example>"
    first, again = (parse_mail(Candidate(uid, "", without, 0), b"x").identity for uid in (1, 2))
    assert first == again and first.endswith(".headers@boundary-bot.invalid>")
    other = parse_mail(Candidate(1, "", (*without, ("Date", "Fri, 4 Dec 2026")), 0), b"x").identity
    assert other != first
