"""A real IMAP server on loopback (pymap's in-memory backend, in a thread), with APPEND delivery and a flags probe."""

from __future__ import annotations

import asyncio
import imaplib
import re
import ssl
import threading
from argparse import Namespace
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from proxyprotocol.reader import ProxyProtocolReader
from pymap.backend.dict import DictBackend
from pymap.backend.dict.mailbox import MailboxData
from pymap.imap import IMAPServer
from pymap.parsing.specials.flag import Recent, Wildcard, get_system_flags

USER, PASSWORD = "owner@acme.example", "imap-s3cret-pa55"


class ImapServer:
    """pymap serving USER's mailbox on 127.0.0.1:`port` (STARTTLS when given a server TLS context). With `keywords`,
    its mailboxes keep any keyword (PERMANENTFLAGS \\*, as Dovecot's, Gmail's and Fastmail's do); pymap's in-memory
    backend otherwise keeps only the system flags."""

    def __init__(self, tls: ssl.SSLContext | None = None, keywords: bool = False) -> None:
        self.tls = tls
        self.keywords = keywords
        self.patched: Any = None
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="pymap", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        args = Namespace(
            host="127.0.0.1",
            port=0,
            debug=False,
            cert=None,
            key=None,
            tls=self.tls is not None,
            passlib_cfg=None,
            proxy_protocol=None,
            inherited_sockets=None,
            demo_data=False,
            demo_user=USER,
            demo_password=PASSWORD,
        )
        try:
            backend, config = await DictBackend.init(
                args, secure_auth=False, reject_dnsbl=False, invalid_user_sleep=0.0, ssl_context=self.tls
            )
            config.apply_context()
            callback = ProxyProtocolReader(config.proxy_protocol).get_callback(IMAPServer(backend.login, config))
            server = await asyncio.start_server(callback, host="127.0.0.1", port=0)
        except BaseException as error:
            self.failed = error
            self.ready.set()
            raise
        self.port = server.sockets[0].getsockname()[1]
        self.stopped = asyncio.Event()
        self.ready.set()
        async with server:
            await self.stopped.wait()
        connections = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in connections:  # a client that never logged out: its connection ends with the server
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)

    def start(self) -> None:
        if self.keywords:
            self.patched = MailboxData.permanent_flags
            MailboxData.permanent_flags = property(lambda _: (get_system_flags() - {Recent}) | {Wildcard})  # type: ignore[assignment,method-assign]
        self.thread.start()
        self.ready.wait()
        if self.failed is not None:
            raise RuntimeError("pymap did not start") from self.failed

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopped.set)
        self.thread.join()
        self.loop.close()
        if self.patched is not None:
            MailboxData.permanent_flags = self.patched  # type: ignore[method-assign]

    @contextmanager
    def client(self) -> Iterator[imaplib.IMAP4]:
        """A logged-in stdlib client with INBOX selected: the test's own view of the mailbox."""
        client = imaplib.IMAP4("127.0.0.1", self.port)
        if self.tls is not None:
            client.starttls(_trust_all())
        client.login(USER, PASSWORD)
        client.select("INBOX")
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, message: bytes | str, flags: str = "") -> None:
        """APPEND a message to INBOX, as a mail server delivering it would."""
        self.deliver_many([message], flags)

    def deliver_many(self, messages: list[bytes | str], flags: str = "") -> None:
        with self.client() as client:
            for message in messages:
                raw = message.encode("utf-8") if isinstance(message, str) else message
                status, answer = client.append("INBOX", f"({flags})" if flags else None, None, raw)
                assert status == "OK", answer

    def flags(self) -> dict[int, set[str]]:
        """Every message's flags by UID."""
        with self.client() as client:
            _, lines = client.uid("FETCH", "1:*", "(UID FLAGS)")
        found: dict[int, set[str]] = {}
        for line in lines:
            if isinstance(line, bytes) and (match := re.search(rb"UID (\d+).*FLAGS \(([^)]*)\)", line)):
                found[int(match.group(1))] = set(match.group(2).decode().split())
        return found


def _trust_all() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@contextmanager
def imap_server(**options: Any) -> Iterator[ImapServer]:
    server = ImapServer(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def imap_url(port: int, scheme: str = "imap", tls: str | None = "none", password: str = PASSWORD) -> str:
    """The IMAP_URL of USER's INBOX on a loopback server: plain text by default (the server offers no STARTTLS)."""
    query = f"?tls={tls}" if tls and scheme == "imap" else ""
    return f"{scheme}://{quote(USER, safe='')}:{quote(password, safe='')}@127.0.0.1:{port}/INBOX{query}"
