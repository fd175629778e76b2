"""The bot's inbox, watched (IMAP_URL): each answer to a forwarded email is posted in the client's thread, once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from email.utils import parseaddr

from adapters.imap_target import ImapTarget
from adapters.inbox import InboxError, InboxReader
from adapters.inbox_mail import Candidate, InboundMail, identity
from bot.errors import StartError
from bot.inbox_answers import AnswerRoute, InboxAnswers, Mail
from bot.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0  # between looks where the server has no IDLE (with IDLE, new mail wakes it at once)
READ_BYTES = 20_000_000  # of an answer (judged by its headers first): its text and its small attachments, encoded
RETRY_SECONDS = (5.0, 30.0, 120.0, 300.0)  # after a lost connection, one step further each time in a row


def route_of(settings: Settings) -> AnswerRoute | None:
    """Where answers go and the secret signing them, when IMAP_URL is set; StartError for what is missing."""
    if settings.imap_url is None:
        return None
    if problems := settings.inbox_problems():
        raise StartError("; ".join(problems))
    assert settings.reply_secret is not None  # inbox_problems says so otherwise
    inbox = settings.inbox_address or ImapTarget.parse(settings.imap_url.get_secret_value()).username
    if "@" not in parseaddr(inbox)[1]:
        named = f'"{inbox}"' if settings.inbox_address else f'the IMAP user "{inbox}"'
        raise StartError(f"INBOX_ADDRESS: {named} is no email address; set INBOX_ADDRESS, like bot@example.com")
    return AnswerRoute(parseaddr(inbox)[1], settings.reply_secret.get_secret_value().encode("utf-8"))


def mail_of(candidate: Candidate | InboundMail, found: InboundMail | None = None) -> Mail:
    """The core's view of a mail: by its headers alone (a candidate), or whole."""
    return Mail(
        uid=str(candidate.uid),
        sender=candidate.sender,
        headers=candidate.headers,
        plain=found.plain if found else None,
        html=found.html if found else None,
        message_id=identity(candidate.headers),
        attachments=found.attachments if found else (),
        files=found.files if found else (),
    )


async def look_once(reader: InboxReader, answers: InboxAnswers, wake: Callable[[], None]) -> int:
    """Judge each new mail by its headers, read and post the answers, claim them; return how many were posted.
    A claim lost to another reader, or never made (a crash), only means the outbox sees the answer again: its key
    is the mail's, so it is posted once."""
    posted = 0
    for candidate in await reader.candidates():
        if (why := answers.judge(candidate.sender, candidate.headers)) is not None:
            await answers.leave(mail_of(candidate), why)
            continue
        found = await reader.read(candidate, max_bytes=READ_BYTES)
        if found.problem:
            await answers.leave(mail_of(candidate), f"could not be read: {found.problem}")
            continue
        if (await answers.take(mail_of(candidate, found))).posted:
            posted += 1
            wake()
            await reader.mark_handled(candidate.uid)
    return posted


async def watch_inbox(
    connect: Callable[[], InboxReader],
    answers: InboxAnswers,
    wake: Callable[[], None],
    *,
    every: float = POLL_SECONDS,
    retry: tuple[float, ...] = RETRY_SECONDS,
) -> None:
    """Look, then wait for new mail (IDLE, or `every` seconds), until cancelled; a lost connection is opened again,
    waiting longer each time in a row."""
    failures = 0
    while True:
        try:
            async with connect() as reader:
                failures = 0
                while True:
                    await look_once(reader, answers, wake)
                    await reader.wait(every)
        except InboxError as error:
            delay = retry[min(failures, len(retry) - 1)]
            failures += 1
            log.warning("the inbox could not be read (%s); trying again in %.0f s", error, delay)
            await asyncio.sleep(delay)
        except Exception:  # the database, say: the mail stays unclaimed, so the next look takes it again
            delay = retry[min(failures, len(retry) - 1)]
            failures += 1
            log.exception("an answer in the inbox could not be taken; trying again in %.0f s", delay)
            await asyncio.sleep(delay)


def start_inbox(
    settings: Settings, answers: InboxAnswers | None, wake: Callable[[], None]
) -> asyncio.Task[None] | None:
    """The watcher as a task, when answers by email are on."""
    if settings.imap_url is None or answers is None:
        return None
    url = settings.imap_url.get_secret_value()
    return asyncio.create_task(watch_inbox(lambda: InboxReader.from_url(url), answers, wake), name="inbox")


async def stop_inbox(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def check_inbox(settings: Settings) -> tuple[list[str], list[str]]:
    """`check --live` for IMAP_URL: log in, open the mailbox, say how handled mail is marked and whether IDLE works."""
    if settings.imap_url is None:
        return [], []
    try:
        async with InboxReader.from_url(settings.imap_url.get_secret_value()) as reader:
            wakes = "wakes at new mail (IDLE)" if reader.idle else f"looks every {POLL_SECONDS:.0f} s (no IDLE)"
            return [f"IMAP: logged in to {reader.target}; an answer posted {reader.marker}; the bot {wakes}"], []
    except (InboxError, ValueError) as error:
        return [], [f"IMAP: {error}"]
