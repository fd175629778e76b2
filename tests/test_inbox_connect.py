"""IMAP_URL's rules (SMTP_URL's), TLS required unless ?tls=none, and a server that keeps keywords marked by keyword."""

from __future__ import annotations

import pytest
from email_server import self_signed
from imap_server import PASSWORD, imap_server, imap_url
from test_inbox import NEWSLETTER, REPLY

from adapters.inbox import HANDLED, ImapTarget, InboxError, InboxReader


def test_the_url_names_the_server_the_login_and_the_mailbox() -> None:
    target = ImapTarget.parse("imaps://owner%40acme.example:p%40ss@imap.example.com/Replies")
    assert (target.host, target.port, target.implicit_tls, target.plain) == ("imap.example.com", 993, True, False)
    assert (target.username, target.password, target.mailbox) == ("owner@acme.example", "p@ss", "Replies")
    assert str(target) == "imaps://owner@acme.example@imap.example.com:993/Replies"
    assert "p@ss" not in repr(target)
    plain = ImapTarget.parse("imap://u:p@127.0.0.1:1143?tls=none")
    assert (plain.port, plain.implicit_tls, plain.plain, plain.mailbox) == (1143, False, True, "INBOX")
    assert ImapTarget.parse("imap://u:p@host").port == 143 and not ImapTarget.parse("imap://u:p@host").plain


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("pop3://u:secret-pw@host", 'starts with "pop3:"'),
        ("imaps://u:secret-pw@/INBOX", "names no host"),
        ("imaps://host/INBOX", "needs the user and the (app) password"),
        ("imap://u:secret-pw@host?tls=maybe", "tls=maybe is not a choice"),
        ("imaps://u:secret-pw@host?tls=none", "imaps:// always uses TLS"),
        ("imap://u:secret-pw@host?folder=x", 'unknown parameter "folder"'),
        ("imap://u:secret-pw@host:99999", "is not a URL"),
    ],
)
def test_bad_urls_are_explained_without_the_password(bad: str, says: str) -> None:
    with pytest.raises(ValueError, match="IMAP_URL") as error:
        ImapTarget.parse(bad)
    assert says in str(error.value) and "secret-pw" not in str(error.value)


async def test_without_starttls_the_password_is_never_sent(imap) -> None:
    with pytest.raises(InboxError) as error:
        await InboxReader.from_url(imap_url(imap.port, tls=None)).connect()
    assert str(error.value).startswith(f"127.0.0.1:{imap.port} does not offer STARTTLS, and IMAP_URL requires TLS")
    assert PASSWORD not in str(error.value)


async def test_starttls_is_used_when_the_server_offers_it(tmp_path) -> None:
    contexts = self_signed(tmp_path)
    if contexts is None:
        pytest.skip("no openssl tool to make a certificate")
    server_tls, client_tls = contexts
    with imap_server(tls=server_tls) as server:
        server.deliver(REPLY)
        async with InboxReader.from_url(imap_url(server.port, tls=None), tls_context=client_tls) as inbox:
            assert inbox.box is not None and inbox.box.client.sock.version() is not None  # an SSLSocket
            (reply,) = await inbox.candidates()
            assert "Yes, 3pm works." in ((await inbox.read(reply)).plain or "")


async def test_a_server_that_keeps_keywords_gets_the_keyword_and_the_mail_stays_where_it_is() -> None:
    with imap_server(keywords=True) as server:
        server.deliver(NEWSLETTER)
        server.deliver(REPLY)
        async with InboxReader.from_url(imap_url(server.port)) as first:
            assert first.keywords and HANDLED in first.marker
            reply = (await first.candidates())[1]
            assert await first.mark_handled(reply.uid) is True
            assert await first.mark_handled(reply.uid) is False
        async with InboxReader.from_url(imap_url(server.port)) as restarted:
            assert [c.sender for c in await restarted.candidates()] == ["news@shop.example"]
        assert server.flags() == {101: set(), 102: {HANDLED, "\\Seen"}}
