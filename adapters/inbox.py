"""InboxReader: the owner's replies read from an IMAP mailbox (imap-tools, in a thread of its own) and marked handled."""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import io
import logging
import re
import select
import ssl
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any, cast

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError

from adapters.imap_target import ImapTarget, InboxError
from adapters.inbox_mail import Candidate, InboundMail, parse_candidates, parse_mail

log = logging.getLogger(__name__)

HANDLED = "$BoundaryBotPosted"  # the keyword on a handled reply, where the server keeps keywords
DONE_FOLDER = "boundary-bot"  # where a handled reply goes on a server that keeps no keywords
TIMEOUT_SECONDS = 30.0
FETCH_BATCH = 100  # headers fetched per command: after a restart, a week of mail is a few round trips
SINCE_DAYS = 7  # after a restart, replies of the last week are looked at again (the handled ones are skipped)
_PERMANENT = re.compile(rb"\[PERMANENTFLAGS \(([^)]*)\)\]")
_COPYUID = re.compile(rb"\[COPYUID \d+ (\S+) (\S+)\]")
ERRORS = (imaplib.IMAP4.error, ImapToolsError, OSError, ssl.SSLError, TimeoutError, ValueError)


class InboxReader:
    """One IMAP connection, used from one thread: `candidates` lists new mail by its headers (never setting \\Seen),
    `read` fetches one whole, `mark_handled` claims it so that no reader, now or after a restart, handles it again."""

    def __init__(
        self,
        target: ImapTarget,
        *,
        tls_context: ssl.SSLContext | None = None,
        timeout: float = TIMEOUT_SECONDS,
        since_days: int = SINCE_DAYS,
        done_folder: str = DONE_FOLDER,
    ) -> None:
        self.target = target
        self.tls_context = tls_context
        self.timeout = timeout
        self.since_days = since_days
        self.done_folder = done_folder
        self.box: BaseMailBox | None = None
        self.keywords = False  # the server keeps HANDLED: set once the mailbox is selected
        self.idle = False
        self.last_uid = 0  # the highest UID looked at in this connection's UIDVALIDITY
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap")

    @classmethod
    def from_url(cls, url: str, **options: Any) -> InboxReader:
        return cls(ImapTarget.parse(url), **options)

    async def _run(self, work: Any, *args: Any) -> Any:
        try:
            return await asyncio.get_running_loop().run_in_executor(self.thread, work, *args)
        except InboxError:
            raise
        except ERRORS as error:
            raise self._error(error) from None

    def _error(self, error: BaseException) -> InboxError:
        text = f"{type(error).__name__}: {error}".replace(self.target.password, "***")
        return InboxError(f"{self.target}: {text}")

    def _connect(self) -> None:
        t = self.target
        if t.implicit_tls:
            box: BaseMailBox = MailBox(t.host, t.port, timeout=self.timeout, ssl_context=self.tls_context)
        elif t.plain:
            box = MailBoxUnencrypted(t.host, t.port, timeout=self.timeout)
        else:
            try:
                box = MailBoxStartTls(t.host, t.port, timeout=self.timeout, ssl_context=self.tls_context)
            except imaplib.IMAP4.error as error:
                if "TLS not supported" not in str(error):
                    raise
                raise InboxError(
                    f"{t.host}:{t.port} does not offer STARTTLS, and IMAP_URL requires TLS: the password was not "
                    "sent. Use the server's TLS port (imaps://host:993), or add ?tls=none to IMAP_URL to log in "
                    "in the clear"
                ) from None
        try:
            box.login(t.username, t.password, initial_folder=None)
            status, _ = box.client.select(_quoted(t.mailbox))
            if status != "OK":
                raise InboxError(f"{t}: there is no mailbox {t.mailbox!r}")
            flags = _PERMANENT.search(_joined(box.client.untagged_responses.get("OK", [])))
            self.keywords = flags is not None and (rb"\*" in flags.group(1) or HANDLED.encode() in flags.group(1))
            _, answer = box.client.capability()  # after login: a server may name IDLE only then
            capabilities = set(_joined(answer).upper().split())
            if not self.keywords and not {b"MOVE", b"UIDPLUS"} <= capabilities:
                raise InboxError(
                    f"{t}: the server keeps no keywords and lacks MOVE or UIDPLUS, so a handled reply could not be "
                    "marked once; use a mailbox on a server that has either (Gmail, Fastmail and Dovecot do)"
                )
        except BaseException:
            box.client.shutdown()
            raise
        self.idle = b"IDLE" in capabilities
        self.box = box

    async def connect(self) -> None:
        try:
            await self._run(self._connect)
        except BaseException:
            self.thread.shutdown(wait=False)
            raise
        log.info("reading %s (handled mail %s)", self.target, self.marker)

    @property
    def marker(self) -> str:
        return f"gets the keyword {HANDLED}" if self.keywords else f"moves to {self.done_folder!r}"

    async def close(self) -> None:
        if self.box is not None:
            with contextlib.suppress(InboxError):
                await self._run(self.box.logout)
            self.box = None
        self.thread.shutdown(wait=False)

    async def __aenter__(self) -> InboxReader:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _client(self) -> imaplib.IMAP4:
        if self.box is None:
            raise InboxError(f"{self.target}: not connected")
        return self.box.client

    def _candidates(self) -> list[Candidate]:
        client = self._client()
        client.noop()  # the server tells of new mail (EXISTS) at a command: only then may a search see it
        since = (date.today() - timedelta(days=self.since_days)).strftime("%d-%b-%Y")
        criteria = ["UID", f"{self.last_uid + 1}:*", "SINCE", since] + (["UNKEYWORD", HANDLED] if self.keywords else [])
        status, found = client.uid("SEARCH", *criteria)
        _check(status, found, "SEARCH")
        uids = [int(uid) for uid in (found[0] or b"").split() if int(uid) > self.last_uid]
        candidates = []
        for start in range(0, len(uids), FETCH_BATCH):
            batch = ",".join(str(uid) for uid in uids[start : start + FETCH_BATCH])
            status, lines = client.uid("FETCH", batch, "(UID RFC822.SIZE BODY.PEEK[HEADER])")
            _check(status, lines, "FETCH")
            candidates += parse_candidates(lines)
        self.last_uid = max([self.last_uid, *uids])
        return sorted(candidates, key=lambda candidate: candidate.uid)

    async def candidates(self) -> list[Candidate]:
        """The mail that arrived since the last call (on the first, in the last `since_days`) and is not handled:
        headers and size only, read with PEEK, so nothing in the mailbox changes."""
        result: list[Candidate] = await self._run(self._candidates)
        return result

    def _read(self, candidate: Candidate, max_bytes: int) -> InboundMail:
        part = f"BODY.PEEK[]<0.{max_bytes}>" if candidate.size > max_bytes else "BODY.PEEK[]"
        status, lines = self._client().uid("FETCH", str(candidate.uid), f"(UID {part})")
        _check(status, lines, "FETCH")
        raw = b"".join(line[1] for line in lines if isinstance(line, tuple))
        return parse_mail(candidate, raw, cut=candidate.size > max_bytes)

    async def read(self, candidate: Candidate, max_bytes: int = 1_000_000) -> InboundMail:
        """The whole mail (its first `max_bytes` when larger, marked cut), without setting \\Seen."""
        result: InboundMail = await self._run(self._read, candidate, max_bytes)
        return result

    def _mark(self, uid: int) -> bool:
        client = self._client()
        if self.keywords:
            status, lines = client.uid("FETCH", str(uid), "(FLAGS)")
            _check(status, lines, "FETCH")
            if not _joined(lines) or HANDLED.encode().lower() in _joined(lines).lower():
                return False  # gone, or handled by another reader
            status, lines = client.uid("STORE", str(uid), "+FLAGS.SILENT", f"({HANDLED} \\Seen)")
            _check(status, lines, "STORE")
            return True
        folder = _quoted(self.done_folder)
        client.create(folder)  # NO when it exists already: harmless
        client.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen)")
        status, lines = client.uid("MOVE", str(uid), folder)
        _check(status, lines, "MOVE")
        moved = _COPYUID.search(_joined(client.untagged_responses.pop("OK", []) + lines))
        return moved is not None and str(uid).encode() in moved.group(1).split(b",")

    async def mark_handled(self, uid: int) -> bool:
        """Claim the mail: True when this reader marked it, False when another had (it must not be posted again).
        With keywords, a check then STORE (two readers at the same instant can both win: the outbox key decides);
        without, UID MOVE, which the server does once (only the reader whose MOVE moved it gets its COPYUID)."""
        result: bool = await self._run(self._mark, uid)
        return result

    def _wait(self, seconds: float) -> bool:
        """IDLE (RFC 2177) by hand: imap-tools' reads lines from a non-blocking socket and can lose the start of a
        line the server wrote in two parts, which breaks the next command. Here the socket is only watched (select)
        while idling, and every line is read whole, blocking, after DONE."""
        client = self._client()
        tag = client._new_tag()  # imaplib has no IDLE before Python 3.14
        client.send(tag + b" IDLE\r\n")
        if not (line := client._get_line()).startswith(b"+"):
            raise InboxError(f"IDLE answered {line.decode(errors='replace')}")
        sock = client.sock
        woken = bool(_buffered(client)) or bool(select.select([sock], [], [], seconds)[0])
        client.send(b"DONE\r\n")
        while not (line := client._get_line()).startswith(tag):
            pass  # EXISTS, EXPUNGE, FETCH (FLAGS): the next search asks for what it needs
        if not line[len(tag) :].strip().upper().startswith(b"OK"):
            raise InboxError(f"IDLE answered {line.decode(errors='replace')}")
        return woken

    async def wait(self, seconds: float) -> bool:
        """Until new mail may be there: IDLE for at most `seconds` where the server has it (True when the server
        told of a change), else a sleep (False). The connection is busy meanwhile: nothing else runs on it."""
        if self.idle and self.box is not None:
            woken: bool = await self._run(self._wait, seconds)
            return woken
        await asyncio.sleep(seconds)
        return False

    def again(self, uid: int) -> None:
        """List `uid` (and what came after it) again at the next `candidates`: a reply that could not be handled
        now (the outbox refused it) is retried without waiting for a restart."""
        self.last_uid = min(self.last_uid, uid - 1)


def _buffered(client: imaplib.IMAP4) -> bytes:
    """What has already arrived for the client (in its reader's buffer, or TLS's), without waiting for more."""
    sock = client.sock
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return b"pending"
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        return cast(io.BufferedReader, client.file).peek(1) or b""
    except OSError:  # nothing yet (BlockingIOError, or TLS's want-read)
        return b""
    finally:
        sock.settimeout(timeout)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _joined(lines: list[Any]) -> bytes:
    """imaplib's answer lines (bytes, or a (line, literal) pair) as one line, without the literals."""
    return b" ".join(line if isinstance(line, bytes) else line[0] for line in lines if line)


def _check(status: str, lines: list[Any], command: str) -> None:
    if status != "OK":
        raise InboxError(f"{command} answered {status} {_joined(lines).decode(errors='replace')}".strip())
