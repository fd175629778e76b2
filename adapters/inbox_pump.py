"""One look at the mailbox: each owner's reply cut to its new text, handed over, then marked; the rest left alone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from adapters.imap_target import InboxError
from adapters.inbox import InboxReader
from adapters.inbox_mail import Candidate, InboundMail
from bot.mail_reply import Reply, reply_text
from bot.reply_tokens import candidate_tokens

log = logging.getLogger(__name__)

Accept = Callable[[str, Iterable[tuple[str, str]]], str | None]  # (sender, headers) -> request id, or None
MAX_BYTES = 1_000_000  # a larger mail is read only this far (its text is cut long before)
RETRY_SECONDS = (5.0, 30.0, 120.0, 600.0)


@dataclass(frozen=True)
class InboundReply:
    """An owner's reply to hand over: the request it answers and its new text, or `problem` when it could not be
    read (a malformed mail, nothing new written): the caller posts a note instead of the text."""

    request_id: str
    mail: InboundMail
    reply: Reply
    problem: str | None = None


@dataclass
class Tally:
    """What one look found: `handed` replies, `suspect` mail carrying a token that was refused (a forged token, or a
    sender who is not the owner or the team: left in the mailbox, for the digest), `failed` hand-overs (retried)."""

    handed: int = 0
    suspect: int = 0
    failed: int = 0
    lost: int = 0  # handed over, but another reader had marked it first: the outbox key keeps it to one post


def _problem(mail: InboundMail, reply: Reply) -> str | None:
    if mail.problem:
        return f"the reply could not be read: {mail.problem}"
    if not reply.text:
        return "the reply holds no new text (only quoted text or a signature)"
    return None


async def read_once(
    reader: InboxReader, accept: Accept, hand_over: Callable[[InboundReply], Awaitable[None]], *, inbox: str
) -> Tally:
    """Every new mail the reader lists: an accepted reply is read, cut, handed over and only then marked (so a crash
    between the two hands it over again, which the caller's outbox key makes harmless); a hand-over that raises
    leaves the mail unmarked and listed again at the next look; anything not accepted is never read or changed."""
    tally = Tally()
    for candidate in await reader.candidates():
        request_id = accept(candidate.sender, candidate.headers)
        if request_id is None:
            tally.suspect += bool(candidate_tokens(candidate.headers, inbox))
            continue
        await _handle(reader, candidate, request_id, hand_over, tally)
    return tally


async def _handle(
    reader: InboxReader,
    candidate: Candidate,
    request_id: str,
    hand_over: Callable[[InboundReply], Awaitable[None]],
    tally: Tally,
) -> None:
    mail = await reader.read(candidate, MAX_BYTES)
    reply = reply_text(mail.plain, mail.html)
    try:
        await hand_over(InboundReply(request_id, mail, reply, _problem(mail, reply)))
    except InboxError:
        raise
    except Exception:
        log.exception("the reply in mail %s (request %s) was not handed over; it is tried again", mail.uid, request_id)
        reader.again(candidate.uid)
        tally.failed += 1
        return
    tally.handed += 1
    if not await reader.mark_handled(candidate.uid):
        tally.lost += 1


async def watch(
    connect: Callable[[], InboxReader],
    accept: Accept,
    hand_over: Callable[[InboundReply], Awaitable[None]],
    *,
    inbox: str,
    interval: float = 60.0,
    tallies: Callable[[Tally], None] = lambda tally: None,
    retry_seconds: Sequence[float] = RETRY_SECONDS,
) -> None:
    """Look, then wait (IDLE or `interval`), for ever; a lost connection or a refused login is logged and tried again
    after `retry_seconds` (the last one repeated), the password never shown (InboxError's text never holds it)."""
    failures = 0
    while True:
        reader = connect()
        try:
            await reader.connect()
            failures = 0
            while True:
                tallies(await read_once(reader, accept, hand_over, inbox=inbox))
                await reader.wait(interval)
        except InboxError as error:
            delay = retry_seconds[min(failures, len(retry_seconds) - 1)]
            failures += 1
            log.warning("inbox: %s; connecting again in %.0f s", error, delay)
        finally:
            await reader.close()
        await asyncio.sleep(delay)
